"""What the bot says when its intents do not cover a question: a confident FAQ answer first
(knowledge/faq.py, kept by the secretariat), else a polite "not understood" or "out of scope",
and after two misunderstandings in a row the offer of a person."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import faq
# Kept on a FAQ reply in the tracker store: the insights count the questions the FAQ answered apart,
# and the inbox shows the secretariat those it answered with low confidence.
from knowledge.insights import ANSWERED_FROM_FAQ, FAQ_SCORE_KEY
from knowledge.wording import DEFAULT_LANGUAGE, LANGUAGES, UNSUPPORTED_LANGUAGE_KEY, say, words

FALLBACK = "nlu_fallback"


def faq_answer(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The FAQ's answer to the latest message, if one matches confidently, as utter_message's arguments.

    Without the database there is none, and nothing is said about it: the caller's own
    response ("not understood", "out of scope") still answers.
    """
    with knowledge_access("faq") as access:
        match = faq.best_match(tracker.latest_message.get("text") or "", language_of(tracker))
    if access.failed or not match:
        return None
    return {"text": match.answer, **ANSWERED_FROM_FAQ, FAQ_SCORE_KEY: round(match.score, 3)}


def fallbacks_in_a_row(tracker: Tracker) -> int:
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK:
            break
        count += 1
    return count


class ActionNotUnderstood(Action):
    """A FAQ answer if one matches; else asks to rephrase, offering a person the second time in a row.
    A message in a language the assistant does not speak is told, in English and Korean, which it speaks."""

    def name(self) -> Text:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        other = tracker.latest_message.get(UNSUPPORTED_LANGUAGE_KEY)  # set by nlu.language.UnsupportedLanguageGate
        if other:
            # In both languages it speaks, the default first: the writer may read either better than the other.
            dispatcher.utter_message(text="\n\n".join(
                say("unreadable_language", lang, language=words("language_names", lang).get(other, other))
                for lang in sorted(LANGUAGES, key=lambda lang: lang != DEFAULT_LANGUAGE)))
            return []
        answer = faq_answer(tracker)
        if answer:
            dispatcher.utter_message(**answer)
            return []
        dispatcher.utter_message(response="utter_default")
        if fallbacks_in_a_row(tracker) >= 2:
            dispatcher.utter_message(response="utter_offer_handoff")
        return []


class ActionOutOfScope(Action):
    """A FAQ answer if one matches (the FAQ may cover what the intents call out of scope)."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher, tracker, domain):
        answer = faq_answer(tracker)
        dispatcher.utter_message(**(answer or {"response": "utter_out_of_scope"}))
        return []
