"""Proposal status checks: once the applicant has proved the proposal (actions.applicant_proof),
where it stands, what that means and what comes next."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.applicant_proof import PROOF_SLOTS, ApplicantProof, locked_message
from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from actions.schedule import selection_line
from knowledge import clock, proposals, service
from knowledge.wording import formatting as fmt
from knowledge.wording import say


class ValidateStatusCheckForm(ApplicantProof):
    def name(self) -> Text:
        return "validate_status_check_form"


class ActionShowProposalStatus(Action):
    """Says where a verified proposal stands, what that means and what comes next."""

    def name(self) -> Text:
        return "action_show_proposal_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        lang = language_of(tracker)
        reset = [SlotSet(slot, None) for slot in PROOF_SLOTS]
        locked = tracker.get_slot("status_check_locked_until")
        if locked:
            dispatcher.utter_message(text=locked_message(locked, lang))
            return reset
        with knowledge_access("status check", dispatcher, lang) as access:
            proposal, call = proposals.get_with_call(tracker.get_slot("verified_code") or "")
        if access.failed:
            return reset
        if proposal is None:  # only reachable if the proposal was deleted meanwhile
            dispatcher.utter_message(text=say("check_failed", lang, left=proposals.MAX_FAILED_CHECKS))
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
    """Forgets a stopped check's half-typed code and e-mail, so the next check starts clean."""

    def name(self) -> Text:
        return "action_reset_status_check"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        return [SlotSet(slot, None) for slot in PROOF_SLOTS]
