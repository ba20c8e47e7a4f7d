"""The helpdesk queue: conversations handed to a person, who claims, answers and hands them back.

The conversation itself (what was said) stays in Rasa's tracker store; this records who handled
which conversation when, and how it ended, for the console and for reporting.

Two kinds of actor: officers (staff usernames) claim, answer, note and end handoffs, each step
checked against the claim; the applicant only leaves the queue (`applicant_returned`, called by
their own channel). The officers' steps refuse the applicant's name, and no staff account may take
it (knowledge.staff), so an officer can never pass for the applicant.
"""
import datetime
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.wording import say

OPEN = ("waiting", "active")
NOTE_LIMIT = 2000
APPLICANT = "applicant"  # ended_by when the applicant went back to the bot


class HandoffError(ValueError):
    """A step the handoff's state does not allow. `key` and `facts` name the sentence saying why
    (knowledge/wording/messages.yml), for the officer's language; str() is the English one, for logs."""

    def __init__(self, key: str, **facts):
        super().__init__(say(key, "en", **facts))
        self.key, self.facts = key, facts

    def said_in(self, lang: str) -> str:
        return say(self.key, lang, **self.facts)


@dataclass(frozen=True)
class Note:
    author: str
    at: datetime.datetime
    body: str


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: str
    language: str
    reason: str
    status: str
    requested_at: datetime.datetime
    claimed_by: Optional[str]
    claimed_at: Optional[datetime.datetime]
    ended_at: Optional[datetime.datetime]
    ended_by: Optional[str]
    notes: Tuple[Note, ...]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _view(row: m.Handoff) -> Handoff:
    return Handoff(row.id, row.conversation_id, row.channel, row.language, row.reason, row.status, row.requested_at,
                   row.claimed_by, row.claimed_at, row.ended_at, row.ended_by,
                   tuple(Note(n.author, n.at, n.body) for n in row.notes))


def _open_row(session, conversation_id: str) -> Optional[m.Handoff]:
    return session.execute(select(m.Handoff).where(m.Handoff.conversation_id == conversation_id,
                                                   m.Handoff.status.in_(OPEN))
                           .options(selectinload(m.Handoff.notes))).scalars().first()


def request(conversation_id: str, channel: str, language: str, reason: str = "asked") -> Handoff:
    """Queues a conversation; asking again while it is queued or being answered changes nothing."""
    with session_scope() as session:
        row = _open_row(session, conversation_id)
        if row is None:
            row = m.Handoff(conversation_id=conversation_id, channel=channel or "unknown", language=language,
                            reason=reason, status="waiting", requested_at=_now())
            session.add(row)
            session.flush()
        return _view(row)


def open_for(conversation_id: str) -> Optional[Handoff]:
    with session_scope() as session:
        row = _open_row(session, conversation_id)
        return _view(row) if row else None


def visible_to(conversation_id: str, officer: str, past_too: bool = False) -> bool:
    """Whether the console may show an officer this conversation: while it is with the helpdesk
    (waiting or being answered), or if this officer claimed it once; with `past_too` (the admins'
    review) also if it was ever handed over. A conversation never handed over is nobody's to read."""
    query = select(m.Handoff.id).where(m.Handoff.conversation_id == conversation_id)
    if not past_too:
        query = query.where(or_(m.Handoff.status.in_(OPEN), m.Handoff.claimed_by == officer))
    with session_scope() as session:
        return session.execute(query.limit(1)).first() is not None


def get(handoff_id: int) -> Optional[Handoff]:
    with session_scope() as session:
        row = session.get(m.Handoff, handoff_id, options=[selectinload(m.Handoff.notes)])
        return _view(row) if row else None


def queue() -> List[Handoff]:
    """Waiting and active handoffs, oldest first."""
    with session_scope() as session:
        rows = session.execute(select(m.Handoff).where(m.Handoff.status.in_(OPEN)).order_by(m.Handoff.requested_at)
                               .options(selectinload(m.Handoff.notes))).scalars()
        return [_view(r) for r in rows]


def report(since: Optional[datetime.datetime] = None) -> List[Handoff]:
    """Every handoff (since a time), for reporting: who took it, when, and how it ended."""
    with session_scope() as session:
        query = select(m.Handoff).order_by(m.Handoff.id).options(selectinload(m.Handoff.notes))
        if since:
            query = query.where(m.Handoff.requested_at >= since)
        return [_view(r) for r in session.execute(query).scalars()]


SEARCH_LIMIT = 50


def _like(words: str) -> str:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(officer: str, words: str = "", since: Optional[datetime.date] = None, until: Optional[datetime.date] = None,
           past_too: bool = False, limit: int = SEARCH_LIMIT) -> List[Handoff]:
    """Past and present handoffs this officer may read (visible_to's rule: the ones they answered;
    `past_too`, the admins', all), newest first, whose conversation id, officer or internal notes hold
    `words` (any case), requested between the two days (inclusive, UTC)."""
    query = select(m.Handoff).order_by(m.Handoff.requested_at.desc(), m.Handoff.id.desc()).limit(limit)
    if not past_too:
        query = query.where(m.Handoff.claimed_by == officer)
    words = " ".join(words.split())
    if words:
        pattern = _like(words.lower())
        noted = select(m.HandoffNote.handoff_id).where(func.lower(m.HandoffNote.body).like(pattern, escape="\\"))
        query = query.where(or_(func.lower(m.Handoff.conversation_id).like(pattern, escape="\\"),
                                func.lower(m.Handoff.claimed_by).like(pattern, escape="\\"),
                                m.Handoff.id.in_(noted)))
    if since:
        query = query.where(m.Handoff.requested_at >= datetime.datetime.combine(since, datetime.time()))
    if until:
        query = query.where(m.Handoff.requested_at < datetime.datetime.combine(until + datetime.timedelta(days=1),
                                                                                datetime.time()))
    with session_scope() as session:
        return [_view(r) for r in session.execute(query.options(selectinload(m.Handoff.notes))).scalars()]


def _row_for_update(session, handoff_id: int) -> m.Handoff:
    row = session.get(m.Handoff, handoff_id, options=[selectinload(m.Handoff.notes)], with_for_update=True)
    if row is None:
        raise HandoffError("handoff_no_such", handoff=handoff_id)
    return row


def _officer(by: str) -> str:
    if not by or by == APPLICANT:
        raise HandoffError("handoff_not_an_officer")
    return by


def claim(handoff_id: int, by: str) -> Handoff:
    """One officer at a time: a conversation another officer has claimed cannot be claimed."""
    _officer(by)
    with session_scope() as session:
        row = _row_for_update(session, handoff_id)
        if row.status not in OPEN:
            raise HandoffError("handoff_no_longer_with_helpdesk")
        if row.status == "active" and row.claimed_by != by:
            raise HandoffError("handoff_already_answering", officer=row.claimed_by)
        row.status, row.claimed_by, row.claimed_at = "active", by, row.claimed_at or _now()
        return _view(row)


def check_owner(handoff_id: int, by: str) -> Handoff:
    """The handoff if `by` has claimed it (only they may write to the applicant)."""
    _officer(by)
    handoff = get(handoff_id)
    if handoff is None:
        raise HandoffError("handoff_no_such", handoff=handoff_id)
    if handoff.status != "active" or handoff.claimed_by != by:
        raise HandoffError("handoff_claim_before_answering")
    return handoff


def add_note(handoff_id: int, by: str, body: str) -> Handoff:
    """An internal note, by the officer answering the conversation (claimed by them, still open)."""
    _officer(by)
    body = body.strip()
    if not body:
        raise HandoffError("handoff_note_empty")
    if len(body) > NOTE_LIMIT:
        raise HandoffError("handoff_note_too_long", limit=NOTE_LIMIT)
    with session_scope() as session:
        row = _row_for_update(session, handoff_id)
        if row.status != "active" or row.claimed_by != by:
            raise HandoffError("handoff_claim_before_note")
        row.notes.append(m.HandoffNote(author=by, at=_now(), body=body))
        session.flush()
        return _view(row)


def end(handoff_id: int, by: str, outcome: str) -> Handoff:
    """An officer hands the conversation back to the bot ("returned") or closes it ("closed"): a
    waiting one, or one they have claimed."""
    _officer(by)
    return _end(handoff_id, by, outcome, claim_checked=True)


def applicant_returned(conversation_id: str) -> Optional[Handoff]:
    """The applicant went back to the bot ("/bot" on their own channel): their open handoff, if
    any, ends as returned, whoever had claimed it."""
    current = open_for(conversation_id)
    return _end(current.id, APPLICANT, "returned", claim_checked=False) if current else None


def _end(handoff_id: int, by: str, outcome: str, claim_checked: bool) -> Handoff:
    if outcome not in ("returned", "closed"):
        raise HandoffError("handoff_unknown_outcome", outcome=outcome)
    with session_scope() as session:
        row = _row_for_update(session, handoff_id)
        if row.status not in OPEN:
            raise HandoffError("handoff_no_longer_with_helpdesk")
        if claim_checked and row.status == "active" and row.claimed_by != by:
            raise HandoffError("handoff_someone_answering", officer=row.claimed_by)
        row.status, row.ended_at, row.ended_by = outcome, _now(), by
        return _view(row)
