"""What an action does when the knowledge base cannot be reached: log it, apologize in the
conversation's language, and go on to its own fallback (clear a slot, ask again, say nothing more).

    with knowledge_access("status check", dispatcher, lang) as access:
        until = proposals.locked_until(tracker.sender_id)
    if access.failed:
        return {"reference_code": None}
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional, Tuple, Type

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from knowledge.wording import say

logger = logging.getLogger(__name__)

# What "the database is unreachable" looks like to an action (a refused connection, a timeout, a
# lost session); for the places that fall back silently, without an apology.
UNREACHABLE: Tuple[Type[Exception], ...] = (SQLAlchemyError,)


@dataclass
class Access:
    """How the block under `knowledge_access` went: `failed` once it was cut short and apologized for."""

    failed: bool = False


@contextmanager
def knowledge_access(concern: str, dispatcher: Optional[CollectingDispatcher] = None, lang: str = "", *,
                     apology: str = "kb_unavailable", also: Tuple[Type[Exception], ...] = ()) -> Iterator[Access]:
    """Runs the block; if the database is unreachable (or one of `also` is raised) logs it under
    `concern` and, given a dispatcher, says the `apology` sentence in `lang`."""
    access = Access()
    try:
        yield access
    except (*UNREACHABLE, *also):
        logger.exception("%s: knowledge base unavailable", concern)
        access.failed = True
        if dispatcher is not None:
            dispatcher.utter_message(text=say(apology, lang))
