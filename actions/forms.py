"""What every form of this assistant shares."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

STOP_INTENT = "stop"
# Below this the NLU's "stop" is more likely an answer it has never seen ("Indonsia", "Hanoi DOT"):
# the text is taken as the answer to the question asked, and the validator judges it.
SURE_OF_STOP = 0.8


class StopOnlyWhenSure:
    """Mixin for FormValidationAction: a form is only left on a confident "stop"/"cancel"."""

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        intent = tracker.latest_message.get("intent") or {}
        requested = tracker.get_slot("requested_slot")
        unsure_stop = intent.get("name") == STOP_INTENT and float(intent.get("confidence") or 0) < SURE_OF_STOP
        if unsure_stop and requested and not any(e.get("name") == requested for e in events):
            events.append(SlotSet(requested, tracker.latest_message.get("text")))
        return events


def shown(value: Optional[str], limit: int = 40) -> str:
    """What the user typed, shortened for echoing back."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
