"""PostgreSQL stopped under the running servers, then started again.

While it is down, Rasa 3.6 keeps each conversation's new turns in the server's memory (its
FailSafeTrackerStore); the knowledge base is down too, so the applicant is told to ask again.
"""
import uuid

from scale_services import postgres_down


def test_the_database_down_gets_an_apology_and_its_return_the_answers(servers, postgres_url):
    a, b = servers
    user = f"pg-down-{uuid.uuid4().hex[:8]}"
    assert "2024년 3월 19일" in a.ask(user, "해외실증형 마감일이 언제예요?")
    with postgres_down(postgres_url):
        for server in (a, b):
            reply = server.ask(user, "계획수립형 지원 금액이 얼마예요?")
            assert reply == "죄송합니다. 지금은 공모 정보를 불러올 수 없습니다. 잠시 후 다시 물어봐 주세요."
        reply = b.ask(f"pg-down-{uuid.uuid4().hex[:8]}", "When is the deadline?")
        assert reply == "Sorry, I can't reach the call information right now. Please ask again in a few minutes."
    # The first message after the database is back is answered, on either server, and the
    # conversation's earlier turns are still there.
    assert "3억~6억 원" in b.ask(user, "계획수립형 지원 금액이 얼마예요?")
    assert "KRW 300–600 million" in a.ask(user, "And in English, how much for planning?")
    assert "해외실증형 마감일이 언제예요?" in [e.get("text") for e in a.events(user) if e["event"] == "user"]
