"""What every input channel does around Rasa's message handler (bot/server/channels/guarded_input.py)."""
import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy.exc import OperationalError

from bot.server.channels.guarded_input import GuardedInput


def deliver(text, handler):
    output = CollectingOutputChannel()
    asyncio.run(GuardedInput().guarded(handler)(UserMessage(text, output, "web-1")))
    return [m["text"] for m in output.messages]


def test_a_failure_inside_rasa_gets_an_apology_in_the_messages_language(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/folder/knowledge.db")

    async def tracker_store_down(message):
        raise OperationalError("SELECT events", {}, Exception("could not connect to server"))

    [korean] = deliver("해외실증형 마감일이 언제예요?", tracker_store_down)
    assert korean.startswith("죄송합니다. 지금 답변을 준비하는 데 문제가 생겨") and "공고문의 문의처" in korean
    [english] = deliver("When is the deadline?", tracker_store_down)
    assert english.startswith("Sorry, something went wrong on my side") and "contacts in the call announcement" in english


def test_the_handler_reads_the_screened_text():
    seen = []

    async def handler(message):
        seen.append(message.text)

    assert deliver("\x00 마감일이\u200b 언제예요? ", handler) == []
    assert seen == ["마감일이 언제예요?"]
