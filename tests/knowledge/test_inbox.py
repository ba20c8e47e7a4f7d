"""The unanswered-questions inbox: what the roll-up puts in it from a tracker store Rasa wrote
(masked), how it groups paraphrases (Korean by morphemes), and what handling a group does: a
FAQ entry the assistant answers with, training examples written as Rasa training data, dismissal;
the retention job deletes a conversation's messages with it."""
import datetime

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from tracker_stores import sqlite_tracker_store, turn

from knowledge import faq, inbox, insights, retention, transfer
from knowledge import tables as m
from knowledge.db import session_scope

T = datetime.datetime(2024, 3, 18, 6, 0, tzinfo=datetime.timezone.utc).timestamp()


@pytest.fixture
def tracker_store(tmp_path):
    return sqlite_tracker_store(tmp_path / "tracker.db")


def texts(groups):
    return [[message.text for message in g.messages] for g in groups]


def test_what_the_assistant_missed_reaches_the_inbox_masked_and_nothing_else(knowledge_db, tracker_store):
    tracker_store.save_events("telegram-42", [
        *turn("해외실증형 마감이 언제예요?", "action_answer_deadline", T),
        *turn("제 이메일 kim@city.go.kr 로 서류 양식 보내 주실 수 있나요? 전화는 010-1234-5678", "action_not_understood", T + 10),
        *turn("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J 이거 맞나요 ㅁㄴㅇ", "action_out_of_scope", T + 20)])
    tracker_store.save_events("web-" + "b" * 32, [
        *turn("Is there a page limit?", "action_not_understood", T + 30, "30 pages", answered_from="faq", faq_score=0.55),
        *turn("Can I attach a video?", "action_not_understood", T + 40, "Yes", answered_from="faq", faq_score=0.91),
        *turn("/start_draft", "action_not_understood", T + 50)])  # a button: no words to show
    insights.roll_up(events_engine=tracker_store.engine)

    groups = inbox.open_groups()
    found = sorted((g.messages[0].reason, g.language, g.messages[0].channel, g.question) for g in groups)
    assert found == [
        ("faq_low", "en", "web", "Is there a page limit?"),
        ("not_understood", "ko", "telegram", "제 이메일 ‹e-mail› 로 서류 양식 보내 주실 수 있나요? 전화는 ‹phone›"),
        ("out_of_scope", "ko", "telegram", "‹code› 이거 맞나요 ㅁㄴㅇ"),
    ], "the confident FAQ answer and the answered question are not in the inbox"
    with session_scope() as session:
        stored = " ".join(text for (text,) in session.query(m.UnansweredMessage.text))
    for secret in ("kim@city.go.kr", "010-1234-5678", "7K3M"):
        assert secret not in stored
    assert inbox.open_count() == 3


def test_paraphrases_are_grouped_by_morphemes_largest_and_newest_first(knowledge_db, tracker_store):
    questions = ["제안서 분량 제한이 있나요?", "주차장 있나요?", "제안서 분량은 어느 정도인가요", "Can you help with visas?",
                 "Is there a page limit for the proposal?", "제안서 분량 제한 있어요?", "Do you help us get a visa?"]
    for n, text in enumerate(questions):
        tracker_store.save_events(f"web-{n:032d}", turn(text, "action_not_understood", T + 60 * n))
    insights.roll_up(events_engine=tracker_store.engine)

    largest = inbox.open_groups()
    assert texts(largest)[:2] == [["제안서 분량 제한 있어요?", "제안서 분량은 어느 정도인가요", "제안서 분량 제한이 있나요?"],
                                  ["Do you help us get a visa?", "Can you help with visas?"]]
    assert sorted(map(len, texts(largest))) == [1, 1, 2, 3], "the page limit in English and the parking stay apart"
    assert texts(inbox.open_groups(order="newest"))[0][0] == "Do you help us get a visa?"
    assert [g.language for g in inbox.open_groups(language="en")] == ["en", "en"]


def test_a_group_answered_as_a_faq_entry_is_answered_and_leaves_the_inbox(knowledge_db, tracker_store):
    for n, text in enumerate(["Is there a page limit for the proposal?", "What is the page limit of a proposal?"]):
        tracker_store.save_events(f"rest-{n}", turn(text, "action_not_understood", T + n))
    insights.roll_up(events_engine=tracker_store.engine)
    [group] = inbox.open_groups()

    incomplete = {"question": {"ko": "", "en": group.question}, "answer": {"ko": "", "en": "At most 30 pages."}}
    with pytest.raises(transfer.ImportRejected) as rejected:
        inbox.answer_with_faq(group.ids, incomplete, by="park")
    assert [p.key for p in rejected.value.problems] == ["problem_language_missing"] * 2
    assert inbox.open_count() == 2, "a refused entry handles nothing"

    entry = {"question": {"ko": "제안서 분량 제한이 있나요?", "en": group.question},
             "answer": {"ko": "최대 30쪽입니다.", "en": "At most 30 pages."}}
    assert inbox.answer_with_faq(group.ids, entry, by="park") == 2
    assert inbox.open_groups() == [] and inbox.open_count() == 0
    assert faq.best_match("How many pages may the proposal have at most?", "en").answer == "At most 30 pages."
    assert inbox.dismiss(group.ids, by="han") == 0, "handled messages are not handled twice"


def test_marked_examples_are_written_as_rasa_training_data_once(knowledge_db, tracker_store, tmp_path):
    tracker_store.save_events("rest-1", turn("마감 [언제](track)예요 kim@x.kr", "action_not_understood", T))
    tracker_store.save_events("rest-2", turn("lol", "action_not_understood", T + 5))
    insights.roll_up(events_engine=tracker_store.engine)
    korean, english = sorted(inbox.open_groups(), key=lambda g: g.language != "ko")
    with pytest.raises(inbox.UnknownIntent):
        inbox.mark_training(korean.ids, "no_such_intent", by="park")
    assert inbox.mark_training(korean.ids, "ask_deadline", by="park") == 1
    assert inbox.dismiss(english.ids, by="park") == 1
    assert inbox.training_waiting() == 1

    path = tmp_path / "reviewed" / "examples.yml"
    assert inbox.export_training(path) == 1
    assert inbox.training_waiting() == 0
    data = RasaYAMLReader().read(path)
    [example] = data.intent_examples
    assert (example.get("intent"), example.get("text")) == ("ask_deadline", "마감 언제 (track)예요 ‹e-mail›")
    assert example.get("entities") in (None, []), "brackets in a message are not read as an entity"
    written = path.stat().st_mtime_ns
    inbox.export_training(path)
    assert path.stat().st_mtime_ns == written, "unchanged examples leave the file (and the model) alone"


def test_no_examples_make_an_empty_training_file_rasa_reads(knowledge_db, tmp_path):
    path = tmp_path / "examples.yml"
    assert inbox.export_training(path) == 0
    assert RasaYAMLReader().read(path).intent_examples == []


def test_the_retention_job_deletes_a_conversations_inbox_messages(knowledge_db, tracker_store):
    tracker_store.save_events("telegram-7", turn("주차 되나요?", "action_not_understood", T))
    tracker_store.save_events("telegram-8", turn("비자 도와주세요", "action_out_of_scope", T))
    insights.roll_up(events_engine=tracker_store.engine)
    retention.request("telegram-7")
    retention.run(events_engine=tracker_store.engine, period=False)
    assert texts(inbox.open_groups()) == [["비자 도와주세요"]]
    # Past the retention period (seed: 365 days), the rest goes too.
    retention.run(now=datetime.datetime(2026, 1, 1), events_engine=tracker_store.engine)
    assert inbox.open_count() == 0
