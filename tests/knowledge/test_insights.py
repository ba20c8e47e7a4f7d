"""The insights' counts, read from a tracker store Rasa itself wrote (its SQLTrackerStore), per
Korea day, channel and language; the counting is incremental and keeps no conversation id."""
import datetime

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from tracker_stores import sqlite_tracker_store, turn

from knowledge import handoffs, insights
from knowledge import tables as m
from knowledge.db import session_scope

# 2024-03-18 15:30 UTC is 2024-03-19 00:30 in Korea: counted on the 19th.
MONDAY_NIGHT_UTC = datetime.datetime(2024, 3, 18, 15, 30, tzinfo=datetime.timezone.utc).timestamp()


@pytest.fixture
def tracker_store(tmp_path):
    return sqlite_tracker_store(tmp_path / "tracker.db")


def test_a_day_of_conversations_is_counted_per_channel_language_and_topic(knowledge_db, tracker_store):
    t = MONDAY_NIGHT_UTC
    tracker_store.save_events("telegram-111", [
        *turn("해외실증형 마감이 언제예요?", "action_answer_deadline", t),
        *turn("지원 금액은요?", "action_answer_amount", t + 10),
        *turn("ㅁㄴㅇㄹ", "action_not_understood", t + 20)])
    tracker_store.save_events("web-" + "a" * 32, [
        UserUttered('/greet{"language": "en"}', {"name": "greet"}, timestamp=t),  # the widget opening: not a message
        *turn("Is there a page limit?", "action_not_understood", t + 5, "30 pages", answered_from="faq"),
        *turn("Do you fund visas?", "action_out_of_scope", t + 15),
        *turn("Start a draft", "action_start_draft", t + 25),
        ActiveLoop("draft_form", timestamp=t + 30), ActionExecuted("action_finish_draft", timestamp=t + 40)])
    tracker_store.save_events("demo-rest-1", turn("I want a person", "action_handoff", t + 50))

    assert insights.roll_up(events_engine=tracker_store.engine) > 0
    day = datetime.date(2024, 3, 19)
    got = insights.summary(day, day)
    totals = got["totals"]
    assert (totals["messages"], totals["conversations"], totals["applicants"]) == (7, 3, 3)
    assert (totals["not_understood"], totals["out_of_scope"], totals["faq"]) == (1, 1, 1)
    assert (totals["draft_started"], totals["draft_finished"], totals["handoff_asked"]) == (1, 1, 1)
    assert got["by_channel_language"] == {"telegram": {"ko": 3}, "web": {"en": 3}, "rest": {"en": 1}}
    assert dict(got["topics"]) == {"deadline": 1, "amount": 1}
    assert got["unanswered_share"] == round(2 / 7, 3)
    assert insights.summary(day, day, channel="telegram", language="ko")["totals"]["messages"] == 3
    assert insights.summary(day - datetime.timedelta(days=1), day - datetime.timedelta(days=1))["totals"] == {"applicants": 0}

    # Counting again reads only what is new.
    assert insights.roll_up(events_engine=tracker_store.engine) == 0
    tracker_store.save_events("telegram-111", turn("선정 발표는 언제예요?", "action_answer_selection_date", t + 3 * 86400))
    insights.roll_up(events_engine=tracker_store.engine)
    week = insights.summary(datetime.date(2024, 3, 18), datetime.date(2024, 3, 24), period="week")
    assert week["periods"] == ["2024-03-18"] and week["series"]["messages"] == [8]
    assert week["series"]["conversations"] == [4] and week["series"]["applicants"] == [3]  # the same chat on two days


def test_no_conversation_id_or_message_is_kept_and_the_csv_opens_in_excel(knowledge_db, tracker_store):
    tracker_store.save_events("telegram-987654321", turn("마감 알려 주세요", "action_answer_deadline", MONDAY_NIGHT_UTC))
    insights.roll_up(events_engine=tracker_store.engine)
    with session_scope() as session:
        stored = [*session.execute(sa.select(m.InsightVisitor.visitor)).scalars(),
                  *session.execute(sa.select(m.InsightCount.key)).scalars()]
    assert stored and not any("987654321" in str(v) or "마감" in str(v) for v in stored)
    text = insights.csv_text(datetime.date(2024, 3, 19), datetime.date(2024, 3, 19))
    assert text.startswith("\ufeffday,channel,language,conversations,messages,")
    assert text.splitlines()[1].startswith("2024-03-19,telegram,ko,1,1,")


def test_handoff_waiting_and_handling_times(knowledge_db):
    asked = handoffs.request("telegram-5", "telegram", "ko")
    with session_scope() as session:
        row = session.get(m.Handoff, asked.id)
        row.requested_at = datetime.datetime(2024, 3, 19, 1, 0)
        row.claimed_at, row.claimed_by = datetime.datetime(2024, 3, 19, 1, 6), "kim"
        row.ended_at, row.status = datetime.datetime(2024, 3, 19, 1, 26), "returned"
    got = insights.summary(datetime.date(2024, 3, 19), datetime.date(2024, 3, 19))["handoffs"]
    assert got == {"count": 1, "claimed": 1, "median_wait_minutes": 6.0, "median_handling_minutes": 20.0}
