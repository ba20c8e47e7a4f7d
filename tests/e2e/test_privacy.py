"""An applicant's conversation deleted on request: the secretariat enters it with the command line,
the retention job deletes it from the running servers' tracker store; the next message starts a
new conversation, and other conversations stay."""
import subprocess
import sys
import uuid
from pathlib import Path

from knowledge import retention
from knowledge import tables as m
from knowledge.db import engine_for, session_scope

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_conversation_the_applicant_asked_to_delete_is_deleted(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    tracker_db = Path(assistant.database_url[len("sqlite:///"):]).with_name("tracker.db")
    sender, other = f"forget-{uuid.uuid4().hex[:8]}", f"keep-{uuid.uuid4().hex[:8]}"
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track? We are Da Nang.")
    assistant.ask(other, "How much funding does a demonstration project get?")

    entered = subprocess.run([sys.executable, "-m", "knowledge", "conversations", "forget", sender], cwd=ROOT,
                             capture_output=True, text=True, check=True)
    assert f"{sender} will be deleted at the retention job's next run" in entered.stdout
    assert "Da Nang" in " ".join(assistant.user_texts(sender)), "nothing is deleted before the run"

    run = retention.run(events_engine=engine_for(f"sqlite:///{tracker_db}"))
    assert run.requests == 1 and run.events > 0
    # Nothing said is left (reading the conversation starts an empty session: Rasa's own events).
    assert [e for e in assistant.tracker(sender)["events"] if e["event"] in ("user", "bot")] == []
    assert assistant.user_texts(other), "another conversation is kept"
    with session_scope() as session:
        [request] = session.query(m.ForgetRequest).filter_by(conversation_id=sender).all()
        assert request.done_at is not None
    listed = subprocess.run([sys.executable, "-m", "knowledge", "conversations", "retention"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "1 on request" in listed.stdout
    # The applicant writes again: a new conversation, answered as any other.
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track?")
    assert len(assistant.user_texts(sender)) == 1
