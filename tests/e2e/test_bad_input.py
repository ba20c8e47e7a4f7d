"""Messages the assistant cannot or should not take at face value, over the REST channel."""
import uuid

import pytest

from mail_standin import finish_proof


def sender():
    return f"bad-{uuid.uuid4().hex[:8]}"


def test_a_first_empty_message_is_explained_in_both_languages(assistant):
    reply = assistant.ask(sender(), "")
    assert "메시지가 비어 있습니다" in reply and "Your message was empty" in reply


@pytest.mark.parametrize("blank", ["   ", "\n\t \n", "\x00\x07\x1b", "\u200b\ufeff"])
def test_a_blank_message_in_an_english_conversation_is_explained_in_english(assistant, blank):
    user = sender()
    assistant.ask(user, "How much funding does a planning project get?")
    reply = assistant.ask(user, blank)
    assert reply.startswith("Your message was empty") and "비어" not in reply
    # The conversation goes on as before.
    assert "KRW" in assistant.ask(user, "and the demonstration track?")


@pytest.mark.parametrize("text, expected", [
    ("해외실증형 마감일이 언제예요? " * 700, "메시지가 너무 깁니다. 2,000자 이하로"),
    ("When is the deadline? " * 500, "Your message is too long for me. Please send one question at a time, in at most 2,000 characters"),
])
def test_a_ten_thousand_character_message_is_asked_to_be_shorter(assistant, text, expected):
    user = sender()
    assert len(text) >= 10_000
    assert expected in assistant.ask(user, text)
    # Recorded as unreadable (the helpdesk sees that something was sent), not as 10,000 characters.
    assert assistant.user_texts(user)[-1].startswith("/unreadable_message")


def test_control_characters_around_a_question_are_ignored(assistant):
    reply = assistant.ask(sender(), "\x00해외실증형\x07 마감일이\u200b 언제예요?\x1b")
    assert "2024년 3월 19일" in reply


def test_mixed_korean_and_english_gets_a_korean_answer(assistant):
    assert "3억~6억 원" in assistant.ask(sender(), "planning track 지원 금액이 얼마예요?")


def test_emoji_only_gets_a_polite_answer_in_the_conversations_language(assistant):
    user = sender()
    assistant.ask(user, "안녕하세요")
    reply = assistant.ask(user, "😀🙏👍")
    assert "죄송합니다" in reply and "Sorry" not in reply


@pytest.mark.parametrize("attack", [
    "<script>alert('x')</script> when is the deadline?",
    "'; DROP TABLE proposals; -- what is the deadline?",
    "{{7*7}} ${7*7} deadline",
])
def test_markup_and_sql_are_just_words(assistant, attack, mailbox):
    user = sender()
    reply = assistant.ask(user, attack)
    assert reply and "<script>" not in reply and "49" not in reply
    assert assistant.user_texts(user)[-1] == attack
    # The proposals table is intact: the demo status check still works.
    assistant.ask(user, "check my application status")
    reply = assistant.ask(user, "KCN-2024-D-2402-B")
    assert "under review since 25 March 2024" in finish_proof(assistant.ask, user, reply, "demo.company@example.org",
                                                              mailbox)


def test_bad_form_values_get_the_reason_and_the_question_again(assistant, mailbox):
    user = sender()
    assistant.ask(user, "check my application status")
    assert "reference code" in assistant.ask(user, "'; DROP TABLE proposals; --")
    reply = assistant.ask(user, "   ")
    assert "Your message was empty" in reply and "reference code" in reply
    assert "too long" in assistant.ask(user, "KCN-2024-D-2402-B " * 200)
    reply = assistant.ask(user, "KCN-2024-D-2402-B")
    if "full contact e-mail" in reply:  # many codes went to the demo address in this run
        assert "contact e-mail" in assistant.ask(user, "<script>alert(1)</script>@example.org")
        reply = assistant.ask(user, "demo.company@example.org")
    assert "6-digit code" in reply
    assert "6 digits" in assistant.ask(user, "<script>alert(1)</script>")
    assert "under review" in assistant.ask(user, mailbox.code_for("demo.company@example.org"))
