"""A PostgreSQL knowledge base made before today's reference codes (proposal.code was VARCHAR(20),
no proposal.conversation_id) is brought up to date by `python -m knowledge init` (seed.init_db): its
old codes keep working and new drafts get today's longer codes."""
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import DataError

from knowledge import proposals, reference_codes, seed
from knowledge.db import get_engine


@pytest.fixture
def older_database(postgres_url, monkeypatch):
    """A database of its own in the scale tests' cluster, set as DATABASE_URL."""
    parts = urlsplit(postgres_url)
    connection = psycopg2.connect(host=parts.hostname, port=parts.port, user=unquote(parts.username),
                                  password=unquote(parts.password), dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS kcn_older")
        cursor.execute("CREATE DATABASE kcn_older")
    monkeypatch.setenv("DATABASE_URL", urlunsplit(parts._replace(path="/kcn_older")))
    yield
    get_engine().dispose()
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS kcn_older")
    connection.close()


def test_an_older_postgresql_database_takes_todays_codes_after_init(older_database):
    seed.init_db()
    with get_engine().begin() as connection:
        connection.exec_driver_sql("ALTER TABLE proposal ALTER COLUMN code TYPE VARCHAR(20)")
    assert proposals.load_demo() == 3
    with pytest.raises(DataError):  # what the older database did with today's codes
        proposals.create_draft(2024, "planning", "a@example.org")
    with get_engine().begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_proposal_conversation_id")
        connection.exec_driver_sql("ALTER TABLE proposal DROP COLUMN conversation_id")

    seed.init_db()
    schema = inspect(get_engine())
    assert {c["name"]: c["type"].length for c in schema.get_columns("proposal") if c["name"] == "code"} == {"code": 40}
    assert "ix_proposal_conversation_id" in {i["name"] for i in schema.get_indexes("proposal")}
    draft = proposals.create_draft(2024, "planning", "a@example.org", conversation_id="chat-1")
    assert reference_codes.is_new_format(draft.code) and proposals.get(draft.code.lower()).code == draft.code
    assert proposals.get("kcn 2024 d 2402 b").current.status == "under_review"
    assert proposals.draft_limit("b@example.org", "chat-1") is None
