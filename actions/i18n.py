"""The language of a conversation, as the actions read it from the tracker. The sentences
themselves are in the bilingual layer, knowledge.wording."""
from rasa_sdk import Tracker

from knowledge.wording import LANGUAGES, known


def language_of(tracker: Tracker) -> str:
    """The language slot, which the NLU's LanguageDetector fills on every message with letters."""
    return known(tracker.get_slot("language"))


def language_before_latest_message(tracker: Tracker) -> str:
    """The conversation's language before the latest message changed it, if it did.

    A form's free-text answer ("Hanoi", "Ministry of Construction") says nothing about the
    language the applicant reads, so forms keep answering in the language they started in.
    """
    events = tracker.events or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == "language" and event.get("value") in LANGUAGES:
            return event["value"]
    return language_of(tracker)
