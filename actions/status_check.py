"""Proposal status checks: the reference code, then the contact e-mail as proof, then the status.

An unknown code and a wrong e-mail get the same answer, so no one learns which codes exist; after
proposals.MAX_FAILED_CHECKS failures the conversation is locked out for a while.
"""
import datetime
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from knowledge.wording import formatting as fmt
from actions.forms import StopOnlyWhenSure
from actions.i18n import language_of
from knowledge.wording import say
from actions.schedule import selection_line
from knowledge import clock, proposals, reference_codes, service

logger = logging.getLogger(__name__)

FORM_SLOTS = ("reference_code", "contact_email", "verified_code", "status_check_locked_until")


def shown(value: Optional[str], limit: int = 40) -> str:
    """What the user typed, shortened for echoing back."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _locked(until: datetime.datetime) -> Dict[Text, Any]:
    # Completing the form with the lock recorded lets action_show_proposal_status say so once.
    return {"reference_code": "-", "contact_email": "-", "status_check_locked_until": until.isoformat()}


class ValidateStatusCheckForm(StopOnlyWhenSure, FormValidationAction):
    def name(self) -> Text:
        return "validate_status_check_form"

    async def extract_reference_code(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A code in the message that started the check ("status of KCN-2024-D-2402-B?") is taken at once."""
        if tracker.get_slot("reference_code") or tracker.get_slot("requested_slot") == "reference_code":
            return {}
        code = reference_codes.find_in(tracker.latest_message.get("text"))
        return {"reference_code": code} if code else {}

    def validate_reference_code(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        lang = language_of(tracker)
        try:
            until = proposals.locked_until(tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("status check: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return {"reference_code": None}
        if until:
            return _locked(until)
        code = reference_codes.normalize(reference_codes.find_in(value) or value)
        if code is None:
            dispatcher.utter_message(text=say("code_malformed", lang, value=shown(value)))
            return {"reference_code": None}
        try:
            until = proposals.code_locked_until(code)
        except SQLAlchemyError:
            logger.exception("status check: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return {"reference_code": None}
        return _locked(until) if until else {"reference_code": code}

    def validate_contact_email(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        lang = language_of(tracker)
        if proposals.normalize_email(value) is None:
            dispatcher.utter_message(text=say("email_malformed", lang, value=shown(value)))
            return {"contact_email": None}
        try:
            result = proposals.verify(tracker.sender_id, tracker.get_slot("reference_code") or "", value)
            if result.proposal is None and not result.locked_until:
                left = proposals.MAX_FAILED_CHECKS - proposals.failures_in_a_row(tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("status check: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return {"contact_email": None}
        if result.locked_until:
            return _locked(result.locked_until)
        if result.proposal is None:
            dispatcher.utter_message(text=say("check_failed", lang, left=left))
            return {"reference_code": None, "contact_email": None}
        return {"contact_email": proposals.normalize_email(value), "verified_code": result.proposal.code}


class ActionShowProposalStatus(Action):
    """Says where a verified proposal stands, what that means and what comes next."""

    def name(self) -> Text:
        return "action_show_proposal_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = language_of(tracker)
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        locked = tracker.get_slot("status_check_locked_until")
        if locked:
            dispatcher.utter_message(text=locked_message(locked, lang))
            return reset
        try:
            proposal, call = proposals.get_with_call(tracker.get_slot("verified_code") or "")
        except SQLAlchemyError:
            logger.exception("status check: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return reset
        if proposal is None:  # only reachable if the proposal was deleted meanwhile
            dispatcher.utter_message(text=say("check_failed", lang, left=proposals.MAX_FAILED_CHECKS))
            return reset
        dispatcher.utter_message(text="\n".join(status_lines(proposal, call, lang)))
        return reset


def locked_message(locked_until: str, lang: str) -> str:
    until = datetime.datetime.fromisoformat(locked_until)
    return say("check_locked", lang, until=f"{fmt.date(until.date(), lang)} {until:%H:%M}")


def status_lines(proposal: proposals.Proposal, call: Optional[service.Call], lang: str) -> List[str]:
    step = proposal.current
    track = call.track(proposal.track_code) if call else None
    lines = [say("status_line", lang, code=proposal.code, track=track.name.get(lang) if track else proposal.track_code,
                 title=proposal.title or "-", status=step.name.get(lang), date=fmt.date(step.at.date(), lang))]
    if step.meaning:
        lines.append(step.meaning.get(lang))
    if step.note:
        lines.append(say("status_note", lang, note=step.note))
    if track is not None:
        secretariat = dict(secretariat=track.secretariat.name.get(lang), code=track.secretariat.code)
        if step.status == "draft":
            lines.append(say("next_step", lang, text=say("next_submit", lang, how=track.submission_how.get(lang), **secretariat)))
        elif step.status in ("submitted", "pre_consulting", "under_review"):
            if step.status == "submitted" and track.preconsulting:
                lines.append(say("next_step", lang, text=track.preconsulting.get(lang)))
            lines.append(selection_line(track, lang, clock.today()))
        else:
            lines.append(say("next_step", lang, text=say("next_contact", lang, **secretariat)))
    return [fmt.capitalized(line) for line in lines]


class ActionResetStatusCheck(Action):
    """Forgets a stopped check's half-typed code and e-mail, so the next check starts clean."""

    def name(self) -> Text:
        return "action_reset_status_check"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        return [SlotSet(slot, None) for slot in FORM_SLOTS]
