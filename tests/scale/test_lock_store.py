"""The Redis lock store when two Rasa servers change one conversation's lock at the same moment.

"At the same moment" is made exact: right after one server has read the stored lock, the other
server takes a ticket (`interleaved`). Rasa 3.6's RedisLockStore then loses or doubles a ticket
(RasaHQ/rasa#9213); bot.server.stores.lock_store.AtomicRedisLockStore notices the change and does its step again.
"""
import asyncio
import uuid
from urllib.parse import unquote, urlsplit

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore

from bot.server.stores.lock_store import AtomicRedisLockStore


def two_servers(kind, redis_url):
    url = urlsplit(redis_url)
    settings = dict(host=url.hostname, port=url.port, db=int(url.path.strip("/")), password=unquote(url.password),
                    key_prefix="test")
    return kind(**settings), kind(**settings)


@pytest.fixture
def interleaved(monkeypatch):
    """interleaved(action): runs `action` once, just after the next read of a stored lock."""
    original = TicketLock.from_dict.__func__

    def arm(action):
        fired = []

        def from_dict(cls, data):
            lock = original(cls, data)
            if not fired:
                fired.append(True)
                action()
            return lock

        monkeypatch.setattr(TicketLock, "from_dict", classmethod(from_dict))

    return arm


def conversation():
    return f"lock-{uuid.uuid4().hex[:8]}"


def acquire(store, conversation_id, ticket):
    return asyncio.run(store._acquire_lock(conversation_id, ticket, wait_time_in_seconds=0.01))


def test_rasas_redis_lock_store_hands_out_one_ticket_twice(redis_url, interleaved):
    a, b = two_servers(RedisLockStore, redis_url)
    cid = conversation()
    b.issue_ticket(cid)  # a message in progress
    tickets = {}
    interleaved(lambda: tickets.setdefault("b", b.issue_ticket(cid)))
    tickets["a"] = a.issue_ticket(cid)
    assert tickets["a"] == tickets["b"]  # both servers would handle their message at the same time


def test_rasas_redis_lock_store_loses_a_waiting_ticket(redis_url, interleaved):
    a, b = two_servers(RedisLockStore, redis_url)
    cid = conversation()
    ticket_a = a.issue_ticket(cid)
    tickets = {}
    interleaved(lambda: tickets.setdefault("b", b.issue_ticket(cid)))
    a.cleanup(cid, ticket_a)  # A finishes while B's message arrives
    with pytest.raises(LockError):
        acquire(b, cid, tickets["b"])  # B's message fails: "Could not acquire lock"


def test_the_atomic_store_gives_each_server_its_own_ticket(redis_url, interleaved):
    a, b = two_servers(AtomicRedisLockStore, redis_url)
    cid = conversation()
    first = b.issue_ticket(cid)
    tickets = {}
    interleaved(lambda: tickets.setdefault("b", b.issue_ticket(cid)))
    tickets["a"] = a.issue_ticket(cid)
    assert len({first, tickets["a"], tickets["b"]}) == 3
    assert a.get_lock(cid).is_locked(tickets["a"])  # A waits for the message in progress


def test_the_atomic_store_keeps_a_waiting_ticket_when_another_finishes(redis_url, interleaved):
    a, b = two_servers(AtomicRedisLockStore, redis_url)
    cid = conversation()
    ticket_a = a.issue_ticket(cid)
    tickets = {}
    interleaved(lambda: tickets.setdefault("b", b.issue_ticket(cid)))
    a.cleanup(cid, ticket_a)
    assert acquire(b, cid, tickets["b"]).now_serving == tickets["b"]
    b.cleanup(cid, tickets["b"])
    assert b.get_lock(cid) is None  # the last one out removes the lock


def test_the_atomic_store_serialises_one_conversation_across_two_servers(redis_url):
    """The ordinary path: many messages of one conversation through both stores, never two inside the lock."""
    a, b = two_servers(AtomicRedisLockStore, redis_url)
    cid = conversation()
    inside, seen = [], []

    async def handle(store, n):
        async with store.lock(cid, wait_time_in_seconds=0.001):
            inside.append(n)
            assert len(inside) == 1, "two messages of one conversation handled at once"
            await asyncio.sleep(0.002)
            seen.append(n)
            inside.remove(n)

    async def main():
        await asyncio.gather(*(handle(a if n % 2 else b, n) for n in range(40)))

    asyncio.run(main())
    assert sorted(seen) == list(range(40))
    assert a.get_lock(cid) is None
