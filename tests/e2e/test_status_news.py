"""Status news end to end: a status change made with the staff command line reaches the applicant on
every channel they proved the proposal in (a Telegram chat through the loopback Bot API, an open
widget in Chromium) and by mail (loopback SMTP), each once, in that channel's language; sent by the
notification worker `python -m bot.run` starts beside the servers."""
import html
import os
import subprocess
import sys
import time
import uuid

import pytest
from playwright.sync_api import expect

from knowledge import proposals
from mail_standin import finish_proof
from test_web_widget import bot_messages, browser, page  # noqa: F401  (the shared browser fixtures)

CHAT = 58_001


@pytest.fixture
def draft(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    address = f"news-{uuid.uuid4().hex[:6]}@example.org"
    code = proposals.create_draft(2024, "demonstration", address, language="en", title="Smart crossings").code
    return code, address


def telegram_ask(bot_api, chat, text):
    """Sends a message in the chat; returns what the bot said back (all of it, once it is quiet)."""
    before = len(bot_api.sent(chat))
    bot_api.user_says(chat, text, "en")
    bot_api.wait_for_messages(chat, before + 1)
    time.sleep(1.0)
    return "\n".join(html.unescape(m["text"]) for m in bot_api.sent(chat)[before:])


def widget_ask(page, text):
    """Sends a message in the widget; returns the new bot messages once the bot is quiet."""
    before = bot_messages(page).count()
    page.get_by_role("textbox").fill(text)
    page.keyboard.press("Enter")
    expect(bot_messages(page)).not_to_have_count(before, timeout=30_000)
    time.sleep(1.0)
    return "\n".join(bot_messages(page).all_inner_texts()[before:])


def news_in(texts, code):
    return [t for t in texts if code in t and ("changed from" in t or "진행 상황이" in t)]


def test_a_status_change_on_the_command_line_reaches_telegram_the_widget_and_the_mailbox_once(
        assistant, bot_api, mailbox, draft, page, artifacts):
    code, address = draft
    # The applicant proves the draft in a Telegram chat (English) ...
    reply = telegram_ask(bot_api, CHAT, f"What is the status of {code}?")
    reply = finish_proof(lambda _user, text: telegram_ask(bot_api, CHAT, text), CHAT, reply, address, mailbox)
    assert "draft" in reply.lower() and code in reply, reply
    # ... and in the web widget (Korean), which stays open.
    page.get_by_role("button", name="상담 챗봇 열기").click()
    expect(bot_messages(page).first).to_contain_text("안녕하세요", timeout=30_000)
    reply = widget_ask(page, f"{code} 진행 상황 알려주세요")
    reply = finish_proof(lambda _user, text: widget_ask(page, text), "widget", reply, address, mailbox)
    assert code in reply and "작성 중" in reply, reply
    mails_before = mailbox.count(address)

    done = subprocess.run([sys.executable, "-m", "knowledge", "proposals", "set-status", code, "submitted",
                           "--note", "Received by KAIA, thank you", "--by", "kaia-officer"],
                          env={**os.environ, "DATABASE_URL": assistant.database_url},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "told on 3 channel(s)" in done.stdout, done.stdout

    # Telegram, in English.
    deadline = time.time() + 60
    while not news_in([html.unescape(m["text"]) for m in bot_api.sent(CHAT)], code) and time.time() < deadline:
        time.sleep(0.5)
    (telegram_news,) = news_in([html.unescape(m["text"]) for m in bot_api.sent(CHAT)], code)
    assert f'proposal {code} changed from "draft" to "submitted"' in telegram_news, telegram_news
    assert "Note from the secretariat: Received by KAIA, thank you" in telegram_news
    # The open widget, in Korean, without the applicant writing anything.
    expect(page.locator(".kcn-log")).to_contain_text("'작성 중'에서 '접수 완료'(으)로 바뀌었습니다", timeout=60_000)
    # The mailbox, in the draft's language.
    letter = mailbox.last_to(address, timeout=60)
    assert " ".join(str(letter["Subject"]).split()) == f"News about your K-City Network proposal {code}" and letter["Content-Language"] == "en"
    assert "Received by KAIA, thank you" in letter.get_body(("plain",)).get_content()

    time.sleep(12)  # two more rounds of the worker: nothing is sent again
    assert len(news_in([html.unescape(m["text"]) for m in bot_api.sent(CHAT)], code)) == 1
    widget_news = news_in(bot_messages(page).all_inner_texts(), code)
    assert len(widget_news) == 1 and "사무국 메모: Received by KAIA, thank you" in widget_news[0], widget_news
    assert mailbox.count(address) == mails_before + 1
    page.screenshot(path=str(artifacts / "status_news_widget.png"))

    listed = subprocess.run([sys.executable, "-m", "knowledge", "proposals", "news", code],
                            env={**os.environ, "DATABASE_URL": assistant.database_url},
                            capture_output=True, text=True, timeout=60).stdout
    assert sorted(line.split()[4] for line in listed.splitlines()) == ["email", "telegram", "web"], listed
    assert all(" sent " in line for line in listed.splitlines()), listed
    # The Telegram news is part of the conversation's record too (what the helpdesk console shows).
    events = assistant.tracker(f"telegram-{CHAT}")["events"]
    assert any(e["event"] == "bot" and code in (e.get("text") or "") and "changed from" in e["text"] for e in events)
