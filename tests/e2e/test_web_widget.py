"""The chat widget in headless Chromium (Debian's package, driven by Playwright) against the real servers."""
import os

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("KCN_CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network: no background calls to Google's services.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, assistant):
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.goto(assistant.web_url)
    yield page
    context.close()


def bot_messages(page):
    return page.locator(".kcn-bot")


def ask(page, text):
    count = bot_messages(page).count()
    page.get_by_role("textbox").fill(text)
    page.keyboard.press("Enter")
    expect(bot_messages(page)).not_to_have_count(count, timeout=30_000)
    return bot_messages(page).last


def test_questions_in_both_languages_a_button_and_a_reload_that_keeps_the_history(page, artifacts):
    page.get_by_role("button", name="상담 챗봇 열기").click()
    dialog = page.get_by_role("dialog", name="K-City Network")
    expect(dialog).to_be_visible()
    expect(bot_messages(page).first).to_contain_text("안녕하세요", timeout=30_000)
    expect(page.get_by_role("textbox", name="메시지를 입력하세요")).to_be_focused()

    page.evaluate("""() => { window.typingSeen = false; const s = document.querySelector('.kcn-status');
        new MutationObserver(() => { if (s.textContent) window.typingSeen = true; }).observe(s, {childList: true, subtree: true, characterData: true}); }""")
    expect(ask(page, "해외실증형 마감일이 언제예요?")).to_contain_text("2024년 3월 19일")
    assert page.evaluate("window.typingSeen"), "a typing indicator was shown while waiting"

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(bot_messages(page).last).to_contain_text("Hello!", timeout=30_000)
    expect(ask(page, "How much funding does a planning project get?")).to_contain_text("KRW 300")

    ask(page, "what can you do?")
    count = bot_messages(page).count()
    page.locator(".kcn-buttons button", has_text="Deadlines").last.click()
    expect(bot_messages(page)).not_to_have_count(count, timeout=30_000)
    expect(bot_messages(page).last).to_contain_text("19 March 2024")

    before = bot_messages(page).count()
    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(bot_messages(page)).to_have_count(before)
    expect(page.locator(".kcn-log")).to_contain_text("2024년 3월 19일")
    # The same Rasa conversation continues: a bare track name follows up the last question.
    expect(ask(page, "and the planning track?")).to_contain_text("Planning track")
    page.screenshot(path=str(artifacts / "web_widget.png"))


def test_messages_are_shown_as_text_never_as_html(page):
    page.get_by_role("button", name="상담 챗봇 열기").click()
    expect(bot_messages(page).first).to_be_visible(timeout=30_000)
    ask(page, "<img src=x onerror=\"window.pwned=1\"> hello")
    expect(page.locator(".kcn-user").last).to_have_text("나: <img src=x onerror=\"window.pwned=1\"> hello")
    assert page.locator(".kcn-log img").count() == 0 and not page.evaluate("window.pwned")


def test_the_panel_works_from_the_keyboard(page):
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="상담 챗봇 열기")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("textbox")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="상담 챗봇 열기")).to_have_attribute("aria-expanded", "false")


def test_an_unreachable_server_is_shown_as_a_connection_error(browser, assistant, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    page.goto(assistant.web_url + "/health")  # any page of the origin, then embed the widget on it
    page.set_content(f"""<!doctype html><html><body><h1>Another site</h1>
        <script>window.KCN_CHAT = {{serverUrl: "http://127.0.0.1:9", language: "en", title: "Help"}};</script>
        <script src="{assistant.web_url}/widget/kcn-widget.js"></script></body></html>""")
    page.get_by_role("button", name="Open the chat assistant").click()
    expect(page.get_by_role("alert")).to_contain_text("Cannot reach the server. Reconnecting", timeout=20_000)
    context.close()
