"""Deadline reminders for an open draft: asked for in the chat, sent by the notification worker
(knowledge/notifications.py, bot/notify/) here and to the draft's e-mail, stopped at any time."""
from typing import Text

from rasa_sdk import Action

from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import clock, email_proof, notifications, proposals
from knowledge.wording import formatting as fmt
from knowledge.wording import say


class ActionRemindDeadline(Action):
    """Reminders for the draft made or continued in this conversation (so already proved here)."""

    def name(self) -> Text:
        return "action_remind_deadline"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        code = tracker.get_slot("draft_code")
        if not code:
            dispatcher.utter_message(text=say("reminder_no_draft", lang))
            return []
        with knowledge_access("deadline reminder", dispatcher, lang):
            dispatcher.utter_message(text=self.subscribe(tracker.sender_id, code, lang))
        return []

    @staticmethod
    def subscribe(conversation_id: str, code: str, lang: str) -> str:
        draft, call = proposals.get_with_call(code)
        if draft is None or call is None:
            return say("reminder_no_draft", lang)
        if draft.current.status != "draft":
            return say("reminder_not_a_draft", lang, code=code, status=draft.current.name.get(lang))
        track = call.track(draft.track_code)
        deadline = track.deadline or track.review_cutoff
        facts = dict(track=track.name.get(lang), deadline=fmt.date(deadline, lang) if deadline else "")
        # A track taking proposals all year has no deadline once its cut-off for this year passed.
        if deadline is None or (track.deadline is None and deadline < clock.today()):
            return say("reminder_no_deadline", lang, **facts)
        if deadline < clock.today():
            return say("reminder_deadline_passed", lang, secretariat=track.secretariat.name.get(lang), **facts)
        subscription = notifications.subscribe(conversation_id, code, lang)
        if not subscription.days:
            return say("reminder_too_late", lang, how=track.submission_how.get(lang), **facts)
        address = email_proof.mask(draft.contact_email)
        where = "reminder_where_chat" if notifications.channel_of(conversation_id) else "reminder_where_mail"
        return fmt.capitalized(say("reminder_set", lang, code=code, where=say(where, lang, address=address),
                                   dates=fmt.join([fmt.date(day, lang) for day in subscription.days], lang), **facts))


class ActionStopReminders(Action):
    def name(self) -> Text:
        return "action_stop_reminders"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        with knowledge_access("deadline reminder", dispatcher, lang):
            codes = notifications.active_reminders(tracker.sender_id)
            notifications.stop(tracker.sender_id)
            dispatcher.utter_message(text=say("reminders_stopped", lang, codes=", ".join(codes)) if codes
                                     else say("reminders_none", lang))
        return []
