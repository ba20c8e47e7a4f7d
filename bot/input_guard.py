"""Screens every incoming message before Rasa reads it, in every channel.

Control characters are dropped and Unicode is normalised (NFC, so Hangul typed as separate jamo
matches the training data). A message that is then empty, or longer than MAX_MESSAGE_CHARS, is
not given to the NLU — a pasted document would hold the server for seconds and be answered with
nonsense — but turned into the `unreadable_message` intent, whose action tells the applicant
what went wrong in their language, inside a form as well as outside.
"""
import json
import os
import re
import unicodedata

# Also the chat widget's input limit (bot/web.py hands this value to the page).
MAX_MESSAGE_CHARS = int(os.environ.get("KCN_MAX_MESSAGE_CHARS", "2000"))
# C0/C1 controls except tab and newline, zero-width and bidirectional formatting characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def unreadable(problem: str, language: str = "") -> str:
    """The intent payload that stands for a message the assistant cannot read."""
    entities = {"input_problem": problem, **({"language": language} if language else {})}
    return "/unreadable_message" + json.dumps(entities, ensure_ascii=False)


def language_of_text(text: str) -> str:
    return "ko" if _HANGUL.search(text) else "en"


def screen(text: str) -> str:
    """The text the assistant reads in place of what was sent."""
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFC", text or "")).strip()
    if not cleaned:
        return unreadable("empty")
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return unreadable("too_long", language_of_text(cleaned))
    return cleaned


def screen_message(message):
    """Screens a Rasa UserMessage in place."""
    message.text = screen(message.text)
    return message
