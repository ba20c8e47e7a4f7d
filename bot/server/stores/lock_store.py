"""Rasa's Redis lock store, with its read-modify-write steps made atomic across servers.

Rasa serialises the messages of one conversation with a ticket lock kept in the lock store. Its
`RedisLockStore` changes a lock in three steps (read the lock, change it in Python, write it back),
with nothing stopping another Rasa server from doing the same in between: when two servers take a
message of the same conversation at the same moment, one server's ticket can overwrite the
other's, and then both process the conversation at once (events lost or doubled in the tracker
store) or one fails with "Could not acquire lock" (RasaHQ/rasa#9213, still so in Rasa 3.6).

Here every change runs in a Redis transaction that watches the lock's key (WATCH/MULTI/EXEC) and is
retried if another server changed the key meanwhile. Stored locks keep Rasa's format, so servers
of both kinds can share a Redis database.

endpoints.yml:

    lock_store:
      type: bot.server.stores.lock_store.AtomicRedisLockStore
      url: <host>
      port: <port>
      db: <number>
      password: <password or empty>
"""
import json
import logging
from typing import Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")
# What a change returns: its result, and the lock to store (None: delete the key).
Change = Callable[[Optional[TicketLock]], Tuple[T, Optional[TicketLock]]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _atomically(self, conversation_id: Text, change: Change) -> T:
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    result, new_lock = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    logger.debug(f"Lock of conversation '{conversation_id}' changed meanwhile; trying again.")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]):
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._atomically(conversation_id, issue)
        except Exception as e:
            raise LockError(f"Error while acquiring lock. Error:\n{e}")

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]):
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._atomically(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._atomically(conversation_id, finish)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket, and the lock if no one else holds a ticket, in one step."""
        def finish_and_clean(lock: Optional[TicketLock]):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock if lock is not None and lock.is_someone_waiting() else None

        self._atomically(conversation_id, finish_and_clean)
