"""The staff pages' language and clock: what an officer reads at the top of each page."""
import datetime

import pytest

from bot.web.pages import browser_language, korea_time


@pytest.mark.parametrize("header, language", [
    ("ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
    ("en-GB,en;q=0.9,ko;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,ko;q=0.5,en;q=0.7", "en"),   # by weight, not by order, past languages we don't speak
    ("de;q=0.9, ko;q=0.1", "ko"),
    ("ko;q=nonsense, en", "en"),                  # a broken weight is ignored, not a crash
    ("fr, de", None), ("", None), (None, None),
])
def test_the_browser_s_first_language_we_speak_is_chosen(header, language):
    assert browser_language(header) == language


def test_stored_utc_times_are_shown_in_korea_time_in_each_language():
    late_evening_utc = datetime.datetime(2024, 3, 18, 15, 30)  # naive, as the database keeps it
    assert korea_time(late_evening_utc, "ko") == "2024년 3월 19일 00:30"
    assert korea_time(late_evening_utc, "en") == "19 March 2024, 00:30"
    assert korea_time(None, "en") == ""
