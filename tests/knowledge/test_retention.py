"""The retention job on a tracker store Rasa's SQLTrackerStore wrote: conversations silent past
the secretariat's period go, with their handoffs and notes; newer ones and the day counts stay;
every run is recorded."""
import asyncio
import datetime

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge import handoffs, insights, retention, transfer
from knowledge import tables as m
from knowledge.db import session_scope

NOW = datetime.datetime(2026, 12, 8, 3, 0)


@pytest.fixture
def store(tmp_path):
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))

    def write(sender, days_ago):
        at = (NOW - datetime.timedelta(days=days_ago)).replace(tzinfo=datetime.timezone.utc).timestamp()
        tracker = DialogueStateTracker(sender, [])
        for event in (UserUttered("마감이 언제예요?", {"name": "ask_deadline"}, timestamp=at),
                      ActionExecuted("action_answer_deadline", timestamp=at + 1)):
            tracker.update(event)
        asyncio.run(store.save(tracker))

    store.write = write
    return store


def senders(store):
    return set(asyncio.run(store.keys()))


def test_conversations_silent_past_the_period_are_deleted_and_the_run_recorded(knowledge_db, store):
    store.write("telegram-1", days_ago=400)
    store.write("telegram-2", days_ago=10)
    old = handoffs.request("telegram-1", "telegram", "ko")
    handoffs.claim(old.id, "kim")
    handoffs.add_note(old.id, "kim", "개인정보가 담긴 메모")
    handoffs.end(old.id, "kim", "returned")
    with session_scope() as session:
        session.get(m.Handoff, old.id).requested_at = NOW - datetime.timedelta(days=400)
    insights.roll_up(events_engine=store.engine)

    run = retention.run(now=NOW, events_engine=store.engine)
    assert (run.conversations, run.events, run.handoffs, run.requests) == (1, 2, 1, 0)
    assert run.cutoff == NOW - datetime.timedelta(days=365)
    assert senders(store) == {"telegram-2"}
    assert handoffs.report() == []
    with session_scope() as session:
        assert session.query(m.HandoffNote).count() == 0
        assert {v.day for v in session.query(m.InsightVisitor)} == {(NOW - datetime.timedelta(days=10)).date()}
        # the day counts name no one: they stay
        assert session.query(m.InsightCount).filter(m.InsightCount.day < run.cutoff.date()).count() > 0
    assert [(r.conversations, r.events) for r in retention.runs()] == [(1, 2)]


def test_the_secretariat_sets_the_period_and_an_applicant_may_ask_sooner(knowledge_db, store):
    store.write("web-" + "a" * 32, days_ago=40)
    store.write("web-" + "b" * 32, days_ago=1)
    data = transfer.export_data()
    data["privacy"]["retention_days"] = 30
    transfer.import_data(data, by="park")
    waiting = handoffs.request("web-" + "b" * 32, "web", "en")  # still with the helpdesk when they ask
    retention.request("web-" + "b" * 32)
    retention.request("web-" + "b" * 32)  # asked twice: one request
    run = retention.run(now=NOW, events_engine=store.engine)
    assert (run.conversations, run.requests) == (2, 1) and senders(store) == set()
    assert handoffs.open_for("web-" + "b" * 32) is None and run.handoffs == 1, f"{waiting.id} left the queue"
    assert retention.run(now=NOW, events_engine=store.engine).requests == 0  # done once


def test_a_period_outside_a_month_to_ten_years_is_refused(knowledge_db):
    data = transfer.export_data()
    data["privacy"]["retention_days"] = 7
    with pytest.raises(transfer.ImportRejected) as refused:
        transfer.import_data(data)
    assert [str(p) for p in refused.value.problems] == ["privacy.retention_days: 7 is less than 30"]
    data["privacy"]["retention_days"] = 5000
    with pytest.raises(transfer.ImportRejected) as refused:
        transfer.import_data(data)
    assert refused.value.problems[0].said_in("ko") == "5000은(는) 최대 3650보다 큽니다"
