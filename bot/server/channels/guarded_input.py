"""What every input channel does around Rasa's message handler.

Each message is screened (input_screen.py), may ask that the conversation be deleted (answered
here, not by Rasa: forget_request.py), may take the applicant back from the helpdesk ("/bot",
back_to_bot.py), and if Rasa fails on it (e.g. its tracker store's database is down)
the applicant gets an apology instead of nothing.
"""
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.server.channels.back_to_bot import resume_if_asked
from bot.server.channels.forget_request import answer_if_asked
from bot.server.channels.input_screen import screen_message
from bot.server.patches.resilience import apology
from knowledge.wording import language_of_text

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class GuardedInput:
    """Mixin for input channels: `guarded(handler)` wraps Rasa's message handler;
    `remember_app(blueprint)` gives it the server's agent (needed to resume a conversation)."""

    app: Optional[Sanic] = None

    def guarded(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def deliver(message: UserMessage) -> Any:
            try:
                screen_message(message)
                if await answer_if_asked(message):
                    return None
                return await on_new_message(await resume_if_asked(self.app, message))
            except Exception:
                logger.exception("the message from %s could not be handled", message.sender_id)
                await message.output_channel.send_text_message(message.sender_id, apology(language_of_text(message.text)))

        return deliver

    def remember_app(self, blueprint) -> None:
        @blueprint.listener("before_server_start")
        async def remember(app, _loop) -> None:
            self.app = app
