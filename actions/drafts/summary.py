"""A saved draft read back: as the form's slots (to continue it) and as the closing summary."""
from typing import Any, Dict, List

from actions.drafts.slots import FIELD_OF_SLOT
from actions.knowledge_answer import Question
from actions.schedule import intake_lines
from knowledge import clock, countries, proposals, service
from knowledge.wording import say, words


def saved_slots(draft: proposals.Proposal) -> Dict[str, Any]:
    """The form's slots as the saved draft fills them (unanswered fields stay empty and are asked)."""
    values = {"draft_track": draft.track_code, "draft_applicant_kind": draft.applicant_kind,
              "draft_contact_email": draft.contact_email, "draft_email_code": "-"}  # proved when it was made
    for slot, field in FIELD_OF_SLOT.items():
        values[slot] = getattr(draft, field)
    values["draft_commercialized"] = "yes" if draft.commercialized_in_korea else None
    return {slot: value for slot, value in values.items() if value is not None}


def summary_lines(draft: proposals.Proposal, call: service.Call, lang: str) -> List[str]:
    """Every answer, the contact e-mail, how to submit formally, and the track's intake dates."""
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
