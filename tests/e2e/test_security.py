"""What a stranger on the network reaches: nothing without a token or a login."""
import requests


def test_the_action_server_runs_nothing_without_the_rasa_servers_token(assistant):
    call = {"next_action": "action_show_proposal_status", "sender_id": "intruder", "version": "3.6.2",
            "tracker": {"sender_id": "intruder", "slots": {"verified_code": "KCN-2024-D-2402-B"},
                        "latest_message": {}, "events": [], "paused": False, "latest_event_time": None,
                        "followup_action": None, "active_loop": {}, "latest_action_name": None},
            "domain": {}}
    for headers in ({}, {"Authorization": "Bearer guessed"}):
        response = requests.post(f"{assistant.action_url}/webhook", json=call, headers=headers, timeout=10)
        assert response.status_code == 401 and "under_review" not in response.text
    assert requests.get(f"{assistant.action_url}/actions", timeout=10).status_code == 401
    assert requests.get(f"{assistant.action_url}/health", timeout=10).ok


def test_rasas_http_api_needs_its_token(assistant):
    tracker = f"{assistant.rasa_url}/conversations/someone/tracker"
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": "guessed"}, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": assistant.api_token}, timeout=10).ok
    assert requests.put(f"{assistant.rasa_url}/model", json={}, timeout=10).status_code == 401


def test_staff_pages_need_a_login(assistant):
    for page in ("/helpdesk", "/admin", "/helpdesk/api/queue"):
        response = requests.get(f"{assistant.web_url}{page}", allow_redirects=False, timeout=10)
        assert response.status_code in (302, 401, 403)
        assert "KCN-2024" not in response.text



def rest(assistant, sender):
    return requests.post(f"{assistant.rasa_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": "Where is my proposal?"}, timeout=30)


def test_a_rest_caller_cannot_write_into_a_telegram_or_widget_conversation(assistant):
    for sender in ("telegram-50001", "web-" + "a" * 32):
        before = assistant.user_texts(sender)
        assert rest(assistant, sender).status_code == 400
        assert assistant.user_texts(sender) == before


def test_a_missing_or_odd_sender_id_is_refused(assistant):
    for sender in ("", "   ", "x" * 129, 42, None):
        assert rest(assistant, sender).status_code == 400


def socketio_handshake(assistant, origin):
    return requests.get(f"{assistant.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                        headers={"Origin": origin}, timeout=10)


def test_the_widget_socket_takes_only_the_configured_origins(assistant):
    """Browsers enforce CORS on long polling but never on a WebSocket: the server must check the origin."""
    import asyncio

    import websockets

    allowed = socketio_handshake(assistant, assistant.web_url)
    assert allowed.status_code == 200 and allowed.headers["Access-Control-Allow-Origin"] == assistant.web_url
    assert socketio_handshake(assistant, "https://evil.example").status_code == 403

    async def websocket_from(origin):
        url = assistant.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        try:
            async with websockets.connect(url, origin=origin, open_timeout=10):
                return "open"
        except websockets.exceptions.InvalidStatusCode as refused:
            return refused.status_code

    assert asyncio.run(websocket_from("https://evil.example")) == 403
    assert asyncio.run(websocket_from(assistant.web_url)) == "open"


def test_parallel_staff_logins_are_throttled(assistant, monkeypatch):
    import re
    from concurrent.futures import ThreadPoolExecutor

    from knowledge import staff

    browser = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      browser.get(f"{assistant.web_url}/helpdesk/login", timeout=10).text).group(1)

    def guess(_):
        return browser.post(f"{assistant.web_url}/helpdesk/login", timeout=60, allow_redirects=False,
                            data={"csrf_token": token, "username": "flood-target", "password": "guess guess guess"})

    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(guess, range(12)))
        refused = [a for a in answers if a.status_code == 429]
        assert len(refused) >= 12 - staff.ACCOUNT_FREE and "Try again in" in refused[0].text
        assert all(a.status_code in (401, 429) for a in answers)
    finally:  # the other tests log in from this address too
        staff.forget_failed_logins("flood-target")
