"""Answers follow the database: an edited fact is the next answer, no retraining, no restart."""
import datetime

from sqlalchemy import select

from knowledge import tables as m
from knowledge.db import session_scope


def test_a_changed_deadline_changes_the_next_answer(ask, today):
    assert "19 March 2024" in ask("deadline", "en", track="demonstration")
    with session_scope() as s:
        s.execute(select(m.Track).where(m.Track.code == "demonstration")).scalar_one().deadline = datetime.date(2024, 3, 29)
    text = ask("deadline", "en", track="demonstration")
    assert "29 March 2024" in text and "19 March 2024" not in text


def test_a_changed_amount_changes_the_korean_answer(ask, today):
    with session_scope() as s:
        s.execute(select(m.Track).where(m.Track.code == "planning")).scalar_one().amount_max_krw = 700_000_000
    assert ask("amount", "ko", track="planning") == "계획수립형: 사업당 3억~7억 원을 지원합니다."


def test_a_database_that_is_down_gets_an_apology_in_the_users_language(ask, today, monkeypatch):
    # A PostgreSQL server that is not there: port 1 on loopback refuses the connection.
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    assert ask("deadline", "ko") == "죄송합니다. 지금은 공모 정보를 불러올 수 없습니다. 잠시 후 다시 물어봐 주세요."
    assert ask("amount", "en").startswith("Sorry, I can't reach the call information right now.")
