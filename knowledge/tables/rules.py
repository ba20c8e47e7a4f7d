"""The call rules: everything the answers are made of, each text in Korean and English.

These tables are what the knowledge-base file holds (knowledge/seed/kcity_network.yaml, and what
knowledge/transfer/ exports and imports): an import replaces them all at once, and every change to
them raises the revision (knowledge/revision.py) so cached views are read again.
"""
from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from knowledge.tables.base import Base, Bilingual, bilingual


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
    # The facts of a copied call not yet confirmed or edited (places within the call, one per line):
    # a call is not published while any is left (knowledge/transfer/checks.py).
    unconfirmed = Column(Text)
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


# --- Beyond the call itself, yet in the same file: what the bot tells applicants about their
# proposal's status, when the helpdesk answers, and the secretariat's own questions and answers.


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


class FaqEntry(Bilingual, Base):
    """A question and answer the secretariat adds; the bot answers it when its intents do not
    cover a question and the FAQ matches confidently (knowledge/faq.py)."""

    __tablename__ = "faq_entry"
    id = Column(Integer, primary_key=True)
    position = Column(Integer, nullable=False)
    question = bilingual(500)
    answer = bilingual()


class Privacy(Base):
    """How long conversations are kept (knowledge/retention.py), set by the secretariat."""

    __tablename__ = "privacy"
    id = Column(Integer, primary_key=True)
    retention_days = Column(Integer, nullable=False)


class CannedReply(Bilingual, Base):
    """A ready answer the secretariat keeps for the helpdesk console: the officer picks it by its
    title and gets its text in the applicant's language, to edit and send."""

    __tablename__ = "canned_reply"
    id = Column(Integer, primary_key=True)
    position = Column(Integer, nullable=False)
    title = bilingual(100)
    text = bilingual()


# Not a call rule itself (no file holds it, and its own changes raise nothing), but it counts the
# changes to the tables above, so it lives beside them.
class KnowledgeRevision(Base):
    """One row: a number the database raises whenever a call rule changes (knowledge/revision.py)."""

    __tablename__ = "kb_revision"
    id = Column(Integer, primary_key=True)
    number = Column(BigInteger, nullable=False)
