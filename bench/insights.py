"""The insights page's queries on a year of generated traffic (`make bench-insights`).

Writes a tracker store of CONVERSATIONS conversations spread over a year (Rasa's own events table
and event JSON, in bulk), counts it once with knowledge.insights.roll_up() as the staff web app
does at its first start, then times what the page asks: a year by day and by week, a month, one
language, the CSV export, and the roll-up of one more day; and the unanswered-questions inbox
(its groups of the newest open messages, and the count of all). Target: every page query under a
second.
Results go to bench/results/insights.json; the README quotes a recorded run.
"""
import argparse
import datetime
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# The questions the first four actions answer; the fifth (not understood) gets one of MISSED.
KOREAN = ["해외실증형 마감이 언제예요?", "지원 금액은 얼마인가요?", "누가 신청할 수 있나요?", "제출은 어디로 하나요?"]
ENGLISH = ["When is the deadline?", "How much is the grant?", "Who may apply?", "Where do we submit?"]
# What the assistant does not understand, for the inbox: questions the call's rules do not cover,
# with an e-mail address now and then (masked on the way in).
MISSED = {
    "ko": ["발표 때 복장 규정이 있나요?", "주차 가능한가요?", "비자 발급을 도와주시나요?", "통역사를 데려가도 되나요?",
           "제안서 글꼴 크기는 몇인가요?", "항공료도 지원되나요?", "선정되면 기자회견을 하나요?", "ㅁㄴㅇㄹ",
           "제 이메일 kim{n}@city.go.kr 로 양식 보내 주세요", "발표 자료는 영어로 만들어야 하나요?"],
    "en": ["Is there a dress code at the presentation?", "Is parking available?", "Can you help with visas?",
           "May we bring an interpreter?", "What font size should the proposal use?", "Are flights covered?",
           "Is there a press event after selection?", "blorf", "Send the form to lee{n}@city.gov.ph please",
           "Must the slides be in English?"],
}
ACTIONS = ["action_answer_deadline", "action_answer_amount", "action_answer_eligibility", "action_answer_submission",
           "action_not_understood"]


def _event_rows(conversations: int, days: int, start: datetime.datetime, seed: int = 7, first_id: int = 0):
    """(sender_id, type_name, timestamp, intent_name, action_name, data) rows as Rasa writes them,
    day after day in time order (as a live tracker store grows)."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, UserUttered

    rng = random.Random(seed)
    n = first_id
    for day in range(days):
        rows = []
        for _ in range(conversations // days + (day < conversations % days)):
            channel = rng.choices(("telegram", "web", "rest"), (5, 4, 1))[0]
            sender = f"telegram-{100000 + n}" if channel == "telegram" else f"web-{n:032x}" if channel == "web" else f"rest-{n}"
            n += 1
            korean = rng.random() < 0.6
            at = start.timestamp() + (day + rng.random()) * 86400
            for _ in range(rng.randint(1, 5)):
                i = rng.randrange(len(ACTIONS))
                text = (KOREAN if korean else ENGLISH)[i] if i < len(KOREAN) else rng.choice(MISSED["ko" if korean else "en"]).format(n=n)
                events = [UserUttered(text, {"name": "ask", "confidence": 0.9}, timestamp=at),
                          ActionExecuted(ACTIONS[i], timestamp=at + 0.1),
                          BotUttered("…", metadata={"answered_from": "faq"} if i == 4 and rng.random() < 0.3 else {},
                                     timestamp=at + 0.2),
                          ActionExecuted("action_listen", timestamp=at + 0.3)]
                if rng.random() < 0.03:
                    events.insert(2, ActiveLoop("draft_form", timestamp=at + 0.15))
                rows += [(sender, e.type_name, e.timestamp, e.intent_name if e.type_name == "user" else None,
                          getattr(e, "action_name", None), json.dumps(e.as_dict())) for e in events]
                at += rng.uniform(5, 120)
        rows.sort(key=lambda row: row[2])
        yield from rows


def _timed(function, runs: int = 5):
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - began)
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "max_ms": round(max(seconds) * 1000, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kcn-insights-bench-"))
    os.environ.update(DATABASE_URL=f"sqlite:///{work / 'knowledge.db'}", KCN_TRACKER_DB=str(work / "tracker.db"))
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from knowledge import inbox, insights, seed

    seed.init_db()
    SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(work / "tracker.db"))  # Rasa creates its table
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)

    began = time.perf_counter()
    db = sqlite3.connect(work / "tracker.db")
    with db:
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)", _event_rows(args.conversations, args.days, start))
    events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    generated = time.perf_counter() - began

    began = time.perf_counter()
    counted = insights.roll_up()
    rolled = time.perf_counter() - began
    first = start.astimezone(insights.KOREA).date()
    last = first + datetime.timedelta(days=args.days - 1)
    year = insights.summary(first, last)
    began = time.perf_counter()
    inbox.warm_up()  # as the web app does at its start
    warmed = time.perf_counter() - began
    results = {
        "conversations": args.conversations, "days": args.days, "events": events,
        "generate_seconds": round(generated, 1), "roll_up_seconds": round(rolled, 1),
        "roll_up_events_per_second": round(counted / rolled), "messages_counted": year["totals"].get("messages", 0),
        "queries": {
            "year by day": _timed(lambda: insights.summary(first, last)),
            "year by week": _timed(lambda: insights.summary(first, last, period="week")),
            "a month by day": _timed(lambda: insights.summary(last - datetime.timedelta(days=29), last)),
            "year by week, Korean only": _timed(lambda: insights.summary(first, last, period="week", language="ko")),
            "CSV of the year by day": _timed(lambda: insights.csv_text(first, last)),
            f"inbox: groups of the newest {inbox.GROUPED:,}": _timed(inbox.open_groups),
            "inbox: open messages counted": _timed(inbox.open_count),
        },
        "inbox_open_messages": inbox.open_count(), "inbox_warm_up_seconds": round(warmed, 1),
    }
    with db:  # one more day of traffic, as the web app counts it every minute
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       _event_rows(args.conversations // args.days, 1, start + datetime.timedelta(days=args.days), seed=8,
                                   first_id=args.conversations))
    results["queries"]["roll-up of one more day"] = _timed(insights.roll_up, runs=1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "insights.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"{args.conversations:,} conversations, {events:,} events over {args.days} days: generated in "
          f"{results['generate_seconds']} s, counted once in {results['roll_up_seconds']} s "
          f"({results['roll_up_events_per_second']:,} events/s; {results['messages_counted']:,} messages)")
    print(f"{results['inbox_open_messages']:,} messages in the unanswered-questions inbox "
          f"(its words read at the web app's start in {results['inbox_warm_up_seconds']} s)")
    print(f"{'query':<34} {'median ms':>10} {'max ms':>8}")
    for name, timing in results["queries"].items():
        print(f"{name:<34} {timing['median_ms']:>10} {timing['max_ms']:>8}")
    slow = [name for name, t in results["queries"].items() if name != "roll-up of one more day" and t["max_ms"] >= 1000]
    print("every page query under a second" if not slow else f"over a second: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
