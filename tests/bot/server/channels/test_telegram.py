"""The Telegram output channel: python-telegram-bot's real Bot talking HTTP to a loopback Bot API."""
import asyncio

import pytest
from telegram import Bot

from bot.server.channels.telegram import ButtonPayloads, TelegramOutput
from bot.server.channels.telegram_sending import split_message
from bot_api_standin import TOKEN, BotApiStandIn


@pytest.fixture
def api():
    standin = BotApiStandIn().start()
    yield standin
    standin.stop()


def send(api, coroutine_of):
    async def run():
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            await coroutine_of(TelegramOutput(bot, ButtonPayloads()))
    asyncio.run(run())


def test_a_long_reply_is_split_at_line_breaks_within_telegrams_limit(api):
    lines = [f"Line {i}: " + "word " * 40 for i in range(60)]  # about 12,600 characters
    send(api, lambda out: out.send_text_message("telegram-42", "\n".join(lines)))
    sent = [m["text"] for m in api.sent(42)]
    assert len(sent) == 4 and all(len(t) <= 4096 for t in sent)
    assert [l.rstrip() for l in "\n".join(sent).split("\n")] == [l.rstrip() for l in lines], "cut only between lines"


def test_a_long_sentence_run_is_cut_at_a_sentence_end():
    text = "이 사업은 스마트도시 협력사업입니다. " * 300
    pieces = split_message(text, limit=1000)
    assert all(len(p) <= 1000 for p in pieces) and all(p.endswith("입니다.") for p in pieces)
    assert " ".join(pieces) == text.strip()


def test_text_is_escaped_for_html_parse_mode(api):
    send(api, lambda out: out.send_text_message("telegram-7", "<script>alert(1)</script> & 'quotes'"))
    message = api.sent(7)[0]
    assert message["parse_mode"] == "HTML"
    assert message["text"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;quotes&#x27;"


def test_buttons_become_an_inline_keyboard_and_long_payloads_fit_callback_data(api):
    payloads = ButtonPayloads()
    long_payload = '/inform_track{"applicant": "international_organization", "note": "a payload over 64 bytes"}'

    async def run():
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            await TelegramOutput(bot, payloads).send_text_with_buttons(
                "telegram-9", "Who is applying?", [{"title": "A foreign government", "payload": "/greet"},
                                                   {"title": "An international organization", "payload": long_payload}])
    asyncio.run(run())
    import json
    keyboard = json.loads(api.sent(9)[0]["reply_markup"])["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["A foreign government", "An international organization"]
    assert keyboard[0][0]["callback_data"] == "/greet"
    data = keyboard[1][0]["callback_data"]
    assert len(data.encode()) <= 64 and payloads.payload_of(data) == long_payload


def test_a_rate_limit_is_waited_out_and_the_reply_still_arrives(api):
    api.fail_next_send(429, "Too Many Requests: retry after 1", retry_after=1)
    send(api, lambda out: out.send_text_message("telegram-5", "hello"))
    attempts = api.calls("sendMessage")
    assert len(attempts) == 2 and attempts[1]["at"] - attempts[0]["at"] >= 0.9
    assert api.sent(5)[-1]["text"] == "hello"


def test_a_user_who_blocked_the_bot_does_not_break_the_channel(api):
    api.fail_next_send(403, "Forbidden: bot was blocked by the user")
    send(api, lambda out: out.send_text_message("telegram-6", "first"))
    send(api, lambda out: out.send_text_message("telegram-6", "second"))
    assert [m["text"] for m in api.sent(6)] == ["first", "second"], "the blocked send was tried once, the next one went out"


@pytest.fixture
def hiding(monkeypatch):
    """hide_in_logs for one test: the process's record factory is put back after."""
    import logging

    from bot.server.channels import telegram_sending

    before = logging.getLogRecordFactory()
    monkeypatch.setattr(telegram_sending, "_hidden", set())
    yield telegram_sending.hide_in_logs
    logging.setLogRecordFactory(before)


def test_no_log_record_shows_the_token(api, hiding, caplog):
    import logging

    hiding(TOKEN, "")
    caplog.set_level(logging.INFO)
    send(api, lambda out: out.send_text_message("telegram-45", "hello"))  # httpx logs the request's URL at INFO
    try:
        raise RuntimeError(f"GET {api.base_url}{TOKEN}/getMe failed")
    except RuntimeError:
        logging.getLogger("anything").exception("while calling %s", f"/bot{TOKEN}/getMe")
    logged = caplog.text + "".join(logging.Formatter().format(r) for r in caplog.records)
    assert "sendMessage" in logged and "<hidden>/sendMessage" in logged, "httpx's request line, the token replaced"
    assert TOKEN not in logged and TOKEN.replace(":", "%3A") not in logged
