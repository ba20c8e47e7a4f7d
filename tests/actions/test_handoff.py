"""Asking for a person, and the offer of one after two misunderstandings in a row."""
import asyncio
import datetime

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionNotUnderstood
from actions.handoff import ActionHandoff
from knowledge import handoffs, service
from trackers import make_tracker


def run(action, lang="en", intent="human_handoff", events=(), channel="telegram"):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="telegram-77", lang=lang, text="x", intent=intent,
                           events=[{"event": "user", "input_channel": channel, "parse_data": {"intent": {"name": intent}}}, *events])
    out = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, out


def test_asking_for_a_person_queues_the_conversation_says_the_hours_and_pauses(knowledge_db):
    messages, events = run(ActionHandoff(), "ko")
    text = messages[0]["text"]
    assert "상담원에게 연결해 드리겠습니다" in text and "평일 09:00~18:00(한국 시간)" in text and "'/bot'" in text
    assert events == [{"event": "pause", "timestamp": None}]
    [queued] = handoffs.queue()
    assert (queued.conversation_id, queued.channel, queued.language, queued.reason) == ("telegram-77", "telegram", "ko", "asked")


def test_outside_the_hours_the_applicant_is_told_what_happens(knowledge_db):
    helpdesk = service.helpdesk()
    saturday_noon = datetime.datetime(2024, 2, 17, 3, 0, tzinfo=datetime.timezone.utc)  # 12:00 in Seoul
    tuesday_ten = datetime.datetime(2024, 2, 13, 1, 0, tzinfo=datetime.timezone.utc)
    assert not helpdesk.is_open(saturday_noon) and helpdesk.is_open(tuesday_ten)


def test_helpdesk_hours_come_from_the_knowledge_base(knowledge_db):
    from knowledge import tables as m
    from knowledge.db import session_scope

    with session_scope() as s:
        s.query(m.Helpdesk).update({"hours_en": "Mondays only, 10:00-11:00 Korea time"})
    messages, _ = run(ActionHandoff())
    assert "Helpdesk hours: Mondays only, 10:00-11:00 Korea time." in messages[0]["text"]


def test_a_database_outage_does_not_pause_the_bot(knowledge_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    messages, events = run(ActionHandoff())
    assert events == [] and "can't reach the helpdesk right now" in messages[0]["text"]


def test_the_second_misunderstanding_in_a_row_offers_a_person(knowledge_db):
    first, _ = run(ActionNotUnderstood(), intent="nlu_fallback")
    assert [m["response"] for m in first] == ["utter_default"]
    earlier = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    second, _ = run(ActionNotUnderstood(), intent="nlu_fallback", events=[{"event": "bot"}, earlier])
    assert [m["response"] for m in second] == ["utter_default", "utter_offer_handoff"]


def test_a_message_in_another_language_is_told_in_english_and_korean_which_languages_are_answered(knowledge_db):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="web-2", text="¿Cuánto dinero dan por proyecto?", intent="nlu_fallback")
    tracker.latest_message["unsupported_language"] = "es"
    asyncio.run(ActionNotUnderstood().run(dispatcher, tracker, {}))
    [reply] = [m["text"] for m in dispatcher.messages]
    english, korean = reply.split("\n\n")
    assert english.startswith("Your message seems to be in Spanish. I answer only in English and Korean")
    assert korean.startswith("이 메시지는 스페인어로 쓰인 것 같습니다") and "한국어와 영어로만" in korean


def test_a_faq_entry_answers_what_the_intents_do_not_cover(knowledge_db):
    from actions.fallback import ActionOutOfScope
    from knowledge import transfer

    transfer.add_faq("신청 수수료가 있나요?", "Is there an application fee?", "수수료는 없습니다.", "There is no fee.", by="kim")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="web-1", text="do we pay a fee to apply?", intent="out_of_scope")
    asyncio.run(ActionOutOfScope().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["text"] == "There is no fee."
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="web-1", text="recommend a restaurant", intent="out_of_scope")
    asyncio.run(ActionOutOfScope().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"
