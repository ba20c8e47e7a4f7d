"""Draft submissions over the REST channel against the real servers (the clock is 15 February 2024)."""
import re
import uuid

import pytest

from knowledge import proposals


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
    return re.search(r"KCN-\d{4}-[PD]-\d{4}-[A-Z0-9]", reply).group(0)


def test_an_english_demonstration_draft_from_buttons_to_summary(assistant, database):
    user = sender()
    asked = assistant.replies(user, "I want to apply, please start a draft")
    assert "Which track would you like to apply to?" in text(asked)
    asked = press(assistant, user, asked, "Overseas demonstration track")
    assert "Who is applying?" in text(asked)
    asked = press(assistant, user, asked, "A Korean company")
    assert "contact e-mail" in text(asked)
    reply = assistant.ask(user, "Lee@Example.com")
    code = code_in(reply)
    assert "name of the applying organization" in reply
    assert "country" in assistant.ask(user, "Smart Mobility Co.")
    assert "Did you mean Indonesia" in assistant.ask(user, "Indonsia")
    assert "city" in assistant.ask(user, "Vietnam")
    assert "title" in assistant.ask(user, "Hanoi")
    assert "partner institution" in assistant.ask(user, "Smart crossings for Hanoi")
    assert "commercialized in Korea" in assistant.ask(user, "Hanoi Department of Transport")
    summary = assistant.ask(user, "yes")
    assert summary.startswith(f"Draft {code} (overseas demonstration track):")
    assert "- overseas partner institution: Hanoi Department of Transport" in summary
    assert "To submit formally, send it to the secretariat" in summary
    saved = proposals.get(code)
    assert (saved.applicant_org, saved.country, saved.city, saved.commercialized_in_korea) == (
        "Smart Mobility Co.", "Vietnam", "Hanoi", True)
    assert saved.current.status == "draft"


def test_a_korean_company_is_steered_from_planning_to_demonstration_in_korean(assistant, database):
    user = sender()
    assistant.ask(user, "신청서 작성을 시작하고 싶어요")
    assert "신청하는 기관" in assistant.ask(user, "계획수립형")
    reply = assistant.replies(user, "한국 기업입니다")
    assert "계획수립형은(는) 해외 정부 또는 국제기구만 신청할 수 있습니다" in text(reply)
    assert [b["title"] for m in reply for b in m.get("buttons", [])] == ["해외실증형"]
    assert "이메일" in text(press(assistant, user, reply, "해외실증형"))
    assert "접수번호는" in assistant.ask(user, "kim@example.kr")
    # A name typed in Latin letters keeps the conversation in Korean.
    assert "국가" in assistant.ask(user, "Seoul Smart Solutions Inc.")
    assert "저장되어 있습니다" in assistant.ask(user, "취소")
    assert "2024년 3월 19일" in assistant.ask(user, "해외실증형 마감일이 언제예요?")


def test_an_interrupted_draft_is_continued_in_a_new_conversation(assistant, database):
    first = sender()
    assistant.ask(first, "start a new draft")
    assistant.replies(first, '/inform_track{"track": "planning"}')
    assistant.replies(first, '/inform_track{"applicant": "international_organization"}')
    code = code_in(assistant.ask(first, "planner@example.org"))
    assistant.ask(first, "Asian Cities Forum")
    assert "city" in assistant.ask(first, "Thailand")
    # The conversation ends here; a new one proves the draft by code and e-mail.
    second = sender()
    assert "reference code" in assistant.ask(second, "I want to continue my draft")
    assert "e-mail" in assistant.ask(second, code.lower().replace("-", " "))
    reply = assistant.ask(second, "planner@example.org")
    assert f"Let's continue draft {code}" in reply and "Which city" in reply
    assert "title" in assistant.ask(second, "Bangkok")
    summary = assistant.ask(second, "Bangkok smart mobility master plan")
    assert f"Draft {code} (planning track):" in summary and "- city: Bangkok" in summary
    assert proposals.get(code).title == "Bangkok smart mobility master plan"


def test_a_wrong_email_does_not_open_someone_elses_draft(assistant, database):
    owner = proposals.create_draft(2024, "planning", "owner@example.org", applicant_kind="foreign_government",
                                   title="Secret plan")
    user = sender()
    assistant.ask(user, "continue my draft")
    assistant.ask(user, owner.code)
    reply = assistant.ask(user, "intruder@example.org")
    assert "No proposal matches that code and e-mail address" in reply and "Secret plan" not in reply
    assert "stopped" in assistant.ask(user, "cancel")


def test_a_typed_no_answers_the_yes_no_question_instead_of_cancelling(assistant, database):
    user = sender()
    assistant.ask(user, "I want to apply to the demonstration track as a Korean company")
    code = code_in(assistant.ask(user, "ceo@example.com"))
    for answer in ("Smart Mobility Co.", "Vietnam", "Hanoi", "Smart crossings", "Hanoi DOT"):
        assistant.ask(user, answer)
    reply = assistant.ask(user, "no")
    assert "The solution must have been developed and commercialized in Korea." in reply
    assert "commercialized in Korea" in reply and proposals.get(code).commercialized_in_korea is False
    assert "is saved" in assistant.ask(user, "cancel")
