"""The load: concurrent conversations over the REST channel, each sending its messages one after another."""
import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

REQUEST_TIMEOUT_S = 30


@dataclass
class LevelResult:
    concurrency: int
    latencies_ms: List[float] = field(default_factory=list)  # every HTTP 200 answer, empty ones included
    errors: Dict[str, int] = field(default_factory=dict)  # kind -> count
    sent: int = 0
    wall_s: float = 0.0
    capped: bool = False  # the time cap ended the level before every message was sent

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, p: float) -> Optional[float]:
        """Nearest-rank percentile of the answered messages' latencies."""
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
        return ordered[int(rank) - 1]

    @property
    def messages_per_s(self) -> float:
        return self.sent / self.wall_s if self.wall_s else 0.0

    def summary(self) -> dict:
        return {
            "concurrency": self.concurrency, "messages": self.sent, "wall_s": round(self.wall_s, 2),
            "p50_ms": _round(self.percentile(50)), "p95_ms": _round(self.percentile(95)),
            "p99_ms": _round(self.percentile(99)), "messages_per_s": round(self.messages_per_s, 2),
            "errors": self.error_count, "error_kinds": self.errors, "time_capped": self.capped,
        }


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 1)


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> Tuple[bool, Optional[str]]:
    """Sends one message; returns whether the server answered (HTTP 200) and the kind of error, if any."""
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            if response.status != 200:
                return False, f"HTTP {response.status}"
            replies = await response.json(content_type=None)
            if not isinstance(replies, list) or not replies:
                return True, "empty reply"
            return True, None
    except asyncio.TimeoutError:
        return False, "timeout"
    except (aiohttp.ClientError, ValueError) as e:
        return False, type(e).__name__


async def _conversation(session, url: str, sender: str, messages: Sequence[str], deadline: float,
                        result: Optional[LevelResult]) -> None:
    for text in messages:
        if time.monotonic() >= deadline:
            if result is not None:
                result.capped = True
            return
        started = time.perf_counter()
        answered, error = await _send(session, url, sender, text)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if result is None:
            continue
        result.sent += 1
        if answered:
            result.latencies_ms.append(elapsed_ms)
        if error is not None:
            result.errors[error] = result.errors.get(error, 0) + 1


def conversation_messages(questions: Sequence[str], index: int, count: int) -> List[str]:
    """`count` questions starting at a different place for each conversation, wrapping around."""
    return [questions[(index * 7 + i) % len(questions)] for i in range(count)]


async def _slot(session, url: str, questions: Sequence[str], slot: int, messages: int, deadline: float,
                result: Optional[LevelResult], tag: str) -> None:
    """One of the concurrent users: conversations of at most one pass over the questions, one after another."""
    conversation = 0
    while messages > 0 and time.monotonic() < deadline:
        count = min(messages, len(questions))
        sender = f"bench-{tag}-{slot}-{conversation}"
        await _conversation(session, url, sender, conversation_messages(questions, slot + conversation, count), deadline, result)
        messages -= count
        conversation += 1
    if messages > 0 and result is not None:
        result.capped = True


async def _run(url: str, questions: Sequence[str], concurrency: int, per_slot: int,
               time_cap_s: float, result: Optional[LevelResult], tag: str) -> None:
    tag = f"{tag}-{uuid.uuid4().hex[:8]}"  # fresh conversations for every level
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        deadline = time.monotonic() + time_cap_s
        started = time.perf_counter()
        await asyncio.gather(*(_slot(session, url, questions, i, per_slot, deadline, result, tag)
                               for i in range(concurrency)))
        if result is not None:
            result.wall_s = time.perf_counter() - started


def warm_up(url: str, questions: Sequence[str]) -> None:
    """Every question once in one conversation, then a short concurrent burst; nothing is recorded."""
    asyncio.run(_run(url, questions, 1, len(questions), 120, None, "warmup"))
    asyncio.run(_run(url, questions, 8, 4, 60, None, "warmup"))


def run_level(url: str, questions: Sequence[str], concurrency: int, total_messages: int, time_cap_s: float) -> LevelResult:
    """`total_messages` spread over `concurrency` simultaneous users, stopped after `time_cap_s`."""
    result = LevelResult(concurrency)
    per_slot = max(1, total_messages // concurrency)
    asyncio.run(_run(url, questions, concurrency, per_slot, time_cap_s, result, f"c{concurrency}"))
    return result


async def _long(url: str, questions: Sequence[str], conversations: int, turns: int, time_cap_s: float,
                per_turn: List[List[float]], result: LevelResult) -> None:
    tag = f"long-{uuid.uuid4().hex[:8]}"
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)) as session:
        deadline = time.monotonic() + time_cap_s

        async def talk(index: int) -> None:
            sender = f"bench-{tag}-{index}"
            for turn, text in enumerate(conversation_messages(questions, index, turns)):
                if time.monotonic() >= deadline:
                    result.capped = True
                    return
                started = time.perf_counter()
                answered, error = await _send(session, url, sender, text)
                elapsed_ms = (time.perf_counter() - started) * 1000
                result.sent += 1
                if answered:
                    result.latencies_ms.append(elapsed_ms)
                    per_turn[turn].append(elapsed_ms)
                if error is not None:
                    result.errors[error] = result.errors.get(error, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(talk(i) for i in range(conversations)))
        result.wall_s = time.perf_counter() - started


def long_conversations(url: str, questions: Sequence[str], conversations: int, turns: int, time_cap_s: float,
                       window: int = 50) -> dict:
    """`conversations` simultaneous conversations of `turns` messages each (the questions over and
    over): whether a reply costs the same at the end as at the start (median of the first and the
    last `window` turns), and the throughput."""
    per_turn: List[List[float]] = [[] for _ in range(turns)]
    result = LevelResult(conversations)
    asyncio.run(_long(url, questions, conversations, turns, time_cap_s, per_turn, result))

    def median(rows: List[List[float]]) -> Optional[float]:
        values = sorted(v for row in rows for v in row)
        return values[len(values) // 2] if values else None

    reached = max((i + 1 for i, row in enumerate(per_turn) if row), default=0)
    first, last = median(per_turn[:window]), median(per_turn[max(window, reached - window):reached])
    return {**result.summary(), "turns": turns, "turns_reached": reached, "window": window,
            "first_p50_ms": _round(first), "last_p50_ms": _round(last),
            "growth": round(last / first, 2) if first and last else None}
