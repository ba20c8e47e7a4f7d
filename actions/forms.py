"""What every form of this assistant shares: when a message leaves the form, or is only a question
in passing, and when it is the answer to the question asked."""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

# The topics' modules register their answers in KnowledgeAnswer.by_topic as they are imported.
from actions import application, eligibility, funding, program, schedule  # noqa: F401
from actions.knowledge_answer import KnowledgeAnswer
from knowledge.reference_codes import CODE_IN_TEXT
from knowledge.wording import EMAIL_IN_TEXT, has_hangul, words

# The intents a form question's from_text mapping excludes (domain.yml, `not_intent`): "stop", a
# person asked for, a question about the call (answered, then the form asks again: data/forms.yml).
# Below this confidence a "stop" or a request for a person is more likely an answer the NLU has never
# seen ("Indonsia", "Hanoi DOT" as "stop"): the text is taken as the answer to the question asked,
# and the validator judges it. A question is told apart by its shape instead (shaped_as_a_question).
SURE_OF_LEAVING = 0.8
QUESTION_PREFIX = "ask_"


def _carries_an_answer(text: str) -> bool:
    """A reference code or an e-mail address is an answer to a form, whatever the NLU made of the rest."""
    return bool(CODE_IN_TEXT.search(text) or EMAIL_IN_TEXT.search(text))


def shaped_as_a_question(text: str) -> bool:
    """A question mark, or a question word of the message's language ("how", "언제", "…나요")."""
    if "?" in text or "？" in text:
        return True
    if has_hangul(text):
        return any(word in text for word in words("question_words", "ko"))
    lowered = " " + re.sub(r"[^\w']+", " ", text.lower()) + " "
    return any(f" {word} " in lowered for word in words("question_words", "en"))


def interrupting_intents(domain: Dict[Text, Any], slot: Text) -> List[Text]:
    mappings = ((domain.get("slots") or {}).get(slot) or {}).get("mappings") or []
    return [intent for m in mappings if m.get("type") == "from_text" for intent in (m.get("not_intent") or [])]


class InterruptOnlyWhenSure:
    """Mixin for FormValidationAction: a form is only left, or interrupted by a question, on a
    confident "stop" or request for a person, or by a question about the call shaped as a question
    ("Jakarta Smart City Office" reads as ask_contact to the NLU); otherwise the message is the answer."""

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if not requested or any(e.get("name") == requested for e in events):
            return events
        intent = tracker.latest_message.get("intent") or {}
        text = tracker.latest_message.get("text") or ""
        name = intent.get("name") or ""
        if name in interrupting_intents(domain, requested) and name != "unreadable_message":
            if name.startswith(QUESTION_PREFIX):
                # The question's shape decides, not the NLU's confidence: "before I pick: when does the
                # demonstration track close?" is a question at 0.57, "Jakarta Smart City Office" is not at 0.94.
                answer = not shaped_as_a_question(text)
            else:
                answer = float(intent.get("confidence") or 0) < SURE_OF_LEAVING
            if answer or _carries_an_answer(text):
                events.append(SlotSet(requested, text))
        return events


def shown(value: Optional[str], limit: int = 40) -> str:
    """What the user typed, shortened for echoing back."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ActionAnswerDigression(Action):
    """A question about the call asked in the middle of a form (data/forms.yml): answered by its topic's
    action; the form then asks its pending question again."""

    def name(self) -> Text:
        return "action_answer_digression"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        answer = KnowledgeAnswer.by_topic.get(intent[len(QUESTION_PREFIX):]) if intent.startswith(QUESTION_PREFIX) else None
        return await answer().run(dispatcher, tracker, domain) if answer else []
