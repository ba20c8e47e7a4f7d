"""An applicant's conversation deleted on request: asked of the assistant itself (confirmed first,
in a form too, which ends with it) and done by the running notification worker within seconds, or entered by the
secretariat with the command line and done by the retention job; the next message starts a new
conversation, and other conversations stay."""
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from test_admin import secretariat  # noqa: F401  (staff accounts, DATABASE_URL the assistant's)
from test_helpdesk_api import log_in

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


def said(assistant, sender):
    return [e for e in assistant.tracker(sender)["events"] if e["event"] in ("user", "bot")]


def wait_until_deleted(assistant, sender, seconds=60):
    """The notification worker (KCN_NOTIFY_INTERVAL, 5 s) deletes it a few seconds after the request."""
    deadline = time.monotonic() + seconds
    while said(assistant, sender) and time.monotonic() < deadline:
        time.sleep(1)
    return said(assistant, sender) == []


def test_an_applicant_asks_the_assistant_to_delete_the_conversation(assistant, secretariat):  # noqa: F811
    sender, other = f"self-forget-{uuid.uuid4().hex[:8]}", f"self-keep-{uuid.uuid4().hex[:8]}"
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track? We are Da Nang.")
    assistant.ask(other, "How much funding does a demonstration project get?")

    [offer] = assistant.replies(sender, "Please delete this conversation and everything I wrote.")
    assert "cannot be brought back" in offer["text"] and "Proposals you submitted" in offer["text"]
    assert [b["title"] for b in offer["buttons"]] == ["Delete this conversation"]
    time.sleep(retention.SETTLED + 6)  # longer than the worker needs to act on a request
    assert "Da Nang" in " ".join(assistant.user_texts(sender)), "nothing is deleted before the applicant confirms"

    assert "will be deleted within a minute" in assistant.ask(sender, offer["buttons"][0]["payload"])
    assert wait_until_deleted(assistant, sender), "the conversation is deleted within a minute"
    assert assistant.user_texts(other), "another conversation is kept"
    with session_scope() as session:
        [request] = session.query(m.ForgetRequest).filter_by(conversation_id=sender).all()
        assert request.done_at is not None
        assert session.query(m.RetentionRun).filter(m.RetentionRun.requests >= 1).count() >= 1
    assert "19 March 2024" in assistant.ask(sender, "When is the deadline for the demonstration track?")
    assert len(assistant.user_texts(sender)) == 1, "writing again starts a new conversation"
    # The secretariat sees the run on the admin page.
    session, _ = log_in(assistant, "park")
    runs = session.get(f"{assistant.web_url}/admin", timeout=30).text.split("Conversations deleted (retention)")[-1]
    assert re.search(r"<td>\d+</td><td>\d+</td><td>\d+</td><td>[1-9]\d*</td></tr>", runs)


def test_asked_in_korean_during_a_form_which_ends_with_the_conversation(assistant):
    sender = f"self-forget-ko-{uuid.uuid4().hex[:8]}"
    asked = assistant.ask(sender, "제 제안서 진행 상황 알려주세요")
    assert "접수번호" in asked
    [offer] = assistant.replies(sender, "이 대화 기록 삭제해 주세요")
    assert "이 대화를 삭제할까요?" in offer["text"] and offer["buttons"][0]["title"] == "대화 삭제"
    assert "삭제 요청을 접수했습니다" in assistant.ask(sender, offer["buttons"][0]["payload"])
    assert wait_until_deleted(assistant, sender)
    assert "접수번호" not in assistant.ask(sender, "안녕하세요"), "the form ended with the conversation"
