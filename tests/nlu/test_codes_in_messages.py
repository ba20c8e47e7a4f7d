"""A question with one of today's reference codes in it is understood as the same question with a code of
the first format (the training examples only hold those), through the trained pipeline (issue 15)."""
import pytest

from knowledge import reference_codes

OLD_CODE = "KCN-2024-D-2402-B"


@pytest.mark.parametrize("template", [
    "my reference code is {code}, what's the status", "status of {code} please", "{code} status?",
    "is {code} still pending", "can you check {code} for me", "where is my proposal {code}",
    "{code} 제 제안서 진행 상황 알려주세요", "접수번호 {code} 진행상황 좀 봐줘", "{code} 이거 선정됐나요?",
    "continue draft {code}", "{code} 초안 이어서 작성",
])
def test_a_question_with_a_code_of_either_format_has_the_same_intent(parse, template):
    expected = parse(template.format(code=OLD_CODE))["intent"]["name"]
    assert expected in ("check_status", "resume_draft")
    for n in range(10):
        code = reference_codes.new_code(2024, "planning" if n % 2 else "demonstration")
        typed = [code, code.lower(), code.replace("-", " "), code.replace("-", "")][n % 4]
        assert parse(template.format(code=typed))["intent"]["name"] == expected, typed


def test_a_message_of_only_a_code_carries_no_language(parse):
    for code in (reference_codes.new_code(2024, "planning"), OLD_CODE):
        assert not [e for e in parse(code.lower().replace("-", " "))["entities"] if e["entity"] == "language"]
