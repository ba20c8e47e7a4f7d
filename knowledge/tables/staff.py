"""The people behind the bot: console accounts and sessions, the login throttle's records,
helpdesk handoffs, and the audit of who changed which call rule.

Not call rules: they change all day, and no cached view is made from them (knowledge/revision.py).
"""
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from knowledge.tables.base import Base


class StaffAccount(Base):
    """A person of the helpdesk, the secretariat or an administrator, for the web console."""

    __tablename__ = "staff_account"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(20), nullable=False)  # helpdesk, secretariat or admin
    language = Column(String(2))  # the staff pages' language it chose; None: its browser's (bot/web/pages.py)
    # The name applicants see on this officer's replies; None: only "상담원 / Helpdesk". Never the
    # username, which is half of a login.
    display_name = Column(String(40))
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False)


class StaffSession(Base):
    """A logged-in browser; only a hash of its cookie is stored."""

    __tablename__ = "staff_session"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    csrf_token = Column(String(64), nullable=False)
    account_id = Column(ForeignKey("staff_account.id"), nullable=False)
    expires_at = Column(DateTime, nullable=False)


class StaffLoginAttempt(Base):
    """A login that did not (yet) succeed: counted for the throttle of its typed username and its
    client address (knowledge/staff.py), kept for the throttle's window only. It is written before
    the password is checked, so parallel guesses count each other."""

    __tablename__ = "staff_login_attempt"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    username = Column(String(64), nullable=False, index=True)  # as typed (normalised); it may not exist
    address = Column(String(45), nullable=False, default="", index=True)
    device_hash = Column(String(64))  # the browser's device cookie, if it sent one


class StaffDevice(Base):
    """A browser that has logged in to an account (its device cookie; only a hash is stored): a
    flood of wrong passwords for the account does not lock this browser out."""

    __tablename__ = "staff_device"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    account_id = Column(ForeignKey("staff_account.id"), nullable=False)
    last_used_at = Column(DateTime, nullable=False)


class Handoff(Base):
    """A conversation handed to the helpdesk: waiting, active (claimed), then returned or closed."""

    __tablename__ = "handoff"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    language = Column(String(2), nullable=False)
    reason = Column(String(20), nullable=False)  # asked, not_understood
    status = Column(String(20), nullable=False)  # waiting, active, returned, closed
    requested_at = Column(DateTime, nullable=False)
    claimed_by = Column(String(64))
    claimed_at = Column(DateTime)
    ended_at = Column(DateTime)
    ended_by = Column(String(64))
    notes = relationship("HandoffNote", order_by="HandoffNote.id", cascade="all, delete-orphan")


class HandoffNote(Base):
    """An officer's internal note on a handoff; never shown to the applicant."""

    __tablename__ = "handoff_note"
    id = Column(Integer, primary_key=True)
    handoff_id = Column(ForeignKey("handoff.id"), nullable=False)
    author = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False)
    body = Column(Text, nullable=False)


class AuditEntry(Base):
    """One changed fact: where in the knowledge-base file, old and new value, who and when."""

    __tablename__ = "audit_entry"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False)
    by = Column(String(100), nullable=False, default="")
    place = Column(String(300), nullable=False)
    old_value = Column(Text)
    new_value = Column(Text)


class ForgetRequest(Base):
    """An applicant's request that their conversation be deleted (entered by the secretariat); done
    by the next retention run (knowledge/retention.py)."""

    __tablename__ = "forget_request"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    requested_at = Column(DateTime, nullable=False)
    done_at = Column(DateTime)


class RetentionRun(Base):
    """One run of the retention job: what it deleted, kept as the record of it."""

    __tablename__ = "retention_run"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False)
    cutoff = Column(DateTime)  # conversations silent since before this were deleted; None: no period set
    conversations = Column(Integer, nullable=False)
    events = Column(Integer, nullable=False)
    handoffs = Column(Integer, nullable=False)
    requests = Column(Integer, nullable=False)  # applicants' own requests done
