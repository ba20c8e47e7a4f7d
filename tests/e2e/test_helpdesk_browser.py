"""Handoff in two headless Chromium contexts: an applicant in the widget, an officer in the console."""
import re

import pytest
from playwright.sync_api import expect

from conftest import log_in_page
from knowledge import staff
from test_web_widget import ask, bot_messages, browser  # noqa: F401  (the shared browser fixture)

PASSWORD = "console password 1"


@pytest.fixture
def officer_account(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    if "choi" not in {a.username for a in staff.accounts()}:
        staff.add_account("choi", PASSWORD, "helpdesk")
    staff.set_display_name("choi", "최민지")


def helpdesk_messages(page):
    """The widget's messages written by a person of the helpdesk (labelled, not the bot's look)."""
    return page.locator(".kcn-helpdesk")


def test_an_officer_takes_over_a_widget_conversation_and_hands_it_back(browser, assistant, officer_account, artifacts):
    applicant = browser.new_context(locale="en-US").new_page()
    applicant.goto(assistant.web_url)
    applicant.get_by_role("button", name="상담 챗봇 열기").click()
    applicant.get_by_role("button", name="English").click()
    expect(bot_messages(applicant).last).to_contain_text("Hello!", timeout=30_000)
    expect(ask(applicant, "I want to talk to a person")).to_contain_text("passing you to a person")

    officer = browser.new_context().new_page()
    log_in_page(officer, assistant.web_url + "/helpdesk", "choi", PASSWORD)
    expect(officer.get_by_role("heading", name="Helpdesk console")).to_be_visible()
    entry = officer.locator("#queue button", has_text="waiting").first
    expect(entry).to_contain_text("I want to talk to a person", timeout=15_000)
    entry.click()
    expect(officer.get_by_role("log", name="Transcript")).to_contain_text("Applicant: I want to talk to a person")
    officer.get_by_role("button", name="Claim").click()
    expect(officer.get_by_role("status")).to_contain_text("claimed by choi")

    # The applicant writes while waiting; the officer sees it live, and the bot stays silent.
    count = bot_messages(applicant).count()
    applicant.get_by_role("textbox").fill('Our city is Da Nang <img src=x onerror="window.pwned=1"><b>really</b>')
    applicant.keyboard.press("Enter")
    transcript = officer.get_by_role("log", name="Transcript")
    expect(transcript).to_contain_text('Our city is Da Nang <img src=x onerror="window.pwned=1"><b>really</b>',
                                       timeout=15_000)
    # Shown as the characters typed, never as markup, in the officer's page.
    assert transcript.locator("img, b").count() == 0 and officer.evaluate("window.pwned") is None
    officer.get_by_label("Canned reply").select_option(label="Greeting")  # in the applicant's language: English
    expect(officer.get_by_label("Reply to the applicant")).to_have_value(
        "Hello, this is the K-City Network helpdesk. How can I help you?")
    officer.get_by_label("Reply to the applicant").fill("Hello! I'm Choi from the helpdesk. Da Nang can apply with a partner.")
    officer.get_by_role("button", name="Send reply").click()
    # The applicant sees a person wrote it: the officer's label in the applicant's language, apart from the bot.
    expect(helpdesk_messages(applicant)).to_have_count(1, timeout=15_000)
    expect(helpdesk_messages(applicant).last).to_contain_text("I'm Choi from the helpdesk")
    expect(helpdesk_messages(applicant).last.locator(".kcn-sender")).to_have_text("Helpdesk · 최민지")
    assert bot_messages(applicant).count() == count
    applicant.reload()  # the label stays with the message in the kept history
    expect(helpdesk_messages(applicant).last.locator(".kcn-sender")).to_have_text("Helpdesk · 최민지")

    officer.get_by_role("textbox", name="Internal note").fill("Da Nang: partner city question")
    officer.get_by_role("button", name="Add note").click()
    officer.get_by_role("button", name="Hand back to the bot").click()
    expect(bot_messages(applicant).last).to_contain_text("You're back with the assistant", timeout=15_000)
    expect(ask(applicant, "When is the deadline for the demonstration track?")).to_contain_text("19 March 2024")

    # Later the officer finds it again by the note's words, and opens its transcript.
    officer.reload()
    officer.get_by_role("searchbox", name="Words").fill("partner CITY")
    officer.get_by_role("button", name="Search").click()
    found = officer.get_by_role("list", name="Conversations found").get_by_role("button")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Da Nang: partner city question")
    found.click()
    expect(officer.get_by_role("log", name="Transcript")).to_contain_text("Applicant: I want to talk to a person")
    officer.screenshot(path=str(artifacts / "helpdesk_console.png"))
    applicant.screenshot(path=str(artifacts / "helpdesk_applicant.png"))


def test_a_korean_officer_works_the_console_in_korean_and_the_choice_stays_with_the_account(browser, assistant,
                                                                                          officer_account, artifacts):
    applicant = browser.new_context(locale="ko-KR").new_page()
    applicant.goto(assistant.web_url)
    applicant.get_by_role("button", name="상담 챗봇 열기").click()
    applicant.get_by_role("button", name="한국어").click()
    expect(bot_messages(applicant).last).to_be_visible(timeout=30_000)
    expect(ask(applicant, "상담원 연결해 주세요")).to_contain_text("상담원에게 연결해 드리겠습니다")

    # An English browser; the officer picks Korean on the login page, and the account keeps it.
    context = browser.new_context(locale="en-US")
    officer = context.new_page()
    officer.goto(assistant.web_url + "/helpdesk")
    expect(officer.get_by_role("heading", name="K-City Network · staff login")).to_be_visible()
    officer.get_by_role("link", name="한국어").click()
    officer.get_by_label("아이디").fill("choi")
    officer.get_by_label("비밀번호").fill(PASSWORD)
    officer.get_by_role("button", name="로그인").click()
    expect(officer.get_by_role("heading", name="상담 콘솔")).to_be_visible()
    expect(officer.locator("html")).to_have_attribute("lang", "ko")
    entry = officer.locator("#queue button", has_text="대기 중").first
    expect(entry).to_contain_text("상담원 연결해 주세요", timeout=15_000)
    expect(entry).to_contain_text("분 대기")
    entry.click()
    transcript = officer.get_by_role("log", name="대화 기록")
    expect(transcript).to_contain_text("신청자: 상담원 연결해 주세요")
    expect(transcript).to_contain_text("챗봇: 상담원에게 연결해 드리겠습니다")
    officer.get_by_role("button", name="맡기").click()
    expect(officer.get_by_role("status")).to_contain_text("choi 상담원이 맡음")

    # A refused step is explained in Korean too: an empty reply.
    officer.get_by_role("button", name="답장 보내기").click()
    expect(officer.get_by_role("alert")).to_have_text("답장이 비어 있습니다.")
    officer.get_by_label("신청자에게 답장").fill("안녕하세요, 상담원 최입니다. 무엇을 도와드릴까요?")
    officer.get_by_role("button", name="답장 보내기").click()
    expect(helpdesk_messages(applicant).last).to_contain_text("상담원 최입니다", timeout=15_000)
    # A canned reply of the secretariat's, in the applicant's language, edited before it is sent.
    officer.get_by_label("답변 문구").select_option(label="사무국 확인 중")
    reply_box = officer.get_by_label("신청자에게 답장")
    expect(reply_box).to_have_value(re.compile("^문의하신 내용은 담당 사무국에 확인한 뒤"))
    reply_box.fill(reply_box.input_value() + " (KAIA)")
    officer.get_by_role("button", name="답장 보내기").click()
    expect(helpdesk_messages(applicant).last).to_contain_text("잠시만 기다려 주세요. (KAIA)", timeout=15_000)
    expect(helpdesk_messages(applicant).last.locator(".kcn-sender")).to_have_text("상담원 최민지")
    expect(transcript).to_contain_text("상담원 choi: 안녕하세요")
    officer.screenshot(path=str(artifacts / "helpdesk_console_ko.png"))

    officer.get_by_role("button", name="챗봇에게 돌려주기").click()
    expect(officer.get_by_role("status")).to_have_text("챗봇이 이 대화에 답하고 있습니다.", timeout=15_000)
    expect(transcript).to_contain_text("챗봇이 다시 답합니다")

    # A new browser session for the same account opens in Korean without choosing again.
    again = browser.new_context(locale="en-US").new_page()
    again.goto(assistant.web_url + "/helpdesk")
    again.get_by_label("Username").fill("choi")
    again.get_by_label("Password").fill(PASSWORD)
    again.get_by_role("button", name="Log in").click()
    expect(again.get_by_role("heading", name="상담 콘솔")).to_be_visible()
    # ...and switching back to English is one button, kept as well.
    again.get_by_role("button", name="English").click()
    expect(again.get_by_role("heading", name="Helpdesk console")).to_be_visible()
    assert {a.username: a.language for a in staff.accounts()}["choi"] == "en"


# Counts the console's chimes and notifications while the real browser APIs still do their work.
SPY = """
window.__chimes = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) { window.__chimes += 1; return start.apply(this, args); };
window.__notifications = [];
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
  constructor(title, options) { super(title, options); window.__notifications.push([title, options && options.body]); }
};
"""


def test_a_new_waiting_conversation_rings_and_notifies_and_the_queue_shows_the_desk_hours(browser, assistant,
                                                                                         officer_account):
    from knowledge import service

    context = browser.new_context(locale="en-US", permissions=["notifications"])
    context.add_init_script(SPY)
    officer = context.new_page()
    log_in_page(officer, assistant.web_url + "/helpdesk", "choi", PASSWORD)
    expect(officer.get_by_role("heading", name="Helpdesk console")).to_be_visible()
    officer.get_by_role("button", name="Turn on alerts for new conversations").click()
    expect(officer.locator("#alerts-state")).to_have_text("Alerts on")
    desk = service.helpdesk()
    expected = "Helpdesk hours now" if desk.is_open() else "Outside helpdesk hours"
    expect(officer.locator("#desk")).to_contain_text(f"{expected} (weekdays 09:00–18:00 Korea time)")
    officer.wait_for_timeout(1500)  # the first snapshot: conversations already waiting are not news
    before = officer.evaluate("window.__chimes")

    applicant = browser.new_context(locale="en-US").new_page()
    applicant.goto(assistant.web_url)
    applicant.get_by_role("button", name="상담 챗봇 열기").click()
    applicant.get_by_role("button", name="English").click()
    expect(bot_messages(applicant).last).to_contain_text("Hello!", timeout=30_000)
    expect(ask(applicant, "Could a real person help me with our city's application?")).to_contain_text(
        "passing you to a person")

    officer.wait_for_function(f"window.__chimes > {before}", timeout=15_000)
    officer.wait_for_function("window.__notifications.length > 0", timeout=15_000)
    title, body = officer.evaluate("window.__notifications[window.__notifications.length - 1]")
    assert title == "A new conversation is waiting" and "real person" in body
    expect(officer).to_have_title(re.compile(r"^\(\d+\) Helpdesk · K-City Network$"))  # the waiting count in the tab
    entry = officer.locator("#queue button", has_text="real person").first
    expect(entry).to_contain_text("waiting 0 min")
    if desk.is_open():
        expect(entry.locator(".outside")).to_have_count(0)
    else:
        expect(entry.locator(".outside")).to_have_text("asked outside hours")
