"""Telegram end to end: the real Rasa server's python-telegram-bot channel polls a loopback Bot API."""
import itertools
import json

import requests

import pytest

chats = itertools.count(50_001)


@pytest.fixture
def telegram(bot_api, assistant):
    """The Bot API stand-in, with the assistant polling it."""
    return bot_api


def ask(telegram, chat, text, language_code="en", replies=1):
    before = len(telegram.sent(chat))
    telegram.user_says(chat, text, language_code)
    return telegram.wait_for_messages(chat, before + replies)[before:]


def test_a_korean_and_an_english_question(telegram):
    chat = next(chats)
    [reply] = ask(telegram, chat, "해외실증형 마감일이 언제예요?", "ko")
    assert "2024년 3월 19일" in reply["text"] and reply["parse_mode"] == "HTML"
    [reply] = ask(telegram, chat, "How much funding does a planning project get?")
    assert "KRW 300" in reply["text"] and "600 million" in reply["text"]


def test_a_photo_is_answered_that_only_text_is_read(telegram):
    chat = next(chats)
    ask(telegram, chat, "안녕하세요", "ko")
    before = len(telegram.sent(chat))
    telegram.user_sends_photo(chat, "ko")
    [reply] = telegram.wait_for_messages(chat, before + 1)[before:]
    assert reply["text"].startswith("죄송합니다. 저는 글로 된 메시지만 읽을 수 있습니다.")


def test_start_greets_in_the_users_telegram_language_and_lang_switches(telegram):
    chat = next(chats)
    [reply] = ask(telegram, chat, "/start", "ko")
    assert reply["text"].startswith("안녕하세요")
    [reply] = ask(telegram, chat, "/lang en", "ko")
    assert reply["text"].startswith("Hello")
    [reply] = ask(telegram, chat, "/help")
    assert "I can tell you about the K-City Network call" in reply["text"]


def test_start_in_another_language_offers_a_choice(telegram):
    chat = next(chats)
    [reply] = ask(telegram, chat, "/start", "fr")
    keyboard = json.loads(reply["reply_markup"])["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["한국어", "English"]
    before = len(telegram.sent(chat))
    telegram.user_presses(chat, keyboard[0][0]["callback_data"])
    assert telegram.wait_for_messages(chat, before + 1)[-1]["text"].startswith("안녕하세요")


def test_a_button_press_is_handled_as_its_payload(telegram):
    chat = next(chats)
    [reply] = ask(telegram, chat, "what can you do?")
    keyboard = json.loads(reply["reply_markup"])["inline_keyboard"]
    deadlines = next(row[0] for row in keyboard if row[0]["text"] == "Deadlines")
    before = len(telegram.sent(chat))
    answered = len(telegram.calls("answerCallbackQuery"))
    telegram.user_presses(chat, deadlines["callback_data"])
    reply = telegram.wait_for_messages(chat, before + 1)[-1]
    assert "19 March 2024" in reply["text"]
    assert len(telegram.calls("answerCallbackQuery")) > answered, "the button's spinner is stopped"


def test_a_deletion_asked_in_korean_is_offered_with_a_button_and_recorded_when_pressed(telegram, assistant, monkeypatch):
    from bot.server.channels.telegram import sender_id
    from knowledge import tables as m
    from knowledge.db import session_scope

    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    chat = next(chats)
    [reply] = ask(telegram, chat, "제 대화 기록 삭제해 주세요", "ko")
    assert reply["text"].startswith("이 대화를 삭제할까요?")
    [[button]] = json.loads(reply["reply_markup"])["inline_keyboard"]
    assert button["text"] == "대화 삭제"
    before = len(telegram.sent(chat))
    telegram.user_presses(chat, button["callback_data"])
    assert telegram.wait_for_messages(chat, before + 1)[-1]["text"].startswith("삭제 요청을 접수했습니다.")
    with session_scope() as session:
        assert session.query(m.ForgetRequest).filter_by(conversation_id=sender_id(chat)).count() == 1


def test_a_blocked_send_loses_nothing_of_the_conversation(telegram, assistant):
    chat = next(chats)
    telegram.fail_next_send(403, "Forbidden: bot was blocked by the user")
    before = len(telegram.calls("sendMessage"))
    telegram.user_says(chat, "When is the deadline?")
    # The refused reply was attempted; the user unblocks the bot and continues with a follow-up.
    import time
    deadline = time.time() + 60
    while len(telegram.calls("sendMessage")) == before and time.time() < deadline:
        time.sleep(0.2)
    [reply] = ask(telegram, chat, "and for the planning track?")
    assert reply["text"].startswith("Planning track: proposals are accepted all year round")


def test_telegram_and_web_conversations_never_share_an_id(telegram, assistant):
    chat = next(chats)
    ask(telegram, chat, "안녕하세요", "ko")
    # A REST user choosing the bare chat id gets a conversation of its own, in English.
    reply = requests.post(f"{assistant.rasa_url}/webhooks/rest/webhook",
                          json={"sender": str(chat), "message": "hi"}, timeout=60).json()
    assert reply[0]["text"].startswith("Hello")
