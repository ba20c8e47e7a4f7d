"""bot/notify/: rounds of the worker with its real senders: python-telegram-bot against a loopback Bot
API, aiosmtplib against a loopback SMTP server. What the applicant reads, in their language; once;
a channel that fails is tried again later and the others are not held up."""
import asyncio
import datetime
import html

import pytest
from telegram import Bot

from bot.notify.senders import senders
from bot.notify.worker import Worker
from bot.web.rasa_client import RasaApi
from bot_api_standin import TOKEN, BotApiStandIn
from knowledge import email_proof, notifications, proposals

CODE = "KCN-2024-P-2401-J"  # demo: planning track, pre-consulting
OWNER = "planning.demo@example.org"


@pytest.fixture
def bot_api():
    standin = BotApiStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()
    return proposals.get(CODE)


def shown(sent):
    """The one message sent, as the Telegram app shows it (sent as HTML, escaped)."""
    (message,) = sent
    return html.unescape(message["text"])


def rounds(bot_api, count=1):
    async def run():
        rasa = RasaApi("http://127.0.0.1:9", "token")  # no Rasa server: a Telegram message is only not recorded
        await rasa.start()
        try:
            async with Bot(TOKEN, base_url=bot_api.base_url) as bot:
                worker = Worker(senders(rasa, bot), name="test-worker")
                return [await worker.round() for _ in range(count)]
        finally:
            await rasa.stop()
    return asyncio.run(run())


def test_a_status_change_reaches_the_chat_and_the_mailbox_once_in_each_language(demo, bot_api, mailbox):
    assert demo.contact_email == OWNER
    email_proof.link("telegram-71", CODE, language="ko")
    before = mailbox.count(OWNER)
    proposals.set_status(CODE, "under_review", note="평가위원회 검토 중", by="kind-officer")
    assert rounds(bot_api, 2) == [2, 0], "both sent in the first round, nothing twice"
    chat = shown(bot_api.sent(71))
    assert "제안서 KCN-2024-P-2401-J의 진행 상황이 '사전 컨설팅 중'에서 '평가 중'(으)로 바뀌었습니다" in chat, chat
    assert "사무국 메모: 평가위원회 검토 중" in chat and "최종 선정 예정" in chat
    assert mailbox.count(OWNER) == before + 1
    letter = mailbox.last_to(OWNER)
    text = letter.get_body(preferencelist=("plain",)).get_content()
    # The demo proposal's language is not known: the mail says it in Korean, then in English.
    assert "진행 상황" in letter["Subject"] and "News about your K-City Network proposal" in letter["Subject"]
    assert "평가위원회 검토 중" in text and 'changed from "in pre-consulting" to "under review"' in text
    assert letter.get_body(preferencelist=("html",)) is not None
    assert {r.channel: r.state for r in notifications.history(CODE)} == {"telegram": "sent", "email": "sent"}


def test_a_blocked_chat_is_given_up_while_the_mail_goes_out(demo, bot_api, mailbox):
    email_proof.link("telegram-72", CODE, language="en")
    bot_api.fail_next_send(403, "Forbidden: bot was blocked by the user")
    proposals.set_status(CODE, "under_review")
    assert rounds(bot_api) == [1]
    states = {r.channel: (r.state, r.last_error) for r in notifications.history(CODE)}
    assert states["email"] == ("sent", None)
    assert states["telegram"][0] == "given up" and "blocked" in states["telegram"][1]


def test_a_mail_server_that_is_down_is_tried_again_later(demo, bot_api, monkeypatch):
    monkeypatch.setenv("KCN_SMTP_URL", "smtp://127.0.0.1:9")
    proposals.set_status(CODE, "under_review")
    assert rounds(bot_api) == [0]
    (record,) = notifications.history(CODE)
    assert record.state == "waiting" and record.attempts == 1 and record.last_error
    assert notifications.claim("other", at=datetime.datetime.utcnow()) == [], "not before its retry time"


def test_a_reminder_says_the_deadline_and_how_to_stop(knowledge_db, today, bot_api, mailbox, monkeypatch):
    today("2024-03-12")  # the demonstration track closes on 2024-03-19
    monkeypatch.setenv("KCN_REMINDER_DAYS", "7")
    draft = proposals.create_draft(2024, "demonstration", "pilot@example.org", language="en", title="Smart poles")
    email_proof.link("telegram-73", draft.code, language="en")
    notifications.subscribe("telegram-73", draft.code, "en")
    assert rounds(bot_api, 2) == [2, 0]
    chat = shown(bot_api.sent(73))
    assert "close on 19 March 2024 (7 days left). Your draft " + draft.code in chat, chat
    assert 'write "stop reminders" in the chat' in chat
    assert "deadline reminder" in mailbox.last_to("pilot@example.org")["Subject"]
