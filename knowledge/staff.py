"""Staff accounts (argon2id password hashes, roles) and their browser sessions, for the web console,
and the login throttle that keeps password guessing slow.

The throttle (kept in the database, so it holds across every web server) counts failed logins per
typed username and per client address over WINDOW. Past the free attempts each further attempt
must wait, doubling from FIRST_WAIT up to MAX_WAIT after the latest failure; a refused attempt is
not checked and does not count, so hammering a locked account does not lengthen its lock.

A flood from many addresses must not lock the real officer out of their own account, so a browser
that has logged in to the account before (its device cookie, StaffDevice) is counted on its own
instead of with everyone typing that username; only its own failures and its address's limit
apply to it. An officer on a new browser waits like anyone else while the account is throttled
(the message says until when). The address limit is looser than the account's because one office
address may serve several officers.
"""
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import List, NamedTuple, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, text, update

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.handoffs import APPLICANT
from knowledge.wording import LANGUAGES

ROLES = ("helpdesk", "secretariat", "admin")
SESSION_LIFETIME = datetime.timedelta(hours=8)
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the time the same either way.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
# Names the helpdesk records for someone who is not staff (handoffs.APPLICANT): no account may take one.
RESERVED_USERNAMES = (APPLICANT,)

WINDOW = datetime.timedelta(minutes=15)  # failures older than this are forgotten
ACCOUNT_FREE = 5  # failed logins for one username (from browsers not known to it) before waits begin
ADDRESS_FREE = 10  # failed logins from one client address, whatever the username
FIRST_WAIT = datetime.timedelta(seconds=30)
MAX_WAIT = WINDOW
DEVICE_LIFETIME = datetime.timedelta(days=180)  # since the browser's last login
DEVICES_PER_BROWSER = 4


class StaffError(ValueError):
    """A request the rules refuse; the message says why."""


class LoginThrottled(StaffError):
    """Too many failed logins for the username or from the address (`cause`: "account" or "address"):
    try again at `retry_at` (UTC)."""

    def __init__(self, retry_at: datetime.datetime, reason: str, cause: str = "account"):
        super().__init__(reason)
        self.retry_at, self.cause = retry_at, cause


@dataclass(frozen=True)
class Client:
    """Who is logging in, as far as the throttle can tell."""

    address: str = ""  # the client's IP address; "" if unknown (then only the account is counted)
    device: str = ""  # the browser's device cookie (_device_tokens); "" if it sent none


@dataclass(frozen=True)
class Staff:
    username: str
    role: str
    language: Optional[str] = None  # chosen for the staff pages; None: the browser's

    def may(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


@dataclass(frozen=True)
class Session:
    token: str  # goes in the cookie; only its hash is stored
    csrf_token: str
    staff: Staff
    expires_at: datetime.datetime
    device: str = ""  # after a login: the device cookie for the browser to keep (see the module's doc)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_account(username: str, password: str, role: str, language: Optional[str] = None,
                display_name: Optional[str] = None) -> Staff:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise StaffError("a username is 2-64 lower-case letters, digits, '.', '_' or '-'")
    if username in RESERVED_USERNAMES:
        raise StaffError(f"{username!r} is reserved: the helpdesk records the applicant under that name")
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"a password needs at least {MIN_PASSWORD} characters")
    _check_language(language)
    display_name = _clean_display_name(display_name)
    with session_scope() as session:
        if session.execute(select(m.StaffAccount.id).where(m.StaffAccount.username == username)).first():
            raise StaffError(f"{username} already exists")
        session.add(m.StaffAccount(username=username, password_hash=_hasher.hash(password), role=role,
                                   language=language, display_name=display_name, active=True, created_at=_now()))
    return Staff(username, role, language)


def _check_language(language: Optional[str]) -> None:
    if language is not None and language not in LANGUAGES:
        raise StaffError(f"unknown language {language!r}; languages: {', '.join(LANGUAGES)}")


def set_language(username: str, language: Optional[str]) -> None:
    """The staff pages' language for this account (None: its browser's)."""
    _check_language(language)
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.language = language


DISPLAY_NAME_LIMIT = 40


def _clean_display_name(name: Optional[str]) -> Optional[str]:
    name = " ".join((name or "").split())
    if len(name) > DISPLAY_NAME_LIMIT:
        raise StaffError(f"a display name has at most {DISPLAY_NAME_LIMIT} characters")
    return name or None


def set_display_name(username: str, name: Optional[str]) -> None:
    """The name applicants see on this officer's replies ("상담원 김민지"); empty: none, only "상담원"."""
    name = _clean_display_name(name)
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.display_name = name


def display_name(username: str) -> Optional[str]:
    with session_scope() as session:
        return session.execute(select(m.StaffAccount.display_name)
                               .where(m.StaffAccount.username == username)).scalar_one_or_none()


def set_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"a password needs at least {MIN_PASSWORD} characters")
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.password_hash = _hasher.hash(password)
        _forget_browsers(session, row.id)


def deactivate(username: str) -> None:
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == username)).scalar_one_or_none()
        if row is None:
            raise StaffError(f"no account {username}")
        row.active = False
        _forget_browsers(session, row.id)


def _forget_browsers(session, account_id: int) -> None:
    """Logs the account out everywhere; its browsers are strangers to the throttle again."""
    session.execute(delete(m.StaffSession).where(m.StaffSession.account_id == account_id))
    session.execute(delete(m.StaffDevice).where(m.StaffDevice.account_id == account_id))


def accounts() -> List[Staff]:
    with session_scope() as session:
        rows = session.execute(select(m.StaffAccount).where(m.StaffAccount.active.is_(True))
                               .order_by(m.StaffAccount.username)).scalars()
        return [Staff(r.username, r.role, r.language) for r in rows]


class _Account(NamedTuple):
    id: int
    username: str
    role: str
    password_hash: str
    language: Optional[str]


def _password_matches(password_hash: str, password: str) -> bool:
    """The argon2 check: deliberately slow (tens of milliseconds of CPU), so callers on an event loop
    run log_in in a worker thread."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def log_in(username: str, password: str, client: Client = Client()) -> Optional[Session]:
    """A new session if the password is right for an active account, else None; LoginThrottled
    (before any password is checked) while the username or the address must wait."""
    name = username.strip().lower()[:64]
    account, known_device = _account_and_device(name, client.device)
    attempt = _record_attempt(name, client.address, known_device)  # raises LoginThrottled
    # Outside any transaction: the check is slow, and no connection waits for it.
    if not _password_matches(account.password_hash if account else _DUMMY_HASH, password) or account is None:
        return None  # the attempt stays recorded as a failure
    return _open_session(attempt, account, known_device, client.device)


def _device_tokens(cookie: str) -> List[str]:
    """The device cookie holds the tokens of the last few accounts used in that browser (a shared
    helpdesk PC), newest first, joined by "." (which token_urlsafe never makes)."""
    return [token for token in cookie.split(".") if token][:DEVICES_PER_BROWSER]


def _account_and_device(name: str, cookie: str):
    """The active account of that name, or None, and the hash of the browser's device token for
    that account if the browser has one."""
    with session_scope() as session:
        row = session.execute(select(m.StaffAccount).where(m.StaffAccount.username == name,
                                                           m.StaffAccount.active.is_(True))).scalar_one_or_none()
        if row is None:
            return None, None
        hashes = [_digest(token) for token in _device_tokens(cookie)]
        known = session.execute(select(m.StaffDevice.token_hash).where(
            m.StaffDevice.token_hash.in_(hashes), m.StaffDevice.account_id == row.id,
            m.StaffDevice.last_used_at > _now() - DEVICE_LIFETIME)).scalar() if hashes else None
        return _Account(row.id, row.username, row.role, row.password_hash, row.language), known


def _record_attempt(name: str, address: str, device_hash: Optional[str]) -> int:
    """The attempt, recorded (and committed) before the password is checked so that parallel
    attempts see each other; LoginThrottled instead, recording nothing (a refused attempt is not a
    guess). The check and the record are one transaction that holds the username's and the
    address's lock, so a parallel flood is decided one attempt at a time: exactly the free attempts
    are checked, and every later one is refused."""
    with session_scope() as session:
        _serialize(session, name, address)
        session.execute(delete(m.StaffLoginAttempt).where(m.StaffLoginAttempt.at < _now() - WINDOW))
        refusal = _throttle(session, name, address, device_hash)
        if refusal:
            raise refusal
        row = m.StaffLoginAttempt(at=_now(), username=name, address=address[:45], device_hash=device_hash)
        session.add(row)
        session.flush()
        return row.id


def _serialize(session, name: str, address: str) -> None:
    """Makes concurrent login transactions for this username or address wait for each other.
    PostgreSQL: transaction-scoped advisory locks, taken in a fixed order (username, then
    address). SQLite needs nothing here: the DELETE that follows takes the database's write lock
    for the whole transaction."""
    if session.get_bind().dialect.name == "postgresql":
        for key in (f"login-user:{name}", f"login-address:{address[:45]}" if address else None):
            if key:
                session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _throttle(session, name: str, address: str, known_device: Optional[str]) -> Optional[LoginThrottled]:
    """Why a new attempt must wait, if it must: the username's or the address's recent failures
    (attempts still being checked count as failures)."""
    recent = select(m.StaffLoginAttempt.at).where(m.StaffLoginAttempt.at >= _now() - WINDOW)
    if known_device:  # a browser known to the account: only its own failures count
        account = recent.where(m.StaffLoginAttempt.username == name, m.StaffLoginAttempt.device_hash == known_device)
    else:
        account = recent.where(m.StaffLoginAttempt.username == name)
    limits = [(account, ACCOUNT_FREE, "Too many failed logins for this account.", "account")]
    if address:
        limits.append((recent.where(m.StaffLoginAttempt.address == address[:45]), ADDRESS_FREE,
                       "Too many failed logins from your network address.", "address"))
    refusals = []
    for query, free, reason, cause in limits:
        failures = sorted(session.execute(query).scalars())
        retry_at = _retry_at(failures, free)
        if retry_at:
            refusals.append(LoginThrottled(retry_at, reason, cause))
    return max(refusals, key=lambda r: r.retry_at) if refusals else None


def _retry_at(failures: List[datetime.datetime], free: int) -> Optional[datetime.datetime]:
    """When the next attempt may be made after these failures (oldest first), if not now."""
    if len(failures) < free:
        return None
    wait = min(FIRST_WAIT * 2 ** (len(failures) - free), MAX_WAIT)
    retry_at = failures[-1] + wait
    return retry_at if retry_at > _now() else None


def _open_session(attempt: int, account: _Account, known_device: Optional[str], cookie: str) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = _now() + SESSION_LIFETIME
    with session_scope() as session:
        session.execute(delete(m.StaffLoginAttempt).where(m.StaffLoginAttempt.id == attempt))
        session.execute(delete(m.StaffSession).where(m.StaffSession.expires_at < _now()))
        session.add(m.StaffSession(token_hash=_digest(token), csrf_token=csrf, account_id=account.id, expires_at=expires))
        if known_device:
            session.execute(update(m.StaffDevice).where(m.StaffDevice.token_hash == known_device)
                            .values(last_used_at=_now()))
            tokens = _device_tokens(cookie)
        else:
            session.execute(delete(m.StaffDevice).where(m.StaffDevice.last_used_at < _now() - DEVICE_LIFETIME))
            new = secrets.token_urlsafe(32)
            session.add(m.StaffDevice(token_hash=_digest(new), account_id=account.id, last_used_at=_now()))
            tokens = [new, *_device_tokens(cookie)][:DEVICES_PER_BROWSER]
    return Session(token, csrf, Staff(account.username, account.role, account.language), expires, ".".join(tokens))


def forget_failed_logins(username: str) -> int:
    """Lets an account log in again at once (an administrator's `staff unlock`); the number forgotten."""
    with session_scope() as session:
        result = session.execute(delete(m.StaffLoginAttempt)
                                 .where(m.StaffLoginAttempt.username == username.strip().lower()))
        return result.rowcount


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
        return Session(token, found[0].csrf_token, Staff(found[1].username, found[1].role, found[1].language),
                       found[0].expires_at)


def log_out(token: str) -> None:
    with session_scope() as session:
        session.execute(delete(m.StaffSession).where(m.StaffSession.token_hash == _digest(token)))
