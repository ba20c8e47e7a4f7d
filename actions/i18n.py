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
