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
    done = handoffs.applicant_returned("web-3")
    assert (done.status, done.ended_by) == ("returned", handoffs.APPLICANT)
    assert handoffs.applicant_returned("web-3") is None


def test_the_applicant_leaves_even_a_claimed_handoff(knowledge_db):
    h = handoffs.request("web-5", "socketio", "en")
    handoffs.claim(h.id, "kim")
    assert handoffs.applicant_returned("web-5").status == "returned"


def test_no_officer_passes_for_the_applicant(knowledge_db):
    """The console's steps used to let an actor named "applicant" end someone else's handoff."""
    h = handoffs.request("telegram-6", "telegram", "en")
    handoffs.claim(h.id, "kim")
    for step in (lambda: handoffs.end(h.id, handoffs.APPLICANT, "closed"), lambda: handoffs.claim(h.id, "applicant"),
                 lambda: handoffs.add_note(h.id, "applicant", "hi"), lambda: handoffs.check_owner(h.id, "applicant")):
        with pytest.raises(handoffs.HandoffError, match="only a helpdesk officer"):
            step()
    assert handoffs.get(h.id).status == "active"


def test_only_the_officer_answering_adds_notes(knowledge_db):
    h = handoffs.request("telegram-7", "telegram", "en")
    with pytest.raises(handoffs.HandoffError, match="claim the conversation before adding a note"):
        handoffs.add_note(h.id, "kim", "waiting; nobody has it yet")
    handoffs.claim(h.id, "kim")
    with pytest.raises(handoffs.HandoffError, match="claim the conversation before adding a note"):
        handoffs.add_note(h.id, "lee", "a note on kim's conversation")
    assert [n.author for n in handoffs.add_note(h.id, "kim", "Sent the KAIA contact.").notes] == ["kim"]
    handoffs.end(h.id, "kim", "returned")
    with pytest.raises(handoffs.HandoffError, match="claim the conversation before adding a note"):
        handoffs.add_note(h.id, "kim", "after the handoff ended")


def test_the_console_reads_only_conversations_handed_to_the_helpdesk(knowledge_db):
    assert not handoffs.visible_to("web-never-handed-over", "kim", past_too=True)
    h = handoffs.request("telegram-8", "telegram", "en")
    assert handoffs.visible_to("telegram-8", "kim") and handoffs.visible_to("telegram-8", "lee")
    handoffs.claim(h.id, "kim")
    handoffs.end(h.id, "kim", "returned")
    assert handoffs.visible_to("telegram-8", "kim"), "the officer who answered it"
    assert not handoffs.visible_to("telegram-8", "lee"), "not another officer, once it is back with the bot"
    assert handoffs.visible_to("telegram-8", "root", past_too=True), "an admin reviewing past handoffs"


@pytest.mark.parametrize("body,reason", [("   ", "cannot be empty"), ("x" * 2001, "at most 2000")])
def test_bad_notes_are_refused(knowledge_db, body, reason):
    h = handoffs.request("web-4", "socketio", "en")
    with pytest.raises(handoffs.HandoffError, match=reason):
        handoffs.add_note(h.id, "kim", body)


def test_past_handoffs_are_found_by_words_and_days_only_by_whoever_may_read_them(knowledge_db):
    import datetime

    water = handoffs.request("telegram-501", "telegram", "en")
    handoffs.claim(water.id, "kim")
    handoffs.add_note(water.id, "kim", "Smart WATER metering; 100% of the city, KAIA to follow up")
    handoffs.end(water.id, "kim", "returned")
    bus = handoffs.request("web-" + "b" * 32, "socketio", "ko")
    handoffs.claim(bus.id, "lee")
    handoffs.add_note(bus.id, "lee", "버스 정보 시스템 문의")

    assert [h.id for h in handoffs.search("kim", "water")] == [water.id]  # any case, in a note
    assert [h.id for h in handoffs.search("kim", "telegram-501")] == [water.id]  # the conversation id
    assert handoffs.search("lee", "water") == []  # another officer's conversation is not theirs to read
    assert [h.id for h in handoffs.search("root", "water", past_too=True)] == [water.id]  # an admin's review
    assert [h.id for h in handoffs.search("lee", "버스")] == [bus.id]
    assert [h.id for h in handoffs.search("root", "", past_too=True)] == [bus.id, water.id]  # newest first
    assert handoffs.search("kim", "100%") and handoffs.search("kim", "1_0") == []  # typed words, not patterns
    today = datetime.datetime.now(datetime.timezone.utc).date()
    assert handoffs.search("kim", since=today, until=today) and handoffs.search("kim", until=today - datetime.timedelta(days=1)) == []
