"""The unanswered-questions inbox against the running servers: questions the assistant missed over
REST reach it grouped and masked; in Chromium a Korean-speaking officer reads one's conversation
and answers the group as a FAQ entry, which the assistant then answers with over REST; groups
marked as training examples or dismissed leave it, with the reminder that training is needed."""
import re
import uuid

from playwright.sync_api import expect

from conftest import log_in_page
from knowledge import staff
from test_admin import secretariat  # noqa: F401  (staff accounts, the knowledge base put back after)
from test_helpdesk_api import PASSWORD, log_in
from test_web_widget import browser  # noqa: F401  (the shared browser fixture)

NOT_UNDERSTOOD = "I didn't quite understand"


def group_ids(page_html, question):
    """The message ids of the inbox group headed by `question` (its forms' hidden inputs)."""
    article = page_html.split(f'aria-label="{question}"', 1)[1].split("</article>", 1)[0]
    return sorted(set(re.findall(r'name="id" value="(\d+)"', article)))


def test_a_korean_officer_answers_a_group_as_a_faq_entry_the_assistant_then_uses(browser, assistant, secretariat, artifacts):  # noqa: F811
    run = uuid.uuid4().hex[:6]
    first = "Is there a dress code for the presentation? My e-mail is lee@city.gov.ph"
    newest = "Is there a dress code at the presentation?"
    for n, text in enumerate((first, newest)):
        assert NOT_UNDERSTOOD in assistant.ask(f"inbox-{run}-{n}", text)

    if "seo" not in {a.username for a in staff.accounts()}:
        staff.add_account("seo", PASSWORD, "secretariat", language="ko")
    page = browser.new_context(locale="en-US").new_page()  # the account's language wins over the browser's
    log_in_page(page, assistant.web_url + "/admin", "seo", PASSWORD)
    page.get_by_role("link", name="답하지 못한 질문").click()
    page.get_by_role("combobox", name=re.compile("^언어")).select_option("en")
    page.get_by_role("combobox", name=re.compile("^정렬")).select_option("newest")
    page.get_by_role("button", name="보기").click()
    masked = first.replace("lee@city.gov.ph", "‹e-mail›")
    group = page.get_by_role("article", name=newest)
    expect(group).to_contain_text(masked)
    expect(group).to_contain_text("메시지 2개")
    assert "lee@city.gov.ph" not in page.content(), "the e-mail address is masked"

    group.get_by_role("link", name="대화 보기").last.click()  # the older message's conversation
    expect(page.get_by_role("heading", name="질문이 나온 대화")).to_be_visible()
    current = page.locator("li[aria-current=true]")
    expect(current).to_contain_text(masked)
    expect(page.locator("ol.transcript")).to_contain_text("챗봇")
    assert "lee@city.gov.ph" not in page.content()
    page.get_by_role("link", name="← 답하지 못한 질문으로").click()

    page.get_by_role("combobox", name=re.compile("^언어")).select_option("en")
    page.get_by_role("combobox", name=re.compile("^정렬")).select_option("newest")
    page.get_by_role("button", name="보기").click()
    group = page.get_by_role("article", name=newest)
    group.get_by_text("FAQ로 답하기").click()
    expect(group.get_by_label("질문 (영어)")).to_have_value(newest)
    group.get_by_label("질문 (영어)").fill("Is there a dress code for the presentation?")
    group.get_by_label("답변 (영어)").fill("No dress code: business attire is usual at the presentation.")
    group.get_by_role("button", name=re.compile("^FAQ에 추가")).click()
    expect(page.get_by_role("alert")).to_contain_text("저장하지 않았습니다"), "the Korean question and answer are missing"
    group = page.get_by_role("article", name=newest)
    expect(group.get_by_label("질문 (영어)")).to_have_value("Is there a dress code for the presentation?")
    group.get_by_label("질문 (한국어)").fill("발표할 때 정장을 입어야 하나요?")
    group.get_by_label("답변 (한국어)").fill("복장 규정은 없으며, 발표 때는 보통 비즈니스 정장을 입습니다.")
    page.screenshot(path=str(artifacts / "inbox.png"), full_page=True)
    group.get_by_role("button", name=re.compile("^FAQ에 추가")).click()
    expect(page.get_by_role("status").first).to_contain_text("FAQ에 추가했습니다")
    expect(page.get_by_role("article", name=newest)).to_have_count(0)

    assert "business attire" in assistant.ask(f"inbox-{run}-after", "Is there a dress code for the presentation?")
    assert "비즈니스 정장" in assistant.ask(f"inbox-{run}-after-ko", "발표할 때 정장 입어야 하나요?")


def test_groups_marked_as_training_examples_or_dismissed_leave_the_inbox(assistant, secretariat):  # noqa: F811
    run = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])  # letters: digits sway the NLU
    marked, dismissed = f"blorf snargle wibble {run}", f"qwfp glorp {run}"
    for n, text in enumerate((marked, dismissed)):
        assistant.ask(f"inbox-mark-{run}-{n}", text)
    session, _ = log_in(assistant, "park")
    page = session.get(f"{assistant.web_url}/admin/inbox", params={"language": "en", "order": "newest"}, timeout=30)
    csrf = session.headers["X-CSRF-Token"]
    marked_ids, dismissed_ids = group_ids(page.text, marked), group_ids(page.text, dismissed)
    assert marked_ids and dismissed_ids

    refused = session.post(f"{assistant.web_url}/admin/inbox/training", timeout=30,
                           data={"csrf_token": csrf, "intent": "no_such_intent", "id": marked_ids})
    assert refused.status_code == 422 and "choose one of the listed intents" in refused.text
    done = session.post(f"{assistant.web_url}/admin/inbox/training", timeout=30,
                        data={"csrf_token": csrf, "intent": "ask_deadline", "id": marked_ids})
    assert "marked as training examples" in done.text
    assert re.search(r"\d+ training example\(s\) are not in the model yet", done.text)
    gone = session.post(f"{assistant.web_url}/admin/inbox/dismiss", timeout=30, data={"csrf_token": csrf, "id": dismissed_ids})
    assert "dismissed" in gone.text
    assert f'aria-label="{marked}"' not in gone.text and f'aria-label="{dismissed}"' not in gone.text

    helpdesk, _ = log_in(assistant, "kim")
    assert helpdesk.get(f"{assistant.web_url}/admin/inbox", timeout=30, allow_redirects=False).status_code in (302, 403)
