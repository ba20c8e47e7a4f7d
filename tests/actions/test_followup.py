"""A track named alone continues the previous question."""


def test_a_track_after_a_deadline_question_answers_the_deadline_for_that_track(ask, today):
    events = []
    text = ask("followup", "en", last_topic="deadline", track="demonstration", events_out=events)
    assert text.startswith("Overseas demonstration track: business plans are accepted") and "Planning" not in text
    assert {"event": "slot", "name": "last_topic", "value": "deadline", "timestamp": None} in events


def test_a_track_with_no_earlier_question_asks_what_to_tell(ask, today):
    assert ask("followup", "ko", track="planning") == (
        "계획수립형에 대해 무엇이 궁금하신가요? 신청 자격, 마감일, 지원 금액, 제출처 등을 물어보세요.")
