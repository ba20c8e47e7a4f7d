"""The one bilingual layer: which languages the assistant speaks, how a text's language is told,
and every sentence it says, in every process and channel (messages.yml, Korean and English side by
side; formatting.py for dates, amounts and lists).

It sits at the bottom of the import graph (knowledge/), so the NLU components, the actions and the
Rasa server's plug-ins all word things the same way from the same file.
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

LANGUAGES: Tuple[str, ...] = ("ko", "en")
DEFAULT_LANGUAGE = "en"
MESSAGES_FILE = Path(__file__).with_name("messages.yml")

# Hangul syllables, jamo and compatibility jamo: a message with any of them is Korean.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text or ""))


def language_of_text(text: str) -> str:
    """Korean if the text has any Hangul, else English (the language a reply to it is written in)."""
    return "ko" if has_hangul(text) else "en"


def known(language: Any) -> str:
    """`language` if the assistant speaks it, else the default."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def _messages() -> Dict[str, Dict[str, Any]]:
    with open(MESSAGES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def say(key: str, lang: str, **facts) -> str:
    """The sentence `key` in `lang`, its {placeholders} filled with facts."""
    return _messages()[key][lang].format(**facts)


def words(key: str, lang: str):
    """A non-template entry of messages.yml (a list or mapping of words) in one language."""
    return _messages()[key][lang]


def message_keys():
    return tuple(_messages())
