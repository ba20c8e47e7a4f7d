"""What the applicant is told about a message the assistant cannot read."""
from rasa_sdk.executor import CollectingDispatcher

from actions.unreadable import ActionExplainUnreadableMessage
from trackers import make_tracker


def explain(problem, language=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender="web-1", lang=language, text="/unreadable_message", intent="unreadable_message",
                           entities={"input_problem": problem})
    assert ActionExplainUnreadableMessage().run(dispatcher, tracker, {}) == []
    return [m["text"] for m in dispatcher.messages]


def test_each_problem_is_explained_in_the_conversations_language():
    assert explain("too_long", "ko") == ["메시지가 너무 깁니다. 2,000자 이하로 질문을 하나씩 보내 주세요. "
                                         "문서 검토가 필요하면 '상담원 연결'이라고 입력해 주세요."]
    assert explain("too_long", "en")[0].startswith("Your message is too long for me.")
    assert explain("empty", "en") == ["Your message was empty. Please type your question, for example: 'When is the deadline?'"]
    assert explain("not_text", "ko") == ["죄송합니다. 저는 글로 된 메시지만 읽을 수 있습니다. 궁금한 점을 글로 입력해 주세요."]


def test_without_a_known_language_both_are_used():
    korean, english = explain("not_text")
    assert korean.startswith("죄송합니다. 저는 글로 된") and english.startswith("Sorry, I can only read text")


def test_an_unknown_problem_is_taken_as_empty():
    assert explain("weird", "en")[0].startswith("Your message was empty")
