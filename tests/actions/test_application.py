"""Where to submit, the pre-consulting, the review."""


def test_submission_names_the_secretariat_in_full(ask, today):
    en = ask("submission", "en", track="planning")
    assert "Korea Overseas Infrastructure & Urban Development Corporation (KIND)" in en
    ko = ask("submission", "ko", track="demonstration")
    assert "국토교통과학기술진흥원(KAIA)" in ko


def test_preconsulting_is_the_planning_tracks(ask, today):
    text = ask("preconsulting", "en")
    assert text.startswith("Planning track: KIND runs a pre-consulting") and "demonstration" not in text
    demo = ask("preconsulting", "ko", track="demonstration")
    assert "사전 컨설팅 절차가 없습니다" in demo and "후속 수출 가능성" in demo


def test_review_criteria(ask, today):
    text = ask("review", "en", track="demonstration")
    assert "prospect of follow-up exports" in text
