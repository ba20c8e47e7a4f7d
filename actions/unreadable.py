"""Tells the applicant why a message could not be read (empty, too long, not text) and what to do."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge import settings
from knowledge.wording import LANGUAGES, say

PROBLEMS = ("empty", "too_long", "not_text")


class ActionExplainUnreadableMessage(Action):
    def name(self) -> Text:
        return "action_explain_unreadable_message"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        problem = next(tracker.get_latest_entity_values("input_problem"), "empty")
        key = f"unreadable_{problem if problem in PROBLEMS else 'empty'}"
        language = tracker.get_slot("language")
        # Nothing readable yet tells the language of a first, empty message: say it in both.
        for lang in [language] if language in LANGUAGES else LANGUAGES:
            dispatcher.utter_message(text=say(key, lang, limit=f"{settings.max_message_chars():,}"))
        return []
