"""What applicants ask, counted per day from Rasa's tracker store (knowledge/insights.py): kept
here so that a year of questions is read from a few thousand rows, not millions of events; and
the questions the assistant could not answer, for the secretariat's inbox (knowledge/inbox.py)."""
from sqlalchemy import BigInteger, Column, Date, DateTime, Float, Integer, String, UniqueConstraint

from knowledge.tables.base import Base


class InsightCursor(Base):
    """One row: the newest tracker-store event already counted."""

    __tablename__ = "insight_cursor"
    id = Column(Integer, primary_key=True)
    last_event_id = Column(BigInteger, nullable=False)
    salt = Column(String(64), nullable=False)  # the key of the visitors' hashes, random, kept only here


class InsightCount(Base):
    """How often something happened on a day (Korea time), per channel and language: `metric`
    (messages, not_understood, faq, topic, draft_started, ...) and, for topics, which (`key`)."""

    __tablename__ = "insight_count"
    __table_args__ = (UniqueConstraint("day", "channel", "language", "metric", "key"),)
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False)
    metric = Column(String(40), nullable=False)
    key = Column(String(80), nullable=False, default="")
    count = Column(Integer, nullable=False)


class InsightVisitor(Base):
    """A conversation that wrote on a day: a keyed hash of its id, never the id (a Telegram chat id
    names a person), so applicants are counted apart over any range without being identifiable."""

    __tablename__ = "insight_visitor"
    __table_args__ = (UniqueConstraint("day", "channel", "language", "visitor"),)
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False)
    visitor = Column(BigInteger, nullable=False)  # 63 bits of an HMAC: counted distinct fast, no collision in practice


class UnansweredMessage(Base):
    """A message the assistant did not understand, declined as out of scope, or answered from the
    FAQ with low confidence (`reason`), masked (knowledge/masking.py). Deleted with its conversation
    (knowledge/retention.py); `status` says how the secretariat handled it (open until then)."""

    __tablename__ = "unanswered_message"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)  # UTC, when the applicant sent it
    conversation_id = Column(String(100), nullable=False, index=True)  # for the transcript, never shown
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False)
    reason = Column(String(20), nullable=False)  # not_understood, out_of_scope, faq_low
    score = Column(Float)  # the FAQ match's similarity, for faq_low
    text = Column(String(600), nullable=False)
    status = Column(String(12), nullable=False, default="open", index=True)  # open, faq, training, dismissed
    handled_at = Column(DateTime)
    handled_by = Column(String(64))


class TrainingExample(Base):
    """A message the secretariat marked as an example of an intent: written to the training data
    (nlu/reviewed/examples.yml) by the next `make model`, which sets `exported_at`. Masked, and
    with no conversation: it outlives the conversation it came from."""

    __tablename__ = "training_example"
    __table_args__ = (UniqueConstraint("intent", "language", "text"),)
    id = Column(Integer, primary_key=True)
    intent = Column(String(80), nullable=False)
    language = Column(String(2), nullable=False)
    text = Column(String(600), nullable=False)
    marked_by = Column(String(64), nullable=False)
    marked_at = Column(DateTime, nullable=False)
    exported_at = Column(DateTime)
