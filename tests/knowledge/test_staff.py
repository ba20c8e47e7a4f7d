"""Staff accounts, console sessions and the login throttle."""
import datetime
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from knowledge import tables as m
from knowledge import staff
from knowledge.db import session_scope

PASSWORD = "correct horse battery"


def test_a_password_is_stored_only_as_an_argon2_hash(knowledge_db):
    staff.add_account("Officer.Kim", PASSWORD, "helpdesk")
    with session_scope() as s:
        row = s.query(m.StaffAccount).one()
        assert row.username == "officer.kim" and row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


@pytest.mark.parametrize("username,password,role,reason", [
    ("ok", "short", "helpdesk", "at least 10 characters"),
    ("bad name!", PASSWORD, "helpdesk", "lower-case letters"),
    ("ok", PASSWORD, "boss", "unknown role"),
])
def test_bad_accounts_are_refused_with_the_reason(knowledge_db, username, password, role, reason):
    with pytest.raises(staff.StaffError, match=reason):
        staff.add_account(username, password, role)


def test_log_in_gives_a_session_and_a_wrong_password_gives_none(knowledge_db):
    staff.add_account("kim", PASSWORD, "secretariat")
    assert staff.log_in("kim", "wrong password!") is None and staff.log_in("nobody", PASSWORD) is None
    session = staff.log_in(" KIM ", PASSWORD)
    assert session.staff == staff.Staff("kim", "secretariat") and len(session.csrf_token) > 30
    assert staff.session_of(session.token).staff.username == "kim"
    assert staff.session_of("forged") is None and staff.session_of(None) is None


def test_sessions_expire_and_end_on_logout_password_change_or_removal(knowledge_db):
    staff.add_account("kim", PASSWORD, "helpdesk")
    expired, out, changed, removed = (staff.log_in("kim", PASSWORD) for _ in range(4))
    with session_scope() as s:
        s.execute(update(m.StaffSession).where(m.StaffSession.token_hash == staff._digest(expired.token))
                  .values(expires_at=datetime.datetime(2000, 1, 1)))
    assert staff.session_of(expired.token) is None
    staff.log_out(out.token)
    assert staff.session_of(out.token) is None and staff.session_of(changed.token) is not None
    staff.set_password("kim", "another long password")
    assert staff.session_of(changed.token) is None and staff.session_of(removed.token) is None
    staff.deactivate("kim")
    assert staff.log_in("kim", "another long password") is None


def test_roles():
    assert staff.Staff("a", "admin").may("helpdesk") and staff.Staff("h", "helpdesk").may("helpdesk")
    assert not staff.Staff("s", "secretariat").may("helpdesk") and not staff.Staff("h", "helpdesk").may("secretariat")


def test_no_account_may_be_named_like_the_applicant(knowledge_db):
    with pytest.raises(staff.StaffError, match="reserved"):
        staff.add_account("Applicant", PASSWORD, "helpdesk")


# --- The login throttle ------------------------------------------------------------------------

WRONG = "not the password"


@pytest.fixture
def clock(monkeypatch):
    """staff's clock, movable: clock.move(seconds=...)."""

    class Clock:
        now = datetime.datetime(2024, 2, 15, 9, 0)

        def move(self, **delta):
            self.now += datetime.timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(staff, "_now", lambda: moved.now)
    return moved


def attempt(username, password=WRONG, address="198.51.100.7", device=""):
    """What a login attempt gets: "wrong", the refusal (LoginThrottled) or the session."""
    try:
        return staff.log_in(username, password, staff.Client(address, device)) or "wrong"
    except staff.LoginThrottled as refused:
        return refused


def test_parallel_wrong_logins_are_refused_after_the_limit(knowledge_db, monkeypatch):
    # A slow moment between the check and the record, where a race would let parallel attempts in.
    check = staff._throttle
    monkeypatch.setattr(staff, "_throttle", lambda *args: (check(*args), time.sleep(0.02))[0])
    staff.add_account("kim", PASSWORD, "helpdesk")
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda i: attempt("kim", address=f"203.0.113.{i}"), range(24)))
    checked = [r for r in results if r == "wrong"]
    refused = [r for r in results if isinstance(r, staff.LoginThrottled)]
    # Each attempt is decided and recorded under the database's write lock, before its password is checked.
    assert len(checked) == staff.ACCOUNT_FREE and len(refused) == 24 - staff.ACCOUNT_FREE
    assert all("for this account" in str(r) for r in refused)
    with pytest.raises(staff.LoginThrottled):  # the right password from an unknown browser waits too
        staff.log_in("kim", PASSWORD, staff.Client("192.0.2.1"))


def test_waits_double_and_refused_attempts_do_not_count(knowledge_db, clock):
    for _ in range(staff.ACCOUNT_FREE):
        assert attempt("nobody-known") == "wrong"
        clock.move(seconds=1)
    refused = attempt("nobody-known")  # an unknown username is throttled like a real one
    assert refused.retry_at == clock.now - datetime.timedelta(seconds=1) + staff.FIRST_WAIT
    for _ in range(20):
        assert isinstance(attempt("nobody-known"), staff.LoginThrottled)
    clock.move(seconds=30)
    assert attempt("nobody-known") == "wrong", "the wait is over: one more guess is checked"
    assert attempt("nobody-known").retry_at == clock.now + 2 * staff.FIRST_WAIT
    clock.move(minutes=16)
    assert attempt("nobody-known") == "wrong", "failures older than the window are forgotten"


def test_one_address_trying_many_accounts_is_throttled(knowledge_db, clock):
    for i in range(staff.ADDRESS_FREE):
        assert attempt(f"guess{i}", address="198.51.100.9") == "wrong"
    refused = attempt("guess-next", address="198.51.100.9")
    assert isinstance(refused, staff.LoginThrottled) and "network address" in str(refused)
    assert attempt("guess-next", address="198.51.100.10") == "wrong", "other addresses are not affected"


def test_a_flood_does_not_lock_the_officer_out_of_a_browser_they_have_used(knowledge_db, clock):
    staff.add_account("kim", PASSWORD, "helpdesk")
    device = staff.log_in("kim", PASSWORD, staff.Client("192.0.2.1")).device
    assert device
    for i in range(40):  # from many addresses
        attempt("kim", address=f"203.0.113.{i}")
    assert isinstance(attempt("kim", PASSWORD, address="192.0.2.1"), staff.LoginThrottled), "a new browser waits"
    session = attempt("kim", PASSWORD, address="192.0.2.1", device=device)
    assert isinstance(session, staff.Session) and session.device == device
    # The known browser's own failures still count, on their own.
    for _ in range(staff.ACCOUNT_FREE):
        assert attempt("kim", address="192.0.2.1", device=device) == "wrong"
    assert isinstance(attempt("kim", PASSWORD, address="192.0.2.1", device=device), staff.LoginThrottled)


def test_a_shared_browser_keeps_several_accounts_and_a_password_change_forgets_them(knowledge_db):
    staff.add_account("kim", PASSWORD, "helpdesk")
    staff.add_account("lee", PASSWORD, "helpdesk")
    kims = staff.log_in("kim", PASSWORD).device
    both = staff.log_in("lee", PASSWORD, staff.Client(device=kims)).device
    assert both.endswith(kims) and both != kims
    assert staff.log_in("kim", PASSWORD, staff.Client(device=both)).device == both, "known to kim too"
    staff.set_password("kim", "another long password")
    assert staff.log_in("kim", "another long password", staff.Client(device=both)).device != both


def test_unlock_forgets_an_accounts_failures(knowledge_db):
    staff.add_account("kim", PASSWORD, "helpdesk")
    for i in range(staff.ACCOUNT_FREE):
        attempt("kim", address=f"203.0.113.{i}")
    assert isinstance(attempt("kim", PASSWORD), staff.LoginThrottled)
    assert staff.forget_failed_logins("KIM") == staff.ACCOUNT_FREE
    assert isinstance(attempt("kim", PASSWORD), staff.Session)


def test_the_throttle_table_reaches_an_existing_database(tmp_path, monkeypatch):
    """A knowledge base made before the throttle existed gets its tables from `knowledge init`."""
    from sqlalchemy import create_engine, inspect

    from knowledge import seed

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    m.Base.metadata.create_all(old, tables=[t for t in m.Base.metadata.sorted_tables
                                            if t.name not in ("staff_login_attempt", "staff_device")])
    monkeypatch.setenv("DATABASE_URL", url)
    seed.init_db()
    assert {"staff_login_attempt", "staff_device"} <= set(inspect(create_engine(url)).get_table_names())
