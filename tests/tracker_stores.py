"""Conversations written to a tracker store by Rasa's own SQLTrackerStore, as the Rasa server
writes them after each turn: what the insights and the inbox read."""
import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def turn(text, action, at, reply="…", **metadata):
    """One turn: the applicant's message, the action that answered it, its reply, listening again."""
    return [UserUttered(text, {"name": "x"}, timestamp=at), ActionExecuted(action, timestamp=at + 1),
            BotUttered(reply, metadata=metadata, timestamp=at + 2), ActionExecuted("action_listen", timestamp=at + 3)]


def sqlite_tracker_store(path) -> SQLTrackerStore:
    """A tracker store in an SQLite file, with `save_events(sender, events)` appending to a conversation."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))

    def save(sender, events):
        tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, [])
        for event in events:
            tracker.update(event)
        asyncio.run(store.save(tracker))

    store.save_events = save
    return store
