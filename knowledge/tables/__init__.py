"""Every table of the knowledge base, one import away: `from knowledge import tables as m; m.Track`.

  base.py        the declarative base, and texts stored in Korean and English (`bilingual()`)
  rules.py       the call rules: what the answers are made of, and what the knowledge-base file holds
  applicants.py  applicants' proposals and their statuses, proof attempts, mailed codes, proved chats,
                 and the status news and deadline reminders sent to applicants
  insights.py    what applicants ask, counted per day, and the unanswered questions' inbox
  staff.py       console accounts, helpdesk handoffs, and the audit of rule changes

Import the tables from here, not from the modules: where a table lives is this package's business.
"""
from knowledge.tables.applicants import (
    DeadlineReminder,
    EmailProofCode,
    Notification,
    Proposal,
    ProofLink,
    StatusChange,
    StatusCheckAttempt,
)
from knowledge.tables.base import Base, Bilingual, bilingual
from knowledge.tables.insights import InsightCount, InsightCursor, InsightVisitor, TrainingExample, UnansweredMessage
from knowledge.tables.rules import (
    ApplicantKind,
    Call,
    CannedReply,
    Contact,
    EntityAlias,
    FaqEntry,
    Helpdesk,
    HistoryYear,
    KnowledgeRevision,
    Link,
    Note,
    Organization,
    Privacy,
    Program,
    ProposalStatus,
    Requirement,
    SolutionField,
    Track,
    TrackApplicant,
)
from knowledge.tables.staff import (
    AuditEntry,
    ForgetRequest,
    Handoff,
    HandoffNote,
    StaffAccount,
    StaffDevice,
    StaffLoginAttempt,
    StaffSession,
    RetentionRun,
)
from knowledge.wording import LANGUAGES

__all__ = [
    "LANGUAGES", "Base", "Bilingual", "bilingual",
    # call rules
    "Program", "HistoryYear", "Organization", "Call", "Track", "ApplicantKind", "TrackApplicant", "Requirement",
    "SolutionField", "Contact", "Link", "Note", "EntityAlias", "ProposalStatus", "Helpdesk", "FaqEntry",
    "CannedReply", "Privacy", "KnowledgeRevision",
    # applicants
    "Proposal", "StatusChange", "StatusCheckAttempt", "EmailProofCode", "ProofLink", "Notification", "DeadlineReminder",
    # insights
    "InsightCursor", "InsightCount", "InsightVisitor", "UnansweredMessage", "TrainingExample",
    # staff
    "StaffAccount", "StaffSession", "StaffLoginAttempt", "StaffDevice", "Handoff", "HandoffNote", "AuditEntry",
    "ForgetRequest", "RetentionRun",
]
