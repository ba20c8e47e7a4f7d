"""The applicant's proof (reference code, then e-mail) as both forms that ask for it validate it."""
import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.applicant_proof import locked_message
from actions.drafts.lifecycle import ValidateDraftAccessForm
from actions.status_check import ValidateStatusCheckForm
from knowledge import proposals
from trackers import make_tracker

CODE, EMAIL = "KCN-2024-P-2401-J", "planning.demo@example.org"


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()


def validate(slot, value, lang="en", sender="applicant-1", form=ValidateStatusCheckForm, **slots):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender=sender, lang=lang, slots=slots, intent="check_status", form=form().form_name())
    result = getattr(form(), f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, " ".join(m["text"] for m in dispatcher.messages)


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


@pytest.mark.parametrize("form", [ValidateStatusCheckForm, ValidateDraftAccessForm])
def test_the_right_email_verifies_the_proposal(demo, form):
    result, said = validate("contact_email", " Planning.Demo@Example.org ", reference_code=CODE, form=form)
    assert result == {"contact_email": EMAIL, "verified_code": CODE} and said == ""


def test_wrong_email_and_unknown_code_get_the_same_answer(demo):
    wrong, said_wrong = validate("contact_email", "someone@example.org", reference_code=CODE, sender="a")
    unknown, said_unknown = validate("contact_email", EMAIL, reference_code="KCN-2024-P-9999-A", sender="b")
    assert wrong == unknown == {"reference_code": None, "contact_email": None}
    assert said_wrong == said_unknown == "No proposal matches that code and e-mail address. Please check both and try again (4 tries left)."


def test_five_failures_lock_the_conversation_in_either_form(demo):
    for _ in range(4):
        validate("contact_email", "wrong@example.org", reference_code=CODE, lang="ko", sender="guesser")
    result, _ = validate("contact_email", "wrong@example.org", reference_code=CODE, lang="ko", sender="guesser")
    assert result["status_check_locked_until"]
    # The next try, even with a well-formed code, is refused before any lookup.
    again, _ = validate("reference_code", CODE, lang="ko", sender="guesser", form=ValidateDraftAccessForm)
    assert again["status_check_locked_until"] == result["status_check_locked_until"]
    text = locked_message(result["status_check_locked_until"], "ko")
    assert "보안을 위해" in text and "상태 조회를 할 수 없습니다" in text


def test_a_database_outage_is_apologized_for_and_the_code_asked_again(demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    result, said = validate("reference_code", CODE, lang="ko")
    assert result == {"reference_code": None}
    assert said == "죄송합니다. 지금은 공모 정보를 불러올 수 없습니다. 잠시 후 다시 물어봐 주세요."
