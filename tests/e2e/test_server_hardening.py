"""An assistant started with Telegram on and the REST channel switched off, as a server would run:
the bot's token never reaches its logs, and REST takes no message."""
import pytest
import requests

from bot_api_standin import TOKEN, BotApiStandIn
from knowledge import email_proof, proposals
from conftest import running_assistant


@pytest.fixture(scope="module")
def hardened(model_path, tmp_path_factory):
    api = BotApiStandIn().start()
    work = tmp_path_factory.mktemp("hardened")
    with running_assistant(model_path, work, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                           KCN_REST_CHANNEL="off") as assistant:
        yield assistant, api, work / "assistant.log"
    api.stop()


def test_the_telegram_token_is_never_logged(hardened, monkeypatch):
    """python-telegram-bot's HTTP client (httpx) logs every request's URL, token included, at INFO:
    in the Rasa server's channel and in the notification worker, which sends status news itself."""
    assistant, api, log = hardened
    api.user_says(80_001, "When is the deadline?")
    assert "19 March 2024" in api.wait_for_messages(80_001, 1)[0]["text"]
    api.user_says(80_001, "/start")
    api.wait_for_messages(80_001, 2)
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    email_proof.link("telegram-80001", "KCN-2024-P-2401-J", language="en")  # as a proof in this chat would
    proposals.set_status("KCN-2024-P-2401-J", "under_review", by="test")
    assert "KCN-2024-P-2401-J" in api.wait_for_messages(80_001, 3)[2]["text"], "the worker sent the news"
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert "<hidden>/getUpdates" in logged and "<hidden>/sendMessage" in logged, "the requests were logged"
    assert TOKEN not in logged and TOKEN.replace(":", "%3A") not in logged
    assert TOKEN.split(":")[1] not in logged


def test_the_rest_channel_takes_no_message_when_switched_off(hardened):
    assistant, _, _ = hardened
    response = requests.post(f"{assistant.rasa_url}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"},
                             timeout=30)
    assert response.status_code == 404
    assert requests.get(f"{assistant.rasa_url}/webhooks/rest/", timeout=30).json()["status"] == "off"
