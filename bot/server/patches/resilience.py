"""What the Rasa server does when the action server fails: apologise, never stay silent.

Rasa 3.6 logs a custom action that fails (action server down, an error, a timeout) and goes on
without a word, after waiting up to five minutes for a slow action server. Installed into the
Rasa server process by bot/rasa_server.py, this waits KCN_ACTION_TIMEOUT seconds at most and
replaces the silence with an apology in the applicant's language and a way forward: try again,
or the call's contacts from the knowledge base. The message itself is already in the tracker
store, and the next one goes to the action server as usual, so nothing is lost once it is back.
"""
import asyncio
import logging
from typing import List, Optional

import aiohttp
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.exceptions import RasaException

from knowledge import settings
from knowledge.wording import DEFAULT_LANGUAGE, LANGUAGES, language_of_text, say

logger = logging.getLogger(__name__)

APOLOGY = "kcn_action_failure"


def language(tracker) -> str:
    slot = tracker.get_slot("language")
    if slot in LANGUAGES:
        return slot
    text = tracker.latest_message.text if tracker.latest_message else None
    return language_of_text(text) if text else DEFAULT_LANGUAGE


def contact(lang: str) -> Optional[str]:
    """The call's first contact, if the knowledge base answers (it may be what is down)."""
    try:
        from knowledge import service

        call = service.current_call()
        first = call.contacts[0] if call and call.contacts else None
    except Exception:  # any failure here only means the generic wording is used
        logger.exception("resilience: no contact from the knowledge base")
        return None
    return f"{first.unit.get(lang)} {first.phone}" if first else None


def apology(lang: str) -> str:
    reach = contact(lang)
    follow = say("service_unavailable_contact", lang, contact=reach) if reach else say("service_unavailable_no_contact", lang)
    return f"{say('service_unavailable', lang)} {follow}"


def already_apologised(tracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get(APOLOGY):
            return True
    return False


def install() -> None:
    """Patches Rasa's RemoteAction (the client of the action server) in this process."""
    if getattr(rasa_actions.RemoteAction.run, "apologises", False):
        return
    # RemoteAction.run reads this module global at each call.
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = settings.action_timeout()
    run_remote = rasa_actions.RemoteAction.run

    async def run_or_apologise(self, output_channel, nlg, tracker, domain) -> List[Event]:
        try:
            return await run_remote(self, output_channel, nlg, tracker, domain)
        except rasa_actions.ActionExecutionRejection:
            raise  # a form's "not this slot": Rasa's normal control flow
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("action %s failed (%s: %s; cause: %r); the applicant gets an apology",
                         self.name(), type(error).__name__, error, error.__cause__)
            if already_apologised(tracker):
                return []
            return [BotUttered(apology(language(tracker)), metadata={APOLOGY: True})]

    run_or_apologise.apologises = True
    rasa_actions.RemoteAction.run = run_or_apologise
