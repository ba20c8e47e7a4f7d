"""What the call rules are made of. Every human-readable text exists in Korean and English.

A text field `x` is stored as two columns, `x_ko` and `x_en`; `obj.text("x", lang)` reads one.
"""
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from knowledge.wording import LANGUAGES

Base = declarative_base()


def bilingual(length=None, nullable=False):
    """Two columns, Korean and English, for one text field (see Bilingual.__init_subclass__)."""
    return ("bilingual", length, nullable)


class Bilingual:
    """Expands `field = bilingual()` into `field_ko` and `field_en` columns."""

    TEXT_FIELDS: tuple = ()

    def __init_subclass__(cls, **kwargs):
        fields = []
        for name, value in list(vars(cls).items()):
            if isinstance(value, tuple) and value[:1] == ("bilingual",):
                _, length, nullable = value
                for lang in LANGUAGES:
                    column_type = String(length) if length else Text()
                    setattr(cls, f"{name}_{lang}", Column(column_type, nullable=nullable))
                delattr(cls, name)
                fields.append(name)
        cls.TEXT_FIELDS = tuple(getattr(cls, "TEXT_FIELDS", ())) + tuple(fields)
        super().__init_subclass__(**kwargs)

    def text(self, field: str, lang: str) -> str:
        return getattr(self, f"{field}_{lang}") or ""


class Program(Bilingual, Base):
    __tablename__ = "program"
    id = Column(Integer, primary_key=True)
    name = bilingual(200)
    summary = bilingual()
    since_year = Column(Integer, nullable=False)
    # Distinct countries cannot be summed from the yearly figures, so the total is a fact of its own.
    countries_to_date = Column(Integer, nullable=False)
    history = relationship("HistoryYear", order_by="HistoryYear.year", cascade="all, delete-orphan")


class HistoryYear(Base):
    __tablename__ = "history_year"
    id = Column(Integer, primary_key=True)
    program_id = Column(ForeignKey("program.id"), nullable=False)
    year = Column(Integer, nullable=False)
    countries = Column(Integer, nullable=False)
    projects = Column(Integer, nullable=False)
    __table_args__ = (UniqueConstraint("program_id", "year"),)


class Organization(Bilingual, Base):
    __tablename__ = "organization"
    id = Column(Integer, primary_key=True)
    code = Column(String(20), unique=True, nullable=False)  # KIND, KAIA, MOLIT
    name = bilingual(200)
    role = bilingual()
    website = Column(String(200))


class Call(Bilingual, Base):
    __tablename__ = "call"
    id = Column(Integer, primary_key=True)
    program_id = Column(ForeignKey("program.id"), nullable=False)
    year = Column(Integer, unique=True, nullable=False)
    announced_on = Column(Date, nullable=False)
    opens_on = Column(Date, nullable=False)
    published = Column(Boolean, nullable=False, default=True)
    max_projects = Column(Integer, nullable=False)
    total_budget_krw = Column(BigInteger, nullable=False)
    summary = bilingual()
    program = relationship("Program")
    tracks = relationship("Track", order_by="Track.position", back_populates="call", cascade="all, delete-orphan")
    contacts = relationship("Contact", order_by="Contact.position", cascade="all, delete-orphan")
    links = relationship("Link", order_by="Link.position", cascade="all, delete-orphan")
    notes = relationship("Note", order_by="Note.position", cascade="all, delete-orphan")


class Track(Bilingual, Base):
    __tablename__ = "track"
    id = Column(Integer, primary_key=True)
    call_id = Column(ForeignKey("call.id"), nullable=False)
    code = Column(String(40), nullable=False)  # planning, demonstration
    position = Column(Integer, nullable=False, default=0)
    name = bilingual(200)
    who_may_apply = bilingual()
    what_is_supported = bilingual()
    support_form = bilingual()
    projects_selected = Column(Integer, nullable=False)
    selection_breakdown = bilingual(nullable=True)
    amount_min_krw = Column(BigInteger, nullable=False)
    amount_max_krw = Column(BigInteger, nullable=False)
    secretariat_id = Column(ForeignKey("organization.id"), nullable=False)
    # "rolling": proposals all year, reviewed for this year's support if received by
    # review_cutoff, else for the next year's; "deadline": accepted only until deadline.
    intake_mode = Column(String(20), nullable=False)
    deadline = Column(Date)
    review_cutoff = Column(Date)
    submission_how = bilingual()
    review_method = bilingual()
    preconsulting = bilingual(nullable=True)
    selection_year = Column(Integer, nullable=False)
    selection_month = Column(Integer, nullable=False)
    call = relationship("Call", back_populates="tracks")
    secretariat = relationship("Organization")
    eligible_applicants = relationship("ApplicantKind", secondary="track_applicant", order_by="ApplicantKind.position")
    requirements = relationship("Requirement", order_by="Requirement.position", cascade="all, delete-orphan")
    solution_fields = relationship("SolutionField", order_by="SolutionField.position", cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("call_id", "code"),)


class ApplicantKind(Bilingual, Base):
    """A kind of applicant: foreign government, international organization, Korean company."""

    __tablename__ = "applicant_kind"
    id = Column(Integer, primary_key=True)
    code = Column(String(40), unique=True, nullable=False)
    position = Column(Integer, nullable=False, default=0)
    name = bilingual(200)


class TrackApplicant(Base):
    __tablename__ = "track_applicant"
    track_id = Column(ForeignKey("track.id"), primary_key=True)
    applicant_kind_id = Column(ForeignKey("applicant_kind.id"), primary_key=True)


class Requirement(Bilingual, Base):
    """A condition an applicant to a track must meet, e.g. an overseas partner institution."""

    __tablename__ = "requirement"
    id = Column(Integer, primary_key=True)
    track_id = Column(ForeignKey("track.id"), nullable=False)
    code = Column(String(40), nullable=False)  # overseas_partner, commercialized_in_korea
    position = Column(Integer, nullable=False, default=0)
    description = bilingual()


class SolutionField(Bilingual, Base):
    __tablename__ = "solution_field"
    id = Column(Integer, primary_key=True)
    track_id = Column(ForeignKey("track.id"), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    name = bilingual(100)


class Contact(Bilingual, Base):
    __tablename__ = "contact"
    id = Column(Integer, primary_key=True)
    call_id = Column(ForeignKey("call.id"), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    unit = bilingual(200)
    person = bilingual(100)
    title = bilingual(100)
    phone = Column(String(40), nullable=False)


class Link(Bilingual, Base):
    __tablename__ = "link"
    id = Column(Integer, primary_key=True)
    call_id = Column(ForeignKey("call.id"), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    label = bilingual(200)
    url = Column(String(300), nullable=False)


class Note(Bilingual, Base):
    """Free text the secretariat attaches to a call, under a topic (e.g. 'reform', 'overview')."""

    __tablename__ = "note"
    id = Column(Integer, primary_key=True)
    call_id = Column(ForeignKey("call.id"), nullable=False)
    topic = Column(String(40), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    body = bilingual()


class EntityAlias(Base):
    """A word or phrase users use for an entity value; the NLU builds its patterns from these."""

    __tablename__ = "entity_alias"
    id = Column(Integer, primary_key=True)
    entity = Column(String(40), nullable=False)  # track, applicant, lacking
    value = Column(String(40), nullable=False)
    lang = Column(String(2), nullable=False)
    alias = Column(String(200), nullable=False)
    __table_args__ = (UniqueConstraint("entity", "value", "lang", "alias"),)


# --- Applicants' proposals -------------------------------------------------------------


class ProposalStatus(Bilingual, Base):
    """A step a proposal goes through (draft, submitted, ...), and what it means to the applicant."""

    __tablename__ = "proposal_status"
    id = Column(Integer, primary_key=True)
    code = Column(String(40), unique=True, nullable=False)
    position = Column(Integer, nullable=False, default=0)
    name = bilingual(100)
    meaning = bilingual()


class Helpdesk(Bilingual, Base):
    """When people answer applicants who ask for one, and what happens outside those hours."""

    __tablename__ = "helpdesk"
    id = Column(Integer, primary_key=True)
    hours = bilingual(300)
    outside_hours = bilingual()
    timezone = Column(String(50), nullable=False)  # an IANA name, e.g. Asia/Seoul
    weekdays = Column(String(20), nullable=False)  # open days, Monday = 0: "0,1,2,3,4"
    opens = Column(String(5), nullable=False)  # "09:00", local time
    closes = Column(String(5), nullable=False)


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


class AuditEntry(Base):
    """One changed fact: where in the knowledge-base file, old and new value, who and when."""

    __tablename__ = "audit_entry"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False)
    by = Column(String(100), nullable=False, default="")
    place = Column(String(300), nullable=False)
    old_value = Column(Text)
    new_value = Column(Text)


class StaffAccount(Base):
    """A person of the helpdesk, the secretariat or an administrator, for the web console."""

    __tablename__ = "staff_account"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(20), nullable=False)  # helpdesk, secretariat or admin
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


class FaqEntry(Bilingual, Base):
    """A question and answer the secretariat adds; the bot answers it when its intents do not
    cover a question and the FAQ matches confidently (knowledge/faq.py)."""

    __tablename__ = "faq_entry"
    id = Column(Integer, primary_key=True)
    position = Column(Integer, nullable=False)
    question = bilingual(500)
    answer = bilingual()


class KnowledgeRevision(Base):
    """One row: a number the database raises whenever a call rule changes (knowledge/revision.py)."""

    __tablename__ = "kb_revision"
    id = Column(Integer, primary_key=True)
    number = Column(BigInteger, nullable=False)
