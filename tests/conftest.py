"""Shared fixtures: a fresh knowledge base per test, the fixed clock, one trained model per run, and
a loopback mail server that receives every mail the assistant sends."""
import asyncio
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# KCN_TEST_MODEL: test another trained model (e.g. one trained into /tmp while developing) instead
# of the one `make model` keeps in models/.
MODEL = Path(os.environ.get("KCN_TEST_MODEL") or ROOT / "models" / "kcn.tar.gz")
ARTIFACTS = ROOT / "tests" / "artifacts"

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session", autouse=True)
def mailbox():
    """A real SMTP server (aiosmtpd) on loopback for the whole run: KCN_SMTP_URL points at it, so the
    actions run here and every assistant the tests start (which inherit the environment) mail their
    one-time codes to it, and tests read them: mailbox.code_for("demo.company@example.org")."""
    from mail_standin import Mailbox

    server = Mailbox().start()
    before = os.environ.get("KCN_SMTP_URL")
    os.environ["KCN_SMTP_URL"] = server.url
    yield server
    if before is None:
        os.environ.pop("KCN_SMTP_URL", None)
    else:
        os.environ["KCN_SMTP_URL"] = before
    server.stop()


@pytest.fixture
def knowledge_db(tmp_path, monkeypatch):
    """A knowledge base loaded from the seed, private to the test."""
    from knowledge import seed

    url = f"sqlite:///{tmp_path / 'knowledge.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed.init_db()
    return url


@pytest.fixture
def today(monkeypatch):
    """Sets the assistant's clock: today("2024-02-15")."""

    def set_today(iso_date: str) -> None:
        monkeypatch.setenv("KCN_TODAY", iso_date)

    set_today("2024-02-15")
    return set_today


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def model_path():
    """The model `make test` trained (trained here when pytest runs alone), or KCN_TEST_MODEL."""
    if not MODEL.exists() and not os.environ.get("KCN_TEST_MODEL"):
        subprocess.run(["make", "model"], cwd=ROOT, check=True)
    return MODEL


@pytest.fixture(scope="session")
def agent(model_path):
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


@pytest.fixture(scope="session")
def parse(agent):
    """The trained NLU pipeline: parse("text") -> Rasa's parse result."""
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


@pytest.fixture
def ask(knowledge_db):
    """Runs a custom action as the action server would: ask("deadline", "ko", track="planning") -> text."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.knowledge_answer import KnowledgeAnswer
    import actions.application, actions.eligibility, actions.followup, actions.funding  # noqa: F401
    import actions.program, actions.schedule  # noqa: F401
    from actions.followup import AnswerFollowUp
    from trackers import make_tracker

    def run(topic, lang, last_topic=None, events_out=None, **entities):
        action = AnswerFollowUp() if topic == "followup" else KnowledgeAnswer.by_topic[topic]()
        tracker = make_tracker(lang=lang, slots={"last_topic": last_topic}, text="question", intent=f"ask_{topic}",
                               entities=entities)
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, {}))
        if events_out is not None:
            events_out.extend(events)
        assert len(dispatcher.messages) == 1
        return dispatcher.messages[0]["text"]

    return run
