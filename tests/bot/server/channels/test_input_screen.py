"""The screen every channel puts in front of the NLU."""
import json

from bot.server.channels.input_screen import screen, unreadable
from knowledge import settings

MAX_MESSAGE_CHARS = settings.max_message_chars()


def payload(text):
    assert text.startswith("/unreadable_message")
    return json.loads(text[len("/unreadable_message"):])


def test_ordinary_questions_and_button_payloads_pass_unchanged():
    for text in ("When is the deadline?", "해외실증형 마감일이 언제예요?", '/inform_track{"track": "planning"}'):
        assert screen(text) == text


def test_control_and_invisible_characters_are_dropped_and_hangul_jamo_composed():
    assert screen("\x00마감일\x07 언제\u200b예요?\x1b\n") == "마감일 언제예요?"
    assert screen("\u1106\u1161\u1100\u1161\u11b7") == "마감"  # decomposed jamo, as some keyboards send them


def test_nothing_left_is_an_empty_message():
    for text in ("", "   ", "\n\t", "\x00\x1b", "\u200b\ufeff", None):
        assert payload(screen(text)) == {"input_problem": "empty"}


def test_an_over_long_message_is_too_long_in_its_language():
    assert payload(screen("가" * (MAX_MESSAGE_CHARS + 1))) == {"input_problem": "too_long", "language": "ko"}
    assert payload(screen("a" * (MAX_MESSAGE_CHARS + 1))) == {"input_problem": "too_long", "language": "en"}
    assert screen("a" * MAX_MESSAGE_CHARS) == "a" * MAX_MESSAGE_CHARS


def test_the_payload_is_itself_a_readable_message():
    assert screen(unreadable("not_text")) == unreadable("not_text")
