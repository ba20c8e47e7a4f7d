"""The one bilingual layer: which languages the assistant speaks, how a text's language is told,
and every sentence it says, in every process and channel (messages.yml, Korean and English side by
side; formatting.py for dates, amounts and lists).

It sits at the bottom of the import graph (knowledge/), so the NLU components, the actions and the
Rasa server's plug-ins all word things the same way from the same file.
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import yaml

LANGUAGES: Tuple[str, ...] = ("ko", "en")
DEFAULT_LANGUAGE = "en"
MESSAGES_FILE = Path(__file__).with_name("messages.yml")

# Hangul syllables, jamo and compatibility jamo: a message with any of them is Korean.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text or ""))


# An e-mail address as a user types it into a message, well-formed or not ("kim@city" is a form's
# answer, if a wrong one): it carries no language, and no question. knowledge.proposals validates it.
EMAIL_IN_TEXT = re.compile(r"\S+@\S+")


def language_of_text(text: str) -> str:
    """Korean if the text has any Hangul, else English (the language a reply to it is written in)."""
    return "ko" if has_hangul(text) else "en"


# Languages partner governments and organizations write in that the assistant does not answer in;
# lingua (its models ship in the wheel) tells them from English. Korean needs no model: Hangul.
_OTHER_LANGUAGES = ("SPANISH", "FRENCH", "PORTUGUESE", "VIETNAMESE", "INDONESIAN", "MALAY", "THAI", "ARABIC",
                    "RUSSIAN", "MONGOLIAN", "CHINESE", "JAPANESE", "GERMAN", "TURKISH")
# Below these, a message is read as English: names such as "São Paulo" or "Bogotá", a "gracias" or
# a one-word "menu" in an English message stay English. Measured on every English training and
# held-out question and every English sentence in tests/ (about 6,000): none is taken for another
# language (the highest other-language score among them is 0.63, "Did you mean Indonesia").
_SURE_OF_OTHER = 0.75
_FEWEST_WORDS = 3
_LATIN_LETTER = re.compile(r"[A-Za-z]")


# Where a parse result names the other language (set by the NLU, read by action_not_understood).
UNSUPPORTED_LANGUAGE_KEY = "unsupported_language"


@lru_cache(maxsize=1)
def _language_detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.ENGLISH] + [getattr(Language, name) for name in _OTHER_LANGUAGES]
    # All models at once (about 2 s, 150 MB): lazily, the first message in each language waited for its own.
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def load_language_models() -> None:
    """Loads the models `unsupported_language` needs, so no user waits for them."""
    _language_detector()


def unsupported_language(text: str) -> Optional[str]:
    """The ISO 639-1 code of the language `text` is written in, if the assistant does not speak it and
    the text is long enough to tell (3 words; a non-Latin script such as Thai needs no spaces)."""
    text = (text or "").strip()
    if not text or has_hangul(text):
        return None
    letters = sum(ch.isalpha() for ch in text)
    if len(text.split()) < _FEWEST_WORDS and (_LATIN_LETTER.search(text) or letters < 4):
        return None
    best = _language_detector().compute_language_confidence_values(text)[0]
    if best.language.name == "ENGLISH" or best.value < _SURE_OF_OTHER:
        return None
    return best.language.iso_code_639_1.name.lower()


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


# Where an officer's reply carries the name the applicant sees ("상담원 김민지"), set by the
# console (bot/web/helpdesk.py) and shown by each channel beside the reply.
HELPDESK_LABEL = "helpdesk_label"


def helpdesk_label(display_name: Optional[str], lang: str) -> str:
    """What an applicant sees on an officer's reply: the helpdesk, and the officer's name if they gave one."""
    return say("helpdesk_label_named", lang, name=display_name) if display_name else say("helpdesk_label", lang)


def words(key: str, lang: str):
    """A non-template entry of messages.yml (a list or mapping of words) in one language."""
    return _messages()[key][lang]


def message_keys():
    return tuple(_messages())
