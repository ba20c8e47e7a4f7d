"""Status news and deadline reminders for applicants: what is queued, to whom, and what became of it.

The notification worker (bot/notify/) sends; this module decides and records:

- **Status news.** proposals.set_status() calls `queue_status_news` in its own transaction, so a
  status change and its news are saved together or not at all. The news goes to the proposal's
  contact e-mail and to every Telegram chat and widget session linked to the proposal by a proof
  (email_proof.link, unexpired), each in the language it was linked in.
- **Deadline reminders.** An applicant with an open draft asks for them in a chat (`subscribe`);
  `queue_due_reminders` (run by the worker at every round) queues one to that chat and to the
  draft's e-mail on each of KCN_REMINDER_DAYS before the track's deadline (or review cut-off), from
  the knowledge base as it is that day, while the proposal is a draft; `stop` ends them at any time.
- **Sent once.** Each row has a unique key (what, for which proposal, which channel and target), so
  queuing twice queues once. A worker claims a row for LEASE by a conditional update that only one
  worker can win (on SQLite and PostgreSQL alike); what it sent is marked sent; a failure is
  retried with a growing wait, and given up (recorded, with the error) when the channel refuses
  for good or after MAX_ATTEMPTS. A worker that dies between sending and marking leaves its claim
  to expire, after which the row is sent again: at least once, never twice by two live workers.
"""
import datetime
import os
import secrets
import socket
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from knowledge import clock, service, settings
from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.wording import known

LEASE = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 8
FIRST_RETRY = datetime.timedelta(seconds=30)
LAST_RETRY = datetime.timedelta(hours=1)


class Kind:
    STATUS = "status"
    REMINDER = "reminder"


class Channel:
    TELEGRAM = "telegram"
    WEB = "web"
    EMAIL = "email"


def channel_of(conversation_id: str) -> Optional[str]:
    """The channel that reaches a conversation, for the ids only channels make (not REST's)."""
    if conversation_id.startswith("telegram-"):
        return Channel.TELEGRAM
    if conversation_id.startswith("web-"):
        return Channel.WEB
    return None


def _now(at: Optional[datetime.datetime] = None) -> datetime.datetime:
    return at or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def _queue(session, key: str, **row) -> None:
    """Adds the row unless one with this key exists (also when another server adds it meanwhile)."""
    if session.execute(select(m.Notification.id).where(m.Notification.key == key)).first():
        return
    try:
        with session.begin_nested():
            session.add(m.Notification(key=key, **row))
    except IntegrityError:  # queued by another transaction since the look
        pass


def _linked_chats(session, proposal: m.Proposal, at: datetime.datetime):
    """(conversation id, channel, language) of each chat proved for the proposal, unexpired."""
    links = session.execute(select(m.ProofLink).where(m.ProofLink.proposal_id == proposal.id,
                                                      m.ProofLink.expires_at > at)).scalars()
    for link in links:
        channel = channel_of(link.conversation_id)
        if channel:
            yield link.conversation_id, channel, known(link.language or proposal.language)


def queue_status_news(session, proposal: m.Proposal, change: m.StatusChange, at: datetime.datetime) -> None:
    """Queues the news of one status change (called inside set_status's transaction); `at` is the
    change's time, which the links' expiry is compared with."""
    targets = [(Channel.EMAIL, proposal.contact_email, proposal.language or "")]
    targets += [(channel, chat, language) for chat, channel, language in _linked_chats(session, proposal, at)]
    queued = _now()  # sending is scheduled on the real clock, whatever time a caller records the change at
    for channel, target, language in targets:
        _queue(session, f"{Kind.STATUS}:{change.id}:{channel}:{target}", kind=Kind.STATUS, proposal_id=proposal.id,
               status_change_id=change.id, channel=channel, target=target, language=language, created_at=queued,
               next_try_at=queued)


# --- Deadline reminders ------------------------------------------------------------------------

@dataclass(frozen=True)
class Subscription:
    proposal_code: str
    deadline: Optional[datetime.date]
    days: List[datetime.date]  # when the reminders will go out (those still ahead)


def subscribe(conversation_id: str, proposal_code: str, language: str,
              at: Optional[datetime.datetime] = None, today: Optional[datetime.date] = None) -> Subscription:
    """Reminds this chat (and the draft's e-mail) of the draft's deadline; again is harmless. Nothing
    is kept when no reminder day is left (`days` empty). `since` is kept on the assistant's calendar
    (clock.today(), which tests and demos pin), the one the reminders' days are counted on."""
    today = today or clock.today()
    at = datetime.datetime.combine(today, _now(at).time())
    with session_scope() as session:
        proposal = session.execute(select(m.Proposal).where(m.Proposal.code == proposal_code)).scalar_one()
        proposal_id, year, track = proposal.id, proposal.call_year, proposal.track_code
    deadline = _deadline(year, track)
    ahead = sorted(day for day in _reminder_dates(deadline) if day >= today) if deadline else []
    if ahead:
        with session_scope() as session:
            row = session.execute(select(m.DeadlineReminder).where(
                m.DeadlineReminder.proposal_id == proposal_id,
                m.DeadlineReminder.conversation_id == conversation_id)).scalar_one_or_none()
            if row is None:
                session.add(m.DeadlineReminder(proposal_id=proposal_id, conversation_id=conversation_id,
                                               language=known(language), since=at))
            else:
                row.since, row.stopped_at, row.language = at, None, known(language)
    return Subscription(proposal_code, deadline, ahead)


def stop(conversation_id: str, at: Optional[datetime.datetime] = None) -> int:
    """Stops every reminder this chat asked for, and those not yet sent; returns how many were on."""
    at = _now(at)
    with session_scope() as session:
        stopped = session.execute(update(m.DeadlineReminder).where(
            m.DeadlineReminder.conversation_id == conversation_id, m.DeadlineReminder.stopped_at.is_(None))
            .values(stopped_at=at)).rowcount
        proposals = select(m.DeadlineReminder.proposal_id).where(m.DeadlineReminder.conversation_id == conversation_id)
        session.execute(update(m.Notification).where(
            m.Notification.kind == Kind.REMINDER, m.Notification.sent_at.is_(None), m.Notification.failed_at.is_(None),
            or_(m.Notification.target == conversation_id,
                and_(m.Notification.channel == Channel.EMAIL, m.Notification.proposal_id.in_(proposals))))
            .values(failed_at=at, last_error="reminders stopped by the applicant")
            .execution_options(synchronize_session=False))
    return stopped


def active_reminders(conversation_id: str) -> List[str]:
    """The proposal codes this chat is reminded of."""
    with session_scope() as session:
        return list(session.execute(
            select(m.Proposal.code).join(m.DeadlineReminder, m.DeadlineReminder.proposal_id == m.Proposal.id)
            .where(m.DeadlineReminder.conversation_id == conversation_id, m.DeadlineReminder.stopped_at.is_(None))
            .order_by(m.Proposal.code)).scalars())


def _deadline(call_year: int, track_code: str) -> Optional[datetime.date]:
    """The track's deadline or, for a track taking proposals all year, the day by which a proposal
    must arrive to be reviewed this year (its review cut-off)."""
    call = service.call_for_year(call_year)
    track = call.track(track_code) if call else None
    return (track.deadline or track.review_cutoff) if track else None


def _reminder_dates(deadline: datetime.date) -> List[datetime.date]:
    return [deadline - datetime.timedelta(days=days) for days in settings.reminder_days()]


def queue_due_reminders(today: datetime.date, at: Optional[datetime.datetime] = None) -> int:
    """Queues the reminders due today (or since a missed day, until the deadline) of every active
    subscription whose proposal is still a draft; returns how many subscriptions had one due."""
    at = _now(at)
    due = 0
    with session_scope() as session:
        rows = session.execute(select(m.DeadlineReminder, m.Proposal)
                               .join(m.Proposal, m.Proposal.id == m.DeadlineReminder.proposal_id)
                               .where(m.DeadlineReminder.stopped_at.is_(None))).all()
        # Read before anything is written: the knowledge base's own session must not wait on this one.
        deadlines = {(p.call_year, p.track_code): None for _, p in rows}
        for year, track in deadlines:
            deadlines[year, track] = _deadline(year, track)
        for reminder, proposal in rows:
            if not proposal.history or proposal.history[-1].status != "draft":
                continue
            deadline = deadlines[proposal.call_year, proposal.track_code]
            if deadline is None or today > deadline:
                continue
            # The latest reminder day reached, among those still ahead when the applicant asked.
            reached = [day for day in _reminder_dates(deadline) if reminder.since.date() <= day <= today]
            if not reached:
                continue
            day = max(reached)
            due += 1
            stamp = datetime.datetime.combine(deadline, datetime.time())
            channel = channel_of(reminder.conversation_id)
            targets = [(Channel.EMAIL, proposal.contact_email)] + ([(channel, reminder.conversation_id)] if channel else [])
            for channel, target in targets:
                _queue(session, f"{Kind.REMINDER}:{proposal.id}:{day.isoformat()}:{channel}:{target}",
                       kind=Kind.REMINDER, proposal_id=proposal.id, deadline=stamp, channel=channel, target=target,
                       language=reminder.language, created_at=at, next_try_at=at)
    return due


# --- Sending -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pending:
    """A claimed notification, with what its message is made of."""

    id: int
    kind: str
    channel: str
    target: str
    language: str  # "" when unknown (an e-mail to a proposal made before languages were kept)
    proposal_code: str
    change_index: Optional[int]  # kind status: the change's position in the proposal's history
    deadline: Optional[datetime.date]  # kind reminder
    attempts: int


def claim(worker: str, limit: int = 20, at: Optional[datetime.datetime] = None) -> List[Pending]:
    """Claims up to `limit` notifications due now for `worker`, for LEASE. A row goes to one worker
    only: its claim is a conditional update that a concurrent worker's update makes match nothing."""
    at = _now(at)
    n = m.Notification
    free = or_(n.claimed_until.is_(None), n.claimed_until < at)
    claimed = []
    with session_scope() as session:
        ids = session.execute(select(n.id).where(n.sent_at.is_(None), n.failed_at.is_(None), n.next_try_at <= at, free)
                              .order_by(n.next_try_at, n.id).limit(limit)).scalars().all()
        for row_id in ids:
            won = session.execute(update(n).where(n.id == row_id, n.sent_at.is_(None), n.failed_at.is_(None), free)
                                  .values(claimed_by=worker, claimed_until=at + LEASE)).rowcount
            if won:
                claimed.append(row_id)
    if not claimed:
        return []
    with session_scope() as session:
        rows = session.execute(select(n, m.Proposal.code).join(m.Proposal, m.Proposal.id == n.proposal_id)
                               .where(n.id.in_(claimed)).order_by(n.next_try_at, n.id)).all()
        pending = []
        for row, code in rows:
            index = None
            if row.status_change_id is not None:
                index = session.execute(select(func.count(m.StatusChange.id)).where(
                    m.StatusChange.proposal_id == row.proposal_id, m.StatusChange.id < row.status_change_id)).scalar_one()
            pending.append(Pending(row.id, row.kind, row.channel, row.target, row.language or "", code, index,
                                   row.deadline.date() if row.deadline else None, row.attempts))
        return pending


def mark_sent(notification_id: int, worker: str, at: Optional[datetime.datetime] = None) -> None:
    with session_scope() as session:
        session.execute(update(m.Notification).where(m.Notification.id == notification_id)
                        .values(sent_at=_now(at), attempts=m.Notification.attempts + 1, claimed_until=None,
                                claimed_by=worker, last_error=None))


def mark_failed(notification_id: int, error: str, *, permanent: bool = False,
                at: Optional[datetime.datetime] = None) -> bool:
    """Records a failed try: retried later with a growing wait, or given up (True) when the channel
    refused for good or after MAX_ATTEMPTS tries."""
    at = _now(at)
    with session_scope() as session:
        row = session.get(m.Notification, notification_id)
        row.attempts += 1
        row.last_error = error[:2000]
        row.claimed_until = None
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.failed_at = at
            return True
        row.next_try_at = at + min(LAST_RETRY, FIRST_RETRY * 2 ** (row.attempts - 1))
        return False


@dataclass(frozen=True)
class Record:
    """A notification as the staff tools show it."""

    proposal_code: str
    kind: str
    channel: str
    target: str
    created_at: datetime.datetime
    sent_at: Optional[datetime.datetime]
    failed_at: Optional[datetime.datetime]
    attempts: int
    last_error: Optional[str]

    @property
    def state(self) -> str:
        return "sent" if self.sent_at else "given up" if self.failed_at else "waiting"


def news_of_latest_change(proposal_code: str) -> List[Record]:
    """The messages queued about the proposal's latest status change (one per channel and target)."""
    n = m.Notification
    latest = select(func.max(m.StatusChange.id)).join(m.Proposal, m.Proposal.id == m.StatusChange.proposal_id) \
        .where(m.Proposal.code == proposal_code).scalar_subquery()
    with session_scope() as session:
        return _records(session.execute(select(n, m.Proposal.code).join(m.Proposal, m.Proposal.id == n.proposal_id)
                                        .where(n.status_change_id == latest).order_by(n.id)).all())


def history(proposal_code: Optional[str] = None, limit: int = 100) -> List[Record]:
    """The newest notifications (of one proposal), newest first."""
    n = m.Notification
    query = select(n, m.Proposal.code).join(m.Proposal, m.Proposal.id == n.proposal_id)
    if proposal_code:
        query = query.where(m.Proposal.code == proposal_code)
    with session_scope() as session:
        return _records(session.execute(query.order_by(n.created_at.desc(), n.id.desc()).limit(limit)).all())


def _records(rows) -> List[Record]:
    return [Record(code, r.kind, r.channel, r.target, r.created_at, r.sent_at, r.failed_at, r.attempts, r.last_error)
            for r, code in rows]
