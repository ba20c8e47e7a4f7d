"""An applicant deletes their conversation over REST: asked, confirmed with the button, deleted
by the retention job from the real tracker store; the next message starts a new conversation."""
import uuid
from pathlib import Path

from knowledge import retention
from knowledge import tables as m
from knowledge.db import engine_for, session_scope


def test_an_applicant_has_their_conversation_deleted(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    tracker_db = Path(assistant.database_url[len("sqlite:///"):]).with_name("tracker.db")
    sender, other = f"forget-{uuid.uuid4().hex[:8]}", f"keep-{uuid.uuid4().hex[:8]}"
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track? We are Da Nang.")
    assistant.ask(other, "How much funding does a demonstration project get?")

    [asked] = assistant.replies(sender, "Please delete my conversation")
    assert "cannot be undone" in asked["text"] and "Proposals you submitted" in asked["text"]
    assert [b["title"] for b in asked["buttons"]] == ["Yes, delete it", "No, keep it"]
    assert "Da Nang" in " ".join(assistant.user_texts(sender)), "typed words only ask: nothing is deleted yet"
    done = assistant.ask(sender, asked["buttons"][0]["payload"])
    assert "deleted within" in done

    run = retention.run(events_engine=engine_for(f"sqlite:///{tracker_db}"))
    assert run.requests == 1 and run.events > 0
    # Nothing said is left (reading the conversation starts an empty session: Rasa's own events).
    assert [e for e in assistant.tracker(sender)["events"] if e["event"] in ("user", "bot")] == []
    assert assistant.user_texts(other), "another conversation is kept"
    with session_scope() as session:
        [request] = session.query(m.ForgetRequest).filter_by(conversation_id=sender).all()
        assert request.done_at is not None
    # The applicant writes again: a new conversation, answered as any other.
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track?")
    assert len(assistant.user_texts(sender)) == 1


def test_no_keeps_the_conversation_in_korean(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    sender = f"keep-ko-{uuid.uuid4().hex[:8]}"
    [asked] = assistant.replies(sender, "제 대화 기록을 전부 삭제해 주세요")
    assert "되돌릴 수 없습니다" in asked["text"]
    no = next(b for b in asked["buttons"] if b["title"] == "아니요, 그대로 두세요")
    assistant.ask(sender, no["payload"])
    with session_scope() as session:
        assert session.query(m.ForgetRequest).filter_by(conversation_id=sender).count() == 0
    assert assistant.user_texts(sender)
