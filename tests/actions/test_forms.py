"""What interrupts a form: a confident stop, request for a person or question about the call; and what
is the answer to the question asked (an unsure reading, a reference code, an e-mail address)."""
import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ActionAnswerDigression, KnowledgeAnswer, interrupting_intents
from actions.status_check import ValidateStatusCheckForm
from trackers import make_tracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
QUESTIONS = {f"ask_{topic}" for topic in KnowledgeAnswer.by_topic}


def extracted(text, intent, confidence, form="status_check_form", requested="reference_code"):
    tracker = make_tracker(sender="digressing", text=text, intent=intent, confidence=confidence, form=form,
                           slots={"requested_slot": requested})
    events = asyncio.run(ValidateStatusCheckForm().get_extraction_events(CollectingDispatcher(), tracker, DOMAIN))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}.get(requested)


def test_every_form_question_is_interrupted_by_the_same_intents_and_each_question_has_an_answer():
    form_slots = [name for name, slot in DOMAIN["slots"].items()
                  if any(m.get("type") == "from_text" for m in slot.get("mappings", []))]
    assert len(form_slots) >= 10
    for slot in form_slots:
        assert set(interrupting_intents(DOMAIN, slot)) == QUESTIONS | {"stop", "human_handoff", "unreadable_message"}, slot
    rules = yaml.safe_load((ROOT / "data" / "forms.yml").read_text(encoding="utf-8"))["rules"]
    answered = [{step["intent"] for step in rule["steps"][0]["or"]} for rule in rules if "or" in rule["steps"][0]]
    assert answered == [QUESTIONS] * 3, "one digression rule per form, for every question with an answer"


@pytest.mark.parametrize("text, intent, confidence, answer", [
    ("how much is the grant per project?", "ask_amount", 0.97, None),  # a question: left to data/forms.yml
    ("Smart Mobility Co.", "ask_contact", 0.55, "Smart Mobility Co."),  # unsure: the answer, judged by the validator
    ("Jakarta Smart City Office", "ask_contact", 0.94, "Jakarta Smart City Office"),  # not shaped as a question
    ("quick one first how much does a planning project receive", "ask_amount", 0.95, None),
    ("before I pick: when does the demonstration track close?", "ask_deadline", 0.57, None),  # shaped as a question
    ("잠깐, 해외실증형 마감 언제예요", "ask_deadline", 0.95, None),
    ("자카르타 스마트시티 사무소", "ask_contact", 0.95, "자카르타 스마트시티 사무소"),
    ("KCN-2024-D-2402-B how much is it?", "ask_amount", 0.97, "KCN-2024-D-2402-B how much is it?"),
    ("it's lee@example.com, who do I contact?", "ask_contact", 0.95, "it's lee@example.com, who do I contact?"),
    ("talk to a person", "human_handoff", 0.99, None),
    ("Hanoi DOT", "stop", 0.5, "Hanoi DOT"),
    ("cancel", "stop", 0.99, None),
])
def test_what_is_taken_as_the_answer(text, intent, confidence, answer):
    assert extracted(text, intent, confidence) == answer


def test_a_digression_is_answered_by_its_topic_in_the_users_language(knowledge_db, today):
    today("2024-02-15")
    for lang, fact in (("en", "19 March 2024"), ("ko", "2024년 3월 19일")):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(sender="digressing", lang=lang, text="deadline?", intent="ask_deadline",
                               entities={"track": "demonstration"}, form="status_check_form")
        asyncio.run(ActionAnswerDigression().run(dispatcher, tracker, {}))
        assert fact in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerDigression().run(dispatcher, make_tracker(text="hi", intent="greet"), {}))
    assert dispatcher.messages == []
