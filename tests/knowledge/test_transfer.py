"""Export and import of the whole knowledge base, as secretariat staff use them."""
import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge import service, transfer

ROOT = Path(__file__).resolve().parents[2]


def cli(db_url, *args):
    return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"})


def test_export_then_import_unchanged_changes_nothing(knowledge_db, tmp_path):
    exported = tmp_path / "kb.yaml"
    assert cli(knowledge_db, "export", str(exported)).returncode == 0
    text = exported.read_text(encoding="utf-8")
    assert "한국해외인프라도시개발지원공사" in text and "deadline: 2024-03-19" in text  # readable, both languages
    result = cli(knowledge_db, "import", str(exported))
    assert result.returncode == 0 and "nothing changed" in result.stdout
    assert cli(knowledge_db, "diff", str(exported)).stdout == ""


def test_an_edited_file_is_applied_and_answered_from(knowledge_db, tmp_path, ask, today):
    edited = tmp_path / "kb.yaml"
    cli(knowledge_db, "export", str(edited))
    edited.write_text(edited.read_text(encoding="utf-8").replace("deadline: 2024-03-19", "deadline: 2024-03-29"), encoding="utf-8")
    diff = cli(knowledge_db, "diff", str(edited)).stdout
    assert "-    deadline: 2024-03-19" in diff and "+    deadline: 2024-03-29" in diff
    result = cli(knowledge_db, "import", str(edited))
    assert result.returncode == 0 and "Imported" in result.stdout
    assert "29 March 2024" in ask("deadline", "en", track="demonstration")


def test_every_problem_is_reported_with_its_place_and_nothing_is_changed(knowledge_db, tmp_path):
    data = transfer.export_data()
    tracks = data["calls"][0]["tracks"]
    tracks[1]["deadline"] = "19 March"
    tracks[0]["amount_min_krw"] = 700_000_000
    del tracks[0]["review_method"]["en"]
    tracks[1]["code"] = "pilot"
    data["aliases"]["track"]["pilot"] = {"en": ["pilot"]}
    bad = tmp_path / "bad.yaml"
    bad.write_text(transfer.dump(data), encoding="utf-8")

    result = cli(knowledge_db, "import", str(bad))
    assert result.returncode == 2
    assert "nothing was changed. 5 problem(s)" in result.stderr
    for line in ["calls[0].tracks[0].review_method: the 'en' text is missing",
                 "calls[0].tracks[0].amount_min_krw: the minimum (700,000,000) exceeds the maximum (600,000,000)",
                 "calls[0].tracks[1].code: unknown track 'pilot'",
                 "calls[0].tracks[1].deadline: '19 March' is not a date (YYYY-MM-DD)",
                 "aliases.track.pilot: unknown track 'pilot'"]:
        assert line in result.stderr
    assert service.current_call().track("demonstration").deadline.isoformat() == "2024-03-19"


def test_a_file_that_is_not_yaml_is_refused_politely(knowledge_db, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("calls: [unclosed", encoding="utf-8")
    result = cli(knowledge_db, "import", str(broken))
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_the_seed_file_itself_validates():
    assert transfer.validate(yaml.safe_load((ROOT / "knowledge" / "seed" / "kcity_network.yaml").read_text(encoding="utf-8"))) == []


def test_history_records_who_changed_what_from_and_to(knowledge_db, tmp_path):
    edited = tmp_path / "kb.yaml"
    cli(knowledge_db, "export", str(edited))
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("amount_max_krw: 600000000", "amount_max_krw: 700000000"), encoding="utf-8")
    assert cli(knowledge_db, "import", str(edited), "--by", "kind-staff").returncode == 0
    history = cli(knowledge_db, "history").stdout
    assert "kind-staff  calls[0].tracks[0].amount_max_krw: '600000000' -> '700000000'" in history
    assert len(history.strip().splitlines()) == 1, "only the changed fact is recorded"

    entry_id = history.split()[0].lstrip("#")
    reverted = cli(knowledge_db, "revert", entry_id, "--by", "admin")
    assert reverted.returncode == 0 and "Reverted calls[0].tracks[0].amount_max_krw to '600000000'" in reverted.stdout
    assert service.current_call().track("planning").amount_max_krw == 600_000_000
    assert "admin  calls[0].tracks[0].amount_max_krw: '700000000' -> '600000000'" in cli(knowledge_db, "history").stdout
    assert cli(knowledge_db, "revert", "999").returncode == 2


def test_facts_changed_by_place_are_validated_saved_and_recorded(knowledge_db):
    from knowledge import service

    with pytest.raises(transfer.ImportRejected) as rejected:
        transfer.set_values({"calls[0].tracks[1].deadline": "19 March", "calls[0].summary.en": "  "}, by="kim")
    places = {p.place for p in rejected.value.problems}
    assert "calls[0].tracks[1].deadline" in places and any(p.startswith("calls[0].summary") for p in places), places
    assert service.current_call().track("demonstration").deadline.isoformat() == "2024-03-19", "nothing changed"
    assert transfer.set_values({"calls[0].tracks[1].deadline": "2024-03-29"}, by="kim") is True
    assert service.current_call().track("demonstration").deadline.isoformat() == "2024-03-29"
    [entry] = transfer.history(1)
    assert (entry.by, entry.place, entry.old_value, entry.new_value) == ("kim", "calls[0].tracks[1].deadline", "2024-03-19", "2024-03-29")


def test_next_years_call_is_an_unpublished_copy_until_published(knowledge_db):
    from knowledge import service

    assert transfer.copy_call(2024, by="kim") == 2025
    assert service.current_call().year == 2024, "a draft call is not answered from"
    calls = transfer.export_data()["calls"]
    assert [(c["year"], c["published"]) for c in calls] == [(2024, True), (2025, False)]
    transfer.set_values({}, confirmed=transfer.unconfirmed(transfer.export_data()), by="kim")
    transfer.set_values({"calls[1].published": "true"}, by="kim")
    assert service.current_call().year == 2025
    with pytest.raises(transfer.ImportRejected, match="already exists"):
        transfer.copy_call(2024)


def test_a_copied_call_has_its_dates_a_year_later_and_every_fact_unconfirmed(knowledge_db):
    transfer.copy_call(2024, by="kim")
    old, new = transfer.export_data()["calls"]
    assert (new["announced_on"], new["opens_on"]) == (datetime.date(2025, 1, 30), datetime.date(2025, 1, 30))
    assert [(t.get("deadline"), t.get("review_cutoff"), t["selection_year"]) for t in new["tracks"]] == [
        (t.get("deadline") and t["deadline"].replace(year=2025), t.get("review_cutoff") and t["review_cutoff"].replace(year=2025),
         t["selection_year"] + 1) for t in old["tracks"]]
    facts = [place for place in transfer.flatten(transfer.export_data()) if place.startswith("calls[1].")
             and not place.startswith(("calls[1].unconfirmed", "calls[1].year", "calls[1].published"))]
    assert sorted(transfer.unconfirmed(transfer.export_data())) == sorted(facts)
    assert "calls[1].tracks[1].amount_max_krw" in facts and "calls[1].summary.ko" in facts


def test_a_copy_published_unedited_is_refused_with_every_unconfirmed_fact_by_place(knowledge_db):
    from knowledge import service

    transfer.copy_call(2024)
    with pytest.raises(transfer.ImportRejected) as refused:
        transfer.set_values({"calls[1].published": "true"}, by="kim")
    places = [p.place for p in refused.value.problems]
    assert places == transfer.unconfirmed(transfer.export_data())
    assert "calls[1].tracks[1].deadline: copied from the 2024 call and not confirmed" in str(refused.value)
    assert service.current_call().year == 2024, "nothing was published"

    # An edit confirms its fact, a tick confirms one unchanged; only then may it be published.
    transfer.set_values({"calls[1].tracks[1].deadline": "2025-03-25"}, confirmed=["calls[1].opens_on"], by="kim")
    left = transfer.unconfirmed(transfer.export_data())
    assert "calls[1].tracks[1].deadline" not in left and "calls[1].opens_on" not in left and "calls[1].announced_on" in left
    transfer.set_values({}, confirmed=left, by="kim")
    assert transfer.unconfirmed(transfer.export_data()) == []
    transfer.set_values({"calls[1].published": "true"}, by="kim")
    assert service.current_call().track("demonstration").deadline == datetime.date(2025, 3, 25)


def test_confirming_a_fact_is_not_recorded_as_a_change_of_it(knowledge_db):
    transfer.copy_call(2024, by="kim")
    before = [e.id for e in transfer.history(500)]
    transfer.set_values({"calls[1].tracks[0].amount_max_krw": "700000000"}, confirmed=["calls[1].opens_on"], by="lee")
    new = [e for e in transfer.history(500) if e.id not in before]
    assert [(e.by, e.place) for e in new] == [("lee", "calls[1].tracks[0].amount_max_krw")]


def test_a_published_call_with_a_date_outside_its_year_is_refused(knowledge_db):
    with pytest.raises(transfer.ImportRejected) as refused:
        transfer.set_values({"calls[0].tracks[1].deadline": "2026-03-19"}, by="kim")
    assert [str(p) for p in refused.value.problems] == [
        "calls[0].tracks[1].deadline: 2026-03-19 lies outside the 2024 call's dates (2023-07-01 to 2025-06-30)"]
    with pytest.raises(transfer.ImportRejected, match="selection_year: 2022 is neither 2024 nor 2025"):
        transfer.set_values({"calls[0].tracks[0].selection_year": "2022"}, by="kim")
    # A draft may hold any date until it is published.
    transfer.copy_call(2024)
    assert transfer.set_values({"calls[1].opens_on": "2030-01-01"}, by="kim") is True


def test_a_leap_day_copied_to_the_next_year_becomes_the_28th(knowledge_db):
    data = transfer.export_data()
    data["calls"][0]["opens_on"] = datetime.date(2024, 2, 29)
    transfer.import_data(data)
    transfer.copy_call(2024)
    assert transfer.export_data()["calls"][1]["opens_on"] == datetime.date(2025, 2, 28)


def test_texts_too_long_for_their_column_are_reported_by_place_before_any_database_sees_them(knowledge_db):
    # SQLite would store them; PostgreSQL (the production profile) would refuse the whole import
    # with a database error. Both now get the same listed problems and keep the data as it was.
    before = transfer.export_data()
    data = transfer.export_data()
    data["calls"][0]["tracks"][0]["name"]["en"] = "P" * 201
    data["calls"][0]["contacts"][0]["phone"] = "0" * 41
    data["aliases"]["track"]["planning"]["ko"].append("계" * 201)
    with pytest.raises(transfer.ImportRejected) as rejected:
        transfer.import_data(data, by="kim")
    assert [(p.place, p.message) for p in rejected.value.problems] == [
        ("calls[0].tracks[0].name.en", "201 characters; at most 200 fit"),
        ("calls[0].contacts[0].phone", "41 characters; at most 40 fit"),
        ("aliases.track.planning.ko[" + str(len(data["aliases"]["track"]["planning"]["ko"]) - 1) + "]",
         "201 characters; at most 200 fit"),
    ]
    assert transfer.export_data() == before
    with pytest.raises(transfer.ImportRejected) as rejected:
        transfer.set_values({"calls[0].links[0].url": "https://example.org/" + "x" * 300}, by="kim")
    assert rejected.value.problems[0].message == "320 characters; at most 300 fit"
    assert transfer.set_values({"calls[0].tracks[0].name.en": "P" * 200}, by="kim")  # exactly the limit fits


def test_canned_replies_are_added_listed_recorded_and_removed_like_any_fact(knowledge_db):
    before = len(service.canned_replies())
    index = transfer.add_canned_reply("서류 안내", "Documents", "서류 목록을 보내 드리겠습니다.", "I will send the list.", by="park")
    assert index == before and service.canned_replies()[index].text.get("en") == "I will send the list."
    assert any(e.place == f"canned_replies[{index}].title.ko" and e.by == "park" for e in transfer.history(10))
    with pytest.raises(transfer.ImportRejected) as refused:
        transfer.add_canned_reply("제목", "", "본문", "Text")
    assert [(p.place, p.message) for p in refused.value.problems] == [
        (f"canned_replies[{index + 1}].title", "the 'en' text is missing")]
    assert refused.value.problems[0].said_in("ko") == "'en' 문장이 비어 있습니다"
    transfer.remove_canned_reply(index, by="park")
    assert len(service.canned_replies()) == before
    with pytest.raises(transfer.ImportRejected):
        transfer.remove_canned_reply(99)
