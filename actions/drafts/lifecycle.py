"""Starting a draft, continuing a saved one (after the applicant's proof), finishing and stopping.

The rules read the draft_next slot these actions set to know what follows: the draft form
("form"), the applicant's proof in draft_access_form ("proof"), or nothing ("none").

A draft is opened, and the other drafts under its e-mail are listed, only to a conversation that
proved it reads that address (a code mailed to it: knowledge/email_proof.py), when the draft was
made here or through draft_access_form; an address someone merely typed opens and lists nothing.
"""
from typing import Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.applicant_proof import PROOF_SLOTS, ApplicantProof
from actions.drafts.call import OPEN, current_call, open_tracks
from actions.drafts.slots import cleared
from actions.drafts.summary import saved_slots, summary_lines
from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from actions.knowledge_answer import Question
from actions.schedule import intake_lines
from actions.status_check import status_lines
from knowledge import clock, email_proof, proposals, service
from knowledge.wording import formatting as fmt
from knowledge.wording import say

NEXT = "draft_next"


class ActionStartDraft(Action):
    """Starts a fresh draft if any track takes proposals today; otherwise says when they do."""

    def name(self) -> Text:
        return "action_start_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = current_call(dispatcher, lang)
        if call is None:
            return [SlotSet(NEXT, "none")]
        if not open_tracks(call):
            q = Question(lang=lang, today=clock.today())
            lines = [say("draft_no_open_track", lang)] + intake_lines(call, q) + q.date_notes(call)[1:]
            dispatcher.utter_message(text="\n".join(fmt.capitalized(line) for line in lines))
            return [SlotSet(NEXT, "none")]
        return cleared() + [SlotSet("draft_code", None), SlotSet(NEXT, "form")]


class ValidateDraftAccessForm(ApplicantProof):
    """The applicant's proof (reference code, then a code mailed to its address), for continuing a saved draft."""

    purpose = email_proof.Purpose.RESUME

    def name(self) -> Text:
        return "validate_draft_access_form"


class ActionResumeDraft(Action):
    """Continues this conversation's draft, or one proved by reference code and a mailed code."""

    def name(self) -> Text:
        return "action_resume_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        proof = [SlotSet(slot, None) for slot in PROOF_SLOTS]
        if tracker.get_slot("proof_refused"):  # the proof said why it could not go on
            return proof + [SlotSet(NEXT, "none")]
        code = tracker.get_slot("verified_code") or tracker.get_slot("draft_code")
        if not code:
            return [SlotSet(NEXT, "proof")]
        with knowledge_access("draft", dispatcher, lang) as access:
            draft, call = proposals.get_with_call(code)
            # Other drafts under the address only for a conversation that proved it reads it.
            proved = draft is not None and email_proof.proven(tracker.sender_id, draft.contact_email)
            others = [p.code for p in proposals.drafts_of(draft.contact_email) if p.code != code] if proved else []
        if access.failed:
            return proof + [SlotSet(NEXT, "none")]
        if draft is None:  # deleted by staff meanwhile
            dispatcher.utter_message(text=say("proof_unknown_code", lang, code=code, left=proposals.MAX_FAILED_CHECKS))
            return proof + [SlotSet("draft_code", None), SlotSet(NEXT, "none")]
        if draft.current.status != "draft":
            lines = [say("draft_resume_not_draft", lang, code=draft.code)] + status_lines(draft, call, lang)
            dispatcher.utter_message(text="\n".join(lines))
            return proof + [SlotSet(NEXT, "none")]
        track = call.track(draft.track_code) if call else None
        if track is None or service.intake_status(call, track, clock.today()) not in OPEN:
            name = track.name.get(lang) if track else draft.track_code
            dispatcher.utter_message(text=say("draft_resume_closed", lang, code=draft.code, track=name))
            return proof + [SlotSet(NEXT, "none")]
        lines = [say("draft_continue", lang, code=draft.code)]
        if others:
            lines.append(say("draft_other_drafts", lang, codes=fmt.join(others, lang)))
        dispatcher.utter_message(text=" ".join(lines))
        return proof + cleared() + [SlotSet(slot, value) for slot, value in saved_slots(draft).items()] + [
            SlotSet("draft_code", draft.code), SlotSet(NEXT, "form")]


class ActionFinishDraft(Action):
    """The draft's summary, its reference code, and how to submit it formally."""

    def name(self) -> Text:
        return "action_finish_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        with knowledge_access("draft", dispatcher, lang) as access:
            draft, call = proposals.get_with_call(tracker.get_slot("draft_code") or "")
        if access.failed:
            return cleared()
        if draft is None or call is None or call.track(draft.track_code) is None:
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return cleared()
        dispatcher.utter_message(text="\n".join(summary_lines(draft, call, lang)))
        return cleared()


class ActionStopDraft(Action):
    """Leaves the draft form; everything answered so far is already saved."""

    def name(self) -> Text:
        return "action_stop_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        code = tracker.get_slot("draft_code")
        if not code:  # a code mailed to confirm the address no longer works
            with knowledge_access("draft"):
                email_proof.forget(tracker.sender_id)
        dispatcher.utter_message(text=say("draft_stopped", lang, code=code) if code else say("draft_stopped_unsaved", lang))
        return cleared()
