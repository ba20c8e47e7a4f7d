"""The query API that actions use."""
import datetime

import pytest
from sqlalchemy import select

from knowledge import tables as m
from knowledge import service
from knowledge.db import session_scope
from knowledge.service import Intake


def test_current_call_has_both_tracks_with_bilingual_names(knowledge_db):
    call = service.current_call()
    assert call.year == 2024
    assert call.track("planning").name.get("ko") == "계획수립형"
    assert call.track("demonstration").name.get("en") == "overseas demonstration track"
    assert call.track("nonexistent") is None


def test_only_published_calls_are_answered_from(knowledge_db):
    with session_scope() as s:
        s.execute(select(m.Call)).scalar_one().published = False
    assert service.current_call() is None


def test_program_history_totals(knowledge_db):
    program = service.program()
    assert [(h.year, h.countries, h.projects) for h in program.history] == [
        (2020, 11, 12), (2021, 11, 11), (2022, 9, 10), (2023, 7, 8)]
    assert (program.projects_to_date, program.countries_to_date, program.history_through) == (41, 23, 2023)


@pytest.mark.parametrize("day, planning, demonstration", [
    ("2024-01-10", Intake.NOT_YET_OPEN, Intake.NOT_YET_OPEN),
    ("2024-02-15", Intake.OPEN_THIS_YEAR, Intake.OPEN),
    ("2024-03-19", Intake.OPEN_THIS_YEAR, Intake.OPEN),  # the deadline day itself still counts
    ("2024-03-20", Intake.OPEN_THIS_YEAR, Intake.CLOSED),
    ("2024-05-02", Intake.AFTER_CUTOFF, Intake.CLOSED),
    ("2024-12-31", Intake.AFTER_CUTOFF, Intake.CLOSED),
    # The 2024 call's "later ones are reviewed next year" covers proposals received in 2024 only.
    ("2025-01-01", Intake.BEYOND_CALL, Intake.CLOSED),
    ("2026-11-25", Intake.BEYOND_CALL, Intake.CLOSED),
])
def test_intake_status_follows_the_date(knowledge_db, day, planning, demonstration):
    call = service.current_call()
    today = datetime.date.fromisoformat(day)
    assert service.intake_status(call, call.track("planning"), today) == planning
    assert service.intake_status(call, call.track("demonstration"), today) == demonstration


def test_eligibility_verdicts(knowledge_db):
    call = service.current_call()
    verdicts = {v.track.code: v for v in service.eligibility(call, applicant="korean_company")}
    assert not verdicts["planning"].eligible and not verdicts["planning"].applicant_fits
    assert verdicts["demonstration"].eligible

    verdicts = {v.track.code: v for v in service.eligibility(call, applicant="korean_company", lacking=["overseas_partner"])}
    assert not verdicts["demonstration"].eligible
    assert [r.code for r in verdicts["demonstration"].unmet] == ["overseas_partner"]

    verdicts = {v.track.code: v for v in service.eligibility(call, applicant="international_organization")}
    assert verdicts["planning"].eligible and not verdicts["demonstration"].eligible


def test_aliases_feed_the_nlu(knowledge_db):
    aliases = {(a.entity, a.value, a.lang, a.alias) for a in service.aliases()}
    assert ("track", "demonstration", "ko", "해외실증형") in aliases
    assert ("track", "planning", "en", "planning track") in aliases
