"""A real Rasa server, action server and web front (started by `python -m bot.run`), talked to over HTTP."""
import contextlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from processes import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2024-02-15"


class Assistant:
    def __init__(self, rasa_url: str, action_url: str, web_url: str, database_url: str, api_token: str = ""):
        self.rasa_url, self.action_url, self.web_url, self.database_url = rasa_url, action_url, web_url, database_url
        self.api_token = api_token

    def tracker(self, sender: str) -> dict:
        """The conversation as Rasa's tracker store holds it (Rasa's HTTP API, with the token)."""
        response = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                                params={"token": self.api_token}, timeout=30)
        response.raise_for_status()
        return response.json()

    def user_texts(self, sender: str) -> list:
        return [e["text"] for e in self.tracker(sender)["events"] if e["event"] == "user"]

    def replies(self, sender: str, text: str) -> list:
        """Sends one message over the REST channel; returns the bot's messages (text, buttons)."""
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def ask(self, sender: str, text: str) -> str:
        """Sends one message; returns the bot's replies joined by newlines."""
        return "\n".join(m.get("text", "") for m in self.replies(sender, text))


@pytest.fixture(scope="session")
def bot_api():
    """The loopback Bot API stand-in the assistant's Telegram channel polls."""
    from bot_api_standin import BotApiStandIn

    standin = BotApiStandIn().start()
    yield standin
    standin.stop()


def log_in_page(page, url: str, username: str, password: str) -> None:
    """Opens a staff page in the browser and logs in through the login form it redirects to."""
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def assistant_environment(work: Path, **extra_env) -> dict:
    """The environment of servers whose knowledge base and conversations live in `work` (the
    knowledge base is created there), with the fixed clock and tokens of their own."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{work / 'knowledge.db'}", KCN_TODAY=TODAY,
               RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT), RASA_API_TOKEN=secrets.token_urlsafe(16),
               KCN_TRACKER_DB=str(work / "tracker.db"), **extra_env)
    subprocess.run([sys.executable, "-m", "knowledge", "init"], cwd=ROOT, env=env, check=True)
    return env


@contextlib.contextmanager
def running_assistant(model_path, work: Path, **extra_env):
    """Starts `python -m bot.run` on free ports with a new knowledge base in `work`; stops it after."""
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = assistant_environment(work, **extra_env)
    log = open(work / "assistant.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.run", "--model", str(model_path), "--rasa-port", str(rasa_port),
         "--action-port", str(action_port), "--web-port", str(web_port),
         "--public-rasa-url", f"http://127.0.0.1:{rasa_port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{action_port}/health", process)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", process)
        wait_until_up(f"http://127.0.0.1:{web_port}/health", process)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
                        f"http://127.0.0.1:{web_port}", env["DATABASE_URL"], env["RASA_API_TOKEN"])
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def assistant(model_path, tmp_path_factory, bot_api):
    """The assistant shared by the end-to-end tests, its Telegram channel polling the stand-in."""
    from bot_api_standin import TOKEN

    with running_assistant(model_path, tmp_path_factory.mktemp("assistant"),
                           TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=bot_api.base_url) as running:
        yield running
