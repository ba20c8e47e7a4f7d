"""knowledge/revision.py: answers reuse what they read until the call rules change, however they change."""
import sqlite3

from sqlalchemy import event, select
from sqlalchemy import text as sql

from knowledge import tables as m
from knowledge import faq, proposals, revision, seed, service, staff
from knowledge.db import get_engine, session_scope


def statements_during(action) -> int:
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    event.listen(get_engine(), "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(get_engine(), "before_cursor_execute", counted)
    return count


def test_an_unchanged_knowledge_base_costs_one_query_per_answer(ask, today):
    first = ask("amount", "en", track="planning")
    assert statements_during(lambda: ask("amount", "en", track="planning")) == 1
    assert ask("amount", "en", track="planning") == first


def test_an_edit_in_plain_sql_from_another_connection_is_the_next_answer(ask, today, knowledge_db):
    assert ask("amount", "ko", track="planning") == "계획수립형: 사업당 3억~6억 원을 지원합니다."
    with sqlite3.connect(knowledge_db[len("sqlite:///"):]) as db:  # as a secretariat member's SQL tool would
        db.execute("UPDATE track SET amount_max_krw = 800000000 WHERE code = 'planning'")
    assert ask("amount", "ko", track="planning") == "계획수립형: 사업당 3억~8억 원을 지원합니다."


def test_added_and_removed_rows_are_seen(ask, today, knowledge_db):
    assert "044-000-0000" not in ask("contact", "en")
    with session_scope() as s:
        call = s.execute(select(m.Call)).scalars().first()
        call.contacts.append(m.Contact(position=9, phone="044-000-0000", unit_ko="새 창구", unit_en="New desk",
                        person_ko="홍길동", person_en="Hong Gil-dong", title_ko="주무관", title_en="Officer"))
    assert "044-000-0000" in ask("contact", "en")
    with session_scope() as s:
        s.execute(sql("DELETE FROM contact WHERE phone = '044-000-0000'"))
    assert "044-000-0000" not in ask("contact", "en")


def faq_questions():
    return tuple(q for q, _ in faq.entries("en"))


def test_faq_entries_follow_edits(knowledge_db):
    before = faq_questions()
    with session_scope() as s:
        s.add(m.FaqEntry(position=99, question_ko="주차장이 있나요?", question_en="Is there parking?",
                         answer_ko="없습니다.", answer_en="No."))
    assert faq_questions() == before + ("Is there parking?",)


def test_applicants_work_does_not_count_as_a_rule_change(knowledge_db, today):
    engine = get_engine()
    number = revision.current(engine)
    code = proposals.create_draft(2024, "planning", "someone@example.org").code
    proposals.set_status(code, "submitted", note="received", by="kim")
    proposals.verify("someone", code, "wrong@example.org")
    staff.add_account("kim", "correct horse battery", "helpdesk")
    assert staff.log_in("kim", "a wrong password") is None and staff.log_in("kim", "correct horse battery")
    assert revision.current(engine) == number


def test_a_knowledge_base_made_again_never_repeats_a_revision(knowledge_db):
    engine = get_engine()
    before = revision.current(engine)
    seed.reset_db()
    assert revision.current(engine) > before


def test_a_database_made_before_revisions_still_answers_fresh(ask, today):
    with session_scope() as s:  # neither the table nor its triggers, as in a database of an older release
        for (trigger,) in s.execute(sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
            s.execute(sql(f"DROP TRIGGER {trigger}"))
        s.execute(sql(f"DROP TABLE {revision.TABLE}"))
    assert revision.current(get_engine()) is None
    assert service.current_call().year == 2024
    with session_scope() as s:
        s.execute(select(m.Track).where(m.Track.code == "planning")).scalar_one().amount_max_krw = 700_000_000
    assert ask("amount", "en", track="planning") == "Planning track: KRW 300–700 million per project."
    seed.create_schema()  # what `knowledge init` does: the table and its triggers come back
    assert revision.current(get_engine()) is not None
