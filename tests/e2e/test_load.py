"""A bounded load over loopback: many conversations at once, and not one reply lost.

Speed is measured by `make bench`; this only proves that concurrency loses or mixes up nothing.
"""
import uuid
from concurrent.futures import ThreadPoolExecutor

CONVERSATIONS = 16
QUESTIONS = [
    ("해외실증형 마감일이 언제예요?", "2024년 3월 19일"),
    ("How much funding does a planning project get?", "KRW 300–600 million"),
    ("계획수립형 지원 금액이 얼마예요?", "3억~6억 원"),
    ("When is the deadline for the demonstration track?", "19 March 2024"),
    ("안녕하세요", "안녕하세요"),
    ("Who can apply?", "Planning"),
]


def converse(assistant, user):
    """One applicant asking every question in turn; returns what they got back."""
    return [(question, assistant.ask(user, question)) for question, _ in QUESTIONS]


def test_concurrent_conversations_each_get_every_answer_in_order(assistant):
    users = [f"load-{i}-{uuid.uuid4().hex[:6]}" for i in range(CONVERSATIONS)]
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(lambda user: converse(assistant, user), users))

    for user, answers in zip(users, results):
        for (question, expected), (_, reply) in zip(QUESTIONS, answers):
            assert expected in reply, f"{user} asked {question!r} and got {reply!r}"
        events = assistant.tracker(user)["events"]
        said = [e["text"] for e in events if e["event"] == "user"]
        assert said == [q for q, _ in QUESTIONS]
        # Every message was answered before the next one was read.
        kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
        assert all(a != "user" or b == "bot" for a, b in zip(kinds, kinds[1:] + ["end"]))
