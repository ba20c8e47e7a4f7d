"""Runs the Rasa server, the action server, the web front (demo page, widget) and the notification
worker (status news and deadline reminders, bot/notify/) in the foreground.

Ctrl-C (or SIGTERM) stops them all; if one exits, the others are stopped too, so a half-running
assistant never stays up unnoticed.

KCN_CORS_ORIGINS (space-separated) lists the web origins allowed to call the Rasa server from a
browser (the widget's socket.io); by default only the demo page's own origin. The list is passed
to Rasa (`--cors`) and, through the environment, to the widget's channel, which refuses
connections from every other origin (bot/server/channels/webchat.py).

The REST channel takes messages only where KCN_REST_CHANNEL allows it: by default in development,
not in the production profile (bot/server/channels/rest.py).

Rasa's HTTP API (used by the helpdesk console) is on, protected by RASA_API_TOKEN; without one a
random token is made for this run and handed to the console only, through the environment (never
on a command line, where `ps` would show it). Likewise KCN_ACTION_TOKEN, which the Rasa server
presents to the action server (bot/action_server.py). Every setting is checked before anything
starts (knowledge/settings.py): a malformed one stops the start with a message naming it.

KCN_PROFILE=production switches the Rasa servers to deploy/endpoints.production.yml: conversations
in the PostgreSQL database of DATABASE_URL (which also holds the knowledge base) and Rasa's lock
store in Redis (REDIS_URL), so that several Rasa servers and action servers can run behind a load
balancer; `--only rasa|actions|web|notify` starts one kind of process for that (README: "Production
profile"; several notification workers may run, each notification is sent by one).
"""
import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from typing import Dict, List, Mapping
from urllib.parse import unquote, urlsplit

from knowledge import settings

ROOT = settings.PROJECT_ROOT
PRODUCTION_ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
KINDS = ("actions", "rasa", "web", "notify")


class ProfileError(ValueError):
    """The production profile's settings are missing or wrong; the message says what to set."""


def production_environment(environ: Mapping[str, str], action_url: str) -> Dict[str, str]:
    """The variables deploy/endpoints.production.yml reads, derived from DATABASE_URL and REDIS_URL."""
    from sqlalchemy.engine import make_url

    database_url = environ.get("DATABASE_URL", "")
    try:
        backend = make_url(settings.value("DATABASE_URL", environ)).get_backend_name() if database_url else None
    except settings.SettingError:
        backend = "?"
    if backend != "postgresql":
        raise ProfileError("KCN_PROFILE=production needs DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DATABASE "
                           "(the knowledge base and the conversations); "
                           + ("it is not set" if not database_url else "it is not a postgresql:// URL"))
    redis_url = environ.get("REDIS_URL", "")
    try:
        settings.value("REDIS_URL", environ)
        parts = urlsplit(redis_url)
        port, db = parts.port or 6379, int(parts.path.strip("/") or 1)
    except (settings.SettingError, ValueError):
        port = None
    if not redis_url or port is None:
        raise ProfileError("KCN_PROFILE=production needs REDIS_URL=redis://[:PASSWORD@]HOST[:PORT][/DB] (Rasa's lock "
                           "store); " + ("it is not set" if not redis_url else "it is not such a URL"))
    return {"KCN_ACTION_URL": action_url, "KCN_REDIS_HOST": parts.hostname or "localhost", "KCN_REDIS_PORT": str(port),
            "KCN_REDIS_DB": str(db), "KCN_REDIS_USERNAME": unquote(parts.username or ""),
            "KCN_REDIS_PASSWORD": unquote(parts.password or "")}


def cors_origins(web_port: int) -> List[str]:
    return settings.cors_origins() or [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


def commands(model: str, rasa_port: int, action_port: int, endpoints: str, web_port: int,
             public_rasa_url: str, rasa_api: str = "", kinds=KINDS) -> List[List[str]]:
    every = {
        "actions": [sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(action_port)],
        "rasa": [sys.executable, "-m", "bot.rasa_server", "run", "--model", model, "--port", str(rasa_port),
                 "--credentials", str(ROOT / "credentials.yml"), "--endpoints", endpoints,
                 "--enable-api", "--cors", *cors_origins(web_port)],
        "web": [sys.executable, "-m", "bot.web", "--port", str(web_port), "--rasa-url", public_rasa_url,
                "--rasa-api", rasa_api or f"http://127.0.0.1:{rasa_port}"],
        "notify": [sys.executable, "-m", "bot.notify", "--rasa-api", rasa_api or f"http://127.0.0.1:{rasa_port}"],
    }
    return [every[kind] for kind in KINDS if kind in kinds]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "kcn.tar.gz"))
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--endpoints", help="default endpoints.yml, or deploy/endpoints.production.yml in the production profile")
    parser.add_argument("--web-port", type=int, default=8080)
    parser.add_argument("--public-rasa-url", help="the Rasa server as browsers reach it (default http://localhost:RASA_PORT)")
    parser.add_argument("--only", action="append", choices=KINDS,
                        help="start only this kind of process (repeatable; default all four): to scale out, "
                             "run Rasa servers, action servers and the web front as separate processes")
    parser.add_argument("--action-url", help="the action server (or its load balancer) the Rasa server calls "
                                             "(default http://127.0.0.1:ACTION_PORT/webhook)")
    parser.add_argument("--rasa-api", help="the Rasa HTTP API the web front's helpdesk console and the "
                                           "notification worker call "
                                           "(default http://127.0.0.1:RASA_PORT)")
    args = parser.parse_args(argv)
    public_rasa_url = args.public_rasa_url or f"http://localhost:{args.rasa_port}"
    kinds = args.only or KINDS

    action_url = args.action_url or f"http://127.0.0.1:{args.action_port}/webhook"
    settings.require("The assistant")  # every setting, before any process starts
    try:
        production = settings.is_production()
        if production:
            if ({"rasa", "web", "notify"} & set(kinds)) and not settings.rasa_api_token():
                raise ProfileError("KCN_PROFILE=production needs RASA_API_TOKEN, the same for every Rasa server, "
                                   "the web front and the notification worker (e.g. openssl rand -hex 32)")
            if ("rasa" in kinds or "actions" in kinds) and not settings.action_token():
                raise ProfileError("KCN_PROFILE=production needs KCN_ACTION_TOKEN, the same for every Rasa server and "
                                   "action server (e.g. openssl rand -hex 32)")
            derived = production_environment(os.environ, action_url)
            if ("actions" in kinds or "notify" in kinds) and not settings.smtp_url():
                # Without a mail server the applicants' one-time codes would only reach a local folder.
                raise ProfileError("KCN_PROFILE=production needs KCN_SMTP_URL=smtp://USER:PASSWORD@HOST:587 (or "
                                   "smtps://…:465), the mail server that sends applicants their one-time codes and status news")
    except ProfileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    endpoints = args.endpoints or str(PRODUCTION_ENDPOINTS if production else ROOT / "endpoints.yml")

    os.environ.setdefault("RASA_API_TOKEN", secrets.token_urlsafe(32))
    os.environ.setdefault("KCN_ACTION_TOKEN", secrets.token_urlsafe(32))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               KCN_CORS_ORIGINS=" ".join(cors_origins(args.web_port)))  # the widget channel's origin check
    if production:
        env.update(derived)
    else:  # what endpoints.yml reads
        env["KCN_ACTION_URL"] = action_url
        env["KCN_TRACKER_DB"] = settings.tracker_db()
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in
                 commands(args.model, args.rasa_port, args.action_port, endpoints, args.web_port, public_rasa_url,
                          args.rasa_api or "", kinds)]
    rest = "REST: /webhooks/rest/webhook, " if settings.rest_channel() else "REST off, "
    started = {"rasa": f"Rasa server on http://localhost:{args.rasa_port} ({rest}socket.io, "
                       f"Telegram when TELEGRAM_BOT_TOKEN is set)",
               "actions": f"action server on http://localhost:{args.action_port}",
               "web": f"demo page with the chat widget on http://localhost:{args.web_port}/",
               "notify": "notification worker (status news and reminders)"}
    print(f"Starting{' (production profile)' if production else ''}: "
          f"{', '.join(started[kind] for kind in ('rasa', 'actions', 'web', 'notify') if kind in kinds)}. Ctrl-C stops them all.",
          flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.2)
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    deadline = time.time() + 15
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGINT, -signal.SIGTERM)]
    return 0 if stopping and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
