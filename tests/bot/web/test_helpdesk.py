"""The helpdesk console's transcript: what a person reads of a conversation."""
from bot.web.helpdesk import transcript


def test_the_transcript_shows_typed_words_replies_and_button_presses_apart():
    tracker = {"events": [
        {"event": "user", "text": '/greet{"language": "ko"}', "parse_data": {"intent": {"name": "greet"}}},
        {"event": "bot", "text": "안녕하세요! 무엇을 도와드릴까요?",
         "data": {"buttons": [{"title": "마감일", "payload": "/ask_deadline"}, {"title": "상담원 연결", "payload": "/human_handoff"}]}},
        {"event": "user", "text": "/human_handoff", "parse_data": {"intent": {"name": "human_handoff"}}},
        {"event": "pause"},
        {"event": "bot", "text": "Kim here.", "metadata": {"helpdesk_officer": "kim"}},
        {"event": "user", "text": '/ask_deadline{"track": "demonstration"}'},
        {"event": "user", "text": "감사합니다", "parse_data": {"intent": {"name": "thank"}}},
        {"event": "resume"},
        {"event": "user", "text": "EXTERNAL: back_to_bot"},
        {"event": "bot", "text": "   "},
    ]}
    assert [(line["from"], line.get("event"), line["text"]) for line in transcript(tracker)] == [
        # Opening the chat is said so; a press is shown by the title the applicant saw, else by its command.
        ("system", "started", ""), ("bot", None, "안녕하세요! 무엇을 도와드릴까요?"),
        ("system", "pressed", "상담원 연결"), ("system", "paused", ""), ("officer:kim", None, "Kim here."),
        ("system", "pressed", "/ask_deadline"), ("applicant", None, "감사합니다"), ("system", "resumed", "")]
