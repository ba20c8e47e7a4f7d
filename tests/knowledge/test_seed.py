"""Loading the YAML seed into a database."""
import copy

import pytest
from sqlalchemy import func, select

from knowledge import tables as m
from knowledge import seed, transfer
from knowledge.db import session_scope


def test_seed_builds_the_2024_call_from_the_press_release(knowledge_db):
    with session_scope() as s:
        call = s.execute(select(m.Call)).scalar_one()
        assert (call.year, call.max_projects, call.total_budget_krw) == (2024, 8, 4_000_000_000)
        assert [t.code for t in call.tracks] == ["planning", "demonstration"]
        planning, demo = call.tracks
        assert (planning.amount_min_krw, planning.amount_max_krw, planning.projects_selected) == (300_000_000, 600_000_000, 2)
        assert (demo.amount_min_krw, demo.amount_max_krw, demo.projects_selected) == (200_000_000, 400_000_000, 6)
        assert planning.secretariat.name_ko == "한국해외인프라도시개발지원공사"
        assert demo.secretariat.name_ko == "국토교통과학기술진흥원"
        assert str(demo.deadline) == "2024-03-19" and str(planning.review_cutoff) == "2024-04-30"


def test_every_text_exists_in_korean_and_english(knowledge_db):
    with session_scope() as s:
        for model in (m.Program, m.Organization, m.Call, m.Track, m.ApplicantKind, m.Requirement,
                      m.SolutionField, m.Contact, m.Link, m.Note, m.ProposalStatus):
            for row in s.execute(select(model)).scalars():
                for field in model.TEXT_FIELDS:
                    ko, en = row.text(field, "ko"), row.text(field, "en")
                    assert bool(ko) == bool(en), f"{model.__name__}.{field}: only one language"


def test_init_does_not_overwrite_an_existing_knowledge_base(knowledge_db):
    with session_scope() as s:
        s.execute(select(m.Track).where(m.Track.code == "demonstration")).scalar_one().projects_selected = 7
    assert seed.init_db() is False
    with session_scope() as s:
        assert s.execute(select(m.Track.projects_selected).where(m.Track.code == "demonstration")).scalar_one() == 7
        assert s.execute(select(func.count(m.Call.id))).scalar_one() == 1


def _init_from(tmp_path, monkeypatch, data):
    """init_db() of an empty database from a seed file holding `data`."""
    path = tmp_path / "seed.yaml"
    path.write_text(transfer.dump(data), encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bad.db'}")
    return seed.init_db(path)


def test_a_text_missing_in_one_language_is_reported_with_its_place(tmp_path, monkeypatch):
    data = copy.deepcopy(seed.read_seed())
    del data["calls"][0]["tracks"][1]["review_method"]["en"]
    with pytest.raises(seed.SeedError, match=r"calls\[0\]\.tracks\[1\]\.review_method: the 'en' text is missing"):
        _init_from(tmp_path, monkeypatch, data)


def test_a_date_that_is_not_a_date_is_reported(tmp_path, monkeypatch):
    data = copy.deepcopy(seed.read_seed())
    data["calls"][0]["tracks"][1]["deadline"] = "19 March"
    with pytest.raises(seed.SeedError, match=r"calls\[0\]\.tracks\[1\]\.deadline: '19 March' is not a date"):
        _init_from(tmp_path, monkeypatch, data)


def test_a_malformed_seed_is_refused_by_the_import_validator_and_nothing_is_written(tmp_path, monkeypatch):
    data = seed.read_seed()
    data["calls"][0]["tracks"][0]["deadline"] = "19 March"
    del data["calls"][0]["tracks"][1]["review_method"]["en"]
    data["calls"][0]["tracks"][1]["secretariat"] = "NOBODY"
    with pytest.raises(transfer.ImportRejected) as refused:  # the import's own refusal, with its places
        _init_from(tmp_path, monkeypatch, data)
    assert isinstance(refused.value, seed.SeedError)
    assert [(p.place, p.message) for p in refused.value.problems] == [
        ("calls[0].tracks[0].deadline", "'19 March' is not a date (YYYY-MM-DD)"),
        ("calls[0].tracks[1].review_method", "the 'en' text is missing"),
        ("calls[0].tracks[1].secretariat", "unknown organization 'NOBODY'"),
    ]
    assert "seed.yaml is not a valid seed; nothing was loaded. 3 problem(s):" in str(refused.value)
    with session_scope() as s:
        for table in (*transfer.RULE_TABLES, m.AuditEntry):
            assert s.execute(select(func.count()).select_from(table)).scalar_one() == 0, table.__name__
    assert seed.init_db() is True, "the database is left empty, so a good seed still loads into it"
