"""validate_draft_form: each answer of the draft form checked against the call, then saved at once."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet

from actions.applicant_proof import SENT, asks_to_resend, requester_of, say_check, send_code
from actions.drafts.call import OPEN, applicant_name, current_call, one_read_per_turn, open_tracks, read_call
from actions.drafts.slots import FIELD_OF_SLOT, REQUIREMENT_SLOTS
from actions.forms import InterruptOnlyWhenSure, shown
from actions.i18n import language_before_latest_message, language_of
from actions.knowledge_access import UNREACHABLE, knowledge_access
from actions.knowledge_answer import Question, where_calls_are_announced
from actions.schedule import intake_lines
from knowledge import clock, countries, email_proof, proposals, service
from knowledge.email_proof import Purpose
from knowledge.service import Intake
from knowledge.wording import formatting as fmt
from knowledge.wording import say, words


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(iter(tracker.get_latest_entity_values(name)), None)


def _yes_no(value: str) -> Optional[bool]:
    answer = " ".join(value.casefold().split()).strip(".!")
    if answer in {w.casefold() for lang in ("ko", "en") for w in words("yes_words", lang)}:
        return True
    if answer in {w.casefold() for lang in ("ko", "en") for w in words("no_words", lang)}:
        return False
    return None


def _too_many_drafts(limit: Optional[proposals.DraftLimitReached], tracker: Tracker, lang: str) -> Optional[str]:
    """The refusal of a draft beyond the limits (per address, per conversation): what to do instead."""
    if limit is None:
        return None
    call = read_call()
    track = call.track(tracker.get_slot("draft_track") or "") or call.tracks[0]
    key = "draft_too_many_for_address" if limit.per == "email" else "draft_too_many_in_conversation"
    return say(key, lang, limit=limit.limit, hours=f"{limit.period.total_seconds() / 3600:g}",
               secretariat=track.secretariat.name.get(lang), code=track.secretariat.code)


class ValidateDraftForm(InterruptOnlyWhenSure, FormValidationAction):
    def name(self) -> Text:
        return "validate_draft_form"

    async def run(self, dispatcher, tracker, domain):
        # Free-text answers ("Hanoi") must not switch a Korean conversation to English.
        lang, detected = language_before_latest_message(tracker), tracker.get_slot("language")
        tracker.slots["language"] = lang
        with one_read_per_turn():
            events = await super().run(dispatcher, tracker, domain)
        # Only alongside an answer: a slot event on its own would stop Rasa from rejecting the
        # form on "cancel", and the stop rule would never run.
        if any(e.get("name") != "requested_slot" for e in events) and detected != lang:
            events.append(SlotSet("language", lang))
        return events

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        """The domain's slots, less those for requirements the chosen track does not have."""
        code = tracker.get_slot("draft_track")
        try:
            call = read_call()
        except UNREACHABLE:  # the validators apologize for it
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
        call = current_call(dispatcher, lang)
        if call is None:
            return {"draft_track": None}
        code = _entity(tracker, "track") or value
        track = call.track(code)
        if track is None:
            dispatcher.utter_message(text=say("draft_track_unknown", lang, value=shown(value)))
            return {"draft_track": None}
        status = service.intake_status(call, track, clock.today())
        if status is Intake.BEYOND_CALL:
            dispatcher.utter_message(text=say("draft_track_beyond_call", lang, track=track.name.get(lang), year=call.year,
                                              links=where_calls_are_announced(call, lang)))
            return {"draft_track": None}
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
        call = current_call(dispatcher, lang)
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
        applicant = applicant_name(call, kind, lang)
        others = [t for t in open_tracks(call) if any(k.code == kind for k in t.eligible_applicants)]
        lines = [say("draft_kind_not_eligible", lang, track=track.name.get(lang), eligible=eligible)]
        if others:
            lines.append(say("draft_kind_alternative", lang, applicant=applicant,
                             tracks=fmt.join_or([t.name.get(lang) for t in others], lang)))
        else:
            lines.append(say("draft_kind_no_track", lang, applicant=applicant))
        dispatcher.utter_message(text=fmt.capitalized(" ".join(lines)))

    async def validate_draft_contact_email(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """A code is mailed to the address; the draft is only saved once it is typed back."""
        if tracker.get_slot("draft_code"):
            return {"draft_contact_email": value}
        lang = language_of(tracker)
        email = proposals.normalize_email(value)
        if email is None:
            dispatcher.utter_message(text=say("email_malformed", lang, value=shown(value)))
            return {"draft_contact_email": None}
        refusal = None
        with knowledge_access("draft", dispatcher, lang) as access:  # before any mail is sent
            refusal = _too_many_drafts(proposals.draft_limit(email, tracker.sender_id), tracker, lang)
        if refusal:
            dispatcher.utter_message(text=refusal)
        if access.failed or refusal:
            return {"draft_contact_email": None}
        if await send_code(dispatcher, tracker, Purpose.DRAFT, email) != SENT:
            return {"draft_contact_email": None}
        return {"draft_contact_email": email, "draft_email_code": None}

    async def validate_draft_email_code(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """The code from the mail: the address is proved, and the draft is created with it."""
        if tracker.get_slot("draft_code"):  # a saved draft being continued
            return {"draft_email_code": value}
        lang = language_of(tracker)
        text = str(value or "")
        if proposals.normalize_email(text):  # another address than the one typed before
            return {"draft_email_code": None,
                    **await self.validate_draft_contact_email(text, dispatcher, tracker, domain)}
        address = tracker.get_slot("draft_contact_email")
        if not address:  # nothing to confirm yet: the address is asked (again)
            return {"draft_email_code": None, "draft_contact_email": None}
        if asks_to_resend(text):
            await send_code(dispatcher, tracker, Purpose.DRAFT, address, again=True)
            return {"draft_email_code": None}
        digits = email_proof.read_code(text)
        if digits is None:
            dispatcher.utter_message(text=say("proof_code_malformed", lang, value=shown(text)))
            return {"draft_email_code": None}
        refusal = None
        with knowledge_access("draft", dispatcher, lang) as access:
            check = email_proof.check_code(requester_of(tracker), Purpose.DRAFT, digits)
            proved = check.ok and check.address == address
            if proved:
                try:
                    draft = proposals.create_draft(read_call().year, tracker.get_slot("draft_track"), address,
                                                   conversation_id=tracker.sender_id, language=lang,
                                                   applicant_kind=tracker.get_slot("draft_applicant_kind"))
                except proposals.DraftLimitReached as reached:  # reached since the address was typed
                    refusal = _too_many_drafts(reached, tracker, lang)
                else:
                    email_proof.link(tracker.sender_id, draft.code, language=lang)
        if access.failed:
            return {"draft_email_code": None}
        if refusal:
            dispatcher.utter_message(text=refusal)
            return {"draft_email_code": None, "draft_contact_email": None}
        if not proved:
            say_check(dispatcher, check if not check.ok else email_proof.Check("none"), lang)
            return {"draft_email_code": None}
        dispatcher.utter_message(text=say("draft_created", lang, code=draft.code))
        return {"draft_email_code": "ok", "draft_code": draft.code}

    def _save(self, slot: str, value: Any, shown_value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        """Writes one answer to the draft; the slot is only filled once it is saved."""
        field = FIELD_OF_SLOT[slot]
        fields = {field: value}
        if field == "applicant_org" and tracker.get_slot("draft_applicant_kind") == "korean_company":
            fields["korean_company"] = value
        # A draft that is gone or no longer a draft (ProposalError) is apologized for the same way.
        with knowledge_access(f"draft: saving {field}", dispatcher, language_of(tracker),
                              also=(proposals.ProposalError,)) as access:
            proposals.update_draft(tracker.get_slot("draft_code"), **fields)
        if access.failed:
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
            # The unmet requirement is explained when it can be found; the answer is saved either way.
            try:
                track = read_call().track(tracker.get_slot("draft_track"))
                requirement = next(r for r in track.requirements if r.code == "commercialized_in_korea")
            except (*UNREACHABLE, AttributeError, StopIteration):
                return result
            dispatcher.utter_message(text=say("draft_requirement_unmet", lang, track=track.name.get(lang),
                                              requirement=requirement.description.get(lang)))
            return result
        return self._save("draft_commercialized", True, "yes", dispatcher, tracker)
