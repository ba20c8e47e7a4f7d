"""Deadlines, late proposals and selection dates, relative to today's date."""


def test_demonstration_deadline_open_in_february_2024(ask, today):
    today("2024-02-15")
    en = ask("deadline", "en", track="demonstration")
    assert "19 March 2024" in en and "The intake is open: 33 days are left." in en
    assert "planning" not in en.lower()
    ko = ask("deadline", "ko", track="demonstration")
    assert "2024년 3월 19일" in ko and "마감까지 33일 남았습니다" in ko


def test_demonstration_deadline_has_passed_after_19_march_2024(ask, today):
    today("2024-03-20")
    assert "That deadline (19 March 2024) has passed." in ask("deadline", "en", track="demonstration")
    assert "마감일(2024년 3월 19일)이 이미 지났습니다." in ask("deadline", "ko", track="demonstration")


def test_deadline_without_a_track_answers_both_tracks(ask, today):
    today("2024-02-15")
    text = ask("deadline", "en")
    assert "Planning track:" in text and "Overseas demonstration track:" in text
    assert "30 April 2024" in text and "19 March 2024" in text
    ko = ask("deadline", "ko")
    assert "계획수립형:" in ko and "해외실증형:" in ko


def test_planning_intake_is_year_round_with_an_april_cut_off(ask, today):
    today("2024-02-15")
    text = ask("deadline", "en", track="planning")
    assert "all year round" in text and "30 April 2024" in text and "2025 support" in text


def test_an_answer_given_after_the_call_year_points_to_newer_calls(ask, today):
    today("2026-11-25")
    text = ask("deadline", "en")
    assert "Today is 25 November 2026." in text
    assert "based on the 2024 call" in text and "www.smartcity.go.kr" in text
    assert "2024년도 공모 기준" in ask("deadline", "ko")


def test_a_proposal_sent_in_may_is_reviewed_for_the_next_year(ask, today):
    today("2024-05-10")
    en = ask("late_proposal", "en", track="planning")
    assert "reviewed for 2025 support instead of 2024" in en
    ko = ask("late_proposal", "ko", track="planning")
    assert "2025년도 지원사업으로 검토" in ko


def test_after_the_call_year_no_review_year_is_derived_for_a_proposal_sent_now(ask, today):
    today("2026-12-05")
    en = ask("deadline", "en", track="planning")
    assert "The 2024 cut-off (30 April 2024) has passed." in en
    assert "That rule is for proposals received in 2024" in en and "www.smartcity.go.kr" in en
    assert "2026" not in en.replace("5 December 2026", ""), "no year or deadline beyond the call is derived"
    late = ask("late_proposal", "en", track="planning")
    assert "do not say which year's support a proposal sent now would be reviewed for" in late
    ko = ask("late_proposal", "ko", track="planning")
    assert "2024년에 접수된 제안서에 관한 것입니다" in ko and "2024년도 공모 기준" in ko


def test_a_late_demonstration_plan_is_not_accepted(ask, today):
    text = ask("late_proposal", "en", track="demonstration")
    assert "only until the deadline, 19 March 2024" in text and "not accepted" in text


def test_selection_months_and_whether_they_have_passed(ask, today):
    today("2024-02-15")
    text = ask("selection_date", "en")
    assert "Planning track: final selection is planned for June 2024." in text
    assert "Overseas demonstration track: final selection is planned for April 2024." in text
    today("2024-05-01")
    text = ask("selection_date", "ko")
    assert "해외실증형: 2024년 4월 중 최종 선정 예정이었으며, 이 시기는 이미 지났습니다." in text
    assert "계획수립형: 2024년 6월 중 최종 선정 예정입니다." in text
