import pytest

from nlu.language import detect_language


@pytest.mark.parametrize("text, language", [
    ("마감일이 언제예요?", "ko"),
    ("When is the deadline?", "en"),
    ("K-City Network deadline 언제예요?", "ko"),  # code-switched with Hangul counts as Korean
    ("KIND에 proposal 어떻게 내요", "ko"),
    ("ㅋㅋ", "ko"),
    ("12345 ?!", None),  # no letters: keep the conversation's language
    ("👍", None),
    ("", None),
    ("planning.demo@example.org", None),  # a form answer keeps the conversation's language
    ("kcn-2024-d-2402-b", None),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J", None),  # today's codes, however typed
    ("kcn 2024 d 7k3m q9xf 2htw 5n8j", None),
    ("kcn2024d 7k3mq9 xf2htw5n8j", None),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J please", "en"),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J 상태 알려주세요", "ko"),
    ("www.smartcity.go.kr", None),
    ("my e-mail is kim@example.org", "en"),
])
def test_language_of_a_message(text, language):
    assert detect_language(text) == language
