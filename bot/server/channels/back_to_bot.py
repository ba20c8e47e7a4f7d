"""Lets an applicant leave the helpdesk queue while the bot is paused.

Rasa does not run any action in a paused conversation, so "/bot" cannot be a rule: the input
channels (bot/server/channels/guarded_input.py) pass each message through `resume_if_asked` first, which resumes the
conversation (ConversationResumed in the tracker), records the handoff as returned, and turns the
message into the `back_to_bot` intent so the bot says it is back.
"""
import logging
import re
from typing import Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ConversationResumed
from sanic import Sanic

from knowledge import handoffs

logger = logging.getLogger(__name__)

BACK_TO_BOT = re.compile(r"^\s*(/bot|back to the bot|back to bot|챗봇으로 돌아가기|챗봇으로 돌아갈래요|챗봇)\s*[.!]?\s*$",
                         re.IGNORECASE)


async def resume_if_asked(app: Optional[Sanic], message: UserMessage) -> UserMessage:
    if app is None or not BACK_TO_BOT.match(message.text or ""):
        return message
    agent = app.ctx.agent
    tracker = await agent.tracker_store.retrieve(message.sender_id)
    if tracker is None or not tracker.is_paused():
        return message
    tracker.update(ConversationResumed())
    # A paused turn never ended with action_listen; without it no rule matches the next message.
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    await agent.tracker_store.save(tracker)
    try:
        handoffs.applicant_returned(message.sender_id)
    except Exception:  # the conversation is resumed either way; the record can be fixed by staff
        logger.exception("handoff: could not record the applicant's return to the bot")
    message.text = "/back_to_bot"
    return message
