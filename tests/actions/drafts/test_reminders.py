"""Deadline reminders asked for and stopped in the chat, in both languages, with the clock fixed
(15 February 2024: the demonstration track closes on 19 March, the planning track's cut-off for
this year's review is 30 April)."""
from actions.drafts.reminders import ActionRemindDeadline, ActionStopReminders
from draft_turns import run, text_of
from knowledge import notifications, proposals


def test_reminders_are_set_for_this_conversations_draft_with_their_days_and_where(draft, monkeypatch):
    monkeypatch.setenv("KCN_REMINDER_DAYS", "7 1")
    messages, _ = run(ActionRemindDeadline(), sender="telegram-5", draft_code=draft.code)
    assert text_of(messages) == (
        f"I will remind you about your draft {draft.code} before the overseas demonstration track deadline "
        "(19 March 2024), on 12 March 2024 and 18 March 2024: here and by e-mail to l•••@example.com. "
        'Write "stop reminders" at any time to stop them.')
    assert notifications.active_reminders("telegram-5") == [draft.code]
    messages, _ = run(ActionRemindDeadline(), lang="ko", sender="web-" + "0" * 32, draft_code=draft.code)
    assert "3월 12일" in text_of(messages) and "이 대화창과 l•••@example.com(으)로" in text_of(messages)


def test_a_rest_conversation_is_reminded_by_mail_only(draft):
    messages, _ = run(ActionRemindDeadline(), sender="rest-caller", draft_code=draft.code)
    assert "by e-mail to l•••@example.com" in text_of(messages) and "here and" not in text_of(messages)


def test_no_draft_a_submitted_one_or_a_passed_deadline_gets_the_reason(draft, today):
    messages, _ = run(ActionRemindDeadline())
    assert "no draft in this conversation" in text_of(messages)
    today("2024-03-19")
    assert "too close for a reminder. Please submit today" in text_of(run(ActionRemindDeadline(), draft_code=draft.code)[0])
    today("2024-03-20")
    messages, _ = run(ActionRemindDeadline(), lang="ko", draft_code=draft.code)
    assert "마감(2024년 3월 19일)이 이미 지났습니다" in text_of(messages)
    proposals.set_status(draft.code, "submitted")
    assert "is already submitted" in text_of(run(ActionRemindDeadline(), draft_code=draft.code)[0])
    assert notifications.active_reminders("applicant-1") == []


def test_a_planning_draft_is_reminded_of_its_review_cut_off_then_of_nothing(knowledge_db, today):
    planning = proposals.create_draft(2024, "planning", "city@example.org")
    messages, _ = run(ActionRemindDeadline(), draft_code=planning.code)
    assert "planning track deadline (30 April 2024), on 23 April 2024 and 29 April 2024" in text_of(messages)
    today("2024-05-02")
    messages, _ = run(ActionRemindDeadline(), sender="applicant-2", draft_code=planning.code)
    assert "takes proposals all year without a deadline" in text_of(messages)


def test_stopping_ends_the_reminders_and_says_which(draft):
    run(ActionRemindDeadline(), sender="telegram-6", draft_code=draft.code)
    messages, _ = run(ActionStopReminders(), sender="telegram-6")
    assert text_of(messages).startswith(f"Deadline reminders stopped ({draft.code}).")
    assert notifications.active_reminders("telegram-6") == []
    messages, _ = run(ActionStopReminders(), lang="ko", sender="telegram-6")
    assert text_of(messages) == "이 대화에서 받고 계신 마감 알림이 없습니다."
