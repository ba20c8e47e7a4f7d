"""Applicants' proposals: drafts, status changes, and looking one up for its applicant (the proof of
ownership itself is a code mailed to the proposal's address: knowledge/email_proof.py).

Like knowledge.service, every function returns plain views and opens its own session.
"""
import datetime
import hmac
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from knowledge import tables as m
from knowledge import notifications, reference_codes, service, settings
from knowledge.db import session_scope
from knowledge.service import Text, localized
from knowledge.wording import say

MAX_FAILED_CHECKS = 5  # failed look-ups in a row that lock a conversation out (not a proposal)
LOCKOUT = datetime.timedelta(minutes=15)
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
DRAFT_FIELDS = ("applicant_kind", "applicant_org", "country", "city", "title", "korean_company", "partner_institution",
                "commercialized_in_korea")
FIELD_LIMITS = {"applicant_kind": 40, "applicant_org": 200, "country": 100, "city": 100, "title": 300, "korean_company": 200,
                "partner_institution": 200}


class ProposalError(ValueError):
    """A request the data does not allow. `key` and `facts` name the sentence saying why
    (messages.yml, `proposal_error_…`), for a staff page's language; str() is the English one."""

    def __init__(self, key: str, **facts):
        super().__init__(say(key, "en", **facts))
        self.key, self.facts = key, facts

    def said_in(self, lang: str) -> str:
        return say(self.key, lang, **self.facts)


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def normalize_email(raw: Optional[str]) -> Optional[str]:
    email = (raw or "").strip()
    if len(email) > 254 or not EMAIL.match(email):
        return None
    return email.lower()


@dataclass(frozen=True)
class StatusStep:
    status: str
    name: Text
    meaning: Text
    at: datetime.datetime
    note: str


@dataclass(frozen=True)
class Proposal:
    code: str
    call_year: int
    track_code: str
    contact_email: str
    applicant_kind: Optional[str]
    applicant_org: Optional[str]
    country: Optional[str]
    city: Optional[str]
    title: Optional[str]
    korean_company: Optional[str]
    partner_institution: Optional[str]
    commercialized_in_korea: Optional[bool]
    demo: bool
    history: Tuple[StatusStep, ...]

    @property
    def current(self) -> StatusStep:
        return self.history[-1]


def _statuses(session) -> dict:
    return {s.code: s for s in session.execute(select(m.ProposalStatus)).scalars()}


@dataclass(frozen=True)
class Status:
    code: str
    name: Text
    meaning: Text


def statuses() -> List[Status]:
    """The statuses a proposal can have, in their order, with names and meanings in both languages."""
    with session_scope() as session:
        rows = session.execute(select(m.ProposalStatus).order_by(m.ProposalStatus.position, m.ProposalStatus.id)).scalars()
        return [Status(r.code, localized(r, "name"), localized(r, "meaning")) for r in rows]


def _view(row: m.Proposal, statuses: dict) -> Proposal:
    def step(change: m.StatusChange) -> StatusStep:
        status = statuses.get(change.status)
        name = localized(status, "name") if status else Text(change.status, change.status)
        meaning = localized(status, "meaning") if status else Text("", "")
        return StatusStep(change.status, name, meaning, change.at, change.note or "")

    return Proposal(
        code=row.code, call_year=row.call_year, track_code=row.track_code, contact_email=row.contact_email,
        applicant_kind=row.applicant_kind, applicant_org=row.applicant_org, country=row.country, city=row.city, title=row.title,
        korean_company=row.korean_company, partner_institution=row.partner_institution,
        commercialized_in_korea=row.commercialized_in_korea, demo=row.demo,
        history=tuple(step(c) for c in row.history),
    )


def _load(session, code: str) -> Optional[m.Proposal]:
    return session.execute(
        select(m.Proposal).where(m.Proposal.code == code).options(selectinload(m.Proposal.history))
    ).scalar_one_or_none()


def get(code: str) -> Optional[Proposal]:
    """A proposal by its exact code (staff tools only: applicants go through verify())."""
    with session_scope() as session:
        row = _load(session, reference_codes.normalize(code) or "")
        return _view(row, _statuses(session)) if row else None


def get_with_call(code: str) -> Tuple[Optional[Proposal], Optional[service.Call]]:
    """A proposal and the published call of its year, for answers that explain its rules."""
    proposal = get(code)
    return proposal, service.call_for_year(proposal.call_year) if proposal else None


def list_all() -> List[Proposal]:
    with session_scope() as session:
        statuses = _statuses(session)
        rows = session.execute(select(m.Proposal).order_by(m.Proposal.id).options(selectinload(m.Proposal.history))).scalars()
        return [_view(r, statuses) for r in rows]


def drafts_of(contact_email: str) -> List[Proposal]:
    """The drafts registered with an e-mail address (only to be shown to whoever proved that address by
    a mailed code: email_proof.proven)."""
    email = normalize_email(contact_email)
    return [p for p in list_all() if p.contact_email == email and p.current.status == "draft"]


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ProposalError("proposal_error_unknown_field", field=repr(name))
        if isinstance(value, str):
            value = " ".join(value.split())
            if len(value) > FIELD_LIMITS[name]:
                raise ProposalError("proposal_error_too_long", field=name, limit=FIELD_LIMITS[name])
        cleaned[name] = value
    return cleaned


class DraftLimitReached(ProposalError):
    """Too many drafts opened recently under one e-mail address (`per` "email") or in one
    conversation (`per` "conversation"); `limit` drafts within `period`."""

    def __init__(self, per: str, limit: int, period: datetime.timedelta):
        super().__init__("proposal_error_draft_limit", limit=limit, per=per, period=period)
        self.per, self.limit, self.period = per, limit, period


def _check_draft_limits(session, email: str, conversation_id: Optional[str], at: datetime.datetime) -> None:
    """Refuses a new draft beyond the open drafts allowed per address and per conversation in the
    period (settings KCN_DRAFTS_PER_EMAIL, KCN_DRAFTS_PER_CONVERSATION, KCN_DRAFT_LIMIT_HOURS)."""
    period = settings.draft_limit_period()
    whose = m.Proposal.contact_email == email
    if conversation_id:
        whose = or_(whose, m.Proposal.conversation_id == conversation_id)
    rows = session.execute(select(m.Proposal).where(whose).options(selectinload(m.Proposal.history))).scalars()
    recent = [r for r in rows if r.history and r.history[-1].status == "draft" and r.history[0].at > at - period]
    if sum(r.contact_email == email for r in recent) >= settings.drafts_per_email():
        raise DraftLimitReached("email", settings.drafts_per_email(), period)
    if conversation_id and sum(r.conversation_id == conversation_id for r in recent) >= settings.drafts_per_conversation():
        raise DraftLimitReached("conversation", settings.drafts_per_conversation(), period)


def draft_limit(contact_email: str, conversation_id: Optional[str] = None,
                at: Optional[datetime.datetime] = None) -> Optional[DraftLimitReached]:
    """The limit a new draft for this address in this conversation would exceed, if any: asked
    before anything is sent to the address; create_draft() checks again."""
    email = normalize_email(contact_email)
    if email is None:
        return None
    with session_scope() as session:
        try:
            _check_draft_limits(session, email, conversation_id, at or now())
        except DraftLimitReached as reached:
            return reached
    return None


def create_draft(call_year: int, track_code: str, contact_email: str, *, conversation_id: Optional[str] = None,
                 demo: bool = False, at: Optional[datetime.datetime] = None, language: Optional[str] = None,
                 **fields) -> Proposal:
    """A new draft with a new reference code, opened in `conversation_id` (None: by staff or a tool),
    by an applicant writing in `language` (the language of the status news mailed to them).

    DraftLimitReached if the address or the conversation already has as many open drafts, opened
    within the period, as the settings allow. The code space (2**75 per year and track) cannot run
    out; a code drawn twice (never seen in practice) is drawn again, and the unique column on
    proposal.code guarantees no two proposals share one.
    """
    email = normalize_email(contact_email)
    if email is None:
        raise ProposalError("proposal_error_not_email", value=repr(contact_email))
    if track_code not in reference_codes.TRACK_LETTERS:
        raise ProposalError("proposal_error_unknown_track", value=repr(track_code))
    at = at or now()
    with session_scope() as session:
        _check_draft_limits(session, email, conversation_id, at)
        code = reference_codes.new_code(call_year, track_code)
        while _load(session, code) is not None:
            code = reference_codes.new_code(call_year, track_code)
        row = m.Proposal(code=code, call_year=call_year, track_code=track_code, contact_email=email, demo=demo,
                         conversation_id=conversation_id, language=language, **_clean_fields(fields))
        row.history.append(m.StatusChange(status="draft", at=at, note=""))
        session.add(row)
        session.flush()
        return _view(row, _statuses(session))


def update_draft(code: str, **fields) -> Proposal:
    with session_scope() as session:
        row = _load(session, code)
        if row is None:
            raise ProposalError("proposal_error_no_proposal", code=code)
        if row.history[-1].status != "draft":
            raise ProposalError("proposal_error_not_draft", code=code)
        for name, value in _clean_fields(fields).items():
            setattr(row, name, value)
        return _view(row, _statuses(session))


def set_status(code: str, status: str, note: str = "", by: str = "", at: Optional[datetime.datetime] = None) -> Proposal:
    """Records a new status (or the same status with a new note) and, in the same transaction, the
    news of it to the applicant on every channel they linked (knowledge/notifications.py)."""
    at = at or now()
    with session_scope() as session:
        if status not in _statuses(session):
            raise ProposalError("proposal_error_unknown_status", value=repr(status), known=", ".join(_statuses(session)))
        row = _load(session, reference_codes.normalize(code) or "")
        if row is None:
            raise ProposalError("proposal_error_no_proposal", code=code)
        change = m.StatusChange(status=status, at=at, note=note.strip(), by=by)
        row.history.append(change)
        session.flush()
        notifications.queue_status_news(session, row, change, at)
        return _view(row, _statuses(session))


# --- Looking a proposal up for its applicant, with a lock against guessing ---------------------
#
# The applicant proves a proposal by a code mailed to its address on file (knowledge/email_proof.py).
# What is guessed here is only which reference codes exist (look_up) and, once many codes went to
# an address, that address (verify): both failures count for the conversation that made them, which
# is refused for LOCKOUT after MAX_FAILED_CHECKS in a row. Nothing is counted per proposal, so
# nobody can lock an applicant out of their own proposal.


def _lock_state(conversation_id: str) -> Tuple[int, Optional[datetime.datetime]]:
    """Failures in a row since the last success or lock-out, and when the last lock-out ends."""
    with session_scope() as session:
        attempts = session.execute(
            select(m.StatusCheckAttempt.at, m.StatusCheckAttempt.succeeded)
            .where(m.StatusCheckAttempt.conversation_id == conversation_id)
            .order_by(m.StatusCheckAttempt.at, m.StatusCheckAttempt.id)
        ).all()
    streak, until = 0, None
    for when, succeeded in attempts:
        streak = 0 if succeeded else streak + 1
        if streak == MAX_FAILED_CHECKS:
            until, streak = when + LOCKOUT, 0
    return streak, until


def locked_until(conversation_id: str, at: Optional[datetime.datetime] = None) -> Optional[datetime.datetime]:
    """When a conversation may try again, if MAX_FAILED_CHECKS failures in a row locked it out."""
    _, until = _lock_state(conversation_id)
    return until if until and (at or now()) < until else None


def failures_in_a_row(conversation_id: str) -> int:
    """Failed tries since the last success or lock-out, to tell the applicant how many are left."""
    return _lock_state(conversation_id)[0]


@dataclass(frozen=True)
class Verification:
    proposal: Optional[Proposal]
    locked_until: Optional[datetime.datetime]
    left: int = MAX_FAILED_CHECKS  # tries before the lock-out, after a failure


def _attempt(conversation_id: str, code: str, at: datetime.datetime, check, record_success: bool = True) -> Verification:
    """Runs check(row) -> bool on the proposal of `code` (None if unknown) and records the try."""
    until = locked_until(conversation_id, at)
    if until:
        return Verification(None, until, 0)
    canonical = reference_codes.normalize(code)
    with session_scope() as session:
        row = _load(session, canonical) if canonical else None
        matched = row is not None and check(row)
        if record_success or not matched:
            session.add(m.StatusCheckAttempt(conversation_id=conversation_id, code=canonical, at=at, succeeded=matched))
        proposal = _view(row, _statuses(session)) if matched else None
    if matched:
        return Verification(proposal, None)
    streak, until = _lock_state(conversation_id)
    until = until if until and at < until else None
    return Verification(None, until, 0 if until else MAX_FAILED_CHECKS - streak)


def look_up(conversation_id: str, code: str, at: Optional[datetime.datetime] = None) -> Verification:
    """The proposal of a reference code, to mail a code to its address; an unknown code counts as a
    failure. Finding one is no success (it proves nothing), so typing one's own code between guesses
    does not reset the count."""
    return _attempt(conversation_id, code, at or now(), lambda row: True, record_success=False)


def verify(conversation_id: str, code: str, email: str, at: Optional[datetime.datetime] = None) -> Verification:
    """The proposal if code and e-mail match; an unknown code and a wrong e-mail look the same."""
    address = normalize_email(email) or ""
    return _attempt(conversation_id, code, at or now(),
                    lambda row: hmac.compare_digest(row.contact_email.encode(), address.encode()))


DEMO_FILE = Path(__file__).resolve().parent / "seed" / "demo_proposals.yaml"


def load_demo(path=DEMO_FILE) -> int:
    """Adds the sample proposals that are not there yet; returns how many were added."""


    with open(path, encoding="utf-8") as f:
        samples = yaml.safe_load(f)
    added = 0
    with session_scope() as session:
        for sample in samples:
            if _load(session, sample["code"]) is not None:
                continue
            fields = {k: sample[k] for k in DRAFT_FIELDS if k in sample}
            row = m.Proposal(code=sample["code"], call_year=int(sample["code"][4:8]), track_code=sample["track"],
                             contact_email=normalize_email(sample["contact_email"]), demo=True, **fields)
            for step in sample["history"]:
                row.history.append(m.StatusChange(status=step["status"], at=step["at"], note=step.get("note", ""),
                                                  by="demo"))
            session.add(row)
            added += 1
    return added

