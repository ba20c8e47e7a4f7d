"""The REST channel takes any sender id, so the production profile leaves it off unless asked for."""
import pytest

from bot.server.channels.rest import RestInput


def routes(blueprint):
    return {route.uri for route in blueprint._future_routes}


@pytest.mark.parametrize("environ, takes_messages", [
    ({}, True),  # development
    ({"KCN_PROFILE": "production"}, False),
    ({"KCN_PROFILE": "production", "KCN_REST_CHANNEL": "on"}, True),  # e.g. the scale tests
    ({"KCN_REST_CHANNEL": "off"}, False),
])
def test_the_webhook_exists_only_where_the_setting_allows(monkeypatch, environ, takes_messages):
    for name in ("KCN_PROFILE", "KCN_REST_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    async def on_new_message(_message):
        raise AssertionError("not called here")

    assert ("/webhook" in routes(RestInput().blueprint(on_new_message))) is takes_messages
