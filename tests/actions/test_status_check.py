"""The status check form's validators and the status answer, in both languages, with bad input."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.status_check import ActionShowProposalStatus, ValidateStatusCheckForm
from knowledge import proposals

CODE, EMAIL = "KCN-2024-P-2401-J", "planning.demo@example.org"


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()


def tracker(lang="en", sender="applicant-1", text="", **slots):
    return Tracker(sender, {"language": lang, **slots}, {"text": text, "intent": {"name": "check_status"}, "entities": []},
                   [], False, None, {"name": "status_check_form"}, "")


def validate(slot, value, lang="en", sender="applicant-1", **slots):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateStatusCheckForm(), f"validate_{slot}")
    result = method(value, dispatcher, tracker(lang, sender, **slots), {})
    return result, " ".join(m["text"] for m in dispatcher.messages)


def show(lang="en", **slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionShowProposalStatus().run(dispatcher, tracker(lang, **slots), {}))
    return dispatcher.messages[0]["text"], events


@pytest.mark.parametrize("typed", ["kcn-2024-p-2401-j", "KCN 2024 P 2401 J", "my code is kcn2024p2401j"])
def test_codes_in_any_case_or_spacing_are_accepted(demo, typed):
    assert validate("reference_code", typed) == ({"reference_code": CODE}, "")


@pytest.mark.parametrize("typed", ["12345", "KCN-2024-P-2401-X", "'; DROP TABLE proposal; --", "<script>alert(1)</script>"])
def test_malformed_codes_are_asked_again_with_the_reason(demo, typed):
    result, said = validate("reference_code", typed)
    assert result == {"reference_code": None}
    assert "is not a reference code. Codes look like KCN-2024-P-1234-X" in said
    result, said = validate("reference_code", typed, lang="ko")
    assert "접수번호 형식이 아닙니다" in said


def test_an_over_long_value_is_echoed_shortened(demo):
    _, said = validate("reference_code", "x" * 10_000)
    assert len(said) < 200 and "…" in said


def test_a_malformed_email_is_asked_again(demo):
    result, said = validate("contact_email", "planning.demo-at-example.org", reference_code=CODE)
    assert result == {"contact_email": None} and "is not an e-mail address" in said


def test_the_right_email_verifies_the_proposal(demo):
    result, said = validate("contact_email", " Planning.Demo@Example.org ", reference_code=CODE)
    assert result == {"contact_email": EMAIL, "verified_code": CODE} and said == ""


def test_wrong_email_and_unknown_code_get_the_same_answer(demo):
    wrong, said_wrong = validate("contact_email", "someone@example.org", reference_code=CODE, sender="a")
    unknown, said_unknown = validate("contact_email", EMAIL, reference_code="KCN-2024-P-9999-A", sender="b")
    assert wrong == unknown == {"reference_code": None, "contact_email": None}
    assert said_wrong == said_unknown == "No proposal matches that code and e-mail address. Please check both and try again (4 tries left)."


def test_five_failures_lock_the_conversation_and_the_status_answer_says_so(demo):
    for _ in range(4):
        validate("contact_email", "wrong@example.org", reference_code=CODE, lang="ko", sender="guesser")
    result, _ = validate("contact_email", "wrong@example.org", reference_code=CODE, lang="ko", sender="guesser")
    assert result["status_check_locked_until"]
    # The next try, even with a well-formed code, is refused before any lookup.
    again, _ = validate("reference_code", CODE, lang="ko", sender="guesser")
    assert again["status_check_locked_until"] == result["status_check_locked_until"]
    text, events = show("ko", status_check_locked_until=result["status_check_locked_until"])
    assert "보안을 위해" in text and "상태 조회를 할 수 없습니다" in text
    assert all(e["value"] is None for e in events), "the form's slots are cleared"


def test_a_verified_planning_proposal_shows_status_meaning_and_next_step(demo, today):
    today("2024-03-25")
    text, _ = show("en", verified_code=CODE)
    assert text.startswith("KCN-2024-P-2401-J (planning track, Smart-city master plan for Demoville (sample)): in pre-consulting since 20 March 2024.")
    assert "verifying the project's feasibility" in text
    assert "Note from the secretariat: Pre-consulting started." in text
    assert "final selection is planned for June 2024" in text
    ko, _ = show("ko", verified_code=CODE)
    assert "'사전 컨설팅 중' 상태입니다" in ko and "2024년 6월 중 최종 선정 예정입니다" in ko


def test_a_selected_proposal_is_told_who_contacts_them(demo):
    text, _ = show("en", verified_code="KCN-2024-D-2403-L")
    assert "selected since 26 April 2024" in text
    assert "Korea Agency for Infrastructure Technology Advancement (KAIA), will contact you" in text


def test_a_changed_status_is_the_next_answer(demo):
    proposals.set_status(CODE, "selected", note="Congratulations")
    text, _ = show("en", verified_code=CODE)
    assert "selected since" in text and "Congratulations" in text
