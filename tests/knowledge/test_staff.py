"""Staff accounts and console sessions."""
import datetime

import pytest
from sqlalchemy import update

from knowledge import models as m
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
