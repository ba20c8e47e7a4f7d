"""The user's language and the sentence templates in actions/messages.yml."""
from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml
from rasa_sdk import Tracker

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "en"
MESSAGES_FILE = Path(__file__).with_name("messages.yml")


def language_of(tracker: Tracker) -> str:
    """The language slot, which the NLU's LanguageDetector fills on every message with letters."""
    language = tracker.get_slot("language")
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def _messages() -> Dict[str, Dict[str, str]]:
    with open(MESSAGES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def say(key: str, lang: str, **facts) -> str:
    return _messages()[key][lang].format(**facts)


def words(key: str, lang: str):
    """A non-template entry of messages.yml (a list or mapping of words) in one language."""
    return _messages()[key][lang]


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
