"""Applicants' data: proposals, the statuses they went through, tries at looking one up, the codes
mailed to prove an address, the chats proved that way, and the news and reminders sent to them.

Not call rules: never exported or replaced by an import, and no cached view is made from them.
"""
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from knowledge.tables.base import Base


class Proposal(Base):
    __tablename__ = "proposal"
    id = Column(Integer, primary_key=True)
    # Canonical form, unique: KCN-2024-D-7K3M-Q9XF-2HTW-5N8J, or KCN-2024-D-0427-K from before
    # (knowledge/reference_codes.py). Was String(20): seed.create_schema() widens older databases.
    code = Column(String(40), unique=True, nullable=False)
    call_year = Column(Integer, nullable=False)
    track_code = Column(String(40), nullable=False)
    contact_email = Column(String(254), nullable=False)  # stored lower-case
    applicant_kind = Column(String(40))  # an ApplicantKind code
    applicant_org = Column(String(200))
    country = Column(String(100))
    city = Column(String(100))
    title = Column(String(300))
    korean_company = Column(String(200))  # demonstration track only
    partner_institution = Column(String(200))  # demonstration track only
    commercialized_in_korea = Column(Boolean)  # demonstration track only
    demo = Column(Boolean, nullable=False, default=False)  # sample data for trying the bot, not a real applicant
    # The conversation the draft was opened in, to limit drafts per conversation (None: staff, tests,
    # or opened before this was recorded).
    conversation_id = Column(String(200), index=True)
    # The applicant's language when the draft was opened, for status news by mail (None: older rows).
    language = Column(String(2))
    history = relationship("StatusChange", order_by="StatusChange.id", cascade="all, delete-orphan")


class StatusChange(Base):
    __tablename__ = "status_change"
    id = Column(Integer, primary_key=True)
    proposal_id = Column(ForeignKey("proposal.id"), nullable=False)
    status = Column(String(40), nullable=False)
    at = Column(DateTime, nullable=False)
    note = Column(Text, nullable=False, default="")
    by = Column(String(100), nullable=False, default="")


class StatusCheckAttempt(Base):
    """One try at proving a proposal's code and e-mail, kept to refuse guessing."""

    __tablename__ = "status_check_attempt"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    # The code tried (canonical form), so that guessing from many conversations is refused too.
    code = Column(String(40), index=True)
    at = Column(DateTime, nullable=False)
    succeeded = Column(Boolean, nullable=False)


class EmailProofCode(Base):
    """A one-time code mailed to an address, to prove the requester reads it (knowledge/email_proof.py).

    One row per mail sent: the rows also count the mails per conversation, client and address for
    the rate limits. Only a salted scrypt hash of the code is kept.
    """

    __tablename__ = "email_proof_code"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    # Who asked, as far as the channel tells: the Telegram user, else the conversation itself.
    client = Column(String(200), nullable=False, index=True)
    address = Column(String(254), nullable=False, index=True)  # lower-case
    purpose = Column(String(20), nullable=False)  # status, resume (a proposal's address on file) or draft
    proposal_id = Column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)  # None for a new draft
    code_hash = Column(String(64), nullable=False)
    salt = Column(String(32), nullable=False)
    created_at = Column(DateTime, nullable=False, index=True)
    expires_at = Column(DateTime, nullable=False)
    wrong_tries = Column(Integer, nullable=False, default=0)
    # When it was typed right (proven), or made unusable (too many wrong tries, a newer code, a stop).
    used_at = Column(DateTime)
    proven = Column(Boolean, nullable=False, default=False)


class ProofLink(Base):
    """A Telegram chat or widget session whose applicant proved a proposal by mail: later status
    checks and draft resumptions there need no new code (until expires_at)."""

    __tablename__ = "proof_link"
    __table_args__ = (UniqueConstraint("proposal_id", "conversation_id"),)
    id = Column(Integer, primary_key=True)
    proposal_id = Column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    # The applicant's language when the link was made, for status news sent there (None: older rows).
    language = Column(String(2))


class Notification(Base):
    """One message to an applicant on one channel (knowledge/notifications.py): queued in the same
    transaction as the status change it tells of, sent by the notification worker, recorded here.

    `key` is unique: the same news for the same target is queued once, however many servers or
    retries. A worker claims a row until `claimed_until`, so two workers never send it together.
    """

    __tablename__ = "notification"
    id = Column(Integer, primary_key=True)
    key = Column(String(300), unique=True, nullable=False)
    kind = Column(String(20), nullable=False)  # status, reminder
    proposal_id = Column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    status_change_id = Column(ForeignKey("status_change.id", ondelete="CASCADE"))  # kind status
    deadline = Column(DateTime)  # kind reminder: the deadline it reminds of
    channel = Column(String(20), nullable=False)  # telegram, web, email
    target = Column(String(254), nullable=False)  # a conversation id, or an e-mail address
    language = Column(String(2), nullable=False)
    created_at = Column(DateTime, nullable=False)
    next_try_at = Column(DateTime, nullable=False, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    claimed_by = Column(String(100))
    claimed_until = Column(DateTime)
    sent_at = Column(DateTime, index=True)
    failed_at = Column(DateTime)  # given up: permanently refused, or too many tries
    last_error = Column(Text)


class DeadlineReminder(Base):
    """An applicant's wish to be reminded of their draft's deadline, in the chat they asked in (and by
    e-mail), until they stop it or the draft is no longer a draft."""

    __tablename__ = "deadline_reminder"
    __table_args__ = (UniqueConstraint("proposal_id", "conversation_id"),)
    id = Column(Integer, primary_key=True)
    proposal_id = Column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    language = Column(String(2), nullable=False)
    since = Column(DateTime, nullable=False)
    stopped_at = Column(DateTime)
