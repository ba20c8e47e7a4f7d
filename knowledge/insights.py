"""What applicants ask and what the assistant missed, for the secretariat's insights page.

Rasa's tracker store holds every event of every conversation (millions in a year); reading them
at each page view would not stay under a second. `roll_up()` reads the events it has not read
yet, in id order, once, and adds them up per day (Korea time), channel and language in three
small tables (knowledge/tables/insights.py); `summary()` and `csv_rows()` read only those.

A conversation's id is never kept in the counts: a conversation that wrote on a day is kept as a
keyed hash, so distinct applicants can be counted over any range and no one can be looked up.
Messages are only counted, except those the assistant could not answer: the roll-up hands them,
masked, to the secretariat's inbox (knowledge/inbox.py), which keeps them with their conversation
until the retention job deletes it.
"""
import csv
import datetime
import hashlib
import hmac
import io
import itertools
import json
import secrets
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy import func, select

from knowledge import faq, inbox, notifications, settings
from knowledge import tables as m
from knowledge.db import engine_for, session_scope
from knowledge.wording import language_of_text

# Set on a reply the FAQ gave (actions/fallback.py), so it is counted apart from "not understood".
ANSWERED_FROM_KEY = "answered_from"
ANSWERED_FROM_FAQ = {ANSWERED_FROM_KEY: "faq"}  # the metadata of such a reply (utter_message(**ANSWERED_FROM_FAQ))
FAQ_SCORE_KEY = "faq_score"  # and how close its question was (knowledge/faq.py)
KOREA = zoneinfo.ZoneInfo("Asia/Seoul")
BATCH = 20_000  # events read per transaction

# What the assistant did, by its action's name (domain.yml).
ACTION_METRICS = {
    "action_not_understood": "not_understood", "action_out_of_scope": "out_of_scope",
    "action_handoff": "handoff_asked", "action_show_proposal_status": "status_check_finished",
    "action_finish_draft": "draft_finished",
}
FORM_METRICS = {"status_check_form": "status_check_started", "draft_form": "draft_started"}
TOPIC_PREFIX = "action_answer_"
UNANSWERED = ("not_understood", "out_of_scope")  # a FAQ reply turns one of these into "faq"
METRICS = ("messages", "not_understood", "out_of_scope", "faq", "handoff_asked", "status_check_started",
           "status_check_finished", "draft_started", "draft_finished")
PERIODS = ("day", "week")

EVENTS = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"), sa.column("timestamp"),
                  sa.column("action_name"), sa.column("data"))


def tracker_engine():
    """Rasa's tracker store: PostgreSQL with the knowledge base in production, else its SQLite file."""
    url = settings.database_url() if settings.is_production() else f"sqlite:///{settings.tracker_db()}"
    return engine_for(url)


def channel_of(sender_id: str) -> str:
    """The channel a conversation id was made by (notifications.channel_of), else "rest"."""
    return notifications.channel_of(sender_id) or "rest"


def _day(timestamp: float) -> datetime.date:
    return datetime.datetime.fromtimestamp(timestamp, KOREA).date()


def _typed(text: str) -> bool:
    """A message the applicant wrote or a button they pressed; not the widget opening the chat
    (/greet) or an intent the console triggered (EXTERNAL:)."""
    return bool(text) and not text.startswith(("/greet", "EXTERNAL:"))


@dataclass
class _Tally:
    counts: Counter = field(default_factory=Counter)  # (day, channel, language, metric, key) -> n
    visitors: set = field(default_factory=set)  # (day, channel, language, hash)
    language: Dict[str, str] = field(default_factory=dict)  # sender -> language of its last message
    pending: Dict[str, Tuple] = field(default_factory=dict)  # sender -> an unanswered count waiting for its reply
    said: Dict[str, Tuple[str, float]] = field(default_factory=dict)  # sender -> its last typed words, and when
    unanswered: List[dict] = field(default_factory=list)  # for the inbox (inbox.add)


def _where(tally: _Tally, sender: str, day) -> Tuple:
    """(day, channel, language): what every count and visitor is kept by."""
    return day, channel_of(sender), tally.language.get(sender, "en")


def _count(tally: _Tally, sender: str, day, metric: str, key: str = "") -> None:
    tally.counts[(*_where(tally, sender, day), metric, key)] += 1


def _unanswered(tally: _Tally, sender: str, reason: str, score: Optional[float] = None) -> None:
    """The applicant's last typed words go to the inbox (a button press or command has none)."""
    said = tally.said.pop(sender, None)
    if said:
        text, at = said
        _, channel, language = _where(tally, sender, None)
        tally.unanswered.append({"conversation_id": sender, "at": datetime.datetime.utcfromtimestamp(at), "channel": channel,
                                 "language": language, "reason": reason, "text": text, "score": score})


def _settle(tally: _Tally, sender: str) -> None:
    """The turn ended: a "not understood" the FAQ did not answer is counted as such."""
    pending = tally.pending.pop(sender, None)
    if pending:
        tally.counts[pending] += 1
        _unanswered(tally, sender, pending[3])


def _read(tally: _Tally, rows, salt: bytes) -> None:
    for row in rows:
        sender, kind, day = row.sender_id, row.type_name, _day(row.timestamp or 0)
        if kind == "user":
            data = json.loads(row.data or "{}")
            text = str(data.get("text") or "")
            if not _typed(text):
                continue
            _settle(tally, sender)
            tally.said.pop(sender, None)
            if not text.startswith("/"):
                tally.language[sender] = language_of_text(text)
                tally.said[sender] = (text, row.timestamp or 0)
            elif (data.get("metadata") or {}).get("language") in m.LANGUAGES:
                tally.language[sender] = data["metadata"]["language"]
            _count(tally, sender, day, "messages")
            visitor = int.from_bytes(hmac.new(salt, sender.encode(), hashlib.sha256).digest()[:8], "big") >> 1
            tally.visitors.add((*_where(tally, sender, day), visitor))
        elif kind == "action":
            name = row.action_name or ""
            if name == "action_listen":
                _settle(tally, sender)
            elif name.startswith(TOPIC_PREFIX):
                _count(tally, sender, day, "topic", name[len(TOPIC_PREFIX):])
            elif ACTION_METRICS.get(name) in UNANSWERED:
                tally.pending[sender] = (*_where(tally, sender, day), ACTION_METRICS[name], "")
            elif name in ACTION_METRICS:
                _count(tally, sender, day, ACTION_METRICS[name])
        elif kind == "bot" and sender in tally.pending:
            metadata = json.loads(row.data or "{}").get("metadata") or {}
            if metadata.get(ANSWERED_FROM_KEY) == "faq":
                tally.pending.pop(sender)
                _count(tally, sender, day, "faq")
                score = metadata.get(FAQ_SCORE_KEY)
                if isinstance(score, (int, float)) and score < faq.LOW_CONFIDENCE:
                    _unanswered(tally, sender, "faq_low", float(score))
        elif kind == "active_loop":
            name = json.loads(row.data or "{}").get("name")
            if name in FORM_METRICS:
                _count(tally, sender, day, FORM_METRICS[name])


def _cursor(session) -> m.InsightCursor:
    cursor = session.get(m.InsightCursor, 1)
    if cursor is None:
        # The key of the visitors' hashes: random, kept only here.
        cursor = m.InsightCursor(id=1, last_event_id=0, salt=secrets.token_hex(32))
        session.add(cursor)
        session.flush()
    return cursor


def _upsert(session):
    """The dialect's INSERT with ON CONFLICT (SQLite and PostgreSQL both have one)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _save(session, tally: _Tally) -> None:
    insert = _upsert(session)
    if tally.counts:
        rows = [{"day": d, "channel": c, "language": lang, "metric": metric, "key": key, "count": n}
                for (d, c, lang, metric, key), n in tally.counts.items()]
        statement = insert(m.InsightCount)
        session.execute(statement.on_conflict_do_update(
            index_elements=["day", "channel", "language", "metric", "key"],
            set_={"count": m.InsightCount.count + statement.excluded.count}), rows)
    if tally.visitors:
        rows = [{"day": d, "channel": c, "language": lang, "visitor": v} for d, c, lang, v in tally.visitors]
        session.execute(insert(m.InsightVisitor).on_conflict_do_nothing(
            index_elements=["day", "channel", "language", "visitor"]), rows)
    inbox.add(session, tally.unanswered)


def roll_up(batch: int = BATCH, events_engine=None, batches: Optional[int] = None) -> int:
    """Counts the tracker-store events not counted yet (at most `batches` batches); the number read.
    Safe to run from several processes at once: the cursor moves first, so of two runs that read the
    same events, one counts them and the other gives up."""
    engine = events_engine or tracker_engine()
    if not sa.inspect(engine).has_table("events"):
        return 0
    total = 0
    for _ in itertools.count() if batches is None else range(batches):
        with session_scope() as session:
            cursor = _cursor(session)
            start, salt = cursor.last_event_id, cursor.salt.encode()
            with engine.connect() as connection:
                rows = connection.execute(select(EVENTS).where(EVENTS.c.id > start).order_by(EVENTS.c.id)
                                          .limit(batch)).all()
            if not rows:
                return total
            moved = session.execute(sa.update(m.InsightCursor).where(m.InsightCursor.id == 1,
                                                                     m.InsightCursor.last_event_id == start)
                                    .values(last_event_id=rows[-1].id)).rowcount
            if moved != 1:  # another run counted these meanwhile
                session.rollback()
                return total
            tally = _Tally()
            _read(tally, rows, salt)
            for sender in list(tally.pending):  # a reply that falls in the next batch: counted unanswered
                _settle(tally, sender)
            _save(session, tally)
            total += len(rows)
    return total


# --- Reading the counts -------------------------------------------------------------------------


def _period_start(day: datetime.date, period: str) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday()) if period == "week" else day


def _filters(model, since, until, channel, language):
    where = [model.day >= since, model.day <= until]
    if channel:
        where.append(model.channel == channel)
    if language:
        where.append(model.language == language)
    return where


def _periods(since: datetime.date, until: datetime.date, period: str) -> List[datetime.date]:
    step = datetime.timedelta(days=7 if period == "week" else 1)
    day, out = _period_start(since, period), []
    while day <= until:
        out.append(day)
        day += step
    return out


def _distinct_visitors(session, since, until, period, channel, language) -> Dict[datetime.date, int]:
    """Distinct applicants per period: per day in SQL; per week one COUNT(DISTINCT) per week."""
    out = {}
    if period == "day":
        rows = session.execute(select(m.InsightVisitor.day, func.count(func.distinct(m.InsightVisitor.visitor)))
                               .where(*_filters(m.InsightVisitor, since, until, channel, language))
                               .group_by(m.InsightVisitor.day)).all()
        return {d: n for d, n in rows}
    for start in _periods(since, until, period):
        end = min(start + datetime.timedelta(days=6), until)
        out[start] = session.execute(select(func.count(func.distinct(m.InsightVisitor.visitor)))
                                     .where(*_filters(m.InsightVisitor, max(start, since), end, channel, language))).scalar()
    return out


def _handoffs(since: datetime.date, until: datetime.date) -> dict:
    """Handoffs asked in the range (Korea days): how many, minutes waited until claimed, minutes handled."""
    def utc_start(day: datetime.date) -> datetime.datetime:  # the handoff table holds naive UTC times
        return datetime.datetime.combine(day, datetime.time(), KOREA).astimezone(datetime.timezone.utc).replace(tzinfo=None)

    start, end = utc_start(since), utc_start(until + datetime.timedelta(days=1))
    with session_scope() as session:
        rows = session.execute(select(m.Handoff.requested_at, m.Handoff.claimed_at, m.Handoff.ended_at)
                               .where(m.Handoff.requested_at >= start, m.Handoff.requested_at < end)).all()
    waits = sorted((c - r).total_seconds() / 60 for r, c, _ in rows if c)
    handling = sorted((e - c).total_seconds() / 60 for _, c, e in rows if c and e)

    def median(values):
        return round(values[len(values) // 2], 1) if values else None

    return {"count": len(rows), "claimed": len(waits), "median_wait_minutes": median(waits),
            "median_handling_minutes": median(handling)}


def summary(since: datetime.date, until: datetime.date, period: str = "day", channel: Optional[str] = None,
            language: Optional[str] = None, top: int = 10) -> dict:
    """Everything the insights page shows for a range of Korea days (both inclusive)."""
    period = period if period in PERIODS else "day"
    with session_scope() as session:
        rows = session.execute(select(m.InsightCount.day, m.InsightCount.channel, m.InsightCount.language,
                                      m.InsightCount.metric, m.InsightCount.key, func.sum(m.InsightCount.count))
                               .where(*_filters(m.InsightCount, since, until, channel, language))
                               .group_by(m.InsightCount.day, m.InsightCount.channel, m.InsightCount.language,
                                         m.InsightCount.metric, m.InsightCount.key)).all()
        conversations = dict(session.execute(
            select(m.InsightVisitor.day, func.count()).where(*_filters(m.InsightVisitor, since, until, channel, language))
            .group_by(m.InsightVisitor.day)).all())
        applicants = _distinct_visitors(session, since, until, period, channel, language)
        applicants_total = session.execute(select(func.count(func.distinct(m.InsightVisitor.visitor)))
                                           .where(*_filters(m.InsightVisitor, since, until, channel, language))).scalar()
    periods = _periods(since, until, period)
    series = {p: Counter() for p in periods}
    by_channel, by_language, topics, totals = defaultdict(Counter), defaultdict(Counter), Counter(), Counter()
    messages = defaultdict(Counter)  # channel -> language -> messages
    for day, ch, lang, metric, key, n in rows:
        if metric == "topic":
            topics[key] += n
            continue
        series[_period_start(day, period)][metric] += n
        by_channel[ch][metric] += n
        by_language[lang][metric] += n
        totals[metric] += n
        if metric == "messages":
            messages[ch][lang] += n
    for day, n in conversations.items():
        series[_period_start(day, period)]["conversations"] += n
        totals["conversations"] += n
    for start, n in applicants.items():
        series[_period_start(start, period)]["applicants"] = n
    totals["applicants"] = applicants_total
    unanswered = totals["not_understood"] + totals["out_of_scope"]
    return {
        "since": since.isoformat(), "until": until.isoformat(), "period": period,
        "periods": [p.isoformat() for p in periods],
        "series": {metric: [series[p][metric] for p in periods] for metric in ("conversations", "applicants", *METRICS)},
        "totals": dict(totals), "by_channel": {k: dict(v) for k, v in by_channel.items()},
        "by_language": {k: dict(v) for k, v in by_language.items()},
        "by_channel_language": {k: dict(v) for k, v in messages.items()},
        "topics": topics.most_common(top),
        "unanswered_share": round(unanswered / totals["messages"], 3) if totals["messages"] else None,
        "handoffs": _handoffs(since, until),
    }


def csv_text(since: datetime.date, until: datetime.date, period: str = "day") -> str:
    """The counts per period, channel and language, one metric per column (Excel opens it: BOM, CRLF)."""
    with session_scope() as session:
        rows = session.execute(select(m.InsightCount.day, m.InsightCount.channel, m.InsightCount.language,
                                      m.InsightCount.metric, func.sum(m.InsightCount.count))
                               .where(*_filters(m.InsightCount, since, until, None, None), m.InsightCount.metric != "topic")
                               .group_by(m.InsightCount.day, m.InsightCount.channel, m.InsightCount.language,
                                         m.InsightCount.metric)).all()
        visitors = session.execute(select(m.InsightVisitor.day, m.InsightVisitor.channel, m.InsightVisitor.language,
                                          func.count()).where(*_filters(m.InsightVisitor, since, until, None, None))
                                   .group_by(m.InsightVisitor.day, m.InsightVisitor.channel, m.InsightVisitor.language)).all()
    table: Dict[Tuple, Counter] = defaultdict(Counter)
    for day, ch, lang, metric, n in rows:
        table[(_period_start(day, period), ch, lang)][metric] += n
    for day, ch, lang, n in visitors:
        table[(_period_start(day, period), ch, lang)]["conversations"] += n
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = ("conversations", *METRICS)
    writer.writerow((period, "channel", "language", *columns))
    for (start, ch, lang), counts in sorted(table.items()):
        writer.writerow((start.isoformat(), ch, lang, *(counts[c] for c in columns)))
    return "\ufeff" + out.getvalue()


CHANNELS = ("telegram", "web", "rest")
