"""One turn of the draft form or its actions, run as the action server would, for the tests here."""
import asyncio
import inspect
from pathlib import Path

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.drafts.form import ValidateDraftForm
from trackers import make_tracker

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text(encoding="utf-8"))


def draft_tracker(lang="en", text="", entities=None, events=(), intent="start_draft", confidence=None,
                  sender="applicant-1", **slots):
    """An applicant's conversation with the draft form active."""
    return make_tracker(sender=sender, lang=lang, slots=slots, text=text, intent=intent, entities=entities,
                        events=events, confidence=confidence, form="draft_form")


def validate(slot, value, lang="en", entities=None, **slots):
    """One validator of the draft form: (its result, what it said)."""
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateDraftForm(), f"validate_{slot}")
    result = method(value, dispatcher, draft_tracker(lang, str(value), entities, **slots), DOMAIN)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result, " ".join(m["text"] for m in dispatcher.messages)


def run(action, lang="en", sender="applicant-1", **slots):
    """An action: (its messages, the slots it set)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, draft_tracker(lang, sender=sender, **slots), DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def text_of(messages):
    return "\n".join(m["text"] for m in messages)
