"""Knowledge-base admin over real HTTP and in Chromium: roles, validation, publish, copy, revert,
and the bot answering a changed fact with no restart."""
import html
import re

import pytest
from playwright.sync_api import expect

from conftest import log_in_page
from knowledge import staff, transfer
from test_helpdesk_api import PASSWORD, log_in
from test_web_widget import browser  # noqa: F401  (the shared browser fixture)


@pytest.fixture
def secretariat(assistant, monkeypatch):
    """Staff accounts, and the knowledge base put back as it was after the test."""
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    for name, role in (("kim", "helpdesk"), ("park", "secretariat")):
        if name not in {a.username for a in staff.accounts()}:
            staff.add_account(name, PASSWORD, role)
    before = transfer.export_data()
    yield
    transfer.import_data(before, by="test clean-up")


def fact_form(page_text):
    """The fact editor's fields as the page shows them."""
    fields = dict(re.findall(r'<input name="f:([^"]+)" value="([^"]*)"', page_text))
    fields.update(re.findall(r'<textarea lang="..?" name="f:([^"]+)"[^>]*>([^<]*)</textarea>', page_text))
    return {html.unescape(k): html.unescape(v) for k, v in fields.items()}


def test_only_the_secretariat_and_admins_may_edit(assistant, secretariat):
    anonymous = assistant.web_url + "/admin"
    import requests
    assert requests.get(anonymous, timeout=10, allow_redirects=False).status_code == 302
    helpdesk, _ = log_in(assistant, "kim")
    assert helpdesk.get(assistant.web_url + "/admin", timeout=10).status_code == 403
    refused = helpdesk.post(assistant.web_url + "/admin/facts", timeout=10,
                            data={"csrf_token": helpdesk.headers["X-CSRF-Token"], "f:calls[0].tracks[1].deadline": "2030-01-01"})
    assert refused.status_code == 403
    assert transfer.export_data()["calls"][0]["tracks"][1]["deadline"].isoformat() == "2024-03-19"


def test_a_bad_value_is_refused_with_its_place_and_nothing_changes(assistant, secretariat):
    browser_session, page = log_in(assistant, "park")
    fields = fact_form(page.text)
    fields.update({"calls[0].tracks[1].deadline": "next Tuesday", "calls[0].tracks[0].amount_min_krw": "900000000"})
    response = browser_session.post(assistant.web_url + "/admin/facts", timeout=30,
                                    data={"csrf_token": browser_session.headers["X-CSRF-Token"],
                                          **{f"f:{k}": v for k, v in fields.items()}})
    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert "calls[0].tracks[1].deadline" in response.text and "next Tuesday" in response.text
    assert "calls[0].tracks[0]" in response.text
    assert transfer.export_data()["calls"][0]["tracks"][0]["amount_min_krw"] == 300000000


def test_a_changed_deadline_is_answered_at_once_then_reverted(assistant, secretariat):
    session, page = log_in(assistant, "park")
    fields = fact_form(page.text)
    fields["calls[0].tracks[1].deadline"] = "2024-03-29"
    saved = session.post(assistant.web_url + "/admin/facts", timeout=30,
                         data={"csrf_token": session.headers["X-CSRF-Token"], **{f"f:{k}": v for k, v in fields.items()}})
    assert "Saved 1 change(s)." in saved.text
    assert "29 March 2024" in assistant.ask("admin-1", "When is the deadline for the demonstration track?")
    entry = re.search(r'action="/admin/history/(\d+)/revert"', saved.text).group(1)
    reverted = session.post(f"{assistant.web_url}/admin/history/{entry}/revert", timeout=30,
                            data={"csrf_token": session.headers["X-CSRF-Token"]})
    assert "Reverted calls[0].tracks[1].deadline." in reverted.text
    assert "19 March 2024" in assistant.ask("admin-2", "When is the deadline for the demonstration track?")


def test_next_years_call_is_copied_unpublished_and_not_published_unconfirmed(assistant, secretariat):
    session, _ = log_in(assistant, "park")
    token = {"csrf_token": session.headers["X-CSRF-Token"]}
    copied = session.post(f"{assistant.web_url}/admin/calls/2024/copy", data=token, timeout=30)
    assert "Created the 2025 call as an unpublished copy of 2024." in copied.text
    assert "19 March 2024" in assistant.ask("admin-3", "When is the deadline for the demonstration track?")
    refused = session.post(f"{assistant.web_url}/admin/calls/2025/publish", data={**token, "published": "true"}, timeout=30)
    assert refused.status_code == 422 and "Nothing was saved" in refused.text
    assert "calls[1].tracks[1].deadline: copied from the 2024 call and not confirmed" in html.unescape(refused.text)
    assert [c["year"] for c in transfer.export_data()["calls"] if c["published"]] == [2024]
    assert "19 March 2024" in assistant.ask("admin-3b", "When is the deadline for the demonstration track?")


def test_next_years_call_copied_confirmed_previewed_and_published_in_the_browser(browser, assistant, secretariat, artifacts):  # noqa: F811
    page = browser.new_context().new_page()
    log_in_page(page, assistant.web_url + "/admin", "park", PASSWORD)
    page.get_by_role("button", name="Copy 2024 to 2025").click()
    expect(page.get_by_role("status")).to_contain_text("Created the 2025 call as an unpublished copy of 2024.")
    expect(page.get_by_role("row", name=re.compile("^2025"))).to_contain_text("copied fact(s) to confirm")

    page.get_by_role("button", name="Publish 2025").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("calls[1].tracks[1].deadline: copied from the 2024 call and not confirmed")

    # The officer moves the demonstration deadline and ticks the opening day as checked.
    page.get_by_label("calls[1].tracks[1].deadline", exact=True).fill("2025-03-25")
    page.get_by_label("Confirm calls[1].opens_on", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved 1 change(s), confirmed 1 fact(s).")
    left = transfer.unconfirmed(transfer.export_data())
    assert "calls[1].tracks[1].deadline" not in left and "calls[1].opens_on" not in left and left

    page.get_by_role("link", name="Preview 2025").click()
    expect(page.get_by_role("heading", name="Preview of the 2025 call")).to_be_visible()
    expect(page.locator("td[lang=en]").first).to_contain_text("25 March 2025")
    expect(page.locator("td[lang=ko]").first).to_contain_text("2025년 3월 25일")
    page.screenshot(path=str(artifacts / "admin_preview.png"), full_page=True)
    page.get_by_role("link", name="Knowledge base").click()

    page.get_by_role("button", name="Confirm every remaining fact of 2025").click()
    expect(page.get_by_role("status")).to_contain_text(f"Confirmed the {len(left)} remaining fact(s) of the 2025 call.")
    page.get_by_role("button", name="Publish 2025").click()
    expect(page.get_by_role("status")).to_contain_text("The 2025 call is now published.")
    reply = assistant.ask("admin-3c", "When is the deadline for the demonstration track?")
    assert "25 March 2025" in reply and "19 March 2024" not in reply


def test_editing_a_fact_in_the_browser(browser, assistant, secretariat, artifacts):  # noqa: F811
    page = browser.new_context().new_page()
    log_in_page(page, assistant.web_url + "/admin", "park", PASSWORD)
    expect(page.get_by_role("heading", name="Knowledge base")).to_be_visible()
    page.get_by_label("calls[0].tracks[1].amount_max_krw").fill("500000000")
    page.get_by_label("calls[0].tracks[1].name.en").fill("overseas pilot track")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved 2 change(s).")
    expect(page.get_by_role("table").last).to_contain_text("calls[0].tracks[1].amount_max_krw")
    page.screenshot(path=str(artifacts / "admin.png"), full_page=False)
    reply = assistant.ask("admin-4", "How much funding does a demonstration project get?")
    assert "Overseas pilot track" in reply and "500 million" in reply


def test_a_faq_entry_added_in_the_admin_is_answered_at_once(assistant, secretariat):
    session, _ = log_in(assistant, "park")
    question = "Is there a page limit for the proposal?"
    before = assistant.ask("admin-5", "Is there a page limit?")
    assert "30 pages" not in before
    added = session.post(f"{assistant.web_url}/admin/faq", timeout=30, data={
        "csrf_token": session.headers["X-CSRF-Token"], "question_ko": "제안서 분량 제한이 있나요?", "question_en": question,
        "answer_ko": "30쪽 이내로 작성해 주세요.", "answer_en": "Please keep it within 30 pages."})
    assert "Added the question" in added.text
    assert "30 pages" in assistant.ask("admin-6", "Is there a page limit?")
    assert "30쪽" in assistant.ask("admin-7", "분량 제한 있어요?")
    missing = session.post(f"{assistant.web_url}/admin/faq", timeout=30, data={
        "csrf_token": session.headers["X-CSRF-Token"], "question_ko": "", "question_en": "Only English?",
        "answer_ko": "", "answer_en": "Yes."})
    assert missing.status_code == 422 and "faq[1]" in missing.text


def test_a_status_changed_in_the_admin_is_recorded_and_mailed_to_the_applicant(browser, assistant, secretariat,  # noqa: F811
                                                                             mailbox, artifacts):
    import uuid

    from knowledge import proposals

    address = f"admin-news-{uuid.uuid4().hex[:6]}@example.org"
    code = proposals.create_draft(2024, "planning", address, language="ko", title="Smart water plan").code
    page = browser.new_page()
    log_in_page(page, assistant.web_url + "/admin", "park", PASSWORD)
    page.get_by_role("link", name="Proposals").click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    page.get_by_label("New status").select_option("submitted")
    page.get_by_label("Note for the applicant").fill("접수되었습니다. 감사합니다.")
    page.get_by_role("button", name="Save and tell the applicant").click()
    expect(page.get_by_role("status")).to_contain_text("The applicant is being told on 1 channel(s)")
    expect(page.get_by_role("table").first).to_contain_text("접수되었습니다. 감사합니다.")
    assert proposals.get(code).current.status == "submitted" and proposals.get(code).history[-1].note
    letter = mailbox.last_to(address, timeout=60)
    assert " ".join(str(letter["Subject"]).split()) == f"K-City Network 제안서 {code} 진행 상황 안내"
    assert "'작성 중'에서 '접수 완료'(으)로 바뀌었습니다" in letter.get_body(("plain",)).get_content()
    page.reload()
    expect(page.get_by_role("table").last).to_contain_text("sent")
    page.screenshot(path=str(artifacts / "admin_proposal.png"), full_page=True)

    page.get_by_label("New status").select_option("selected")
    page.get_by_label("Note for the applicant").fill("x" * 2001)
    page.evaluate("document.getElementById('note').removeAttribute('maxlength')")
    page.get_by_label("Note for the applicant").fill("x" * 2001)
    page.get_by_role("button", name="Save and tell the applicant").click()
    expect(page.get_by_role("alert")).to_contain_text("longer than 2000 characters; nothing was saved")
    assert proposals.get(code).current.status == "submitted"
    page.close()


def test_a_korean_officer_copies_and_checks_next_years_call_in_korean(browser, assistant, secretariat, artifacts):  # noqa: F811
    import uuid

    from knowledge import proposals

    if "han" not in {a.username for a in staff.accounts()}:
        staff.add_account("han", PASSWORD, "secretariat", language="ko")
    staff.set_language("han", "ko")
    code = proposals.create_draft(2024, "planning", f"han-{uuid.uuid4().hex[:6]}@example.org", language="en").code
    page = browser.new_context(locale="en-US").new_page()
    log_in_page(page, assistant.web_url + "/admin", "han", PASSWORD)
    expect(page.get_by_role("heading", name="공고 지식베이스")).to_be_visible()
    page.get_by_role("button", name="2024년 공고를 2025년으로 복사").click()
    expect(page.get_by_role("status")).to_contain_text("2024년 공고를 복사해 게시 전의 2025년 공고를 만들었습니다.")
    expect(page.get_by_role("row", name=re.compile("^2025"))).to_contain_text("게시하려면 복사된 사실")

    page.get_by_role("button", name="2025년 공고 게시").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("아무것도 저장하지 않았습니다")
    expect(alert).to_contain_text("calls[1].tracks[1].deadline: 2024년 공고에서 복사되었고 확인되지 않았습니다")
    # The change history is in Korea time, written the Korean way.
    expect(page.get_by_role("table").last).to_contain_text("년")
    page.screenshot(path=str(artifacts / "admin_ko.png"), full_page=False)

    page.get_by_role("link", name="2025년 공고 미리 보기").click()
    expect(page.get_by_role("heading", name="2025년 공고 미리 보기")).to_be_visible()
    expect(page.locator("main")).to_contain_text("초안: 아직 신청자에게 이 공고로 답하지 않습니다")
    expect(page.get_by_role("rowheader", name="마감")).to_be_visible()
    # The switch keeps the officer on the page and the choice on the account.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Preview of the 2025 call")).to_be_visible()
    assert {a.username: a.language for a in staff.accounts()}["han"] == "en"
    page.get_by_role("button", name="한국어").click()
    expect(page.get_by_role("heading", name="2025년 공고 미리 보기")).to_be_visible()

    page.get_by_role("link", name="공고 지식베이스").click()
    page.get_by_role("link", name="제안서").click()
    expect(page.get_by_role("columnheader", name="접수 번호")).to_be_visible()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_label("새 상태")).to_contain_text("접수 완료")
    page.get_by_label("새 상태").select_option("submitted")
    page.get_by_role("button", name="저장하고 신청자에게 알리기").click()
    expect(page.get_by_role("status")).to_contain_text("저장했습니다. 신청자에게 채널 1곳으로 알리는 중입니다.")
    expect(page.get_by_role("table").first).to_contain_text("접수 완료")
    page.close()


def test_a_link_cannot_put_words_on_the_admin_page_or_send_the_officer_elsewhere(assistant, secretariat):
    session, _ = log_in(assistant, "park")
    page = session.get(assistant.web_url + "/admin", timeout=30,
                       params={"notice": "Send your password to evil@example.org", "done": "staff_wrong_login"})
    assert page.status_code == 200 and "evil@example.org" not in page.text and "Wrong username" not in page.text
    missing_fact = session.get(assistant.web_url + "/admin", timeout=30, params={"done": "admin_done_saved"})
    assert missing_fact.status_code == 200 and "Saved" not in missing_fact.text
    said = session.get(assistant.web_url + "/admin", timeout=30, params={"done": "admin_done_saved", "changes": "2"})
    assert "Saved 2 change(s)." in said.text
    for elsewhere in ("https://evil.example.org/admin", "//evil.example.org/admin", "/helpdesk"):
        moved = session.post(assistant.web_url + "/admin/language", allow_redirects=False, timeout=30,
                             data={"csrf_token": session.headers["X-CSRF-Token"], "language": "en", "next": elsewhere})
        assert moved.status_code == 302 and moved.headers["Location"] == "/admin"


def test_a_canned_reply_added_in_the_admin_is_offered_in_the_console(browser, assistant, secretariat):  # noqa: F811
    page = browser.new_context(locale="en-US").new_page()
    log_in_page(page, assistant.web_url + "/admin", "park", PASSWORD)
    page.get_by_label("New reply title (Korean)").fill("서류 안내")
    page.get_by_label("New reply title (English)").fill("Documents")
    page.get_by_label("New reply text (Korean)").fill("필요한 서류 목록을 이메일로 보내 드리겠습니다.")
    page.get_by_role("button", name="Add canned reply").click()
    expect(page.get_by_role("alert")).to_contain_text("canned_replies[3].text: the 'en' text is missing")
    page.get_by_label("New reply title (Korean)").fill("서류 안내")
    page.get_by_label("New reply title (English)").fill("Documents")
    page.get_by_label("New reply text (Korean)").fill("필요한 서류 목록을 이메일로 보내 드리겠습니다.")
    page.get_by_label("New reply text (English)").fill("I will e-mail you the list of documents.")
    page.get_by_role("button", name="Add canned reply").click()
    expect(page.get_by_role("status")).to_contain_text("Added the canned reply")
    assert transfer.export_data()["canned_replies"][-1]["title"] == {"ko": "서류 안내", "en": "Documents"}

    kim, console = log_in(assistant, "kim")
    assert '<option value="3">Documents</option>' in console.text and "I will e-mail you the list of documents." in console.text
    page.get_by_role("button", name="Remove canned reply 3").click()
    expect(page.get_by_role("status")).to_contain_text("Removed the canned reply.")
    assert "Documents" not in kim.get(assistant.web_url + "/helpdesk", timeout=30).text


def test_the_secretariat_sees_what_applicants_asked_in_charts_and_a_csv(browser, assistant, secretariat, artifacts):  # noqa: F811
    import datetime
    import uuid

    from knowledge import insights

    run = uuid.uuid4().hex[:6]
    assistant.ask(f"insights-ko-{run}", "해외실증형 마감일이 언제예요?")
    assistant.ask(f"insights-en-{run}", "How much funding does a demonstration project get?")
    assistant.ask(f"insights-en-{run}", "qwzx blorf snargle")
    today = datetime.datetime.now(insights.KOREA).date().isoformat()

    page = browser.new_context(locale="en-US").new_page()
    log_in_page(page, assistant.web_url + "/admin", "park", PASSWORD)
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights")).to_be_visible()
    page.get_by_label("From", exact=True).fill(today)
    page.get_by_label("To", exact=True).fill(today)
    page.get_by_role("combobox", name=re.compile("^Language")).select_option("ko")
    page.get_by_role("button", name="Show").click()
    tiles = page.get_by_role("region", name="Totals for the range")
    expect(tiles).to_contain_text("Messages")
    korean = int(tiles.locator(".tile", has_text="Messages").locator("strong").inner_text())
    assert korean >= 1
    expect(page.get_by_role("table", name="Most asked topics")).to_contain_text("Deadlines")
    # Each chart was drawn by Chart.js: its canvas holds pixels.
    for chart in ("chart-traffic", "chart-outcomes", "chart-channels", "chart-topics"):
        assert page.evaluate(f"""(() => {{ const c = document.getElementById("{chart}");
            return c.getContext("2d").getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0); }})()""")
    page.get_by_role("combobox", name=re.compile("^Language")).select_option("")
    page.get_by_role("button", name="Show").click()
    all_messages = int(page.get_by_role("region", name="Totals for the range").locator(".tile", has_text="Messages")
                       .locator("strong").inner_text())
    assert all_messages >= korean + 2
    share = page.get_by_role("region", name="Totals for the range").locator(".tile", has_text="Share not understood")
    expect(share.locator("strong")).not_to_have_text("—")
    page.screenshot(path=str(artifacts / "insights.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("day,channel,language,conversations,messages,")
    assert sum(int(line.split(",")[4]) for line in text.splitlines()[1:] if line.startswith(today)) == all_messages
