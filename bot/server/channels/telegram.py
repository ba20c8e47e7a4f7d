"""Telegram channel for Rasa, built on python-telegram-bot (async, v21+).

Rasa's own Telegram channel cannot send a message outside the user's turn (a helpdesk reply),
so this connector keeps one python-telegram-bot Application for the server's lifetime and
exposes its Bot as the output channel. Long polling by default (a token is all it needs);
webhook mode when TELEGRAM_WEBHOOK_URL is set, checking Telegram's secret-token header.

Configuration comes from the environment only (credentials.yml names the class):
  TELEGRAM_BOT_TOKEN        the bot's token; without it the channel stays off
  TELEGRAM_WEBHOOK_URL      public https URL of /webhooks/telegram/webhook (webhook mode)
  TELEGRAM_WEBHOOK_SECRET   secret token Telegram sends back in a header (required with a webhook)
  TELEGRAM_API_BASE_URL     Bot API endpoint (default Telegram's; tests point it at a stand-in)

The token is part of every Bot API URL (…/bot<TOKEN>/getUpdates), and python-telegram-bot's HTTP
client (httpx) logs each request's URL at INFO: with the channel on, the Rasa server process
replaces the token (and the webhook secret) in every log record, whichever logger wrote it
(`hide_in_logs`, in telegram_sending.py with the sending itself, which the notification worker shares).
"""
import hashlib
import hmac
import json
import logging
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.server.channels.guarded_input import GuardedInput
from bot.server.channels.input_screen import unreadable
from bot.server.channels.telegram_sending import Undelivered, hide_in_logs, send_piece, split_message
from knowledge import settings
from knowledge.wording import HELPDESK_LABEL, LANGUAGES, say

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
HELPDESK_MARK = "👤"  # before the label on an officer's reply
SENDER_PREFIX = "telegram-"  # Rasa conversation ids: telegram-<chat id>, never clashing with web ids


def greet_in(language: str) -> str:
    """The payload that greets the applicant and sets the conversation's language."""
    return f'/greet{{"language": "{language}"}}'


def sender_id(chat_id: int) -> str:
    return f"{SENDER_PREFIX}{chat_id}"


def chat_id_of(recipient_id: str) -> int:
    return int(recipient_id[len(SENDER_PREFIX):] if recipient_id.startswith(SENDER_PREFIX) else recipient_id)


class ButtonPayloads:
    """Telegram allows 64 bytes of callback data; longer payloads are kept here under a short key."""

    def __init__(self, size: int = 10_000):
        self._long: "OrderedDict[str, str]" = OrderedDict()
        self._size = size

    def data_for(self, payload: str) -> str:
        if len(payload.encode()) <= 64 and not payload.startswith("#"):
            return payload
        key = "#" + hashlib.sha1(payload.encode()).hexdigest()[:16]
        self._long[key] = payload
        self._long.move_to_end(key)
        while len(self._long) > self._size:
            self._long.popitem(last=False)
        return key

    def payload_of(self, data: str) -> Optional[str]:
        return self._long.get(data) if data.startswith("#") else data


class TelegramOutput(OutputChannel):
    """Sends Rasa's replies with python-telegram-bot: HTML-escaped, split, buttons as inline keyboards."""

    def __init__(self, bot: Bot, payloads: ButtonPayloads) -> None:
        self.bot, self.payloads = bot, payloads

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    async def _send(self, chat_id: int, text: str, markup: Optional[InlineKeyboardMarkup] = None) -> None:
        try:
            await send_piece(self.bot, chat_id, text, markup)
        except Undelivered as error:  # logged; the conversation goes on (a reply cannot be queued)
            (logger.warning if error.permanent else logger.error)("telegram: reply to %s not delivered: %s", chat_id, error)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        if kwargs.get(HELPDESK_LABEL):  # every message comes from the bot's account: the label says a person wrote it
            text = f"{HELPDESK_MARK} {kwargs[HELPDESK_LABEL]}\n{text}"
        for piece in split_message(text):
            await self._send(chat_id_of(recipient_id), piece)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(b["title"], callback_data=self.payloads.data_for(b["payload"]))]
                                         for b in buttons])
        pieces = split_message(text or "…")
        for piece in pieces[:-1]:
            await self._send(chat_id_of(recipient_id), piece)
        await self._send(chat_id_of(recipient_id), pieces[-1], keyboard)


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class TelegramInput(GuardedInput, InputChannel):
    """Registered in credentials.yml as `bot.server.channels.telegram.TelegramInput`."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.token = settings.telegram_bot_token()
        self.webhook_url = settings.telegram_webhook_url()
        self.webhook_secret = settings.telegram_webhook_secret()
        self.base_url = settings.telegram_api_base_url()
        hide_in_logs(self.token, self.webhook_secret)
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (Telegram echoes it in a header)")
        self.payloads = ButtonPayloads()
        self.application: Optional[Application] = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The channel a helpdesk reply is pushed through, usable at any time while the server runs."""
        return TelegramOutput(self.application.bot, self.payloads) if self.application else None

    def _build(self, on_new_message: OnNewMessage) -> Application:
        builder = ApplicationBuilder().token(self.token).base_url(self.base_url)
        if self.webhook_url:
            builder = builder.updater(None)  # updates arrive on our Sanic route instead
        application = builder.build()

        async def deliver(chat_id: int, text: str, metadata: Dict[str, Any]) -> None:
            output = TelegramOutput(application.bot, self.payloads)
            await on_new_message(UserMessage(text, output, sender_id(chat_id), input_channel=CHANNEL, metadata=metadata))

        def metadata_of(update: Update) -> Dict[str, Any]:
            user = update.effective_user
            return {"telegram": {"user_id": user.id if user else None,
                                 "language_code": user.language_code if user else None}}

        async def on_text(update: Update, _context) -> None:
            await deliver(update.effective_chat.id, update.effective_message.text, metadata_of(update))

        async def on_not_text(update: Update, _context) -> None:
            # Photos, files, stickers, voice: told that only text is read, not met with silence.
            await deliver(update.effective_chat.id, unreadable("not_text"), metadata_of(update))

        async def on_button(update: Update, _context) -> None:
            query = update.callback_query
            try:
                await query.answer()
            except TelegramError:
                logger.warning("telegram: could not acknowledge a button press")
            payload = self.payloads.payload_of(query.data or "")
            if payload:
                await deliver(update.effective_chat.id, payload, metadata_of(update))

        async def choose_language(update: Update) -> None:
            output = TelegramOutput(application.bot, self.payloads)
            # Asked before the language is known, so in every language the assistant speaks.
            prompt = " / ".join(say("choose_language", lang) for lang in LANGUAGES)
            await output.send_text_with_buttons(sender_id(update.effective_chat.id), prompt,
                                                [{"title": say("language_name", lang), "payload": greet_in(lang)}
                                                 for lang in LANGUAGES])

        async def on_start(update: Update, _context) -> None:
            code = ((update.effective_user.language_code if update.effective_user else None) or "")[:2]
            if code in LANGUAGES:
                await deliver(update.effective_chat.id, greet_in(code), metadata_of(update))
            else:
                await choose_language(update)

        async def on_lang(update: Update, context) -> None:
            wanted = (context.args[0].lower()[:2] if context.args else "")
            if wanted in LANGUAGES:
                await deliver(update.effective_chat.id, greet_in(wanted), metadata_of(update))
            else:
                await choose_language(update)

        async def on_help(update: Update, _context) -> None:
            await deliver(update.effective_chat.id, "/ask_capabilities", metadata_of(update))

        async def on_back_to_bot(update: Update, _context) -> None:
            await deliver(update.effective_chat.id, "/bot", metadata_of(update))

        application.add_handler(CommandHandler("start", on_start))
        application.add_handler(CommandHandler("lang", on_lang))
        application.add_handler(CommandHandler("help", on_help))
        application.add_handler(CommandHandler("bot", on_back_to_bot))
        application.add_handler(CallbackQueryHandler(on_button))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
        application.add_handler(MessageHandler(~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_not_text))
        application.add_error_handler(self._on_error)
        return application

    @staticmethod
    async def _on_error(update: object, context) -> None:
        logger.error("telegram: an update could not be handled", exc_info=context.error)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("telegram_webhook", __name__)
        self.remember_app(bp)
        on_new_message = self.guarded(on_new_message)

        @bp.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok" if self.application else "off",
                                  "mode": "webhook" if self.webhook_url else "polling"})

        if not self.token:
            logger.info("telegram: TELEGRAM_BOT_TOKEN is not set; the Telegram channel is off")
            return bp

        @bp.listener("after_server_start")
        async def start(_app, _loop) -> None:
            self.application = self._build(on_new_message)
            await self.application.initialize()
            await self.application.start()
            if self.webhook_url:
                await self.application.bot.set_webhook(self.webhook_url, secret_token=self.webhook_secret,
                                                       allowed_updates=["message", "callback_query"])
                logger.info("telegram: webhook set to %s", self.webhook_url)
            else:
                await self.application.updater.start_polling(allowed_updates=["message", "callback_query"])
                logger.info("telegram: long polling started")

        @bp.listener("before_server_stop")
        async def stop(_app, _loop) -> None:
            if self.application is None:
                return
            if self.application.updater and self.application.updater.running:
                await self.application.updater.stop()
            await self.application.stop()
            await self.application.shutdown()

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request):
            if not self.webhook_url or self.application is None:
                return response.json({"error": "webhook mode is off"}, status=404)
            sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(sent.encode(), self.webhook_secret.encode()):
                return response.json({"error": "wrong secret token"}, status=403)
            try:
                update = Update.de_json(json.loads(request.body or b"{}"), self.application.bot)
            except (ValueError, TypeError, KeyError):
                return response.json({"error": "not a Telegram update"}, status=400)
            await self.application.process_update(update)
            return response.json({"status": "ok"})

        return bp
