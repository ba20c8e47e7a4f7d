"""Telegram in webhook mode: the secret-token header is checked, and updates are answered."""
import itertools

import pytest
import requests

from bot_api_standin import TOKEN, BotApiStandIn
from conftest import running_assistant

SECRET = "s3cret-Token_1"
chat_ids = itertools.count(70_001)


@pytest.fixture(scope="module")
def webhook_bot(model_path, tmp_path_factory):
    api = BotApiStandIn().start()
    url = "https://bot.example.org/webhooks/telegram/webhook"
    with running_assistant(model_path, tmp_path_factory.mktemp("webhook"), TELEGRAM_BOT_TOKEN=TOKEN,
                           TELEGRAM_API_BASE_URL=api.base_url, TELEGRAM_WEBHOOK_URL=url,
                           TELEGRAM_WEBHOOK_SECRET=SECRET) as assistant:
        api.wait_for_call("setWebhook")  # the channel sets itself up just after the server answers
        yield assistant, api
    api.stop()


def update(chat_id, text):
    return {"update_id": chat_id, "message": {"message_id": 1, "date": 0, "text": text,
                                              "chat": {"id": chat_id, "type": "private"},
                                              "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}}


def test_the_webhook_is_registered_with_its_secret(webhook_bot):
    _, api = webhook_bot
    [call] = api.wait_for_call("setWebhook")
    assert call["params"]["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call["params"]["secret_token"] == SECRET
    assert api.calls("getUpdates") == [], "no polling in webhook mode"


def test_an_update_without_the_secret_is_refused(webhook_bot):
    assistant, api = webhook_bot
    url = f"{assistant.rasa_url}/webhooks/telegram/webhook"
    chat = next(chat_ids)
    assert requests.post(url, json=update(chat, "hi"), timeout=30).status_code == 403
    assert requests.post(url, json=update(chat, "hi"), headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
                         timeout=30).status_code == 403
    assert api.sent(chat) == []


def test_an_update_with_the_secret_is_answered(webhook_bot):
    assistant, api = webhook_bot
    chat = next(chat_ids)
    response = requests.post(f"{assistant.rasa_url}/webhooks/telegram/webhook", json=update(chat, "해외실증형 마감일이 언제예요?"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=60)
    assert response.status_code == 200
    assert "2024년 3월 19일" in api.wait_for_messages(chat, 1)[0]["text"]
