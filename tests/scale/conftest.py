"""The production profile on one machine: PostgreSQL, Redis, one action server and two Rasa servers.

Everything listens on loopback and free ports; every process is started by `python -m bot.run`
with KCN_PROFILE=production, exactly as on a server, and stopped (SIGINT, then SIGKILL) after.
"""
import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
import requests

from processes import free_port, stop, wait_until_up
from scale_services import postgres_cluster, redis_server

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2024-02-15"
TOKEN = "scale-test-token"


@pytest.fixture(scope="session")
def postgres_url():
    with postgres_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url():
    with redis_server() as url:
        yield url


class RasaServer:
    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def replies(self, sender: str, text: str) -> List[dict]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
        response.raise_for_status()
        return response.json()

    def ask(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.replies(sender, text))

    def events(self, sender: str) -> List[dict]:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60)
        response.raise_for_status()
        return response.json()["events"]

    def __repr__(self):
        return f"Rasa server {self.name}"


@contextlib.contextmanager
def started(args: List[str], env: dict, log: Path):
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.run", *args], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            stop(process, timeout=30)


@pytest.fixture(scope="session")
def production_env(postgres_url, redis_url):
    """The environment of a production server: the one setting, the two URLs, the shared tokens."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KCN_", "RASA_API_TOKEN", "DATABASE_URL"))}
    # The tests talk REST, which the production profile leaves off unless asked for.
    env.update(KCN_PROFILE="production", DATABASE_URL=postgres_url, REDIS_URL=redis_url, RASA_API_TOKEN=TOKEN,
               KCN_ACTION_TOKEN=TOKEN + "-actions", KCN_REST_CHANNEL="on",
               KCN_TODAY=TODAY, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT),
               KCN_SMTP_URL=os.environ["KCN_SMTP_URL"])  # tests/conftest.py's loopback mail server
    subprocess.run([sys.executable, "-m", "knowledge", "init"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


@pytest.fixture(scope="session")
def servers(production_env, model_path, tmp_path_factory):
    """(A, B): two Rasa servers on one PostgreSQL tracker store and one Redis lock store, one action server."""
    logs = tmp_path_factory.mktemp("scale-logs")
    action_port, port_a, port_b = free_port(), free_port(), free_port()
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    with contextlib.ExitStack() as stack:
        actions = stack.enter_context(started(["--only", "actions", "--action-port", str(action_port)],
                                              production_env, logs / "actions.log"))
        rasa = {}
        for name, port in (("A", port_a), ("B", port_b)):
            rasa[name] = stack.enter_context(started(
                ["--only", "rasa", "--model", str(model_path), "--rasa-port", str(port), "--action-url", action_url],
                production_env, logs / f"rasa-{name}.log"))
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, 600, logs / "actions.log")
        for name, port in (("A", port_a), ("B", port_b)):
            wait_until_up(f"http://127.0.0.1:{port}/", rasa[name], 600, logs / f"rasa-{name}.log")
        yield RasaServer("A", f"http://127.0.0.1:{port_a}"), RasaServer("B", f"http://127.0.0.1:{port_b}")
        for name, process in [("actions", actions), *rasa.items()]:
            assert process.poll() is None, f"the {name} server died during the tests"
