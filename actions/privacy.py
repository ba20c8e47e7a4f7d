"""An applicant's request to delete their conversation: asked once, confirmed with a button, then
recorded for the retention job (knowledge/retention.py), which deletes it at its next run."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import retention, settings
from knowledge.wording import say

CONFIRM = "/forget_conversation"  # the "yes" button's payload: the same intent, pressed rather than typed
CANCEL = "/stop"


class ActionForgetConversation(Action):
    def name(self) -> Text:
        return "action_forget_conversation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        lang = language_of(tracker)
        # Typed words only ask: a misheard "forget it" must never delete anything.
        if (tracker.latest_message.get("text") or "").strip() != CONFIRM:
            dispatcher.utter_message(text=say("forget_confirm", lang), buttons=[
                {"title": say("forget_yes", lang), "payload": CONFIRM},
                {"title": say("forget_no", lang), "payload": CANCEL}])
            return []
        with knowledge_access("forget", dispatcher, lang) as access:
            retention.request(tracker.sender_id)
        if not access.failed:
            minutes = max(1, round(settings.retention_interval() / 60))
            dispatcher.utter_message(text=say("forget_requested", lang, minutes=minutes))
        return []
