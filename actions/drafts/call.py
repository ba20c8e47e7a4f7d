"""The call drafts are made for, and which of its tracks take proposals today."""
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, List, Optional

from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_access import knowledge_access
from knowledge import clock, service
from knowledge.service import Intake
from knowledge.wording import say

OPEN = (Intake.OPEN, Intake.OPEN_THIS_YEAR, Intake.AFTER_CUTOFF)

# Within one run of the draft form's validation the call is read once: rasa-sdk asks
# required_slots three times a turn, and the validators need the call too.
_TURN: ContextVar[Optional[dict]] = ContextVar("draft_form_turn", default=None)


@contextmanager
def one_read_per_turn() -> Iterator[None]:
    """While the form validates one message, read_call() reads the database only once."""
    turn = _TURN.set({})
    try:
        yield
    finally:
        _TURN.reset(turn)


def read_call() -> Optional[service.Call]:
    """The current call; raises when the database is unreachable."""
    turn = _TURN.get()
    if turn is None:  # outside a form turn (the ask actions, tests of one validator)
        return service.current_call()
    if "call" not in turn:
        turn["call"] = service.current_call()
    return turn["call"]


def current_call(dispatcher: CollectingDispatcher, lang: str) -> Optional[service.Call]:
    """The current call; or None after saying that there is none or that the database is down."""
    with knowledge_access("draft", dispatcher, lang) as access:
        call = read_call()
    if access.failed:
        return None
    if call is None:
        dispatcher.utter_message(text=say("no_published_call", lang))
    return call


def open_tracks(call: service.Call) -> List[service.Track]:
    return [t for t in call.tracks if service.intake_status(call, t, clock.today()) in OPEN]


def applicant_name(call: service.Call, kind: str, lang: str) -> str:
    return next((k.name.get(lang) for t in call.tracks for k in t.eligible_applicants if k.code == kind), kind)
