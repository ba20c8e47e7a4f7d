"""bot/server/stores/tracker_store.py: conversations kept in memory between messages read exactly as Rasa's SQL store reads them."""
import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.server.stores.tracker_store import ConversationStore

DOMAIN = Domain.from_yaml("""
version: '3.1'
intents: [greet, check_status]
slots:
  language: {type: text, mappings: [{type: custom}]}
  proposal_code: {type: text, mappings: [{type: custom}]}
""")


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "tracker.db")


def store(db, **kwargs) -> ConversationStore:
    return ConversationStore(DOMAIN, dialect="sqlite", db=db, **kwargs)


def rasas_store(db) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)


def user(text, intent, **entities):
    return UserUttered(text, {"name": intent, "confidence": 0.97},
                       [{"entity": k, "value": v, "start": 0, "end": 1} for k, v in entities.items()],
                       parse_data={"text": text, "intent": {"name": intent, "confidence": 0.97},
                                   "intent_ranking": [{"name": intent, "confidence": 0.97}]})


def first_turn(sender="applicant"):
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        user("안녕하세요", "greet"), SlotSet("language", "ko"), BotUttered("안녕하세요!"), ActionExecuted("action_listen")],
        DOMAIN.slots)


def next_turn(tracker, text="신청 현황을 알고 싶어요"):
    for e in (user(text, "check_status"), ActionExecuted("status_check_form"), ActiveLoop("status_check_form"),
              SlotSet("requested_slot", "proposal_code"), BotUttered("접수 번호를 알려 주세요."), ActionExecuted("action_listen")):
        tracker.update(e)


def state(tracker):
    return tracker.current_state(EventVerbosity.ALL)


def test_a_kept_conversation_is_what_rasas_store_reads_from_the_database(db):
    ours = store(db)
    tracker = run(ours.get_or_create_tracker("applicant"))
    for e in first_turn().events:
        tracker.update(e)
    run(ours.save(tracker))
    written = len(tracker.events)
    for text in ("신청 현황을 알고 싶어요", "KCN-2024-0001-X", "정정희@example.org"):
        tracker = run(ours.retrieve("applicant"))
        next_turn(tracker, text)
        run(ours.save(tracker))
        kept = ours._kept["applicant"].tracker
        assert state(kept) == state(run(rasas_store(db).retrieve("applicant")))
    assert ours.kept_conversations() == ["applicant"]
    with sqlite3.connect(db) as connection:  # one row per event, none written twice
        assert connection.execute("SELECT count(*) FROM events WHERE sender_id = 'applicant'").fetchone()[0] == written + 3 * 6


def test_a_conversation_rasas_store_wrote_is_read_and_continued(db):
    run(rasas_store(db).save(first_turn()))
    ours = store(db)
    tracker = run(ours.retrieve("applicant"))
    assert state(tracker) == state(run(rasas_store(db).retrieve("applicant")))
    next_turn(tracker)
    run(ours.save(tracker))
    assert len(run(rasas_store(db).retrieve("applicant")).events) == len(tracker.events)


def test_what_another_server_adds_is_read_from_the_database(db):
    server_a, server_b = store(db), store(db)
    run(server_a.save(first_turn()))
    run(server_a.save(run(server_a.retrieve("applicant"))))  # now kept by A
    on_b = run(server_b.retrieve("applicant"))
    next_turn(on_b, "B가 받은 메시지")
    run(server_b.save(on_b))
    on_a = run(server_a.retrieve("applicant"))
    assert on_a is not on_b
    assert "B가 받은 메시지" in [e.text for e in on_a.events if isinstance(e, UserUttered)]
    assert state(on_a) == state(on_b)


def test_a_second_reader_during_a_turn_gets_its_own_copy(db):
    ours = store(db)
    run(ours.save(first_turn()))
    run(ours.save(run(ours.retrieve("applicant"))))
    holder = run(ours.retrieve("applicant"))
    next_turn(holder)  # not saved yet
    reader = run(ours.retrieve("applicant"))
    assert reader is not holder
    assert len(reader.events) == len(holder.events) - 6
    run(ours.save(holder))
    assert len(run(ours.retrieve("applicant")).events) == len(holder.events)


def test_changes_made_without_a_save_are_never_served(db):
    ours = store(db)
    run(ours.save(first_turn()))
    tracker = run(ours.retrieve("applicant"))
    run(ours.save(tracker))
    tracker.update(SlotSet("proposal_code", "not saved"))  # changed by its holder after the save
    assert run(ours.retrieve("applicant")).get_slot("proposal_code") is None


def test_a_failed_save_keeps_nothing(db, monkeypatch):
    ours = store(db)
    run(ours.save(first_turn()))
    tracker = run(ours.retrieve("applicant"))
    next_turn(tracker)

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ours, "session_scope", broken)
    with pytest.raises(RuntimeError):
        run(ours.save(tracker))
    monkeypatch.undo()
    again = run(ours.retrieve("applicant"))
    assert again is not tracker and state(again) == state(run(rasas_store(db).retrieve("applicant")))
    assert "신청 현황을 알고 싶어요" not in [e.text for e in again.events if isinstance(e, UserUttered)]


def test_a_new_session_is_read_from_the_database_as_rasa_reads_it(db):
    ours = store(db)
    run(ours.save(first_turn()))
    tracker = run(ours.retrieve("applicant"))
    for e in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(e)
    run(ours.save(tracker))
    assert ours.kept_conversations() == []
    assert state(run(ours.retrieve("applicant"))) == state(run(rasas_store(db).retrieve("applicant")))


def test_memory_holds_at_most_its_capacity_least_recently_used_out_first(db):
    ours = store(db, capacity=2)
    for sender in ("a", "b", "c"):
        run(ours.save(first_turn(sender)))
        run(ours.save(run(ours.retrieve(sender))))
    assert ours.kept_conversations() == ["b", "c"]
    run(ours.retrieve("b"))
    assert ours.kept_conversations() == ["c", "b"]
    assert run(ours.retrieve("a")).sender_id == "a"  # still in the database


def test_the_sqlite_file_is_in_wal_mode(db):
    store(db)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
