"""Draft submissions over the REST channel against the real servers (the clock is 15 February 2024); the
codes that confirm e-mail addresses are read from a real SMTP server on loopback (tests/conftest.py)."""
import re
import uuid

import pytest

from knowledge import proposals
from mail_standin import finish_proof


def sender():
    return f"draft-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def database(assistant, monkeypatch):
    """Lets the test read what the running assistant saved."""
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)


def press(assistant, user, messages, title):
    button = next(b for m in messages for b in m.get("buttons", []) if b["title"] == title)
    return assistant.replies(user, button["payload"])


def text(messages):
    return "\n".join(m.get("text", "") for m in messages)


def code_in(reply):
    """The reference code in a reply (today's format, or the first one)."""
    return re.search(r"KCN-\d{4}-[PD]-(?:[0-9A-Z]{4}-){3}[0-9A-Z]{4}|KCN-\d{4}-[PD]-\d{4}-[A-Z0-9]", reply).group(0)


def address():
    return f"lee-{uuid.uuid4().hex[:6]}@example.com"


def confirm(assistant, user, email, mailbox):
    """Types the e-mail, then the code mailed to it; returns the reply that opens the draft."""
    reply = assistant.ask(user, email)
    assert "6-digit code" in reply or "6자리 코드" in reply, reply
    assert proposals.drafts_of(email) == [], "nothing is saved before the address is confirmed"
    return assistant.ask(user, mailbox.code_for(email))


def test_an_english_demonstration_draft_from_buttons_to_summary(assistant, database, mailbox):
    user = sender()
    asked = assistant.replies(user, "I want to apply, please start a draft")
    assert "Which track would you like to apply to?" in text(asked)
    asked = press(assistant, user, asked, "Overseas demonstration track")
    assert "Who is applying?" in text(asked)
    asked = press(assistant, user, asked, "A Korean company")
    assert "contact e-mail" in text(asked)
    email = address()
    reply = confirm(assistant, user, email.replace("lee", "Lee"), mailbox)
    code = code_in(reply)
    assert "your e-mail is confirmed" in reply and "name of the applying organization" in reply
    assert "country" in assistant.ask(user, "Smart Mobility Co.")
    assert "Did you mean Indonesia" in assistant.ask(user, "Indonsia")
    assert "city" in assistant.ask(user, "Vietnam")
    assert "title" in assistant.ask(user, "Hanoi")
    assert "partner institution" in assistant.ask(user, "Smart crossings for Hanoi")
    assert "commercialized in Korea" in assistant.ask(user, "Hanoi Department of Transport")
    summary = assistant.ask(user, "yes")
    assert summary.startswith(f"Draft {code} (overseas demonstration track):")
    assert "- overseas partner institution: Hanoi Department of Transport" in summary
    assert f"- contact e-mail: {email}" in summary
    assert "To submit formally, send it to the secretariat" in summary
    saved = proposals.get(code)
    assert (saved.applicant_org, saved.country, saved.city, saved.commercialized_in_korea) == (
        "Smart Mobility Co.", "Vietnam", "Hanoi", True)
    assert saved.current.status == "draft"


def test_a_korean_company_is_steered_from_planning_to_demonstration_in_korean(assistant, database, mailbox):
    user = sender()
    assistant.ask(user, "신청서 작성을 시작하고 싶어요")
    assert "신청하는 기관" in assistant.ask(user, "계획수립형")
    reply = assistant.replies(user, "한국 기업입니다")
    assert "계획수립형은(는) 해외 정부 또는 국제기구만 신청할 수 있습니다" in text(reply)
    assert [b["title"] for m in reply for b in m.get("buttons", [])] == ["해외실증형"]
    assert "이메일" in text(press(assistant, user, reply, "해외실증형"))
    email = f"kim-{uuid.uuid4().hex[:6]}@example.kr"
    assert "6자리 코드를 보냈습니다" in assistant.ask(user, email)
    mail = mailbox.last_to(email)
    assert mail["Content-Language"] == "ko" and "새 제안서 초안의 담당자 이메일" in mail.get_body(("plain",)).get_content()
    assert "접수번호는" in assistant.ask(user, mailbox.code_for(email))
    # A name typed in Latin letters keeps the conversation in Korean.
    assert "국가" in assistant.ask(user, "Seoul Smart Solutions Inc.")
    assert "저장되어 있습니다" in assistant.ask(user, "취소")
    assert "2024년 3월 19일" in assistant.ask(user, "해외실증형 마감일이 언제예요?")


def test_an_interrupted_draft_is_continued_in_a_new_conversation(assistant, database, mailbox):
    first = sender()
    email = f"planner-{uuid.uuid4().hex[:6]}@example.org"
    assistant.ask(first, "start a new draft")
    assistant.replies(first, '/inform_track{"track": "planning"}')
    assistant.replies(first, '/inform_track{"applicant": "international_organization"}')
    code = code_in(confirm(assistant, first, email, mailbox))
    other = proposals.create_draft(2024, "planning", email, title="Another plan")
    assistant.ask(first, "Asian Cities Forum")
    assert "city" in assistant.ask(first, "Thailand")
    # The conversation ends here; a new one proves the draft by its code and a code mailed to its address.
    second = sender()
    assert "reference code" in assistant.ask(second, "I want to continue my draft")
    reply = assistant.ask(second, code.lower().replace("-", " "))
    assert "p•••@example.org" in reply and email not in reply
    assert f"to continue the draft proposal {code}" in mailbox.last_to(email).get_body(("plain",)).get_content()
    reply = finish_proof(assistant.ask, second, reply, email, mailbox)
    assert f"Let's continue draft {code}" in reply and f"Your other drafts under this e-mail: {other.code}" in reply
    assert "Which city" in reply
    assert "title" in assistant.ask(second, "Bangkok")
    summary = assistant.ask(second, "Bangkok smart mobility master plan")
    assert f"Draft {code} (planning track):" in summary and "- city: Bangkok" in summary
    assert proposals.get(code).title == "Bangkok smart mobility master plan"


def test_an_unproved_address_lists_nothing_and_opens_nothing(assistant, database, mailbox):
    """Anyone could open a draft with someone else's address, then "continue my draft" listed and opened
    that person's other drafts (issue 15)."""
    owner_email = f"owner-{uuid.uuid4().hex[:6]}@example.org"
    owner = proposals.create_draft(2024, "planning", owner_email, applicant_kind="foreign_government",
                                   title="Secret plan", applicant_org="Secret City")
    user = sender()
    assistant.ask(user, "I want to apply to the planning track as a city government")
    reply = assistant.ask(user, owner_email)
    assert "6-digit code" in reply and mailbox.count(owner_email) == 1
    assert "is not the code" in assistant.ask(user, "123")
    assert "Nothing had been saved yet" in assistant.ask(user, "cancel")
    assert [p.code for p in proposals.drafts_of(owner_email)] == [owner.code], "nothing saved under that address"
    replies = [assistant.ask(user, "continue my draft")]
    assert "reference code" in replies[-1]
    replies.append(assistant.ask(user, owner.code))
    assert "o•••@example.org" in replies[-1]
    replies.append(assistant.ask(user, "000000"))
    assert "not right" in replies[-1]
    replies.append(assistant.ask(user, "cancel"))
    seen = "\n".join(replies)
    assert "Secret plan" not in seen and "Secret City" not in seen and "Let's continue" not in seen
    assert owner_email not in seen


def test_a_typed_no_answers_the_yes_no_question_instead_of_cancelling(assistant, database, mailbox):
    user = sender()
    assistant.ask(user, "I want to apply to the demonstration track as a Korean company")
    code = code_in(confirm(assistant, user, f"ceo-{uuid.uuid4().hex[:6]}@example.com", mailbox))
    for answer in ("Smart Mobility Co.", "Vietnam", "Hanoi", "Smart crossings", "Hanoi DOT"):
        assistant.ask(user, answer)
    reply = assistant.ask(user, "no")
    assert "The solution must have been developed and commercialized in Korea." in reply
    assert "commercialized in Korea" in reply and proposals.get(code).commercialized_in_korea is False
    assert "is saved" in assistant.ask(user, "cancel")


def test_reminders_of_the_deadline_are_set_for_the_saved_draft_and_stopped(assistant, database, mailbox):
    user = sender()
    assert "no draft in this conversation" in assistant.ask(user, "please remind me before the deadline")
    asked = assistant.replies(user, "start a draft for the overseas demonstration track")
    if "Who is applying?" not in text(asked):
        asked = press(assistant, user, asked, "Overseas demonstration track")
    press(assistant, user, asked, "A Korean company")
    email = address()
    code = code_in(confirm(assistant, user, email, mailbox))
    assistant.ask(user, "stop")  # the form stops; the saved draft stays
    reply = assistant.ask(user, "could you send me a reminder before submissions close?")
    # The clock says 15 February 2024; the track closes on 19 March 2024; KCN_REMINDER_DAYS is "7 1".
    assert f"I will remind you about your draft {code} before the overseas demonstration track deadline " \
           "(19 March 2024), on 12 March 2024 and 18 March 2024: by e-mail to l•••@example.com" in reply, reply
    assert f"Deadline reminders stopped ({code})" in assistant.ask(user, "no more reminders please")
    assert "no deadline reminders to stop" in assistant.ask(user, "stop the reminders")
