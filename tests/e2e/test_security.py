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
