"""A call rule edited in PostgreSQL by plain SQL, outside every server, is the next answer on every server.

The action server keeps what it read of the call until the knowledge base's revision changes
(knowledge/revision.py); PostgreSQL's triggers raise it, so no process has to be told.
"""
import uuid

from sqlalchemy import create_engine
from sqlalchemy import text as sql

PLANNING_MAX = "SELECT amount_max_krw FROM track WHERE code = 'planning'"


def test_a_plain_sql_edit_is_the_next_answer_on_both_servers(servers, postgres_url):
    a, b = servers
    engine = create_engine(postgres_url)
    user = f"kb-edit-{uuid.uuid4().hex[:8]}"
    assert "3억~6억 원" in a.ask(user, "계획수립형 지원 금액이 얼마예요?")
    with engine.begin() as db:
        original = db.execute(sql(PLANNING_MAX)).scalar()
        before = db.execute(sql("SELECT number FROM kb_revision")).scalar()
        db.execute(sql("UPDATE track SET amount_max_krw = 700000000 WHERE code = 'planning'"))
    try:
        with engine.connect() as db:
            assert db.execute(sql("SELECT number FROM kb_revision")).scalar() == before + 1
        assert "3억~7억 원" in b.ask(user, "계획수립형 지원 금액이 얼마예요?")
        assert "KRW 300–700 million" in a.ask(f"{user}-en", "How much funding does the planning track get?")
    finally:
        with engine.begin() as db:
            db.execute(sql("UPDATE track SET amount_max_krw = :v WHERE code = 'planning'"), {"v": original})
        engine.dispose()
    assert "3억~6억 원" in b.ask(user, "계획수립형 지원 금액이 얼마예요?")
