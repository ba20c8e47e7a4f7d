"""The status answer for a proved proposal, in both languages; the proof itself is in test_applicant_proof."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.status_check import ActionShowProposalStatus
from knowledge import proposals
from trackers import make_tracker

CODE = "KCN-2024-P-2401-J"


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()


def show(lang="en", **slots):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="applicant-1", lang=lang, slots=slots, intent="check_status", form="status_check_form")
    events = asyncio.run(ActionShowProposalStatus().run(dispatcher, tracker, {}))
    return dispatcher.messages[0]["text"], events


def test_a_proof_that_could_not_go_on_says_nothing_more_and_is_forgotten(demo):
    # The proof's validators said why (lock-out, a mail limit, no mail server: test_applicant_proof).
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="applicant-1", slots={"proof_refused": True, "reference_code": "-"},
                           intent="check_status", form="status_check_form")
    events = asyncio.run(ActionShowProposalStatus().run(dispatcher, tracker, {}))
    assert dispatcher.messages == []
    assert all(e["value"] is None for e in events), "the form's slots are cleared"


def test_stopping_a_check_forgets_the_mailed_code(demo, mailbox):
    from actions.applicant_proof import PASSED
    from actions.status_check import ActionResetStatusCheck, ValidateStatusCheckForm

    tracker = make_tracker(sender="stopper", text=CODE, form="status_check_form")
    asyncio.run(ValidateStatusCheckForm().validate_reference_code(CODE, CollectingDispatcher(), tracker, {}))
    code = mailbox.code_for("planning.demo@example.org")
    asyncio.run(ActionResetStatusCheck().run(CollectingDispatcher(), tracker, {}))
    again = make_tracker(sender="stopper", slots={"reference_code": CODE, "contact_email": PASSED}, text=code,
                         form="status_check_form")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateStatusCheckForm().validate_proof_code(code, dispatcher, again, {}))
    assert result == {"proof_code": None} and "no code waiting" in dispatcher.messages[0]["text"]


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
