"""The applicant's proof of a proposal: its reference code, then its contact e-mail.

Both the status check (status_check_form) and continuing a saved draft (draft_access_form) ask
for it. An unknown code and a wrong e-mail get the same answer, so no one learns which codes
exist; after proposals.MAX_FAILED_CHECKS failures the conversation is locked out for a while.
"""
import datetime
from abc import abstractmethod
from typing import Any, Dict, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import StopOnlyWhenSure, shown
from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import proposals, reference_codes
from knowledge.wording import formatting as fmt
from knowledge.wording import say

# The proof's slots, cleared once the form that asked for it has used the answer.
PROOF_SLOTS = ("reference_code", "contact_email", "verified_code", "status_check_locked_until")


def _locked(until: datetime.datetime) -> Dict[Text, Any]:
    # Completing the form with the lock recorded lets the next action say so once.
    return {"reference_code": "-", "contact_email": "-", "status_check_locked_until": until.isoformat()}


def locked_message(locked_until: str, lang: str) -> str:
    until = datetime.datetime.fromisoformat(locked_until)
    return say("check_locked", lang, until=f"{fmt.date(until.date(), lang)} {until:%H:%M}")


class ApplicantProof(StopOnlyWhenSure, FormValidationAction):
    """Validates the proof; a subclass names the form that asks for it."""

    # Abstract, so the action server (which registers every concrete Action it finds) skips it.
    @abstractmethod
    def name(self) -> Text:
        ...

    async def extract_reference_code(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A code in the message that started the check ("status of KCN-2024-D-2402-B?") is taken at once."""
        if tracker.get_slot("reference_code") or tracker.get_slot("requested_slot") == "reference_code":
            return {}
        code = reference_codes.find_in(tracker.latest_message.get("text"))
        return {"reference_code": code} if code else {}

    def validate_reference_code(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        lang = language_of(tracker)
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            until = proposals.locked_until(tracker.sender_id)
        if access.failed:
            return {"reference_code": None}
        if until:
            return _locked(until)
        code = reference_codes.normalize(reference_codes.find_in(value) or value)
        if code is None:
            dispatcher.utter_message(text=say("code_malformed", lang, value=shown(value)))
            return {"reference_code": None}
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            until = proposals.code_locked_until(code)
        if access.failed:
            return {"reference_code": None}
        return _locked(until) if until else {"reference_code": code}

    def validate_contact_email(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        lang = language_of(tracker)
        if proposals.normalize_email(value) is None:
            dispatcher.utter_message(text=say("email_malformed", lang, value=shown(value)))
            return {"contact_email": None}
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            result = proposals.verify(tracker.sender_id, tracker.get_slot("reference_code") or "", value)
            if result.proposal is None and not result.locked_until:
                left = proposals.MAX_FAILED_CHECKS - proposals.failures_in_a_row(tracker.sender_id)
        if access.failed:
            return {"contact_email": None}
        if result.locked_until:
            return _locked(result.locked_until)
        if result.proposal is None:
            dispatcher.utter_message(text=say("check_failed", lang, left=left))
            return {"reference_code": None, "contact_email": None}
        return {"contact_email": proposals.normalize_email(value), "verified_code": result.proposal.code}
