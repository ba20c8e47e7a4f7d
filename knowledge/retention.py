"""How long conversations are kept, and the job that deletes them (run by the notification
worker, bot/notify, every KCN_RETENTION_INTERVAL).

A conversation silent for longer than the secretariat's retention period (the knowledge base's
`privacy.retention_days`) is deleted from Rasa's tracker store, with its helpdesk handoffs and
their internal notes and the messages of theirs in the unanswered-questions inbox; so is a conversation whose applicant asked for it to be deleted
(`request()`, entered by the secretariat), at the next run. The day counts of the insights stay (they name no one);
their keyed hashes of conversations older than the period go. Every run is recorded
(`retention_run`). Proposals are the secretariat's records of an application, not
conversations: they are kept (the README says so, and where to ask).
"""
import datetime
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy import delete, func, select

from knowledge import insights, service
from knowledge import tables as m
from knowledge.db import session_scope

CHUNK = 500  # conversations deleted per statement
# An applicant's request is done once it is this old (seconds): the turn that asked for it has been
# stored by then, so none of it is written back after the deletion.
SETTLED = 5.0


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def request(conversation_id: str) -> None:
    """Records an applicant's request that their conversation be deleted (done by the next run):
    the applicant's own (actions/privacy.py), or one the secretariat enters
    (`python -m knowledge conversations forget ID`)."""
    with session_scope() as session:
        pending = session.execute(select(m.ForgetRequest.id).where(m.ForgetRequest.conversation_id == conversation_id,
                                                                   m.ForgetRequest.done_at.is_(None))).first()
        if pending is None:
            session.add(m.ForgetRequest(conversation_id=conversation_id, requested_at=_now()))


@dataclass(frozen=True)
class Run:
    at: datetime.datetime
    cutoff: Optional[datetime.datetime]
    conversations: int
    events: int
    handoffs: int
    requests: int


def _silent_since(connection, cutoff: datetime.datetime) -> List[str]:
    events = insights.EVENTS
    stamp = cutoff.replace(tzinfo=datetime.timezone.utc).timestamp()
    return list(connection.execute(select(events.c.sender_id).group_by(events.c.sender_id)
                                   .having(func.max(events.c.timestamp) < stamp)).scalars())


def _chunks(senders) -> List[List[str]]:
    ordered = sorted(senders)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _waiting(before: datetime.datetime):
    return select(m.ForgetRequest.conversation_id).where(m.ForgetRequest.done_at.is_(None),
                                                         m.ForgetRequest.requested_at <= before)


def requests_waiting() -> bool:
    """Whether a request is ready to be done (the worker then does it at once, not at the next run)."""
    with session_scope() as session:
        return session.execute(_waiting(_now() - datetime.timedelta(seconds=SETTLED)).limit(1)).first() is not None


def run(now: Optional[datetime.datetime] = None, events_engine=None, period: bool = True, settled: float = 0) -> Run:
    """Deletes what the retention period (unless `period` is False: only the requests) and the
    applicants' requests (those at least `settled` seconds old) say to delete; the record."""
    now = now or _now()
    days = service.retention_days() if period else None
    cutoff = now - datetime.timedelta(days=days) if days else None
    with session_scope() as session:
        asked_ids = set(session.execute(_waiting(_now() - datetime.timedelta(seconds=settled))).scalars())
    engine = events_engine or insights.tracker_engine()
    senders, removed = set(asked_ids), 0
    if sa.inspect(engine).has_table("events"):
        with engine.begin() as connection:
            if cutoff:
                senders.update(_silent_since(connection, cutoff))
            for chunk in _chunks(senders):
                removed += connection.execute(delete(insights.EVENTS).where(insights.EVENTS.c.sender_id.in_(chunk))).rowcount
    with session_scope() as session:
        gone = select(m.Handoff.id).where(m.Handoff.status.in_(("returned", "closed")))
        old = gone.where(m.Handoff.requested_at < cutoff) if cutoff else gone.where(sa.false())
        ids = set(session.execute(old).scalars())
        for chunk in _chunks(senders):
            ids.update(session.execute(gone.where(m.Handoff.conversation_id.in_(chunk))).scalars())
        # An applicant who asked goes from the helpdesk queue too, even mid-handoff.
        for chunk in _chunks(asked_ids):
            ids.update(session.execute(select(m.Handoff.id).where(m.Handoff.conversation_id.in_(chunk))).scalars())
        if ids:
            session.execute(delete(m.HandoffNote).where(m.HandoffNote.handoff_id.in_(ids)))
            session.execute(delete(m.Handoff).where(m.Handoff.id.in_(ids)))
        for chunk in _chunks(senders):
            session.execute(delete(m.UnansweredMessage).where(m.UnansweredMessage.conversation_id.in_(chunk)))
        if cutoff:
            session.execute(delete(m.InsightVisitor).where(m.InsightVisitor.day < cutoff.date()))
            session.execute(delete(m.UnansweredMessage).where(m.UnansweredMessage.at < cutoff))
        session.execute(sa.update(m.ForgetRequest).where(m.ForgetRequest.conversation_id.in_(asked_ids),
                                                         m.ForgetRequest.done_at.is_(None)).values(done_at=now))
        record = m.RetentionRun(at=now, cutoff=cutoff, conversations=len(senders), events=removed, handoffs=len(ids),
                                requests=len(asked_ids))
        session.add(record)
    return Run(now, cutoff, len(senders), removed, len(ids), len(asked_ids))


def runs(limit: int = 20) -> List[m.RetentionRun]:
    with session_scope() as session:
        return session.execute(select(m.RetentionRun).order_by(m.RetentionRun.id.desc()).limit(limit)).scalars().all()
