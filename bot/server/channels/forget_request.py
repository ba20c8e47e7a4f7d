"""An applicant asking that their conversation be deleted, answered by the input channels
(guarded_input.py) before Rasa reads the message.

Not an intent: a trained one pulled other questions towards it, and even an untrained one in the
domain changes DIET's label features and so its answers elsewhere. A message asks for deletion
when it names the conversation (대화, 채팅, 상담 내역 / conversation, chat, messages, history, my
data) and deleting it (삭제, 지워, 없애 / delete, erase, remove, forget), or says "forget me" /
"잊혀질 권리". The channel answers with what will and will not be deleted and a button; nothing
is deleted until it is pressed. The button's payload records the request, which the notification
worker does seconds later (knowledge/retention.py). Neither message reaches the tracker, so a
form in progress goes on as if nothing was said (and ends with the conversation if confirmed).
"""
import json
import logging
import re

from rasa.core.channels.channel import UserMessage
from sqlalchemy.exc import SQLAlchemyError

from knowledge import retention
from knowledge.wording import LANGUAGES, language_of_text, say

logger = logging.getLogger(__name__)

CONFIRMED = "/forget_conversation"  # the button's payload, with the language: /forget_conversation{"language": "ko"}
_KOREAN = re.compile(r"(대화|채팅|상담|메시지|메세지|기록|내역).{0,15}(삭제|지워|지우|지울|없애|파기)|잊혀질\s*권리")
_ENGLISH = re.compile(
    r"\b(delete|erase|remove|wipe|forget|destroy|purge)\b.{0,40}"
    r"\b(conversations?|chats?|messages|chat history|history|transcripts?|my (personal )?data|everything i (said|wrote))\b"
    r"|\b(conversation|chat|messages)\b.{0,20}\b(deleted|erased|removed)\b"
    r"|\bforget (about )?me\b|\bright to (be forgotten|erasure)\b",
    re.IGNORECASE)


def asks_to_forget(text: str) -> bool:
    return not (text or "").startswith("/") and bool(_KOREAN.search(text or "") or _ENGLISH.search(text or ""))


def _confirmed_language(text: str):
    """The language of a pressed confirmation button, or None if the message is not one."""
    if not (text or "").startswith(CONFIRMED):
        return None
    try:
        language = json.loads(text[len(CONFIRMED):] or "{}").get("language")
    except (ValueError, AttributeError):
        language = None
    return language if language in LANGUAGES else LANGUAGES[0]


async def answer_if_asked(message: UserMessage) -> bool:
    """Answers a deletion request or its confirmation; whether the message was one."""
    text, sender, channel = message.text or "", message.sender_id, message.output_channel
    lang = _confirmed_language(text)
    if lang:
        try:
            retention.request(sender)
        except SQLAlchemyError:
            logger.exception("forget request: the knowledge base cannot be reached")
            await channel.send_text_message(sender, say("forget_failed", lang))
        else:
            await channel.send_text_message(sender, say("forget_recorded", lang))
        return True
    if not asks_to_forget(text):
        return False
    lang = language_of_text(text)
    payload = CONFIRMED + json.dumps({"language": lang})
    await channel.send_text_with_buttons(sender, say("forget_confirm", lang),
                                         [{"title": say("forget_button", lang), "payload": payload}])
    return True
