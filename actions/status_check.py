"""Proposal status checks: once the applicant has proved the proposal (actions.applicant_proof: the
reference code, then a code mailed to its address on file), where it stands, what that means and
what comes next."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.applicant_proof import PROOF_SLOTS, ApplicantProof
from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from actions.schedule import selection_line
from knowledge import clock, email_proof, proposals, service
from knowledge.wording import formatting as fmt
from knowledge.wording import say


class ValidateStatusCheckForm(ApplicantProof):
    purpose = email_proof.Purpose.STATUS

    def name(self) -> Text:
        return "validate_status_check_form"


class ActionShowProposalStatus(Action):
    """Says where a verified proposal stands, what that means and what comes next."""

    def name(self) -> Text:
        return "action_show_proposal_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = language_of(tracker)
        reset = [SlotSet(slot, None) for slot in PROOF_SLOTS]
        code = tracker.get_slot("verified_code")
        if tracker.get_slot("proof_refused") or not code:  # the proof said why it could not go on
            return reset
        with knowledge_access("status check", dispatcher, lang) as access:
            proposal, call = proposals.get_with_call(code)
        if access.failed:
            return reset
        if proposal is None:  # only reachable if the proposal was deleted meanwhile
            dispatcher.utter_message(text=say("proof_unknown_code", lang, code=code, left=proposals.MAX_FAILED_CHECKS))
            return reset
        dispatcher.utter_message(text="\n".join(status_lines(proposal, call, lang)))
        return reset


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
    """Forgets a stopped proof (its half-typed answers, and the mailed code, which no longer works),
    so the next check starts clean."""

    def name(self) -> Text:
        return "action_reset_status_check"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        with knowledge_access("status check"):  # silent: the code expires anyway
            email_proof.forget(tracker.sender_id)
        return [SlotSet(slot, None) for slot in PROOF_SLOTS]
