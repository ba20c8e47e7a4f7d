"""Sending text with python-telegram-bot, and keeping the bot's token out of the logs: shared by the
Telegram channel (replies, helpdesk messages) and the notification worker (bot/notify/), which
sends status news without the Rasa server.

Imports no Rasa: the worker is a small process of its own.
"""
import asyncio
import html
import logging
from typing import Any, List, Optional, Set
from urllib.parse import quote

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

MAX_TRIES = 4
MAX_WAIT = 30.0  # seconds; a longer retry_after is not waited for inside a reply

HIDDEN = "<hidden>"
_hidden: Set[str] = set()


class Undelivered(Exception):
    """A message Telegram did not take after the retries; `permanent` when it never will (the user
    blocked the bot, the chat is gone), so there is no point in trying later."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


async def send_piece(bot: Bot, chat_id: int, text: str, markup: Optional[InlineKeyboardMarkup] = None) -> None:
    """Sends one message (HTML-escaped), waiting out short rate limits and network errors."""
    for attempt in range(1, MAX_TRIES + 1):
        try:
            await bot.send_message(chat_id, html.escape(text), parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        except RetryAfter as e:
            wait = _seconds(e.retry_after)
            if wait > MAX_WAIT or attempt == MAX_TRIES:
                raise Undelivered(f"rate-limited for {wait:.0f} s") from e
            logging.getLogger(__name__).warning("telegram: rate-limited, retrying in %.0f s", wait)
            await asyncio.sleep(wait)
        except Forbidden as e:  # the user blocked the bot or left the chat: nothing to deliver to
            raise Undelivered(f"cannot send ({e.message}); the conversation is kept", permanent=True) from e
        except BadRequest as e:  # e.g. "chat not found": this message will never be taken
            raise Undelivered(f"refused: {e.message}", permanent=True) from e
        except NetworkError as e:  # includes TimedOut; Telegram may be briefly unreachable
            if attempt == MAX_TRIES:
                raise Undelivered(f"giving up after {MAX_TRIES} tries: {e}") from e
            await asyncio.sleep(0.5 * 2 ** attempt)
        except TelegramError as e:
            raise Undelivered(f"refused: {e}") from e


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def split_message(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> List[str]:
    """Pieces of at most `limit` characters, cut at a line break, else a sentence end, else a space."""
    pieces, rest = [], text
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("다. "))
            cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.rstrip())
    return pieces


def _redacted(text: str) -> str:
    for secret in _hidden:
        text = text.replace(secret, HIDDEN)
    return text


def _shows_a_secret(text: Optional[str]) -> bool:
    return bool(text) and any(secret in text for secret in _hidden)


def _redacting(make_record):
    """A log record factory wrapping `make_record`: a record whose message, traceback or stack
    shows a hidden secret gets them with the secret replaced. A factory rather than a filter: it
    sees every record of every logger, and handlers added later (Sanic's, Rasa's) need nothing."""

    def make(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call; logging reports it when the record is formatted
            return record
        if _shows_a_secret(message):
            record.msg, record.args = _redacted(message), None
        if record.exc_info and record.exc_info[1] is not None:
            trace = logging.Formatter().formatException(record.exc_info)
            if _shows_a_secret(trace):
                record.exc_text = _redacted(trace)  # formatters print exc_text when it is set
        if _shows_a_secret(record.stack_info):
            record.stack_info = _redacted(record.stack_info)
        return record

    return make


def hide_in_logs(*secrets: str) -> None:
    """From now on no log record of this process shows these secrets (as written or URL-quoted)."""
    found = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
    if found and not _hidden:
        logging.setLogRecordFactory(_redacting(logging.getLogRecordFactory()))
    _hidden.update(found)
