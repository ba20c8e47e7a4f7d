"""The helpdesk queue: one officer at a time, and a record of every handoff."""
import pytest

from knowledge import handoffs


def test_asking_twice_queues_once(knowledge_db):
    first = handoffs.request("web-1", "socketio", "ko")
    assert handoffs.request("web-1", "socketio", "ko").id == first.id
    assert [h.conversation_id for h in handoffs.queue()] == ["web-1"] and first.status == "waiting"


def test_one_officer_at_a_time(knowledge_db):
    h = handoffs.request("telegram-1", "telegram", "en")
    assert handoffs.claim(h.id, "kim").status == "active"
    assert handoffs.claim(h.id, "kim").claimed_by == "kim", "claiming again is harmless"
    with pytest.raises(handoffs.HandoffError, match="kim is already answering"):
        handoffs.claim(h.id, "lee")
    with pytest.raises(handoffs.HandoffError, match="claim the conversation"):
        handoffs.check_owner(h.id, "lee")
    with pytest.raises(handoffs.HandoffError, match="kim is answering"):
        handoffs.end(h.id, "lee", "closed")


def test_handing_back_ends_the_handoff_and_is_reported(knowledge_db):
    h = handoffs.request("telegram-2", "telegram", "en", reason="not_understood")
    handoffs.claim(h.id, "kim")
    handoffs.add_note(h.id, "kim", "Asked about co-financing; sent the KAIA contact.")
    done = handoffs.end(h.id, "kim", "returned")
    assert done.status == "returned" and done.ended_by == "kim" and done.ended_at
    assert handoffs.queue() == []
    [reported] = handoffs.report()
    assert (reported.reason, reported.claimed_by, reported.notes[0].body) == (
        "not_understood", "kim", "Asked about co-financing; sent the KAIA contact.")
    with pytest.raises(handoffs.HandoffError, match="no longer with the helpdesk"):
        handoffs.claim(h.id, "kim")


def test_an_applicant_going_back_to_the_bot_ends_a_waiting_handoff(knowledge_db):
    handoffs.request("web-3", "socketio", "ko")
    assert handoffs.end_open("web-3", by="applicant").status == "returned"
    assert handoffs.end_open("web-3", by="applicant") is None


@pytest.mark.parametrize("body,reason", [("   ", "cannot be empty"), ("x" * 2001, "at most 2000")])
def test_bad_notes_are_refused(knowledge_db, body, reason):
    h = handoffs.request("web-4", "socketio", "en")
    with pytest.raises(handoffs.HandoffError, match=reason):
        handoffs.add_note(h.id, "kim", body)
