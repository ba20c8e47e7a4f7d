"""Applicants' data: proposals, the statuses they went through, and tries at looking one up.

Not call rules: never exported or replaced by an import, and no cached view is made from them.
"""
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from knowledge.models.base import Base


class Proposal(Base):
    __tablename__ = "proposal"
    id = Column(Integer, primary_key=True)
    code = Column(String(20), unique=True, nullable=False)  # KCN-2024-D-0427-K
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
