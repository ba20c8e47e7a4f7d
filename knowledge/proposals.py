"""Applicants' proposals: drafts, status changes, and the code-and-e-mail proof for status checks.

Like knowledge.service, every function returns plain views and opens its own session.
"""
import datetime
import hmac
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge import models as m
from knowledge import reference_codes, service
from knowledge.db import session_scope
from knowledge.service import Text, localized

MAX_FAILED_CHECKS = 5
LOCKOUT = datetime.timedelta(minutes=15)
# Failures for one code within LOCKOUT, from any conversations: a new conversation id gains no tries.
MAX_FAILED_CHECKS_PER_CODE = 10
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
DRAFT_FIELDS = ("applicant_kind", "applicant_org", "country", "city", "title", "korean_company", "partner_institution",
                "commercialized_in_korea")
FIELD_LIMITS = {"applicant_kind": 40, "applicant_org": 200, "country": 100, "city": 100, "title": 300, "korean_company": 200,
                "partner_institution": 200}


class ProposalError(ValueError):
    """A request the data does not allow; the message says why."""


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
    """The drafts registered with an e-mail address (only to be shown after a verified proof)."""
    email = normalize_email(contact_email)
    return [p for p in list_all() if p.contact_email == email and p.current.status == "draft"]


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ProposalError(f"unknown field {name!r}")
        if isinstance(value, str):
            value = " ".join(value.split())
            if len(value) > FIELD_LIMITS[name]:
                raise ProposalError(f"{name} is longer than {FIELD_LIMITS[name]} characters")
        cleaned[name] = value
    return cleaned


def create_draft(call_year: int, track_code: str, contact_email: str, *, demo: bool = False,
                 at: Optional[datetime.datetime] = None, **fields) -> Proposal:
    email = normalize_email(contact_email)
    if email is None:
        raise ProposalError(f"{contact_email!r} is not an e-mail address")
    if track_code not in reference_codes.TRACK_LETTERS:
        raise ProposalError(f"unknown track {track_code!r}")
    with session_scope() as session:
        for _ in range(20):  # a random code may already exist: draw again
            code = reference_codes.new_code(call_year, track_code)
            if _load(session, code) is None:
                break
        else:
            raise ProposalError("no free reference code left for this year and track")
        row = m.Proposal(code=code, call_year=call_year, track_code=track_code, contact_email=email, demo=demo,
                         **_clean_fields(fields))
        row.history.append(m.StatusChange(status="draft", at=at or now(), note=""))
        session.add(row)
        session.flush()
        return _view(row, _statuses(session))


def update_draft(code: str, **fields) -> Proposal:
    with session_scope() as session:
        row = _load(session, code)
        if row is None:
            raise ProposalError(f"no proposal {code}")
        if row.history[-1].status != "draft":
            raise ProposalError(f"{code} is no longer a draft")
        for name, value in _clean_fields(fields).items():
            setattr(row, name, value)
        return _view(row, _statuses(session))


def set_status(code: str, status: str, note: str = "", by: str = "", at: Optional[datetime.datetime] = None) -> Proposal:
    with session_scope() as session:
        if status not in _statuses(session):
            raise ProposalError(f"unknown status {status!r}; known: {', '.join(_statuses(session))}")
        row = _load(session, reference_codes.normalize(code) or "")
        if row is None:
            raise ProposalError(f"no proposal {code}")
        row.history.append(m.StatusChange(status=status, at=at or now(), note=note.strip(), by=by))
        session.flush()
        return _view(row, _statuses(session))


# --- Proof of ownership, with a lock against guessing ---------------------------------------


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


def code_locked_until(code: str, at: Optional[datetime.datetime] = None) -> Optional[datetime.datetime]:
    """When a code may be tried again, if MAX_FAILED_CHECKS_PER_CODE failures within LOCKOUT locked it."""
    at = at or now()
    canonical = reference_codes.normalize(code)
    if canonical is None:
        return None
    with session_scope() as session:
        failures = session.execute(
            select(m.StatusCheckAttempt.at)
            .where(m.StatusCheckAttempt.code == canonical, m.StatusCheckAttempt.succeeded.is_(False),
                   m.StatusCheckAttempt.at > at - LOCKOUT)
            .order_by(m.StatusCheckAttempt.at)
        ).scalars().all()
    return failures[-1] + LOCKOUT if len(failures) >= MAX_FAILED_CHECKS_PER_CODE else None


def failures_in_a_row(conversation_id: str) -> int:
    """Failed proofs since the last success or lock-out, to tell the applicant how many tries are left."""
    return _lock_state(conversation_id)[0]


@dataclass(frozen=True)
class Verification:
    proposal: Optional[Proposal]
    locked_until: Optional[datetime.datetime]


def verify(conversation_id: str, code: str, email: str, at: Optional[datetime.datetime] = None) -> Verification:
    """The proposal if code and e-mail match; an unknown code and a wrong e-mail look the same."""
    at = at or now()
    until = locked_until(conversation_id, at) or code_locked_until(code, at)
    if until:
        return Verification(None, until)
    canonical, address = reference_codes.normalize(code), normalize_email(email) or ""
    with session_scope() as session:
        row = _load(session, canonical) if canonical else None
        matched = row is not None and hmac.compare_digest(row.contact_email.encode(), address.encode())
        session.add(m.StatusCheckAttempt(conversation_id=conversation_id, code=canonical, at=at, succeeded=matched))
        proposal = _view(row, _statuses(session)) if matched else None
    if matched:
        return Verification(proposal, None)
    return Verification(None, locked_until(conversation_id, at) or code_locked_until(code, at))


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

