"""Runs the Rasa server, the action server and the web front (demo page, widget) in the foreground.

Ctrl-C (or SIGTERM) stops them all; if one exits, the others are stopped too, so a half-running
assistant never stays up unnoticed.

KCN_CORS_ORIGINS (space-separated) lists the web origins allowed to call the Rasa server from a
browser (the widget's socket.io); by default only the demo page's own origin.

Rasa's HTTP API (used by the helpdesk console) is on, protected by RASA_API_TOKEN; without one a
random token is made for this run and handed to the console only, through the environment (never
on a command line, where `ps` would show it).
"""
import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def cors_origins(web_port: int) -> List[str]:
    configured = os.environ.get("KCN_CORS_ORIGINS", "").split()
    return configured or [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


def commands(model: str, rasa_port: int, action_port: int, endpoints: str, web_port: int,
             public_rasa_url: str) -> List[List[str]]:
    return [
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
        [sys.executable, "-m", "bot.rasa_server", "run", "--model", model, "--port", str(rasa_port),
         "--credentials", str(ROOT / "credentials.yml"), "--endpoints", endpoints,
         "--enable-api", "--cors", *cors_origins(web_port)],
        [sys.executable, "-m", "bot.web", "--port", str(web_port), "--rasa-url", public_rasa_url,
         "--rasa-api", f"http://127.0.0.1:{rasa_port}"],
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "kcn.tar.gz"))
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    parser.add_argument("--web-port", type=int, default=8080)
    parser.add_argument("--public-rasa-url", help="the Rasa server as browsers reach it (default http://localhost:RASA_PORT)")
    args = parser.parse_args(argv)
    public_rasa_url = args.public_rasa_url or f"http://localhost:{args.rasa_port}"

    os.environ.setdefault("RASA_API_TOKEN", secrets.token_urlsafe(32))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in
                 commands(args.model, args.rasa_port, args.action_port, args.endpoints, args.web_port, public_rasa_url)]
    print(f"Starting: Rasa server on http://localhost:{args.rasa_port} (REST: /webhooks/rest/webhook, socket.io, "
          f"Telegram when TELEGRAM_BOT_TOKEN is set), action server on http://localhost:{args.action_port}, "
          f"demo page with the chat widget on http://localhost:{args.web_port}/. Ctrl-C stops them all.", flush=True)

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
