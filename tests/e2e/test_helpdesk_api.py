"""The helpdesk over real HTTP: queueing, claiming, replying, handing back, and access control.

The applicant writes on Telegram (python-telegram-bot against the loopback Bot API stand-in), so an
officer's reply is seen arriving on the applicant's own channel.
"""
import html
import itertools
import re
import time

import pytest
import requests

from knowledge import handoffs, staff

PASSWORD = "helpdesk password 1"
chats = itertools.count(90_001)


@pytest.fixture
def accounts(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    for name, role in (("kim", "helpdesk"), ("lee", "helpdesk"), ("park", "secretariat"), ("root", "admin")):
        if name not in {a.username for a in staff.accounts()}:
            staff.add_account(name, PASSWORD, role)


def log_in(assistant, username, password=PASSWORD):
    browser = requests.Session()
    form = browser.get(f"{assistant.web_url}/helpdesk/login", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    page = browser.post(f"{assistant.web_url}/helpdesk/login", data={"csrf_token": token, "username": username,
                                                                      "password": password}, timeout=10)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">|name="csrf_token" value="([^"]+)"', page.text)
    browser.headers["X-CSRF-Token"] = (match.group(1) or match.group(2)) if match else ""
    return browser, page


def queue(browser, assistant):
    return browser.get(f"{assistant.web_url}/helpdesk/api/queue", timeout=10).json()["queue"]


def step(browser, assistant, handoff_id, name, **body):
    return browser.post(f"{assistant.web_url}/helpdesk/api/handoffs/{handoff_id}/{name}", json=body, timeout=30)


def telegram_says(bot_api, chat, text, replies=1, language_code="en"):
    before = len(bot_api.sent(chat))
    bot_api.user_says(chat, text, language_code)
    return bot_api.wait_for_messages(chat, before + replies)[before:] if replies else []


def wait_for(condition, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("condition not met")


def test_nothing_without_a_login(assistant):
    anonymous = requests.Session()
    page = anonymous.get(f"{assistant.web_url}/helpdesk", timeout=10, allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"] == "/helpdesk/login"
    assert anonymous.get(f"{assistant.web_url}/helpdesk/api/queue", timeout=10).status_code == 401
    assert anonymous.post(f"{assistant.web_url}/helpdesk/api/handoffs/1/claim", timeout=10).status_code == 401
    assert anonymous.get(f"{assistant.web_url}/helpdesk/api/stream", timeout=10).status_code == 401


def test_a_wrong_password_and_a_forged_login_form_are_refused(assistant, accounts):
    _, page = log_in(assistant, "kim", "not the password")
    assert page.status_code == 401 and "Wrong username or password." in page.text
    forged = requests.post(f"{assistant.web_url}/helpdesk/login", timeout=10,
                           data={"csrf_token": "x", "username": "kim", "password": PASSWORD})
    assert forged.status_code == 401 and "expired" in forged.text


def test_the_secretariat_role_has_no_access_to_the_console(assistant, accounts):
    browser, page = log_in(assistant, "park")
    assert page.status_code == 200 and "Knowledge base" in page.text, "the secretariat lands on its own pages"
    page = browser.get(f"{assistant.web_url}/helpdesk", timeout=10)
    assert page.status_code == 403 and "role does not give access" in page.text
    assert browser.get(f"{assistant.web_url}/helpdesk/api/queue", timeout=10).status_code == 403


def test_a_request_without_the_csrf_token_is_refused(assistant, accounts):
    browser, _ = log_in(assistant, "kim")
    del browser.headers["X-CSRF-Token"]
    assert step(browser, assistant, 1, "claim").status_code == 403


def test_logging_out_ends_the_session(assistant, accounts):
    browser, _ = log_in(assistant, "root")
    assert browser.get(f"{assistant.web_url}/helpdesk/api/queue", timeout=10).status_code == 200
    browser.post(f"{assistant.web_url}/helpdesk/logout", data={"csrf_token": browser.headers["X-CSRF-Token"]}, timeout=10)
    assert browser.get(f"{assistant.web_url}/helpdesk/api/queue", timeout=10).status_code == 401


def test_a_telegram_applicant_is_taken_over_answered_and_handed_back(assistant, accounts, bot_api):
    chat = next(chats)
    conversation = f"telegram-{chat}"
    [queued] = telegram_says(bot_api, chat, "I want to talk to a person")
    assert "passing you to a person" in queued["text"] and "Helpdesk hours: weekdays 09:00–18:00 Korea time." in queued["text"]

    kim, _ = log_in(assistant, "kim")
    lee, _ = log_in(assistant, "lee")
    [item] = [h for h in queue(kim, assistant) if h["conversation_id"] == conversation]
    assert (item["status"], item["channel"], item["language"]) == ("waiting", "telegram", "en")

    # While waiting the bot stays silent, and the officer sees the new message.
    telegram_says(bot_api, chat, "Is anybody there? It is about our partner city.", replies=0)
    detail = wait_for(lambda: (lambda d: d if any("partner city" in x["text"] for x in d["transcript"]) else None)(
        kim.get(f"{assistant.web_url}/helpdesk/api/conversations/{conversation}", timeout=10).json()))
    assert detail["paused"] is True
    time.sleep(1)
    assert len(bot_api.sent(chat)) == 1, "the bot did not answer on its own"

    assert step(kim, assistant, item["id"], "claim").json()["claimed_by"] == "kim"
    refused = step(lee, assistant, item["id"], "claim")
    assert refused.status_code == 409 and "kim is already answering" in refused.json()["error"]
    assert step(lee, assistant, item["id"], "reply", text="Hello from Lee").status_code == 409

    assert step(kim, assistant, item["id"], "reply", text="Hello, this is Kim from the helpdesk <b>.").status_code == 200
    reply = bot_api.wait_for_messages(chat, 2)[-1]
    # Every Telegram message comes from the bot's account: the label says a person wrote this one.
    assert reply["text"] == "👤 Helpdesk\nHello, this is Kim from the helpdesk &lt;b&gt;."
    assert step(kim, assistant, item["id"], "reply", text="   ").status_code == 409
    staff.set_display_name("kim", "Kim Ji-woo")  # a name the officer chose to show, never the username
    try:
        assert step(kim, assistant, item["id"], "reply", text="I will check with KAIA.").status_code == 200
        assert bot_api.wait_for_messages(chat, 3)[-1]["text"] == "👤 Helpdesk · Kim Ji-woo\nI will check with KAIA."
    finally:
        staff.set_display_name("kim", None)

    assert step(kim, assistant, item["id"], "note", text="Partner city question; KAIA to follow up.").status_code == 200
    assert len(bot_api.sent(chat)) == 3, "an internal note never reaches the applicant"

    assert step(kim, assistant, item["id"], "hand-back").json()["status"] == "returned"
    back = bot_api.wait_for_messages(chat, 4)[-1]
    assert html.unescape(back["text"]).startswith("You're back with the assistant")
    [answer] = telegram_says(bot_api, chat, "When is the deadline for the demonstration track?")
    assert "19 March 2024" in answer["text"]
    assert conversation not in [h["conversation_id"] for h in queue(kim, assistant)]
    [record] = [h for h in handoffs.report() if h.conversation_id == conversation]
    assert (record.status, record.claimed_by, record.ended_by, record.notes[0].author) == ("returned", "kim", "kim", "kim")
    # Found again later by the words of its note, by kim and an admin, not by another officer.
    search = f"{assistant.web_url}/helpdesk/api/handoffs"
    found = kim.get(search, params={"q": "kaia to FOLLOW"}, timeout=10).json()["handoffs"]
    assert [h["conversation_id"] for h in found] == [conversation] and found[0]["status"] == "returned"
    assert conversation not in [h["conversation_id"] for h in lee.get(search, params={"q": "KAIA"}, timeout=10).json()["handoffs"]]
    root, _ = log_in(assistant, "root")
    assert conversation in [h["conversation_id"] for h in root.get(search, params={"q": "KAIA"}, timeout=10).json()["handoffs"]]
    bad = kim.get(search, params={"from": "last week"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"] == "'last week' is not a date (YYYY-MM-DD)."
    transcript = kim.get(f"{assistant.web_url}/helpdesk/api/conversations/{conversation}", timeout=10).json()["transcript"]
    assert {"from": "officer:kim", "text": "Hello, this is Kim from the helpdesk <b>."}.items() <= next(
        x for x in transcript if x["from"] == "officer:kim").items()


def test_the_applicant_can_go_back_to_the_bot_while_waiting(assistant, accounts, bot_api):
    chat = next(chats)
    telegram_says(bot_api, chat, "상담원 연결해 주세요", language_code="ko")
    [back] = telegram_says(bot_api, chat, "/bot", language_code="ko")
    assert back["text"].startswith("챗봇이 다시 답변합니다")
    [answer] = telegram_says(bot_api, chat, "해외실증형 마감일이 언제예요?", language_code="ko")
    assert "2024년 3월 19일" in answer["text"]
    [record] = [h for h in handoffs.report() if h.conversation_id == f"telegram-{chat}"]
    assert (record.status, record.ended_by) == ("returned", "applicant")


def test_two_misunderstandings_in_a_row_offer_a_person(assistant):
    sender = f"rest-{next(chats)}"
    first = assistant.replies(sender, "qwzx blorp")
    assert all("person" not in m.get("text", "") for m in first)
    second = assistant.replies(sender, "vlorm zzkt")
    assert any(b["payload"] == "/human_handoff" for m in second for b in m.get("buttons", []))


def test_officers_read_only_conversations_handed_to_the_helpdesk(assistant, accounts, bot_api):
    """Any conversation id used to open in the console (and its live stream), e.g. a status check's."""
    kim, _ = log_in(assistant, "kim")
    lee, _ = log_in(assistant, "lee")
    root, _ = log_in(assistant, "root")

    def reads(browser, conversation):
        detail = browser.get(f"{assistant.web_url}/helpdesk/api/conversations/{conversation}", timeout=10)
        stream = browser.get(f"{assistant.web_url}/helpdesk/api/stream", params={"conversation": conversation},
                             stream=True, timeout=10)
        stream.close()
        assert detail.status_code == stream.status_code, "the stream and the page agree"
        return detail.status_code

    private = f"rest-{next(chats)}"
    assistant.ask(private, "When is the deadline?")
    assert (reads(kim, private), reads(root, private)) == (404, 404), "never handed over: nobody's to read"

    chat = next(chats)
    conversation = f"telegram-{chat}"
    telegram_says(bot_api, chat, "I want to talk to a person")
    item = wait_for(lambda: next((h for h in queue(kim, assistant) if h["conversation_id"] == conversation), None))
    assert (reads(kim, conversation), reads(lee, conversation)) == (200, 200), "waiting: any officer"
    assert step(kim, assistant, item["id"], "claim").status_code == 200
    refused = step(lee, assistant, item["id"], "note", text="a note on kim's conversation")
    assert refused.status_code == 409 and "claim the conversation" in refused.json()["error"]
    assert step(kim, assistant, item["id"], "hand-back").status_code == 200
    assert reads(lee, conversation) == 404, "back with the bot: not another officer's to read"
    assert reads(kim, conversation) == 200, "the officer who answered it"
    assert reads(root, conversation) == 200, "an admin reviewing past handoffs"
