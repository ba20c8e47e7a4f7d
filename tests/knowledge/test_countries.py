"""Country names for draft submissions, in Korean and English."""
from knowledge import countries


def test_a_country_is_found_by_either_language_or_its_code():
    assert countries.find("Viet Nam") == countries.find("베트남") == countries.find("vn") == "VN"
    assert countries.find("Atlantis") is None and countries.find("") is None


def test_regions_are_not_countries():
    assert countries.find("Europe") is None and countries.find("world") is None


def test_names_are_shown_in_the_users_language():
    assert countries.name("Indonesia", "ko") == "인도네시아" and countries.name("ID", "en") == "Indonesia"


def test_close_names_are_suggested_for_a_misspelling():
    assert countries.suggestions("Philipines", "en")[0] == "Philippines"
    assert countries.suggestions("zzzz", "en") == []
