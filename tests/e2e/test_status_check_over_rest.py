"""Status checks over the REST channel against the real servers: the reference code, then the code the
assistant mails to the address on file (received here by a real SMTP server on loopback, tests/conftest.py)."""
import re
import uuid

import pytest

from knowledge import proposals, reference_codes
from mail_standin import code_in, finish_proof


def sender():
    return f"status-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def proposal(assistant, mailbox, monkeypatch):
    """A proposal under review in the running assistant's database, with an address of its own."""
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    address = f"owner-{uuid.uuid4().hex[:6]}@example.org"
    draft = proposals.create_draft(2024, "demonstration", address, applicant_kind="korean_company", title="Smart crossings")
    proposals.set_status(draft.code, "under_review", note="Documents complete")
    # The status news the notification worker mails (tests/e2e/test_status_news.py), out of the way
    # before the test reads the mails it causes.
    assert "News about your K-City Network proposal" in mailbox.last_to(address, timeout=30)["Subject"]
    return draft.code, address


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** 6:06d}"


def test_an_english_status_check_from_question_to_answer(assistant, mailbox, proposal):
    code, address = proposal
    user = sender()
    assert "reference code" in assistant.ask(user, "Where is my proposal?")
    reply = assistant.ask(user, code.lower().replace("-", " "))
    assert f"I've sent a 6-digit code to o•••@example.org" in reply and "type the 6-digit code" in reply
    assert address not in reply, "the address on file is only shown masked"
    mail = mailbox.last_to(address)
    assert mail.get_content_type() == "multipart/alternative" and mail["Content-Language"] == "en"
    assert f"the status of proposal {code}" in mail.get_body(("plain",)).get_content()
    reply = assistant.ask(user, code_in(mail))
    assert code in reply and "under review since" in reply and "Note from the secretariat: Documents complete" in reply


def test_a_korean_check_with_the_code_in_the_first_message_gets_a_korean_mail(assistant, mailbox):
    user = sender()
    reply = assistant.ask(user, "KCN-2024-P-2401-J 제 제안서 진행 상황 알려주세요")
    assert "p•••@example.org" in reply
    reply = finish_proof(assistant.ask, user, reply, "planning.demo@example.org", mailbox)
    assert "'사전 컨설팅 중' 상태입니다" in reply
    mail = mailbox.last_to("planning.demo@example.org")
    assert mail["Subject"] == "K-City Network 본인 확인 코드" and mail["Content-Language"] == "ko"
    assert '<html lang="ko">' in mail.get_body(("html",)).get_content()


def test_wrong_codes_use_the_code_up_and_resend_gives_a_new_one(assistant, mailbox, proposal):
    code, address = proposal
    user = sender()
    assistant.ask(user, "check my application status")
    assistant.ask(user, code)
    right = mailbox.code_for(address)
    for left in (4, 3, 2, 1):
        assert f"({left} tries left for this code)" in assistant.ask(user, other_code(right))
    assert "this code no longer works" in assistant.ask(user, other_code(right))
    assert "this code no longer works" in assistant.ask(user, right), "not even the right one, once used up"
    assert "is not the code" in assistant.ask(user, "my code is lost")
    reply = assistant.ask(user, "resend")
    assert "I've sent a new code to o•••@example.org" in reply
    reply = assistant.ask(user, mailbox.code_for(address))
    assert "under review since" in reply
    # Single use: the same code starts nothing again; a new check needs a new code.
    assistant.ask(user, "check my application status")
    assert "6-digit code" in assistant.ask(user, code)
    assert "stopped the status check" in assistant.ask(user, "cancel")


def test_a_flood_of_wrong_codes_and_e_mails_does_not_stop_the_owner(assistant, mailbox, proposal):
    """Ten wrong e-mails used to lock a known reference code for everyone, again and again (issue 15)."""
    code, address = proposal
    for attempt in range(12):
        stranger = sender()
        assistant.ask(stranger, "check my application status")
        reply = assistant.ask(stranger, code)
        if "full contact e-mail" in reply:
            for guess in range(5):
                reply = assistant.ask(stranger, f"guess{attempt}.{guess}@example.org")
            assert "paused until" in reply
        else:
            for _ in range(5):
                reply = assistant.ask(stranger, "000000")
            assert "no longer works" in reply or "not right" in reply
    assert mailbox.count(address) == 1 + 3, "no more mails than the news and the three codes that made the address ask for itself"
    owner = sender()
    assistant.ask(owner, "제 제안서 상태 조회하고 싶어요")
    reply = assistant.ask(owner, code)
    assert "o•••@example.org(으)로 코드가 여러 번 발송되었습니다" in reply
    reply = finish_proof(assistant.ask, owner, reply, address, mailbox)
    assert "평가 중" in reply and code in reply


def test_unknown_codes_lock_only_the_conversation_that_tried_them(assistant, mailbox, proposal):
    code, address = proposal
    user = sender()
    assistant.ask(user, "check my application status")
    for left in (4, 3, 2, 1):
        reply = assistant.ask(user, reference_codes.new_code(2024, "demonstration"))
        assert f"I find no proposal with the reference code" in reply and f"({left} tries left)" in reply
    assert "paused until" in assistant.ask(user, reference_codes.new_code(2024, "planning"))
    assistant.ask(user, "check my application status")
    reply = assistant.ask(user, code)
    assert "paused until" in reply and "6-digit" not in reply
    # Another conversation, the owner's, is not affected.
    other = sender()
    assistant.ask(other, "check my application status")
    assert "under review" in finish_proof(assistant.ask, other, assistant.ask(other, code), address, mailbox)


def test_cancelling_halfway_returns_to_questions(assistant, mailbox, proposal):
    code, address = proposal
    user = sender()
    assistant.ask(user, "제 제안서 상태 조회하고 싶어요")
    assert "취소했습니다" in assistant.ask(user, "취소")
    assert "2024년 3월 19일" in assistant.ask(user, "해외실증형 마감일이 언제예요?")
    # Also while the mailed code is awaited: that code then no longer works.
    assistant.ask(user, "check my application status")
    assistant.ask(user, code)
    mailed = mailbox.code_for(address)
    assert "stopped the status check" in assistant.ask(user, "cancel")
    assistant.ask(user, "check my application status")
    assert re.search(r"sent a 6-digit code", assistant.ask(user, code))
    if mailbox.code_for(address) != mailed:
        assert "not right" in assistant.ask(user, mailed)
