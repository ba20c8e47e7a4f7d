"""The draft form's slots, and the proposal's columns the answers are saved to."""
from typing import Any, Dict, List, Text

from rasa_sdk.events import SlotSet

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
# draft_email_code: the code mailed to the contact e-mail; the draft is saved once it is typed back.
DRAFT_SLOTS = ("draft_track", "draft_applicant_kind", "draft_contact_email", "draft_email_code", *FIELD_OF_SLOT)


def cleared() -> List[Dict[Text, Any]]:
    """Empties the form (the draft itself stays saved)."""
    return [SlotSet(slot, None) for slot in DRAFT_SLOTS]
