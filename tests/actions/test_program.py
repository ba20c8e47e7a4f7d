"""Overview, history, supported scope, contacts."""


def test_history_in_total_and_per_year(ask, today):
    text = ask("history", "en")
    assert "From 2020 to 2023, K-City Network ran 41 cooperation projects in 23 countries." in text
    assert "2022: 10 projects in 9 countries" in text
    assert ask("history", "ko", year="2021") == "2021년에는 11개국에서 11개 사업을 진행했습니다."
    assert ask("history", "en", year="2019") == "I have no figures for 2019. I can tell you about 2020 to 2023."


def test_support_scope_lists_forms_and_fields(ask, today):
    text = ask("support_scope", "en", track="planning")
    assert "master plan (MP)" in text and "transport, energy and safety" in text
    assert "시범 실증사업" in ask("support_scope", "ko", track="demonstration")


def test_contacts_and_links(ask, today):
    text = ask("contact", "ko")
    assert "044-201-4845" in text and "www.molit.go.kr" in text and "문의처" in text
    assert "Deputy Director Jeong Jeong-hee: 044-201-3720" in ask("contact", "en")


def test_overview_names_the_tracks(ask, today):
    assert "Tracks: planning track and overseas demonstration track" in ask("overview", "en")
    assert "사업 유형: 계획수립형, 해외실증형" in ask("overview", "ko")
