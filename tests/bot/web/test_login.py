"""The staff login over HTTP (bot/web/auth.py): throttled in the database, checked off the event
loop, cookies Secure behind the TLS-terminating balancer, client addresses only from trusted hops."""
import asyncio
import re
import threading

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app
from knowledge import staff

PASSWORD = "helpdesk password 1"


@pytest.fixture
def kim(knowledge_db):
    staff.add_account("kim", PASSWORD, "helpdesk")


def run_with_client(test, **app_args):
    """Runs `test(client)` against a fresh web front (the Rasa API is never reached)."""

    async def main():
        app = create_app("http://127.0.0.1:9", "http://127.0.0.1:9", "token", **app_args)
        async with TestClient(TestServer(app)) as client:
            return await test(client)

    return asyncio.run(main())


async def csrf_token(client) -> str:
    page = await client.get("/helpdesk/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)


async def post_login(client, token, username, password, headers=None):
    response = await client.post("/helpdesk/login", data={"csrf_token": token, "username": username,
                                                          "password": password},
                                 headers=headers or {}, allow_redirects=False)
    return response.status, await response.text(), response


def test_parallel_wrong_logins_are_refused_after_the_limit(kim):
    async def test(client):
        token = await csrf_token(client)
        return await asyncio.gather(*(post_login(client, token, "kim", "wrong password!") for _ in range(20)))

    results = run_with_client(test)
    wrong = [r for r in results if r[0] == 401]
    refused = [r for r in results if r[0] == 429]
    assert 1 <= len(wrong) <= staff.ACCOUNT_FREE and len(wrong) + len(refused) == 20
    status, page, response = refused[0]
    assert "Too many failed logins for this account. Try again in" in page and "Korea time)" in page
    assert int(response.headers["Retry-After"]) > 0


def test_the_password_check_runs_off_the_event_loop_so_the_console_answers_during_a_flood(kim, monkeypatch):
    session = staff.log_in("kim", PASSWORD)  # an officer already at work
    checked_on, started, release = [], threading.Event(), threading.Event()
    real_check = staff._password_matches

    def slow_check(password_hash, password):
        checked_on.append(threading.get_ident())
        started.set()
        release.wait(timeout=20)  # a check on the event loop would hold the whole server here
        return real_check(password_hash, password)

    monkeypatch.setattr(staff, "_password_matches", slow_check)

    async def test(client):
        loop_thread = threading.get_ident()
        token = await csrf_token(client)
        flood = [asyncio.create_task(post_login(client, token, f"guess{i}", "wrong password!")) for i in range(8)]
        while not started.is_set():
            await asyncio.sleep(0.01)
        # The checks are stuck; the console still answers.
        queue = await client.get("/helpdesk/api/queue", cookies={"kcn_staff": session.token})
        answered_while_stuck = (queue.status, not release.is_set())
        release.set()
        statuses = [status for status, _, _ in await asyncio.gather(*flood)]
        return loop_thread, answered_while_stuck, statuses

    loop_thread, answered_while_stuck, statuses = run_with_client(test)
    assert answered_while_stuck == (200, True)
    assert checked_on and loop_thread not in checked_on
    assert set(statuses) <= {401, 429}


def test_a_known_browser_logs_in_during_a_flood_and_a_new_one_is_told_when_to_retry(kim):
    async def test(client):
        token = await csrf_token(client)
        status, _, response = await post_login(client, token, "kim", PASSWORD)
        device = response.cookies["kcn_device"]
        assert status == 302 and device["path"] == "/helpdesk/login" and device["httponly"]
        known_jar = list(client.session.cookie_jar)
        client.session.cookie_jar.clear()
        token = await csrf_token(client)
        for i in range(staff.ACCOUNT_FREE + 3):
            await post_login(client, token, "kim", "wrong password!", {"X-Forwarded-For": f"203.0.113.{i}"})
        new_browser = await post_login(client, token, "kim", PASSWORD)
        client.session.cookie_jar.update_cookies({c.key: c.value for c in known_jar})
        known_browser = await post_login(client, await csrf_token(client), "kim", PASSWORD)
        return new_browser, known_browser

    (new_status, new_page, _), (known_status, _, known) = run_with_client(test)
    assert new_status == 429 and "Try again in" in new_page
    assert known_status == 302 and known.headers["Location"] == "/helpdesk"


def test_forwarded_for_is_believed_only_from_a_trusted_balancer(knowledge_db, monkeypatch):
    def flood_then_try(headers_for):
        async def test(client):
            token = await csrf_token(client)
            for i in range(staff.ADDRESS_FREE):
                await post_login(client, token, f"guess{i}", "wrong password!", headers_for(i))
            return (await post_login(client, token, "guess-more", "wrong password!", headers_for(99)))[0]

        return run_with_client(test)

    # Not trusted: a client naming a new address in each request is still one address.
    assert flood_then_try(lambda i: {"X-Forwarded-For": f"203.0.113.{i}"}) == 429
    monkeypatch.setenv("KCN_TRUSTED_PROXIES", "127.0.0.1")
    # Behind the balancer: each client is counted by the address the balancer saw ...
    assert flood_then_try(lambda i: {"X-Forwarded-For": "198.51.100.1"}) == 429
    # ... and what a client wrote left of it proves nothing.
    assert flood_then_try(lambda i: {"X-Forwarded-For": f"10.9.9.{i}, 198.51.100.2"}) == 429
    assert flood_then_try(lambda i: {"X-Forwarded-For": "198.51.100.3" if i < 99 else "198.51.100.4"}) == 401


@pytest.mark.parametrize("environ, secure", [
    ({}, False),  # development over plain HTTP
    ({"KCN_PROFILE": "production"}, True),  # behind the TLS-terminating balancer: plain HTTP here
    ({"KCN_PROFILE": "production", "KCN_SECURE_COOKIES": "off"}, False),
    ({"KCN_SECURE_COOKIES": "on"}, True),
])
def test_staff_cookies_are_secure_in_production_though_requests_arrive_as_http(kim, monkeypatch, environ, secure):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    async def test(client):
        page = await client.get("/helpdesk/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)
        # Sent by hand: the client, like a browser, keeps Secure cookies from plain-HTTP pages.
        logged_in = await client.post("/helpdesk/login", data={"csrf_token": token, "username": "kim",
                                                               "password": PASSWORD},
                                      cookies={"kcn_login_csrf": token}, allow_redirects=False)
        return page.cookies["kcn_login_csrf"], logged_in.cookies

    form_cookie, cookies = run_with_client(test)
    assert bool(form_cookie["secure"]) is secure
    assert bool(cookies["kcn_staff"]["secure"]) is secure and bool(cookies["kcn_device"]["secure"]) is secure
