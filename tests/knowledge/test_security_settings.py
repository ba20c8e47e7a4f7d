"""The security settings whose defaults follow the profile: REST, Secure cookies, trusted balancers."""
import ipaddress

import pytest

from knowledge import settings


@pytest.fixture
def environ(monkeypatch):
    for name in ("KCN_PROFILE", "KCN_REST_CHANNEL", "KCN_SECURE_COOKIES", "KCN_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch.setenv


def test_production_leaves_rest_off_and_makes_cookies_secure_unless_told_otherwise(environ):
    assert settings.rest_channel() is True and settings.secure_cookies() is None  # development: by the scheme
    environ("KCN_PROFILE", "production")
    assert settings.rest_channel() is False and settings.secure_cookies() is True
    environ("KCN_REST_CHANNEL", "on")
    environ("KCN_SECURE_COOKIES", "OFF")
    assert settings.rest_channel() is True and settings.secure_cookies() is False


def test_trusted_proxies_are_networks(environ):
    assert settings.trusted_proxies() == []
    environ("KCN_TRUSTED_PROXIES", "10.0.0.0/8 192.0.2.7 ::1")
    assert ipaddress.ip_address("10.1.2.3") in settings.trusted_proxies()[0]
    assert len(settings.trusted_proxies()) == 3


@pytest.mark.parametrize("name, raw", [("KCN_REST_CHANNEL", "maybe"), ("KCN_SECURE_COOKIES", "sometimes"),
                                       ("KCN_TRUSTED_PROXIES", "balancer.internal")])
def test_a_malformed_value_is_refused_naming_the_variable(environ, name, raw):
    environ(name, raw)
    with pytest.raises(settings.SettingError, match=rf"^{name}='{raw}' is not valid: expected "):
        settings.value(name)
