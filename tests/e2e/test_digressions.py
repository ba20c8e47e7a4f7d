"""Questions and requests for a person in the middle of a form, against the real servers: the question
is answered and the form asks its pending question again; a person is a handoff; "cancel" still
leaves. REST in both languages and both forms, then Telegram and the widget."""
import itertools
import uuid

from playwright.sync_api import expect

from mail_standin import finish_proof
from test_web_widget import browser, page  # noqa: F401 (the widget's fixtures)

DEMO_CODE, DEMO_EMAIL = "KCN-2024-D-2402-B", "demo.company@example.org"
chats = itertools.count(58_001)


def sender():
    return f"digress-{uuid.uuid4().hex[:8]}"


def test_an_english_status_check_answers_a_question_then_asks_for_the_code_again(assistant, mailbox):
    user = sender()
    assert "reference code" in assistant.ask(user, "I'd like to check where our proposal stands")
    reply = assistant.ask(user, "hold on, what is the maximum support for a demonstration project?")
    assert "KRW 200–400 million" in reply, "the question is answered"
    assert "is not a reference code" not in reply and reply.rstrip().endswith("Say 'cancel' to stop."), "then asked again"
    reply = assistant.ask(user, DEMO_CODE)
    assert "under review since 25 March 2024" in finish_proof(assistant.ask, user, reply, DEMO_EMAIL, mailbox)


def test_a_korean_status_check_answers_a_question_and_cancel_still_leaves(assistant):
    user = sender()
    assert "접수번호를 알려주세요" in assistant.ask(user, "제 제안서 심사 상태 확인 부탁드려요")
    reply = assistant.ask(user, "아 그 전에 계획수립형은 얼마까지 지원돼요?")
    assert "3억~6억 원" in reply and "접수번호를 알려주세요" in reply
    assert "접수번호가 아닙니다" not in reply
    assert "제안서 상태 조회를 취소했습니다" in assistant.ask(user, "취소")


def test_an_english_draft_answers_a_question_then_asks_for_the_track_again(assistant):
    user = sender()
    assert "Which track would you like to apply to?" in assistant.ask(user, "we want to apply, please open a draft")
    reply = assistant.ask(user, "before I pick: when does the demonstration track close?")
    assert "19 March 2024" in reply and reply.count("Which track would you like to apply to?") == 1
    assert "Who is applying?" in assistant.ask(user, "Overseas demonstration track")


def test_a_korean_draft_answers_a_question_then_asks_for_the_track_again(assistant):
    user = sender()
    assert "어느 유형으로 신청하시겠어요?" in assistant.ask(user, "신청서 작성 시작할게요")
    reply = assistant.ask(user, "잠깐만요, 선정 결과는 언제 발표돼요?")
    assert "2024년 6월" in reply and "어느 유형으로 신청하시겠어요?" in reply


def test_a_person_asked_for_in_a_form_is_a_handoff_not_an_answer(assistant):
    user = sender()
    assistant.ask(user, "check my application status")
    reply = assistant.ask(user, "actually I would rather talk to a person")
    assert "I'm passing you to a person from the helpdesk" in reply and "reference code" not in reply
    # Back to the bot, out of the helpdesk's queue (the helpdesk tests expect only their own there).
    assert assistant.ask(user, "/bot").startswith("You're back with the assistant")
    user = sender()
    assistant.ask(user, "신청서 작성 시작할게요")
    reply = assistant.ask(user, "상담원 연결해 주세요")
    assert "신청서 작성을 취소했습니다" in reply and "상담원에게 연결해 드리겠습니다" in reply
    assert assistant.ask(user, "/bot").startswith("챗봇이 다시 답변합니다")


def test_a_question_in_a_telegram_status_check(bot_api, assistant):
    chat = next(chats)
    bot_api.user_says(chat, "제안서 진행 상황 확인하고 싶어요", "ko")
    bot_api.wait_for_messages(chat, 1)
    before = len(bot_api.sent(chat))
    bot_api.user_says(chat, "근데 해외실증형 마감이 언제였죠?", "ko")
    replies = bot_api.wait_for_messages(chat, before + 2)[before:]
    text = "\n".join(r["text"] for r in replies)
    assert "2024년 3월 19일" in text and "접수번호를 알려주세요" in text


def test_a_question_in_a_widget_draft(page):  # noqa: F811
    page.get_by_role("button", name="상담 챗봇 열기").click()
    dialog = page.get_by_role("dialog", name="K-City Network")
    page.get_by_role("textbox").fill("I want to apply, start a draft please")
    page.keyboard.press("Enter")
    expect(dialog).to_contain_text("Which track would you like to apply to?", timeout=30_000)
    page.get_by_role("textbox").fill("quick question first: how much does a planning project receive?")
    page.keyboard.press("Enter")
    expect(dialog).to_contain_text("KRW 300–600 million", timeout=30_000)
    expect(page.locator(".kcn-bot").last).to_contain_text("Which track would you like to apply to?", timeout=30_000)
