"""knowledge/notifications.py: status news queued with the change itself, to every proved chat and
the contact e-mail, once; claimed by one worker at a time; retried, then given up; deadline
reminders on the configured days only, and never after they are stopped or the draft is submitted."""
import datetime

import pytest
from sqlalchemy import select

from knowledge import email_proof, notifications, proposals
from knowledge import tables as m
from knowledge.db import session_scope

T0 = datetime.datetime(2024, 2, 15, 9, 0)
CODE = "KCN-2024-D-2402-B"  # a demo draft of the demonstration track (deadline 2024-03-19)
OWNER = "demo.company@example.org"


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()


def sending_time():
    """Now on the real clock, which sending is scheduled on (whatever day KCN_TODAY pins)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(seconds=1)


def queued():
    with session_scope() as session:
        return sorted((n.kind, n.channel, n.target, n.language) for n in session.execute(select(m.Notification)).scalars())


def test_a_status_change_queues_news_for_the_mail_and_each_proved_chat_once(demo):
    email_proof.link("telegram-42", CODE, at=T0, language="ko")
    email_proof.link("web-" + "a" * 32, CODE, at=T0, language="en")
    email_proof.link("rest-visitor", CODE, at=T0)  # REST ids are chosen by the caller: never linked
    proposals.set_status(CODE, "submitted", note="received", by="staff", at=T0)
    assert queued() == [("status", "email", OWNER, ""), ("status", "telegram", "telegram-42", "ko"),
                        ("status", "web", "web-" + "a" * 32, "en")]
    proposals.set_status(CODE, "submitted", note="one more note", by="staff", at=T0)
    assert len(queued()) == 6, "a new note is news too, queued anew"


def test_an_expired_link_gets_no_news(demo):
    email_proof.link("telegram-42", CODE, at=T0 - email_proof.LINK_LIFETIME - datetime.timedelta(days=1))
    proposals.set_status(CODE, "submitted", at=T0)
    assert [channel for _, channel, _, _ in queued()] == ["email"]


def test_a_refused_status_change_queues_nothing(demo):
    with pytest.raises(proposals.ProposalError):
        proposals.set_status(CODE, "approved-by-magic", at=T0)
    assert queued() == []


def test_two_workers_never_claim_the_same_notification(demo):
    for n in range(5):
        email_proof.link(f"telegram-{n}", CODE, at=T0)
    proposals.set_status(CODE, "submitted", at=T0)
    now = sending_time()
    first = notifications.claim("worker-a", limit=3, at=now)
    second = notifications.claim("worker-b", limit=10, at=now)
    assert len(first) == 3 and len(second) == 3
    assert not {p.id for p in first} & {p.id for p in second}
    assert notifications.claim("worker-c", at=now) == [], "everything is claimed"
    for p in first:
        notifications.mark_sent(p.id, "worker-a", at=now)
    later = now + notifications.LEASE + datetime.timedelta(seconds=1)
    again = notifications.claim("worker-c", at=later)
    assert {p.id for p in again} == {p.id for p in second}, "an expired claim is taken over; a sent one never"


def test_a_failure_is_retried_later_then_given_up(demo):
    proposals.set_status(CODE, "submitted", at=T0)
    at, waits = sending_time(), []
    for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
        (pending,) = notifications.claim("w", at=at)
        assert pending.attempts == attempt - 1
        gave_up = notifications.mark_failed(pending.id, "connection refused", at=at)
        assert gave_up == (attempt == notifications.MAX_ATTEMPTS)
        assert notifications.claim("w", at=at) == [], "not again at once"
        with session_scope() as session:
            row = session.execute(select(m.Notification)).scalar_one()
            waits.append(row.next_try_at - at)
        at = row.next_try_at
    assert waits[:3] == [notifications.FIRST_RETRY, 2 * notifications.FIRST_RETRY, 4 * notifications.FIRST_RETRY]
    (record,) = notifications.history(CODE)
    assert record.state == "given up" and record.attempts == notifications.MAX_ATTEMPTS
    assert record.last_error == "connection refused"


def test_a_permanent_refusal_is_given_up_at_once(demo):
    email_proof.link("telegram-42", CODE, at=T0)
    proposals.set_status(CODE, "submitted", at=T0)
    chat = next(p for p in notifications.claim("w", at=sending_time()) if p.channel == "telegram")
    assert notifications.mark_failed(chat.id, "blocked by the user", permanent=True)
    assert {r.channel: r.state for r in notifications.history(CODE)} == {"telegram": "given up", "email": "waiting"}


def test_the_claim_names_the_change_it_tells_of(demo):
    proposals.set_status(CODE, "submitted", at=T0)
    proposals.set_status(CODE, "under_review", at=T0 + datetime.timedelta(hours=1))
    history = proposals.get(CODE).history
    positions = sorted(p.change_index for p in notifications.claim("w", at=sending_time()))
    assert [history[i].status for i in positions] == ["submitted", "under_review"]


APPLICANT = "applicant@example.org"


@pytest.fixture
def draft(demo):
    return proposals.create_draft(2024, "demonstration", APPLICANT, at=T0, language="en").code


def days(n):
    return datetime.date(2024, 3, 19) - datetime.timedelta(days=n)


def reminders_on(day):
    notifications.queue_due_reminders(day, at=T0)
    return sorted((c, t) for k, c, t, _ in queued() if k == "reminder")


def test_reminders_go_out_on_the_configured_days_before_the_deadline_once(draft, monkeypatch):
    monkeypatch.setenv("KCN_REMINDER_DAYS", "7 1")
    subscription = notifications.subscribe("telegram-42", draft, "ko", today=days(20))
    assert subscription.deadline == datetime.date(2024, 3, 19) and subscription.days == [days(7), days(1)]
    assert reminders_on(days(8)) == []
    week = reminders_on(days(7))
    assert week == [("email", APPLICANT), ("telegram", "telegram-42")]
    assert reminders_on(days(6)) == week, "nothing new between the reminder days"
    assert len(reminders_on(days(1))) == 4
    assert len(reminders_on(days(-1))) == 4, "none after the deadline"


def test_a_late_subscription_skips_the_days_already_past(draft, monkeypatch):
    monkeypatch.setenv("KCN_REMINDER_DAYS", "7 1")
    assert notifications.subscribe("telegram-42", draft, "en", today=days(3)).days == [days(1)]
    assert reminders_on(days(3)) == []
    assert len(reminders_on(days(1))) == 2


def test_stopped_reminders_and_submitted_drafts_get_none(draft, monkeypatch):
    monkeypatch.setenv("KCN_REMINDER_DAYS", "7 1")
    notifications.subscribe("telegram-42", draft, "en", today=days(20))
    notifications.subscribe("telegram-43", draft, "en", today=days(20))
    reminders_on(days(7))
    assert notifications.stop("telegram-42", at=T0) == 1
    assert notifications.active_reminders("telegram-42") == []
    assert {(r.target, r.state) for r in notifications.history(draft)} == {
        ("telegram-42", "given up"), ("telegram-43", "waiting"), (APPLICANT, "given up")}, "the waiting ones are dropped too"
    before = reminders_on(days(2))
    proposals.set_status(draft, "submitted", at=T0)
    assert reminders_on(days(1)) == before, "a submitted draft needs no reminder"


def test_news_of_a_change_recorded_at_another_time_still_goes_out_now(demo, today):
    today("2031-05-01")  # a demo clock far ahead of the real one
    proposals.set_status(CODE, "submitted", at=datetime.datetime(2031, 5, 1, 9, 0))
    assert [p.channel for p in notifications.claim("w")] == ["email"], "due on the real clock, not in 2031"
