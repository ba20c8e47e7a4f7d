"""Draft submissions: settle the track and who applies, then ask the track's fields, saving each answer.

The track's eligible applicants, requirements and intake dates come from the knowledge base;
the draft is created in the database as soon as the contact e-mail is known, and each later
answer is written to it at once, so a conversation cut off halfway loses nothing.
"""
import json
import logging
from contextvars import ContextVar
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from knowledge.wording import formatting as fmt
from actions.forms import StopOnlyWhenSure
from actions.i18n import language_before_latest_message, language_of
from knowledge.wording import say, words
from actions.knowledge_answer import Question
from actions.schedule import intake_lines
from actions.status_check import FORM_SLOTS as PROOF_SLOTS
from actions.status_check import ValidateStatusCheckForm, locked_message, shown, status_lines
from knowledge import clock, countries, proposals, service
from knowledge.service import Intake

logger = logging.getLogger(__name__)

# Form slot -> the proposal's column it is saved to.
FIELD_OF_SLOT = {
    "draft_applicant_org": "applicant_org",
    "draft_country": "country",
    "draft_city": "city",
    "draft_title": "title",
    "draft_partner_institution": "partner_institution",
    "draft_commercialized": "commercialized_in_korea",
}
# A track's requirement (knowledge-base code) -> the slot that asks for it.
REQUIREMENT_SLOTS = {"overseas_partner": "draft_partner_institution", "commercialized_in_korea": "draft_commercialized"}
DRAFT_SLOTS = ("draft_track", "draft_applicant_kind", "draft_contact_email", *FIELD_OF_SLOT)
OPEN = (Intake.OPEN, Intake.OPEN_THIS_YEAR, Intake.AFTER_CUTOFF)
NEXT = "draft_next"  # what the rules do after action_start_draft / action_resume_draft: form, proof or none


def _payload(intent: str, **entities) -> str:
    # Button presses are parsed by Rasa without the NLU, so they keep the conversation's language.
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(iter(tracker.get_latest_entity_values(name)), None)


def _open_tracks(call: service.Call) -> List[service.Track]:
    return [t for t in call.tracks if service.intake_status(call, t, clock.today()) in OPEN]


def _applicant_name(call: service.Call, kind: str, lang: str) -> str:
    return next((k.name.get(lang) for t in call.tracks for k in t.eligible_applicants if k.code == kind), kind)


# Within one run of the draft form's validation the call is read once: rasa-sdk asks
# required_slots three times a turn, and the validators need the call too.
_TURN: ContextVar[Optional[dict]] = ContextVar("draft_form_turn", default=None)


def _call() -> Optional[service.Call]:
    turn = _TURN.get()
    if turn is None:  # outside a form turn (the ask actions, tests of one validator)
        return service.current_call()
    if "call" not in turn:
        turn["call"] = service.current_call()
    return turn["call"]


def _current_call(dispatcher: CollectingDispatcher, lang: str) -> Optional[service.Call]:
    """The current call; or None after saying that there is none or that the database is down."""
    try:
        call = _call()
    except SQLAlchemyError:
        logger.exception("draft: database unavailable")
        dispatcher.utter_message(text=say("kb_unavailable", lang))
        return None
    if call is None:
        dispatcher.utter_message(text=say("no_published_call", lang))
    return call


def _yes_no(value: str) -> Optional[bool]:
    answer = " ".join(value.casefold().split()).strip(".!")
    if answer in {w.casefold() for lang in ("ko", "en") for w in words("yes_words", lang)}:
        return True
    if answer in {w.casefold() for lang in ("ko", "en") for w in words("no_words", lang)}:
        return False
    return None


def _cleared() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in DRAFT_SLOTS]


class ValidateDraftForm(StopOnlyWhenSure, FormValidationAction):
    def name(self) -> Text:
        return "validate_draft_form"

    async def run(self, dispatcher, tracker, domain):
        # Free-text answers ("Hanoi") must not switch a Korean conversation to English.
        lang, detected = language_before_latest_message(tracker), tracker.get_slot("language")
        tracker.slots["language"] = lang
        turn = _TURN.set({})
        try:
            events = await super().run(dispatcher, tracker, domain)
        finally:
            _TURN.reset(turn)
        # Only alongside an answer: a slot event on its own would stop Rasa from rejecting the
        # form on "cancel", and the stop rule would never run.
        if any(e.get("name") != "requested_slot" for e in events) and detected != lang:
            events.append(SlotSet("language", lang))
        return events

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        """The domain's slots, less those for requirements the chosen track does not have."""
        code = tracker.get_slot("draft_track")
        try:
            call = _call()
        except SQLAlchemyError:
            call = None
        track = call.track(code) if call and code else None
        required = {REQUIREMENT_SLOTS[r.code] for r in (track.requirements if track else ()) if r.code in REQUIREMENT_SLOTS}
        return [s for s in domain_slots if s not in REQUIREMENT_SLOTS.values() or s in required]

    # "I want to apply to the planning track as a city government" settles both at once.
    async def extract_draft_track(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") or tracker.get_slot("draft_track"):
            return {}
        track = _entity(tracker, "track")
        return {"draft_track": track} if track else {}

    async def extract_draft_applicant_kind(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") or tracker.get_slot("draft_applicant_kind"):
            return {}
        kind = _entity(tracker, "applicant")
        return {"draft_applicant_kind": kind} if kind else {}

    async def extract_draft_commercialized(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """A typed "no" is the answer here, even though the NLU reads it as "stop"."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") == "draft_commercialized" and _yes_no(text) is not None:
            return {"draft_commercialized": text}
        return {}

    def validate_draft_track(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("draft_code"):  # a saved draft being continued keeps its track
            return {"draft_track": value}
        lang = language_of(tracker)
        call = _current_call(dispatcher, lang)
        if call is None:
            return {"draft_track": None}
        code = _entity(tracker, "track") or value
        track = call.track(code)
        if track is None:
            dispatcher.utter_message(text=say("draft_track_unknown", lang, value=shown(value)))
            return {"draft_track": None}
        status = service.intake_status(call, track, clock.today())
        if status not in OPEN:
            q = Question(lang=lang, today=clock.today(), tracks=(track.code,))
            lines = [say("draft_track_not_open", lang, track=track.name.get(lang))] + intake_lines(call, q)[1:]
            dispatcher.utter_message(text=" ".join(line.strip() for line in lines))
            return {"draft_track": None}
        kind = tracker.get_slot("draft_applicant_kind")
        if kind and not any(k.code == kind for k in track.eligible_applicants):
            self._not_eligible(dispatcher, call, track, kind, lang)
            return {"draft_track": None}
        if status is Intake.AFTER_CUTOFF:
            dispatcher.utter_message(text=say("draft_next_year", lang, track=track.name.get(lang),
                                              next_year=track.review_cutoff.year + 1))
        return {"draft_track": track.code}

    def validate_draft_applicant_kind(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("draft_code"):
            return {"draft_applicant_kind": value}
        lang = language_of(tracker)
        call = _current_call(dispatcher, lang)
        if call is None:
            return {"draft_applicant_kind": None}
        kinds = {k.code for t in call.tracks for k in t.eligible_applicants}
        kind = _entity(tracker, "applicant") or value
        if kind not in kinds:
            dispatcher.utter_message(text=say("draft_kind_unknown", lang, value=shown(value)))
            return {"draft_applicant_kind": None}
        track = call.track(tracker.get_slot("draft_track") or "")
        if track and not any(k.code == kind for k in track.eligible_applicants):
            self._not_eligible(dispatcher, call, track, kind, lang)
            return {"draft_applicant_kind": kind, "draft_track": None}
        return {"draft_applicant_kind": kind}

    @staticmethod
    def _not_eligible(dispatcher, call, track, kind, lang) -> None:
        """Who may apply to the track, and the open tracks this applicant may choose instead."""
        eligible = fmt.join_or([k.name.get(lang) for k in track.eligible_applicants], lang)
        applicant = _applicant_name(call, kind, lang)
        others = [t for t in _open_tracks(call) if any(k.code == kind for k in t.eligible_applicants)]
        lines = [say("draft_kind_not_eligible", lang, track=track.name.get(lang), eligible=eligible)]
        if others:
            lines.append(say("draft_kind_alternative", lang, applicant=applicant,
                             tracks=fmt.join_or([t.name.get(lang) for t in others], lang)))
        else:
            lines.append(say("draft_kind_no_track", lang, applicant=applicant))
        dispatcher.utter_message(text=fmt.capitalized(" ".join(lines)))

    def validate_draft_contact_email(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("draft_code"):
            return {"draft_contact_email": value}
        lang = language_of(tracker)
        email = proposals.normalize_email(value)
        if email is None:
            dispatcher.utter_message(text=say("email_malformed", lang, value=shown(value)))
            return {"draft_contact_email": None}
        try:
            call = _call()
            draft = proposals.create_draft(call.year, tracker.get_slot("draft_track"), email,
                                           applicant_kind=tracker.get_slot("draft_applicant_kind"))
        except SQLAlchemyError:
            logger.exception("draft: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return {"draft_contact_email": None}
        dispatcher.utter_message(text=say("draft_created", lang, code=draft.code))
        return {"draft_contact_email": email, "draft_code": draft.code}

    def _save(self, slot: str, value: Any, shown_value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        """Writes one answer to the draft; the slot is only filled once it is saved."""
        field = FIELD_OF_SLOT[slot]
        fields = {field: value}
        if field == "applicant_org" and tracker.get_slot("draft_applicant_kind") == "korean_company":
            fields["korean_company"] = value
        try:
            proposals.update_draft(tracker.get_slot("draft_code"), **fields)
        except (SQLAlchemyError, proposals.ProposalError):
            logger.exception("draft: could not save %s", field)
            dispatcher.utter_message(text=say("kb_unavailable", language_of(tracker)))
            return {slot: None}
        return {slot: shown_value}

    def _text(self, slot: str, value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        lang = language_of(tracker)
        field = FIELD_OF_SLOT[slot]
        label = words("draft_field", lang)[field]
        cleaned = " ".join(str(value or "").split())
        # A button from an earlier message ("/ask_deadline") is not a name either.
        if not any(ch.isalpha() for ch in cleaned) or cleaned.startswith("/"):
            dispatcher.utter_message(text=say("draft_value_empty", lang, field=label))
            return {slot: None}
        limit = proposals.FIELD_LIMITS[field]
        if len(cleaned) > limit:
            dispatcher.utter_message(text=say("draft_value_too_long", lang, field=label, limit=limit))
            return {slot: None}
        return self._save(slot, cleaned, cleaned, dispatcher, tracker)

    def validate_draft_applicant_org(self, value, dispatcher, tracker, domain):
        return self._text("draft_applicant_org", value, dispatcher, tracker)

    def validate_draft_city(self, value, dispatcher, tracker, domain):
        return self._text("draft_city", value, dispatcher, tracker)

    def validate_draft_title(self, value, dispatcher, tracker, domain):
        return self._text("draft_title", value, dispatcher, tracker)

    def validate_draft_partner_institution(self, value, dispatcher, tracker, domain):
        own = " ".join(str(tracker.get_slot("draft_applicant_org") or "").split()).casefold()
        if own and " ".join(str(value or "").split()).casefold() == own:
            dispatcher.utter_message(text=say("draft_partner_same", language_of(tracker)))
            return {"draft_partner_institution": None}
        return self._text("draft_partner_institution", value, dispatcher, tracker)

    def validate_draft_country(self, value, dispatcher, tracker, domain):
        lang = language_of(tracker)
        code = countries.find(str(value or ""))
        if code is None:
            lines = [say("draft_country_unknown", lang, value=shown(value))]
            close = countries.suggestions(str(value or ""), lang)
            if close:
                lines.append(say("draft_country_suggest", lang, names=fmt.join_or(close, lang)))
            dispatcher.utter_message(text=" ".join(lines))
            return {"draft_country": None}
        name = countries.english_name(code)
        return self._save("draft_country", name, name, dispatcher, tracker)

    def validate_draft_commercialized(self, value, dispatcher, tracker, domain):
        lang = language_of(tracker)
        answer = _yes_no(str(value or ""))
        if answer is None:
            dispatcher.utter_message(text=say("draft_yes_no_unknown", lang))
            return {"draft_commercialized": None}
        if answer is False:
            result = self._save("draft_commercialized", False, None, dispatcher, tracker)
            try:
                track = _call().track(tracker.get_slot("draft_track"))
                requirement = next(r for r in track.requirements if r.code == "commercialized_in_korea")
            except (SQLAlchemyError, AttributeError, StopIteration):
                return result
            dispatcher.utter_message(text=say("draft_requirement_unmet", lang, track=track.name.get(lang),
                                              requirement=requirement.description.get(lang)))
            return result
        return self._save("draft_commercialized", True, "yes", dispatcher, tracker)


class ActionAskDraftTrack(Action):
    """Who may apply to each track and whether it takes proposals now, with a button per open track."""

    def name(self) -> Text:
        return "action_ask_draft_track"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = _current_call(dispatcher, lang)
        if call is None:
            return []
        kind = tracker.get_slot("draft_applicant_kind")
        lines = [say("draft_track_question", lang)]
        buttons = []
        for track in _open_tracks(call):
            lines.append(say("draft_track_line", lang, track=fmt.capitalized(track.name.get(lang)),
                             who=track.who_may_apply.get(lang)))
            if not kind or any(k.code == kind for k in track.eligible_applicants):
                buttons.append({"title": fmt.capitalized(track.name.get(lang)), "payload": _payload("inform_track", track=track.code)})
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionAskDraftApplicantKind(Action):
    def name(self) -> Text:
        return "action_ask_draft_applicant_kind"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = _current_call(dispatcher, lang)
        if call is None:
            return []
        kinds = {k.code: k for t in call.tracks for k in t.eligible_applicants}
        buttons = [{"title": fmt.capitalized(k.name.get(lang)), "payload": _payload("inform_track", applicant=code)}
                   for code, k in kinds.items()]
        dispatcher.utter_message(text=say("draft_kind_question", lang), buttons=buttons)
        return []


class ActionStartDraft(Action):
    """Starts a fresh draft if any track takes proposals today; otherwise says when they do."""

    def name(self) -> Text:
        return "action_start_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = _current_call(dispatcher, lang)
        if call is None:
            return [SlotSet(NEXT, "none")]
        if not _open_tracks(call):
            q = Question(lang=lang, today=clock.today())
            lines = [say("draft_no_open_track", lang)] + intake_lines(call, q)
            dispatcher.utter_message(text="\n".join(fmt.capitalized(line) for line in lines))
            return [SlotSet(NEXT, "none")]
        return _cleared() + [SlotSet("draft_code", None), SlotSet(NEXT, "form")]


class ActionResumeDraft(Action):
    """Continues this conversation's draft, or one proved by reference code and e-mail."""

    def name(self) -> Text:
        return "action_resume_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        proof = [SlotSet(slot, None) for slot in PROOF_SLOTS]
        if tracker.get_slot("status_check_locked_until"):
            dispatcher.utter_message(text=locked_message(tracker.get_slot("status_check_locked_until"), lang))
            return proof + [SlotSet(NEXT, "none")]
        code = tracker.get_slot("verified_code") or tracker.get_slot("draft_code")
        if not code:
            return [SlotSet(NEXT, "proof")]
        try:
            draft, call = proposals.get_with_call(code)
            others = [p.code for p in proposals.drafts_of(draft.contact_email) if p.code != code] if draft else []
        except SQLAlchemyError:
            logger.exception("draft: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return proof + [SlotSet(NEXT, "none")]
        if draft is None:  # deleted by staff meanwhile
            dispatcher.utter_message(text=say("check_failed", lang, left=proposals.MAX_FAILED_CHECKS))
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
        return proof + _cleared() + [SlotSet(slot, value) for slot, value in saved_slots(draft).items()] + [
            SlotSet("draft_code", draft.code), SlotSet(NEXT, "form")]


def saved_slots(draft: proposals.Proposal) -> Dict[str, Any]:
    """The form's slots as the saved draft fills them (unanswered fields stay empty and are asked)."""
    values = {"draft_track": draft.track_code, "draft_applicant_kind": draft.applicant_kind,
              "draft_contact_email": draft.contact_email}
    for slot, field in FIELD_OF_SLOT.items():
        values[slot] = getattr(draft, field)
    values["draft_commercialized"] = "yes" if draft.commercialized_in_korea else None
    return {slot: value for slot, value in values.items() if value is not None}


class ActionFinishDraft(Action):
    """The draft's summary, its reference code, and how to submit it formally."""

    def name(self) -> Text:
        return "action_finish_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        try:
            draft, call = proposals.get_with_call(tracker.get_slot("draft_code") or "")
        except SQLAlchemyError:
            logger.exception("draft: database unavailable")
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return _cleared()
        if draft is None or call is None or call.track(draft.track_code) is None:
            dispatcher.utter_message(text=say("kb_unavailable", lang))
            return _cleared()
        dispatcher.utter_message(text="\n".join(summary_lines(draft, call, lang)))
        return _cleared()


def summary_lines(draft: proposals.Proposal, call: service.Call, lang: str) -> List[str]:
    track = call.track(draft.track_code)
    labels = words("draft_field", lang)
    lines = [say("draft_summary_head", lang, code=draft.code, track=track.name.get(lang))]
    values = [("applicant_org", draft.applicant_org), ("country", countries.name(draft.country, lang)),
              ("city", draft.city), ("title", draft.title)]
    if any(r.code == "overseas_partner" for r in track.requirements):
        values.append(("partner_institution", draft.partner_institution))
    if any(r.code == "commercialized_in_korea" for r in track.requirements):
        answer = {True: "draft_yes", False: "draft_no"}.get(draft.commercialized_in_korea)
        values.append(("commercialized_in_korea", say(answer, lang) if answer else None))
    lines += [say("draft_summary_line", lang, field=labels[field], value=value or "-") for field, value in values]
    lines.append(say("draft_summary_email", lang, value=draft.contact_email))
    lines.append(say("draft_not_submitted", lang, secretariat=track.secretariat.name.get(lang),
                     code=track.secretariat.code, how=track.submission_how.get(lang)))
    q = Question(lang=lang, today=clock.today(), tracks=(track.code,))
    lines.append(intake_lines(call, q)[1].strip())
    return lines


class ActionStopDraft(Action):
    """Leaves the draft form; everything answered so far is already saved."""

    def name(self) -> Text:
        return "action_stop_draft"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        code = tracker.get_slot("draft_code")
        dispatcher.utter_message(text=say("draft_stopped", lang, code=code) if code else say("draft_stopped_unsaved", lang))
        return _cleared()


class ValidateDraftAccessForm(ValidateStatusCheckForm):
    """The status check's proof (reference code, then e-mail), for continuing a saved draft."""

    def name(self) -> Text:
        return "validate_draft_access_form"
