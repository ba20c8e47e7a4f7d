"""An unreachable knowledge base is logged, apologized for in the conversation's language, and survived."""
import logging

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions.knowledge_access import knowledge_access
from knowledge.wording import say

REFUSED = OperationalError("SELECT 1", {}, ConnectionRefusedError("port 1"))


def test_an_unreachable_database_is_apologized_for_in_the_conversations_language(caplog):
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.ERROR), knowledge_access("status check", dispatcher, "ko") as access:
        raise REFUSED
    assert access.failed
    assert [m["text"] for m in dispatcher.messages] == [say("kb_unavailable", "ko")]
    assert "status check: knowledge base unavailable" in caplog.text


def test_a_block_that_reaches_the_database_says_nothing():
    dispatcher = CollectingDispatcher()
    with knowledge_access("status check", dispatcher, "en") as access:
        pass
    assert not access.failed and dispatcher.messages == []


def test_the_apology_can_be_another_sentence_or_none():
    dispatcher = CollectingDispatcher()
    with knowledge_access("handoff", dispatcher, "en", apology="handoff_unavailable") as access:
        raise REFUSED
    assert dispatcher.messages[0]["text"] == say("handoff_unavailable", "en")
    with knowledge_access("faq") as quiet:
        raise REFUSED
    assert quiet.failed


def test_only_the_errors_named_are_taken_for_an_outage():
    class Gone(ValueError):
        pass

    dispatcher = CollectingDispatcher()
    with knowledge_access("draft", dispatcher, "en", also=(Gone,)) as access:
        raise Gone("no such draft")
    assert access.failed and len(dispatcher.messages) == 1
    with pytest.raises(KeyError), knowledge_access("draft", dispatcher, "en"):
        raise KeyError("a bug is not an outage")
