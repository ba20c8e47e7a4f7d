"""The deletion request, answered by the channels (bot/server/channels/forget_request.py): the
ways applicants ask for it in Korean and English, never a question about the call (no training
example and no held-out question, tests/nlu/holdout_*.yml and bench/answer_cases.yml, is taken
for one); the offer in the message's language with its button, the confirmation recorded, and with
the database down the applicant told that nothing was deleted."""
import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.server.channels.forget_request import answer_if_asked, asks_to_forget
from knowledge import tables as m
from knowledge.db import session_scope

ROOT = Path(__file__).resolve().parents[4]
ASKING = ["제 대화 기록 삭제해 주세요", "채팅 내용 다 지워줘", "상담 내역 파기 요청합니다", "이 대화 지워 주실 수 있나요?",
          "개인정보 보호를 위해 메시지 기록을 삭제해 주세요", "잊혀질 권리를 행사하고 싶습니다",
          "Please delete this conversation", "delete my chat history", "Can you erase everything I wrote?",
          "forget me", "I want my conversation deleted", "remove my messages please", "delete my personal data",
          "I'd like to exercise my right to erasure"]
NOT_ASKING = ["제안서를 삭제하고 싶어요", "초안 지워 주세요", "How do I delete my draft?", "never mind, forget it",
              "Can I remove a partner from the proposal?", "상담원 연결해 주세요", "사전 컨설팅 상담은 어디서 신청하나요?",
              "What is the history of the program?", "지난 선정 기록을 알려 주세요", "forget it, what is the deadline?"]


@pytest.mark.parametrize("text", ASKING)
def test_a_request_to_delete_the_conversation_is_recognised(text):
    assert asks_to_forget(text)


@pytest.mark.parametrize("text", NOT_ASKING)
def test_other_deletions_and_questions_are_not_taken_for_one(text):
    assert not asks_to_forget(text)


def _sentences():
    for path in [*(ROOT / "nlu" / "data").rglob("*.yml"), *(ROOT / "tests" / "nlu").glob("holdout_*.yml")]:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            yield from (line.strip()[2:] for line in block.get("examples", "").splitlines() if line.strip().startswith("- "))
    cases = yaml.safe_load((ROOT / "bench" / "answer_cases.yml").read_text(encoding="utf-8"))
    yield from (turn for turn in _texts(cases))


def _texts(value):
    """Every string in the answer cases (their questions, and what the answers must hold: harmless extras)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def test_no_training_or_held_out_question_is_taken_for_a_deletion_request():
    taken = [text for text in _sentences() if asks_to_forget(text)]
    assert taken == []


def answer(text, sender="telegram-5"):
    channel = CollectingOutputChannel()
    answered = asyncio.run(answer_if_asked(UserMessage(text, channel, sender)))
    return answered, channel.messages


def test_the_offer_names_what_is_kept_and_deletes_nothing_until_confirmed(knowledge_db):
    answered, [offer] = answer("이 대화 기록 삭제해 주세요")
    assert answered and offer["text"].startswith("이 대화를 삭제할까요?") and "제출한 제안서" in offer["text"]
    [button] = offer["buttons"]
    assert button["title"] == "대화 삭제"
    with session_scope() as session:
        assert session.query(m.ForgetRequest).count() == 0
    answered, [recorded] = answer(button["payload"])
    assert answered and recorded["text"].startswith("삭제 요청을 접수했습니다.")
    answer(button["payload"])  # pressed twice: one request
    with session_scope() as session:
        assert [r.conversation_id for r in session.query(m.ForgetRequest)] == ["telegram-5"]
    assert answer("When is the deadline?") == (False, []), "other messages go on to Rasa"


def test_with_the_database_down_nothing_is_promised(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    _, [said] = answer('/forget_conversation{"language": "en"}')
    assert said["text"] == ("Sorry, I can't record your request right now, so nothing has been deleted. "
                            "Please ask again in a few minutes, or type 'talk to a person'.")
