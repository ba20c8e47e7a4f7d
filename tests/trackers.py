"""Trackers built by hand, as the Rasa server sends them to the action server."""
from typing import Any, Dict, Iterable, Mapping, Optional

from rasa_sdk import Tracker


def make_tracker(sender: str = "tester", lang: Optional[str] = "en", slots: Optional[Dict[str, Any]] = None,
                 text: str = "", intent: Optional[str] = None, entities: Optional[Mapping[str, Any]] = None,
                 events: Iterable[Dict[str, Any]] = (), confidence: Optional[float] = None,
                 form: Optional[str] = None) -> Tracker:
    """A tracker whose latest message is `text`, parsed as `intent` with `entities`.

    lang fills the language slot (None: not known yet); entities map an entity to a value or a list
    of values; form is the active loop (a form being filled), if any.
    """
    parsed: Dict[str, Any] = {"text": text, "entities": [
        {"entity": name, "value": value}
        for name, values in (entities or {}).items() for value in (values if isinstance(values, list) else [values])]}
    if intent is not None:
        parsed["intent"] = {"name": intent} if confidence is None else {"name": intent, "confidence": confidence}
    return Tracker(sender, {"language": lang, **(slots or {})}, parsed, list(events), False, None,
                   {"name": form} if form else {}, "")
