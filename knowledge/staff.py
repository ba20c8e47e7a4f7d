"""Staff accounts (argon2id password hashes, roles) and their browser sessions, for the web console."""
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from knowledge import models as m
from knowledge.db import session_scope

ROLES = ("helpdesk", "secretariat", "admin")
SESSION_LIFETIME = datetime.timedelta(hours=8)
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the time the same either way.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class StaffError(ValueError):
    """A request the rules refuse; the message says why."""


@dataclass(frozen=True)
class Staff:
    username: str
    role: str

    def may(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


@dataclass(frozen=True)
class Session:
    token: str  # goes in the cookie; only its hash is stored
    csrf_token: str
    staff: Staff
    expires_at: datetime.datetime


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_account(username: str, password: str, role: str) -> Staff:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise StaffError("a username is 2-64 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"a password needs at least {MIN_PASSWORD} characters")
    with session_scope() as session:
        if session.execute(select(m.StaffAccount.id).where(m.StaffAccount.username == username)).first():
            raise StaffError(f"{username} already exists")
        session.add(m.StaffAccount(username=username, password_hash=_hasher.hash(password), role=role,
                                   active=True, created_at=_now()))
    return Staff(username, role)


def set_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"a password needs at least {MIN_PASSWORD} characters")
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.password_hash = _hasher.hash(password)
        session.execute(delete(m.StaffSession).where(m.StaffSession.account_id == row.id))


def deactivate(username: str) -> None:
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.active = False
        session.execute(delete(m.StaffSession).where(m.StaffSession.account_id == row.id))


def accounts() -> List[Staff]:
    with session_scope() as session:
        rows = session.execute(select(m.StaffAccount).where(m.StaffAccount.active.is_(True))
                               .order_by(m.StaffAccount.username)).scalars()
        return [Staff(r.username, r.role) for r in rows]


def log_in(username: str, password: str) -> Optional[Session]:
    """A new session if the password is right for an active account, else None."""
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username.strip().lower(),
                                                           m.StaffAccount.active.is_(True))).scalar_one_or_none()
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = _now() + SESSION_LIFETIME
        session.execute(delete(m.StaffSession).where(m.StaffSession.expires_at < _now()))
        session.add(m.StaffSession(token_hash=_digest(token), csrf_token=csrf, account_id=row.id, expires_at=expires))
        return Session(token, csrf, Staff(row.username, row.role), expires)


def session_of(token: Optional[str]) -> Optional[Session]:
    """The live session a cookie belongs to, or None (unknown, expired, or its account deactivated)."""
    if not token:
        return None
    with session_scope() as session:
        found = session.execute(
            select(m.StaffSession, m.StaffAccount).join(m.StaffAccount, m.StaffAccount.id == m.StaffSession.account_id)
            .where(m.StaffSession.token_hash == _digest(token))).first()
        if not found or found[0].expires_at <= _now() or not found[1].active:
            return None
        return Session(token, found[0].csrf_token, Staff(found[1].username, found[1].role), found[0].expires_at)


def log_out(token: str) -> None:
    with session_scope() as session:
        session.execute(delete(m.StaffSession).where(m.StaffSession.token_hash == _digest(token)))
