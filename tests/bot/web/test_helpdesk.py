"""The helpdesk console's transcript: what a person reads of a conversation."""
from bot.web.helpdesk import transcript


def test_the_transcript_shows_typed_words_replies_and_button_presses_apart():
    tracker = {"events": [
        {"event": "user", "text": '/greet{"language": "ko"}', "parse_data": {"intent": {"name": "greet"}}},
        {"event": "bot", "text": "안녕하세요!"},
        {"event": "user", "text": "상담원 연결", "parse_data": {"intent": {"name": "human_handoff"}}},
        {"event": "pause"},
        {"event": "bot", "text": "Kim here.", "metadata": {"helpdesk_officer": "kim"}},
        {"event": "resume"},
        {"event": "user", "text": "EXTERNAL: back_to_bot"},
        {"event": "bot", "text": "   "},
    ]}
    assert [(line["from"], line["text"]) for line in transcript(tracker)] == [
        ("system", "applicant pressed: greet"), ("bot", "안녕하세요!"), ("applicant", "상담원 연결"),
        ("system", "paused"), ("officer:kim", "Kim here."), ("system", "resumed")]
