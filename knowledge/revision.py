"""The knowledge base's revision: a number the database itself raises whenever a call rule changes.

Reading the published call takes eight queries and a few hundred ORM objects; the action server
did that for every answer (about 10 ms of CPU, most of its work per message). `knowledge.service`
now keeps what it read, and asks this one-row table first: while the number is unchanged, nothing
the answers are built from has changed.

The number is raised by triggers in the database (SQLite and PostgreSQL), on every insert, update
or delete in a call-rule table. So an edit is seen at the next answer whoever makes it: the admin
pages, the secretariat's command line, another server, or plain SQL typed into the database. The
tables that are not call rules (proposals, staff, helpdesk queue, audit, ...) are left out, since
they change all day and no cached view is made from them. A database without triggers (another
dialect) has no revision, and every read goes to the database as before.
"""
import functools
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from sqlalchemy import inspect
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from knowledge import tables as m
from knowledge.db import get_engine

TABLE = m.KnowledgeRevision.__tablename__

# Rows that change as applicants and staff work, and that no cached view is built from.
NOT_CALL_RULES = frozenset({
    m.Proposal.__tablename__, m.StatusChange.__tablename__, m.StatusCheckAttempt.__tablename__,
    m.EmailProofCode.__tablename__, m.ProofLink.__tablename__, m.Notification.__tablename__,
    m.DeadlineReminder.__tablename__,
    m.AuditEntry.__tablename__, m.StaffAccount.__tablename__, m.StaffSession.__tablename__,
    m.StaffLoginAttempt.__tablename__, m.StaffDevice.__tablename__,
    m.Handoff.__tablename__, m.HandoffNote.__tablename__,
    m.ForgetRequest.__tablename__, m.RetentionRun.__tablename__,
    m.InsightCursor.__tablename__, m.InsightCount.__tablename__, m.InsightVisitor.__tablename__, TABLE,
})
PG_FUNCTION = "kcn_raise_knowledge_revision"
DIALECTS = ("sqlite", "postgresql")  # the databases whose triggers install() knows how to write


def call_rule_tables():
    """Every table whose rows the answers are made from (new tables count unless listed above)."""
    return [t.name for t in m.Base.metadata.sorted_tables if t.name not in NOT_CALL_RULES]


def install(engine: Engine) -> bool:
    """Creates the revision row and the triggers (idempotent); False where the dialect has none."""
    dialect = engine.dialect.name
    if dialect not in DIALECTS:
        return False
    with engine.begin() as connection:
        if connection.execute(sql(f"SELECT 1 FROM {TABLE} WHERE id = 1")).first() is None:
            # Started from the clock, so a knowledge base dropped and made again at the same URL
            # never repeats a number that a running process may still hold views for.
            connection.execute(sql(f"INSERT INTO {TABLE} (id, number) VALUES (1, :start)"), {"start": time.time_ns() // 1000})
        if dialect == "sqlite":
            _sqlite_triggers(connection)
        else:
            _postgresql_triggers(connection)
    return True


def _sqlite_triggers(connection: Connection) -> None:
    for table in sorted(NOT_CALL_RULES - {TABLE}):  # a database made when the table still counted
        for operation in ("insert", "update", "delete"):
            connection.execute(sql(f"DROP TRIGGER IF EXISTS kcn_revision_{table}_{operation}"))
    for table in call_rule_tables():
        for operation in ("INSERT", "UPDATE", "DELETE"):
            connection.execute(sql(
                f"CREATE TRIGGER IF NOT EXISTS kcn_revision_{table}_{operation.lower()} AFTER {operation} ON {table} "
                f"BEGIN UPDATE {TABLE} SET number = number + 1 WHERE id = 1; END"))


def _postgresql_triggers(connection: Connection) -> None:
    connection.execute(sql(
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN UPDATE {TABLE} SET number = number + 1 WHERE id = 1; RETURN NULL; END $$"))
    existing = set(inspect(connection).get_table_names())
    for table in sorted((NOT_CALL_RULES - {TABLE}) & existing):  # a database made when the table still counted
        connection.execute(sql(f"DROP TRIGGER IF EXISTS kcn_revision ON {table}"))
    for table in call_rule_tables():
        # Once per statement: an import of hundreds of rows raises it once, not hundreds of times.
        connection.execute(sql(f"DROP TRIGGER IF EXISTS kcn_revision ON {table}"))
        connection.execute(sql(
            f"CREATE TRIGGER kcn_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"))


def current(engine: Engine) -> Optional[int]:
    """The revision now, or None where there is none (no triggers, or a database made before them)."""
    if engine.dialect.name not in DIALECTS:
        return None
    try:
        with engine.connect() as connection:
            return connection.execute(sql(f"SELECT number FROM {TABLE} WHERE id = 1")).scalar()
    except SQLAlchemyError:
        if inspect(engine).has_table(TABLE):
            raise  # the database is down or broken: the caller's error handling applies
        return None


_kept: Dict[tuple, Tuple[int, Any]] = {}  # (engine, reader, arguments) -> (revision, view)
# Inside one_reading(): the revision read once per engine, for every kept view the block reads.
_reading: ContextVar[Optional[dict]] = ContextVar("kcn_revision_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Every kept view read in the block is checked against one reading of the revision: an answer
    that reads the FAQ and the call costs one query, and sees both as of the same moment."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def kept_until_changed(read: Callable) -> Callable:
    """Decorates a reader of immutable views: its result is reused, per database and arguments,
    until the revision changes. Costs one query per call instead of the reader's."""

    @functools.wraps(read)
    def read_or_reuse(*args):
        engine = get_engine()
        reading = _reading.get()
        if reading is not None and engine in reading:
            number = reading[engine]
        else:
            number = current(engine)  # read before the view, so a concurrent edit is never missed
            if reading is not None:
                reading[engine] = number
        if number is None:
            return read(*args)
        key = (engine, read, args)
        kept = _kept.get(key)
        if kept is not None and kept[0] == number:
            return kept[1]
        view = read(*args)
        _kept[key] = (number, view)
        return view

    return read_or_reuse
