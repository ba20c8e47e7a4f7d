"""Screens every incoming message before Rasa reads it, in every channel.

Control characters are dropped and Unicode is normalised (NFC, so Hangul typed as separate jamo
matches the training data). A message that is then empty, or longer than KCN_MAX_MESSAGE_CHARS
(also the widget's input limit), is not given to the NLU — a pasted document would hold the
server for seconds and be answered with nonsense — but turned into the `unreadable_message` intent, whose action tells the applicant
what went wrong in their language, inside a form as well as outside.
"""
import json
import re
import unicodedata

from knowledge import settings
from knowledge.wording import language_of_text

# C0/C1 controls except tab and newline, zero-width and bidirectional formatting characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def unreadable(problem: str, language: str = "") -> str:
    """The intent payload that stands for a message the assistant cannot read."""
    entities = {"input_problem": problem, **({"language": language} if language else {})}
    return "/unreadable_message" + json.dumps(entities, ensure_ascii=False)


def screen(text: str) -> str:
    """The text the assistant reads in place of what was sent."""
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFC", text or "")).strip()
    if not cleaned:
        return unreadable("empty")
    if len(cleaned) > settings.max_message_chars():
        return unreadable("too_long", language_of_text(cleaned))
    return cleaned


def screen_message(message):
    """Screens a Rasa UserMessage in place."""
    message.text = screen(message.text)
    return message
