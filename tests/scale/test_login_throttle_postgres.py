"""The login throttle on PostgreSQL: parallel wrong logins from many addresses, on many
connections, are decided one at a time (advisory locks), as SQLite's write lock does in
tests/knowledge/test_staff.py."""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from knowledge import seed, staff
from knowledge.db import get_engine


@pytest.fixture
def postgres_knowledge(postgres_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    seed.init_db()
    with get_engine().begin() as connection:
        connection.exec_driver_sql("DELETE FROM staff_login_attempt")
        connection.exec_driver_sql("DELETE FROM staff_session")
        connection.exec_driver_sql("DELETE FROM staff_device")
        connection.exec_driver_sql("DELETE FROM staff_account WHERE username = 'pg-kim'")
    yield
    get_engine().dispose()


def test_parallel_wrong_logins_on_postgresql_check_exactly_the_free_attempts(postgres_knowledge, monkeypatch):
    # A slow moment between the check and the record, where a race would let parallel attempts in.
    check = staff._throttle
    monkeypatch.setattr(staff, "_throttle", lambda *args: (check(*args), time.sleep(0.05))[0])
    password = "correct horse battery"
    staff.add_account("pg-kim", password, "helpdesk")

    def attempt(i):
        try:
            return staff.log_in("pg-kim", "not the password", staff.Client(f"203.0.113.{i}")) or "wrong"
        except staff.LoginThrottled as refused:
            return refused

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(attempt, range(24)))
    assert results.count("wrong") == staff.ACCOUNT_FREE
    assert sum(isinstance(r, staff.LoginThrottled) for r in results) == 24 - staff.ACCOUNT_FREE
    with pytest.raises(staff.LoginThrottled):
        staff.log_in("pg-kim", password, staff.Client("192.0.2.1"))
