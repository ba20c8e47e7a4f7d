"""What applicants ask, counted per day from Rasa's tracker store (knowledge/insights.py): kept
here so that a year of questions is read from a few thousand rows, not millions of events."""
from sqlalchemy import BigInteger, Column, Date, Integer, String, UniqueConstraint

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
