"""The trained model served by a real Rasa server and action server, asked over the REST channel.

The servers run with KCN_TODAY=2024-02-15: the demonstration intake is open (33 days left) and
the planning track's April cut-off is ahead.
"""
import datetime
import re
import uuid

import pytest
from sqlalchemy import create_engine, update

from knowledge import tables as m

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def sender():
    return f"test-{uuid.uuid4().hex[:8]}"


KOREAN = [
    ("해외실증형 마감일이 언제예요?", ["2024년 3월 19일", "33일 남았습니다"]),
    ("계획수립형 접수 마감은 언제예요?", ["연중 상시 접수", "2024년 4월 30일"]),
    ("5월에 제안서를 보내면 어떻게 되나요?", ["2025년도 지원사업으로 검토"]),
    ("계획수립형 지원 금액은 얼마인가요?", ["3억~6억 원"]),
    ("총 몇 개 사업을 선정하나요?", ["최대 8개 사업"]),
    ("해외실증형은 누가 신청할 수 있어요?", ["해외 협력기관"]),
    ("계획수립형 제안서는 어디에 제출하나요?", ["한국해외인프라도시개발지원공사(KIND)"]),
    ("사전 컨설팅이 뭐예요?", ["사전 컨설팅", "KIND"]),
    ("선정 결과는 언제 나와요?", ["2024년 6월", "2024년 4월"]),
    ("2022년에는 몇 개국에서 사업했나요?", ["9개국", "10개"]),
    ("문의처 알려주세요", ["044-201-4845", "www.smartcity.go.kr"]),
    ("어떤 분야를 지원하나요?", ["교통", "시범 실증사업"]),
]

ENGLISH = [
    ("When is the deadline for the demonstration track?", ["19 March 2024", "33 days are left"]),
    ("What is the deadline for planning track proposals?", ["all year round", "30 April 2024"]),
    ("What happens if our proposal arrives in May?", ["reviewed for 2025 support"]),
    ("How much funding does a demo project get?", ["KRW 200–400 million"]),
    ("How many projects will be selected in total?", ["up to 8 projects"]),
    ("Who is eligible to apply for the planning track?", ["foreign government", "international organization"]),
    ("Where do we submit the business plan for the demonstration track?", ["Korea Agency for Infrastructure Technology Advancement (KAIA)"]),
    ("How are demonstration proposals evaluated?", ["follow-up exports"]),
    ("When will the winners be selected?", ["June 2024", "April 2024"]),
    ("How many projects has K-City Network done so far?", ["41", "23 countries"]),
    ("Who can I call about the call?", ["044-201-4845"]),
    ("What is K-City Network?", ["smart", "planning track"]),
]


@pytest.mark.parametrize("question, facts", KOREAN)
def test_korean_questions_get_korean_answers_with_the_facts(assistant, question, facts):
    reply = assistant.ask(sender(), question)
    for fact in facts:
        assert fact in reply, reply
    assert HANGUL.search(reply)


@pytest.mark.parametrize("question, facts", ENGLISH)
def test_english_questions_get_english_answers_with_the_facts(assistant, question, facts):
    reply = assistant.ask(sender(), question)
    for fact in facts:
        assert fact in reply, reply
    assert not HANGUL.search(reply), reply


def test_the_language_follows_the_user_and_a_track_continues_the_question(assistant):
    user = sender()
    assert "KRW 300–600 million" in assistant.ask(user, "how much is the grant for the planning track?")
    follow_up = assistant.ask(user, "실증형은요?")
    assert "2억~4억 원" in follow_up and "KRW" not in follow_up
    greeting = assistant.ask(user, "hello")
    assert greeting.startswith("Hello") and not HANGUL.search(greeting)


def test_an_unrelated_question_is_declined_without_call_facts(assistant):
    reply = assistant.ask(sender(), "Can you recommend a good kimchi stew recipe?")
    assert "only answer questions about the K-City Network call" in reply
    assert not re.search(r"\d", reply), "a refusal must not state facts"


@pytest.mark.parametrize("question, name", [
    ("¿Cuál es el monto máximo de apoyo para un proyecto de demostración?", "Spanish"),
    ("Quand est-ce que la sélection finale sera annoncée ?", "French"),
    ("Ai được phép nộp hồ sơ cho chương trình này?", "Vietnamese"),
])
def test_a_question_in_another_language_is_told_in_english_and_korean_what_is_answered(assistant, question, name):
    reply = assistant.ask(sender(), question)
    assert f"Your message seems to be in {name}. I answer only in English and Korean" in reply
    assert "한국어와 영어로만 답할 수 있어" in reply
    assert not re.search(r"\d", reply), "no fact is guessed from a message that was not understood"


def test_gibberish_gets_the_fallback_in_the_users_language(assistant):
    reply = assistant.ask(sender(), "ㅁㄴㅇㄹ 퓨퓨 ㅋㅋ 쀍")
    assert "이해하지 못했습니다" in reply and not re.search(r"\d", reply)


def test_a_fact_changed_in_the_database_is_the_next_answer_without_restart(assistant):
    engine = create_engine(assistant.database_url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(update(m.Track).where(m.Track.code == "demonstration").values(deadline=datetime.date(2024, 3, 29)))
        reply = assistant.ask(sender(), "When is the deadline for the demonstration track?")
        assert "29 March 2024" in reply and "19 March 2024" not in reply
    finally:
        with engine.begin() as connection:
            connection.execute(update(m.Track).where(m.Track.code == "demonstration").values(deadline=datetime.date(2024, 3, 19)))
        engine.dispose()
