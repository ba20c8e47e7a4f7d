"""Amounts and number of projects."""


def test_amount_per_track_in_both_languages(ask, today):
    assert ask("amount", "en", track="planning") == "Planning track: KRW 300–600 million per project."
    assert ask("amount", "ko", track="demonstration") == "해외실증형: 사업당 2억~4억 원을 지원합니다."


def test_amount_without_a_track_gives_the_total_and_both_ranges(ask, today):
    text = ask("amount", "en")
    assert "up to 8 projects with KRW 4 billion in total" in text
    assert "KRW 300–600 million" in text and "KRW 200–400 million" in text
    assert "총 40억 원" in ask("amount", "ko")


def test_number_of_projects(ask, today):
    text = ask("project_count", "en")
    assert "selects up to 8 projects" in text
    assert "Planning track: 2 projects (one smart-city plan and one solution plan)" in text
    assert "Overseas demonstration track: 6 projects" in text
    assert ask("project_count", "ko", track="demonstration").startswith("해외실증형: 6건 선정")
