"""Two Rasa servers behind an imaginary load balancer: the messages of one conversation go to either.

Servers A and B share the PostgreSQL tracker store and knowledge base, the Redis lock store and one
action server (tests/scale/conftest.py), as with KCN_PROFILE=production on several machines. The
clock is 15 February 2024. Nothing here is timed: what is checked is what each conversation holds.
"""
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional, Tuple

import pytest

from knowledge import proposals, reference_codes
from mail_standin import finish_proof

QUESTIONS = [
    "해외실증형 마감일이 언제예요?",
    "How much funding does a demo project get?",
    "계획수립형 지원 금액은 얼마인가요?",
    "When is the deadline for the demonstration track?",
    "총 몇 개 사업을 선정하나요?",
    "Who is eligible to apply for the planning track?",
    "사전 컨설팅이 뭐예요?",
    "How many projects will be selected in total?",
    "선정 결과는 언제 나와요?",
    "What is K-City Network?",
    "문의처 알려주세요",
    "Where do we submit the business plan for the demonstration track?",
    "어떤 분야를 지원하나요?",
    "What happens if our proposal arrives in May?",
    "2022년에는 몇 개국에서 사업했나요?",
    "How are demonstration proposals evaluated?",
]
CONVERSATIONS = 4
SEQUENTIAL = 4  # messages per conversation sent one after the other, alternating servers
CONCURRENT_ROUNDS = 3  # then rounds of two messages of the same conversation sent at once, one to each server


def sender(kind: str) -> str:
    return f"scale-{kind}-{uuid.uuid4().hex[:8]}"


def texts(messages: List[dict]) -> List[Optional[str]]:
    return [m.get("text") for m in messages]


def transcript(events: List[dict]) -> List[Tuple[str, List[Optional[str]]]]:
    """The conversation as the tracker store holds it: each user message with the bot messages after it."""
    turns = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], []))
        elif event["event"] == "bot":
            assert turns, f"a bot message before any user message: {event}"
            turns[-1][1].append(event.get("text"))
    return turns


def test_interleaved_and_concurrent_messages_are_all_kept_in_order(servers):
    a, b = servers
    users = [sender("chat") for _ in range(CONVERSATIONS)]
    # Each conversation asks its own sequence of different questions.
    script = {user: [QUESTIONS[(c * 3 + k) % len(QUESTIONS)] for k in range(SEQUENTIAL + 2 * CONCURRENT_ROUNDS)]
              for c, user in enumerate(users)}
    answered = {user: {} for user in users}  # user -> question -> the replies its HTTP request returned
    sequential_order = {user: [] for user in users}
    rounds = {user: [] for user in users}

    def converse(c: int, user: str) -> None:
        questions = iter(script[user])
        # One after the other, alternating A and B (conversation c starts on A if c is even).
        for k in range(SEQUENTIAL):
            question = next(questions)
            answered[user][question] = servers[(c + k) % 2].replies(user, question)
            sequential_order[user].append(question)
        # Two at once, one through each server; Rasa's lock store must take them one at a time.
        for _ in range(CONCURRENT_ROUNDS):
            pair = [next(questions), next(questions)]
            start = threading.Barrier(2)

            def send(server, question):
                start.wait(timeout=60)
                answered[user][question] = server.replies(user, question)

            with ThreadPoolExecutor(2) as pool:
                for future in [pool.submit(send, a, pair[0]), pool.submit(send, b, pair[1])]:
                    future.result()
            rounds[user].append(set(pair))

    # All conversations at the same time, so both servers are busy with several at once.
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        for future in [pool.submit(converse, c, user) for c, user in enumerate(users)]:
            future.result()

    for user in users:
        from_a, from_b = transcript(a.events(user)), transcript(b.events(user))
        assert from_a == from_b, f"{user}: the two servers see different conversations"
        asked = [question for question, _ in from_a]
        # Every message recorded exactly once ...
        assert sorted(asked) == sorted(script[user]), f"{user}: messages lost or doubled: {asked}"
        # ... the sequential ones in the order sent, each concurrent pair after the previous round.
        assert asked[:SEQUENTIAL] == sequential_order[user]
        for r, pair in enumerate(rounds[user]):
            assert set(asked[SEQUENTIAL + 2 * r: SEQUENTIAL + 2 * r + 2]) == pair
        # Each message got replies, and they directly follow it in the tracker, in the order the
        # server returned them: no other message of the conversation was handled in between.
        for question, bot_texts in from_a:
            replies = texts(answered[user][question])
            assert replies and all(replies), f"{user}: no reply to {question!r}"
            assert bot_texts == replies, f"{user}: replies to {question!r} out of order or mixed"


def test_a_status_check_started_on_one_server_continues_on_the_other(servers, mailbox):
    a, b = servers
    user = sender("status")
    assert "reference code" in a.ask(user, "Where is my proposal?")
    assert "d•••@example.org" in b.ask(user, "kcn 2024 d 2402 b")
    reply = a.ask(user, mailbox.code_for("demo.company@example.org"))
    assert "KCN-2024-D-2402-B" in reply and "under review since 25 March 2024" in reply

    user = sender("status-ko")
    assert "6자리 코드를 보냈습니다" in b.ask(user, "KCN-2024-P-2401-J 제 제안서 진행 상황 알려주세요")
    assert "'사전 컨설팅 중' 상태입니다" in a.ask(user, mailbox.code_for("planning.demo@example.org"))


@pytest.fixture
def shared_database(production_env, monkeypatch):
    """Lets the test read the knowledge base the servers share."""
    monkeypatch.setenv("DATABASE_URL", production_env["DATABASE_URL"])


def press(server, user, messages, title):
    button = next(b for m in messages for b in m.get("buttons", []) if b["title"] == title)
    return server.replies(user, button["payload"])


def test_a_draft_is_written_through_both_servers_into_postgresql(servers, shared_database, mailbox):
    a, b = servers
    user = sender("draft")
    asked = a.replies(user, "I want to apply, please start a draft")
    asked = press(b, user, asked, "Overseas demonstration track")
    asked = press(a, user, asked, "A Korean company")
    assert "contact e-mail" in "\n".join(texts(asked))
    assert "6-digit code" in b.ask(user, "Lee@Example.com")
    reply = a.ask(user, mailbox.code_for("lee@example.com"))
    code = re.search(r"KCN-\d{4}-D(?:-[0-9A-Z]{4}){4}", reply).group(0)  # today's format (knowledge/reference_codes.py)
    assert "country" in a.ask(user, "Smart Mobility Co.")
    assert "city" in b.ask(user, "Vietnam")
    saved = proposals.get(code)
    assert (saved.contact_email, saved.applicant_org, saved.country, saved.current.status) == (
        "lee@example.com", "Smart Mobility Co.", "Vietnam", "draft")


def test_the_status_check_lock_out_counts_failures_on_both_servers(servers, shared_database, mailbox):
    a, b = servers
    user = sender("lockout")
    assert "reference code" in a.ask(user, "check my application status")
    for attempt in range(proposals.MAX_FAILED_CHECKS):
        # Unknown reference codes, alternately through both servers: A, B, A, B, A.
        reply = servers[attempt % 2].ask(user, reference_codes.new_code(2024, "demonstration"))
        left = proposals.MAX_FAILED_CHECKS - 1 - attempt
        if left:
            assert f"({left} tries left)" in reply, reply
        else:
            assert "paused until" in reply, reply
    # The shared store holds the lock-out, so neither server sends a code for even a real proposal.
    assert proposals.locked_until(user) is not None
    for server in (a, b):
        server.ask(user, "check my application status")
        reply = server.ask(user, "KCN-2024-D-2402-B")
        assert "paused until" in reply and "6-digit" not in reply, f"{server}: {reply}"
    # The lock-out is the conversation's: the owner, in another one, still gets through.
    owner = sender("owner")
    a.ask(owner, "check my application status")
    reply = finish_proof(b.ask, owner, b.ask(owner, "KCN-2024-D-2402-B"), "demo.company@example.org", mailbox)
    assert "under review" in reply