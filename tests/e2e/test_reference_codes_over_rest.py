"""Today's reference codes over the REST channel against the real servers (issue 15): taken from the
first message however they are typed, and a mistyped one is refused with the expected format."""
import uuid

import pytest

from knowledge import proposals


@pytest.fixture
def code(assistant, monkeypatch):
    """A proposal with one of today's codes in the running assistant's database."""
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)
    return proposals.create_draft(2024, "demonstration", f"owner-{uuid.uuid4().hex[:6]}@example.org").code


def sender():
    return f"codes-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("message", ["status of {code} please", "is {lower} still pending",
                                     "{code} 제 제안서 진행 상황 알려주세요", "접수번호 {spaced} 진행상황 좀 봐줘"])
def test_a_code_in_the_first_message_is_taken_at_once(assistant, code, message):
    reply = assistant.ask(sender(), message.format(code=code, lower=code.lower(), spaced=code.replace("-", " ")))
    assert reply and "reference code" not in reply and "접수번호" not in reply, reply


def test_a_mistyped_code_is_refused_with_the_format_in_either_language(assistant, code):
    symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    mistyped = code[:-2] + symbols[(symbols.index(code[-2]) + 1) % 32] + code[-1]
    user = sender()
    assert "reference code" in assistant.ask(user, "Where is my proposal?")
    reply = assistant.ask(user, mistyped)
    assert f"'{mistyped}' is not a reference code. Codes look like KCN-2024-D-7K3M-Q9XF-2HTW-5N8J" in reply
    user = sender()
    assistant.ask(user, "제 제안서 상태 조회하고 싶어요")
    reply = assistant.ask(user, mistyped.lower())
    assert "접수번호 형식이 아닙니다. 접수번호는 KCN-2024-D-7K3M-Q9XF-2HTW-5N8J 형식입니다" in reply
