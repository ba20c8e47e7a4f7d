import datetime

import pytest

from knowledge import clock


def test_today_is_the_real_date_without_override(monkeypatch):
    monkeypatch.delenv("KCN_TODAY", raising=False)
    assert clock.today() == datetime.date.today()


def test_kcn_today_overrides_the_date(monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2024-02-15")
    assert clock.today() == datetime.date(2024, 2, 15)


def test_a_malformed_override_says_what_is_expected(monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "15/02/2024")
    with pytest.raises(ValueError, match="KCN_TODAY=.*expected a date like 2024-02-15"):
        clock.today()
