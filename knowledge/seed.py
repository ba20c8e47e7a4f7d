"""The seed: the knowledge base a new database starts from, and the schema it is loaded into.

The seed (knowledge/seed/kcity_network.yaml) is a knowledge-base file like any export, so it is
checked by the import's own validate() before anything is written, and loaded by the import's own
rows.load() (knowledge/transfer/): one file format, one guard.
"""
from pathlib import Path
from typing import Any, Dict, List

import yaml
from sqlalchemy import inspect, select
from sqlalchemy import text as sql

from knowledge import tables as m
from knowledge import revision
from knowledge.db import database_url, ensure_sqlite_folder, get_engine, session_scope
from knowledge.transfer import ImportRejected, Problem, validate
from knowledge.transfer.rows import add_helpdesk, add_statuses, load

SEED_FILE = Path(__file__).resolve().parent / "seed" / "kcity_network.yaml"


class SeedError(ImportRejected):
    """The seed file is not a valid knowledge-base file; `problems` lists each with its place."""

    def __init__(self, path: Path, problems: List[Problem]):
        super().__init__(problems)
        self.path = path

    def __str__(self) -> str:
        listed = "".join(f"\n  {p}" for p in self.problems)
        return f"{self.path} is not a valid seed; nothing was loaded. {len(self.problems)} problem(s):{listed}"


def read_seed(path: Path = SEED_FILE) -> Dict[str, Any]:
    """The parsed seed, once validate() finds no problem in it (else SeedError)."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    problems = validate(data)
    if problems:
        raise SeedError(path, problems)
    return data


def create_schema() -> None:
    ensure_sqlite_folder(database_url())
    m.Base.metadata.create_all(get_engine())
    _add_missing_columns()
    revision.install(get_engine())


def _add_missing_columns() -> None:
    """Brings an existing database up to the tables' definitions, for the changes made so far.

    create_all() creates missing tables but never alters existing ones, so this stands in for a
    migration tool: it adds nullable columns (and their indexes) introduced since the database was
    made, and widens text columns made longer since (proposal.code, for today's reference codes;
    SQLite does not enforce lengths, so only other databases are altered).
    """
    engine = get_engine()
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in m.Base.metadata.sorted_tables:
            present = {c["name"]: c for c in inspector.get_columns(table.name)}
            for column in table.columns:
                kind = column.type.compile(dialect=engine.dialect)
                if column.name not in present and column.nullable:
                    connection.execute(sql(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}'))
                elif column.name in present and engine.dialect.name != "sqlite" and \
                        _shorter(present[column.name]["type"], column.type):
                    connection.execute(sql(f'ALTER TABLE {table.name} ALTER COLUMN {column.name} TYPE {kind}'))
            indexed = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in indexed:
                    index.create(connection, checkfirst=True)


def _shorter(existing, wanted) -> bool:
    """Whether an existing text column is shorter than its definition now asks for."""
    before, after = getattr(existing, "length", None), getattr(wanted, "length", None)
    return before is not None and after is not None and before < after


def init_db(path: Path = SEED_FILE) -> bool:
    """Creates the schema and loads the seed if the knowledge base is empty.

    Returns True if the seed was loaded. An existing knowledge base is never overwritten:
    it may hold the secretariat's edits.
    """
    create_schema()
    with session_scope() as session:
        if session.execute(select(m.Program.id)).first() is None:
            load(session, read_seed(path))
            return True
        # A knowledge base made before proposals existed gets their statuses.
        if session.execute(select(m.ProposalStatus.id)).first() is None:
            add_statuses(session, read_seed(path))
        # ... and one made before the helpdesk existed gets its hours.
        if session.execute(select(m.Helpdesk.id)).first() is None:
            add_helpdesk(session, read_seed(path))
        # ... and one made before retention existed gets its period (canned replies stay the secretariat's to add).
        if session.execute(select(m.Privacy.id)).first() is None:
            session.add(m.Privacy(retention_days=read_seed(path)["privacy"]["retention_days"]))
    return False


def reset_db(path: Path = SEED_FILE) -> None:
    """Drops everything and loads the seed again (developers and tests only)."""
    m.Base.metadata.drop_all(get_engine())
    init_db(path)
