"""One sender per channel. Each raises Undeliverable when the message did not go out, `permanent`
when it never will, so the worker knows whether to try again later."""
import asyncio
import logging
from typing import Dict, Optional

import aiohttp
from telegram import Bot

from bot.notify.messages import Message, as_html
from bot.server.channels.telegram_sending import Undelivered, hide_in_logs, send_piece, split_message
from bot.web.rasa_client import RasaApi
from knowledge import mail, settings
from knowledge.notifications import Channel, Pending

logger = logging.getLogger(__name__)

TELEGRAM_PREFIX = "telegram-"


class Undeliverable(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def _bot_event(message: Message, pending: Pending) -> dict:
    return {"event": "bot", "text": message.text, "metadata": {"notification": pending.kind}}


class WidgetSender:
    """Through the Rasa server's HTTP API: the news is added to the conversation and emitted to its
    socket.io session, so an open widget shows it at once (a closed one finds it in the record)."""

    def __init__(self, rasa: RasaApi):
        self.rasa = rasa

    async def send(self, pending: Pending, message: Message) -> None:
        try:
            await self.rasa.append(pending.target, [_bot_event(message, pending)])
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise Undeliverable(f"the Rasa server did not take it: {type(error).__name__}: {error}") from error


class TelegramSender:
    """Straight to the Bot API with python-telegram-bot (the Rasa server's channel would swallow a
    failure), then recorded in the conversation without sending it again."""

    def __init__(self, bot: Optional[Bot], rasa: RasaApi):
        self.bot, self.rasa = bot, rasa

    async def send(self, pending: Pending, message: Message) -> None:
        if self.bot is None:
            raise Undeliverable("TELEGRAM_BOT_TOKEN is not set")
        chat_id = int(pending.target[len(TELEGRAM_PREFIX):])
        try:
            for piece in split_message(message.text):
                await send_piece(self.bot, chat_id, piece)
        except Undelivered as error:
            raise Undeliverable(str(error), permanent=error.permanent) from error
        try:
            await self.rasa.append(pending.target, [_bot_event(message, pending)], deliver=False)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:  # sent: only the record is missing
            logger.warning("notify: sent to %s but not recorded in the conversation: %s", pending.target, error)


class MailSender:
    async def send(self, pending: Pending, message: Message) -> None:
        letter = mail.Mail(to=pending.target, subject=message.subject, text=message.text + "\n",
                           html=as_html(message, pending.language), language=pending.language or "ko, en")
        try:
            await mail.send(letter)
        except mail.MailError as error:
            raise Undeliverable(str(error)) from error


def telegram_bot() -> Optional[Bot]:
    token = settings.telegram_bot_token()
    if not token:
        return None
    hide_in_logs(token)
    return Bot(token, base_url=settings.telegram_api_base_url())


def senders(rasa: RasaApi, bot: Optional[Bot]) -> Dict[str, object]:
    return {Channel.WEB: WidgetSender(rasa), Channel.TELEGRAM: TelegramSender(bot, rasa), Channel.EMAIL: MailSender()}
