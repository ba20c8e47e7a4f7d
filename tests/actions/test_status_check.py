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


def test_a_locked_conversation_is_told_so_and_the_check_forgotten(demo):
    # The proof's lock-out completes the form with the time it ends (test_applicant_proof).
    text, events = show("ko", status_check_locked_until="2024-02-15T10:45:00", verified_code=CODE)
    assert "보안을 위해" in text and "상태 조회를 할 수 없습니다" in text and "10:45" in text
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
