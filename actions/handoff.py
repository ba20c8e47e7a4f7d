"""Handing a conversation to a person: queue it, say when people answer, and pause the bot.

While a conversation is paused (ConversationPaused) Rasa logs the applicant's messages without
answering; the helpdesk console reads them from the tracker and writes back through Rasa's API.
The applicant returns to the bot with "/bot" (bot/server/channels/back_to_bot.py resumes the conversation).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import handoffs, service
from knowledge.wording import say


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        lang = language_of(tracker)
        reason = "asked" if (tracker.latest_message.get("intent") or {}).get("name") == "human_handoff" else "not_understood"
        # Without the queue no person would ever see the conversation: the bot is not paused.
        with knowledge_access("handoff", dispatcher, lang, apology="handoff_unavailable") as access:
            helpdesk = service.helpdesk()
            handoffs.request(tracker.sender_id, tracker.get_latest_input_channel() or "unknown", lang, reason)
        if access.failed:
            return []
        lines = [say("handoff_queued", lang)]
        if helpdesk is not None:
            lines.append(say("handoff_hours", lang, hours=helpdesk.hours.get(lang)))
            lines.append(say("handoff_open", lang) if helpdesk.is_open() else helpdesk.outside_hours.get(lang))
        lines.append(say("handoff_back", lang))
        dispatcher.utter_message(text=" ".join(lines))
        return [ConversationPaused()]
