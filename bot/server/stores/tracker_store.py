"""Where the Rasa servers keep conversations: Rasa's SQL tracker store, with the conversations a
server has just handled kept ready in its memory.

Rasa's `SQLTrackerStore` rebuilds the whole conversation at every message: it reads every event
of the session through the ORM, parses them and replays them into a tracker, and when saving it
counts the stored events with a second query before inserting the new ones. Under `make bench`
that was about a quarter of the Rasa server's CPU per message, growing with the conversation.

`ConversationStore` keeps, per conversation (a bounded LRU, KCN_TRACKER_CACHE conversations), the
tracker it saved last and the id of the conversation's newest stored event. At the next message one
indexed query (the newest event id of that conversation) tells whether the database still ends
there; if anything else added an event since (another Rasa server in the production profile, the
HTTP API of another process), the conversation is read from the database as before. A kept
tracker is handed out once: a second reader before the save (e.g. an HTTP API call during a turn)
gets its own copy from the database, and a save that fails keeps nothing, so no stale or
half-changed tracker is ever served. A save that starts a new conversation session keeps nothing
either, so session boundaries are read exactly as Rasa reads them.

Same table, rows and session rules as `SQLTrackerStore`, so either can read what the other wrote.
An SQLite database is put in write-ahead-log mode: a commit appends to one log (still synced,
`synchronous` stays FULL) instead of syncing a rollback journal, the file and its folder; and its
connections are kept open between messages.
"""
import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from knowledge import settings

logger = logging.getLogger(__name__)


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    stored_events: int  # how many of tracker.events are in the database
    newest_id: Optional[int]  # the conversation's newest event row then
    handed_out: bool = False


class ConversationStore(SQLTrackerStore):
    """`SQLTrackerStore` that keeps recently saved conversations in memory (see the module docstring)."""

    def __init__(self, *args: Any, capacity: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capacity = settings.tracker_cache() if capacity is None else int(capacity)
        self._kept: "OrderedDict[Text, _Kept]" = OrderedDict()
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            # SQLAlchemy 1.4 opens and closes an SQLite file for every session (NullPool): keep a
            # few connections open instead, as SQLAlchemy 2.0 does for files.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    # --- reading ------------------------------------------------------------------------

    def _newest_id(self, session, sender_id: Text) -> Optional[int]:
        return session.execute(
            sa.select(sa.func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)).scalar()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The conversation's latest session: from memory if the database has nothing newer."""
        with self.session_scope() as session:
            kept = self._kept.get(sender_id)
            if kept is not None and kept.handed_out:
                return self._load(session, sender_id, keep=False)  # its holder may be changing it
            if kept is not None:
                newest = self._newest_id(session, sender_id)
                if newest == kept.newest_id and len(kept.tracker.events) == kept.stored_events:
                    kept.handed_out = True
                    self._kept.move_to_end(sender_id)
                    return kept.tracker
                del self._kept[sender_id]  # changed elsewhere, or by its holder without a save
            return self._load(session, sender_id, keep=True)

    def _load(self, session, sender_id: Text, keep: bool) -> Optional[DialogueStateTracker]:
        """Rasa's own read (same query, same replay), also noting the newest event id."""
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False) \
            .with_entities(self.SQLEvent.id, self.SQLEvent.data).all()
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        if keep:
            self._keep(sender_id, _Kept(tracker, len(tracker.events), max(row.id for row in rows), handed_out=True))
        return tracker

    # --- writing ------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the events the database does not have yet, then keeps the tracker."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        kept = self._kept.pop(sender_id, None)
        with self.session_scope() as session:
            if kept is not None and kept.tracker is tracker:
                stored = kept.stored_events
            else:  # a tracker this store did not hand out: count as Rasa does
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            if new_events:
                session.execute(sa.insert(self.SQLEvent.__table__), [self._row(sender_id, e) for e in new_events])
            newest = self._newest_id(session, sender_id)
            session.commit()
        if not any(isinstance(e, SessionStarted) for e in new_events):
            self._keep(sender_id, _Kept(tracker, len(tracker.events), newest))
        logger.debug("Tracker with sender_id '%s' stored to database", sender_id)

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The columns `SQLTrackerStore.save` writes for an event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    def _keep(self, sender_id: Text, kept: _Kept) -> None:
        if self.capacity <= 0:
            return
        self._kept[sender_id] = kept
        self._kept.move_to_end(sender_id)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)

    def kept_conversations(self) -> List[Text]:
        """The conversations held in memory, least recently used first (for tests and diagnostics)."""
        return list(self._kept)
