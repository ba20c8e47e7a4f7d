"""Handoff in two headless Chromium contexts: an applicant in the widget, an officer in the console."""
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
    officer.get_by_label("Reply to the applicant").fill("Hello! I'm Choi from the helpdesk. Da Nang can apply with a partner.")
    officer.get_by_role("button", name="Send reply").click()
    expect(bot_messages(applicant)).to_have_count(count + 1, timeout=15_000)
    expect(bot_messages(applicant).last).to_contain_text("I'm Choi from the helpdesk")

    officer.get_by_role("button", name="Hand back to the bot").click()
    expect(bot_messages(applicant).last).to_contain_text("You're back with the assistant", timeout=15_000)
    expect(ask(applicant, "When is the deadline for the demonstration track?")).to_contain_text("19 March 2024")
    officer.screenshot(path=str(artifacts / "helpdesk_console.png"))
    applicant.screenshot(path=str(artifacts / "helpdesk_applicant.png"))
