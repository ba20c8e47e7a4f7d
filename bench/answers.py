"""`make eval`: answer quality on conversations nobody trained on, over the REST channel.

The servers are started as `make run` starts them (`python -m bot.run`, on free loopback ports, with a
tracker store and a knowledge base (from the seed) of their own, and KCN_TODAY=2024-02-15, the day the 2024 call's intake opened, so the
forms are open). Every case is a fresh conversation; what the assistant did is read from the Rasa
server's own tracker (`GET /conversations/<id>/tracker`), what it said from the REST replies.

Kinds of case:
- questions: tests/nlu/holdout_{ko,en}.yml, one message each. Right when the first action after the
  message is the one the rules (data/*.yml) run for the intent it was written for (a "not understood"
  counts for an unrelated question) and the reply is in the question's language.
- other languages: bench/answer_cases.yml; right when the reply tells, in English and in Korean, that
  the assistant answers in those two.
- digressions: bench/answer_cases.yml; a form is started, then a question asked: right when the
  question is answered by its topic in the question's language and the form asks its pending
  question again.
- identity: bench/answer_cases.yml; a status check for a sample proposal by its code, then a wrong
  one-time code or an e-mail address (the owner's own included): right when nothing of the proposal
  is shown. Showing it counts as a wrong fact. Its control, "identity (owner)": the owner, with the
  code from the mail (the outbox), is shown the proposal's status.

A wrong fact is a reply that answers another topic than the one asked (or answers a greeting or an
unrelated question with a topic): what must never happen. "Not understood" is a miss, not a wrong fact.

Environment: EVAL_WORKERS (4) conversations at a time. Writes bench/results/answers-<time>.json; exits
with 1 if a server does not start or a reply is an error.
"""
import datetime
import email
import email.policy
import json
import re
import os
import secrets
import subprocess
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set

import requests
import yaml

from bench.servers import ROOT, start_ours
from knowledge.wording import LANGUAGES, has_hangul, say

CASES = ROOT / "bench" / "answer_cases.yml"
SEED = ROOT / "knowledge" / "seed" / "kcity_network.yaml"
DEMO = ROOT / "knowledge" / "seed" / "demo_proposals.yaml"
HOLDOUT = ROOT / "tests" / "nlu"
RESULTS = ROOT / "bench" / "results"
TODAY = "2024-02-15"
# Actions that run after every message and say nothing of their own.
_BOOKKEEPING = {"action_listen", "action_extract_slots", "action_session_start"}
# Both decline without stating a fact: either is right for an unrelated question.
_DECLINES = {"action_out_of_scope", "action_not_understood"}


@dataclass
class Outcome:
    kind: str
    lang: str
    texts: List[str]
    expected: str
    right: bool = False
    language_right: bool = False
    wrong_fact: bool = False
    intent: Optional[str] = None
    confidence: Optional[float] = None
    actions: List[str] = field(default_factory=list)
    reply: str = ""


def rule_actions() -> Dict[str, Set[str]]:
    """Intent -> the action its rules run first, from data/*.yml (a fresh conversation: no form active)."""
    found: Dict[str, Set[str]] = defaultdict(set)
    for path in sorted((ROOT / "data").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or []:
            condition = rule.get("condition") or []
            if any(c.get("active_loop") for c in condition):
                continue
            steps = rule["steps"]
            first = steps[0]
            intents = [first["intent"]] if "intent" in first else [s["intent"] for s in first.get("or", []) if "intent" in s]
            action = next((s["action"] for s in steps[1:] if "action" in s), None)
            for intent in intents:
                if action:
                    found[intent].add(action)
    return found


def holdout(lang: str) -> List[tuple]:
    data = yaml.safe_load((HOLDOUT / f"holdout_{lang}.yml").read_text(encoding="utf-8"))
    return [(line.strip()[2:].strip(), block["intent"])
            for block in data["nlu"] for line in block["examples"].splitlines() if line.strip()]


class Assistant:
    def __init__(self, rest_url: str, token: str):
        self.rest_url = rest_url
        self.base = rest_url.split("/webhooks/")[0]
        self.token = token

    def say(self, sender: str, text: str) -> str:
        response = requests.post(self.rest_url, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return "\n".join(m.get("text") or "" for m in response.json())

    def after_latest_message(self, sender: str) -> tuple:
        """The intent of the latest message, its confidence, and the actions the server ran after it."""
        response = requests.get(f"{self.base}/conversations/{sender}/tracker", params={"token": self.token}, timeout=60)
        response.raise_for_status()
        tracker = response.json()
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        actions = [e["name"] for e in events[last_user + 1:] if e["event"] == "action" and e["name"] not in _BOOKKEEPING]
        intent = (tracker.get("latest_message") or {}).get("intent") or {}
        return intent.get("name"), intent.get("confidence"), actions


def in_language(reply: str, lang: str) -> bool:
    return bool(reply.strip()) and has_hangul(reply) == (lang == "ko")


def is_answer(action: Optional[str]) -> bool:
    return bool(action) and action.startswith("action_answer_")


def ask_question(assistant: Assistant, rules: Dict[str, Set[str]], lang: str, text: str, intent: str) -> Outcome:
    sender = f"eval-{uuid.uuid4().hex}"
    reply = assistant.say(sender, text)
    predicted, confidence, actions = assistant.after_latest_message(sender)
    first = actions[0] if actions else None
    allowed = set(rules.get(intent, ())) | (_DECLINES if intent == "out_of_scope" else set())
    if intent == "stop":  # outside a form: "there is nothing to stop"
        allowed = {"utter_nothing_to_stop"}
    right_action = first in allowed
    return Outcome("questions", lang, [text], intent, right=right_action and in_language(reply, lang),
                   language_right=in_language(reply, lang), wrong_fact=not right_action and is_answer(first),
                   intent=predicted, confidence=confidence, actions=actions, reply=reply)


def ask_other_language(assistant: Assistant, lang: str, text: str) -> Outcome:
    sender = f"eval-{uuid.uuid4().hex}"
    reply = assistant.say(sender, text)
    predicted, confidence, actions = assistant.after_latest_message(sender)
    # Every fixed part of the notice, in both languages, around the language's name.
    parts = [part.strip() for known in LANGUAGES for part in say("unreadable_language", known, language="\0").split("\0")]
    told_both = all(part in reply for part in parts if part)
    first = actions[0] if actions else None
    return Outcome("other languages", lang, [text], "unreadable_language", right=told_both, language_right=told_both,
                   wrong_fact=is_answer(first), intent=predicted, confidence=confidence, actions=actions, reply=reply)


def ask_in_form(assistant: Assistant, lang: str, form: str, starter: str, text: str, intent: str) -> Outcome:
    sender = f"eval-{uuid.uuid4().hex}"
    opening = assistant.say(sender, starter)
    pending = opening.strip().splitlines()[-1] if opening.strip() else ""
    reply = assistant.say(sender, text)
    predicted, confidence, actions = assistant.after_latest_message(sender)
    answered = predicted == intent and actions[:2] == ["action_answer_digression", form]
    asked_again = bool(pending) and reply.rstrip().endswith(pending)
    wrong = ("action_answer_digression" in actions and predicted != intent) or any(
        is_answer(a) and a != "action_answer_digression" for a in actions)
    return Outcome("digressions", lang, [starter, text], intent, right=answered and asked_again and in_language(reply, lang),
                   language_right=in_language(reply, lang), wrong_fact=wrong, intent=predicted, confidence=confidence, actions=actions, reply=reply)


def _secrets_of(sample: dict, lang: str) -> List[str]:
    """What a reply may show of a proposal only to its proven owner."""
    statuses = {s["code"]: s for s in yaml.safe_load(SEED.read_text(encoding="utf-8"))["proposal_statuses"]}
    latest = statuses[sample["history"][-1]["status"]]
    return [sample["title"], sample["applicant_org"], latest["meaning"][lang]]


def ask_for_someone_elses_proposal(assistant: Assistant, lang: str, starter: str, sample: dict, attempt: str) -> Outcome:
    sender = f"eval-{uuid.uuid4().hex}"
    replies = [assistant.say(sender, starter), assistant.say(sender, sample["code"]), assistant.say(sender, attempt)]
    predicted, confidence, actions = assistant.after_latest_message(sender)
    leaked = any(secret in reply for reply in replies for secret in _secrets_of(sample, lang))
    return Outcome("identity", lang, [starter, sample["code"], attempt], "nothing shown", right=not leaked and in_language(replies[-1], lang),
                   language_right=in_language(replies[-1], lang), wrong_fact=leaked, intent=predicted, confidence=confidence,
                   actions=actions, reply=replies[-1])


def _code_mailed_to(outbox: Path, address: str) -> Optional[str]:
    """The 6-digit code of the newest mail to `address` in the outbox (no mail server in the evaluation)."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            match = re.search(r"^\s*(\d{6})\s*$", message.get_body(preferencelist=("plain",)).get_content(), re.MULTILINE)
            return match.group(1) if match else None
    return None


def prove_own_proposal(assistant: Assistant, outbox: Path, lang: str, starter: str, sample: dict) -> Outcome:
    """The control: the owner, with the code from the mail, is shown the proposal. Were it not, the
    identity cases' "nothing shown" would prove nothing."""
    sender = f"eval-{uuid.uuid4().hex}"
    assistant.say(sender, starter)
    reply = assistant.say(sender, sample["code"])
    if not re.search(r"\b6\b|6자리", reply):  # asked for the full address first (many codes went to it lately)
        reply = assistant.say(sender, sample["contact_email"])
    code = _code_mailed_to(outbox, sample["contact_email"]) or "no mail"
    reply = assistant.say(sender, code)
    predicted, confidence, actions = assistant.after_latest_message(sender)
    shown = all(secret in reply for secret in _secrets_of(sample, lang)[2:])  # the status's meaning
    return Outcome("identity (owner)", lang, [starter, sample["code"], code], "proposal shown", right=shown and in_language(reply, lang),
                   language_right=in_language(reply, lang), intent=predicted, confidence=confidence, actions=actions, reply=reply)


def owner_cases(assistant: Assistant, outbox: Path) -> list:
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    samples = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return [lambda s=s, lang=lang, st=block["starter"]: prove_own_proposal(assistant, outbox, lang, st, s)
            for lang, block in data["identity"].items() for s in samples]


def cases(assistant: Assistant) -> list:
    rules = rule_actions()
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    jobs = []
    for lang in ("ko", "en"):
        jobs += [lambda t=t, i=i, lang=lang: ask_question(assistant, rules, lang, t, i) for t, i in holdout(lang)]
    for lang, texts in data["other_languages"].items():
        jobs += [lambda t=t, lang=lang: ask_other_language(assistant, lang, t) for t in texts]
    for lang, block in data["digressions"].items():
        starters = [(form, s) for form, texts in block["starters"].items() for s in texts]
        for n, question in enumerate(block["questions"]):
            (intent, text), = question.items()
            form, starter = starters[n % len(starters)]
            jobs.append(lambda f=form, s=starter, t=text, i=intent, lang=lang: ask_in_form(assistant, lang, f, s, t, i))
    samples = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for lang, block in data["identity"].items():
        for n, sample in enumerate(samples):
            other = samples[(n + 1) % len(samples)]
            for attempt in block["attempts"]:
                typed = attempt.format(owner_email=sample["contact_email"], other_email=other["contact_email"])
                jobs.append(lambda s=sample, t=typed, lang=lang, st=block["starter"]:
                            ask_for_someone_elses_proposal(assistant, lang, st, s, t))
    return jobs


def summary(outcomes: List[Outcome]) -> List[dict]:
    rows = []
    groups: Dict[tuple, List[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.kind, "other" if o.kind == "other languages" else o.lang)].append(o)
    for (kind, lang), group in sorted(groups.items()):
        rows.append({"kind": kind, "language": lang, "cases": len(group), "right": sum(o.right for o in group),
                     "score": round(sum(o.right for o in group) / len(group), 3),
                     "reply_language_right": sum(o.language_right for o in group),
                     "wrong_facts": sum(o.wrong_fact for o in group)})
    return rows


def per_intent(outcomes: List[Outcome]) -> Dict[str, Dict[str, str]]:
    counts: Dict[str, Dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for o in outcomes:
        if o.kind != "other languages":
            counts[o.lang][o.expected].update(cases=1, right=int(o.right))
    return {lang: {i: f"{c['right']}/{c['cases']}" for i, c in sorted(by.items())} for lang, by in counts.items()}


def main() -> int:
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="kcn-eval-") as work:
        # A knowledge base of its own, made from the seed: the handoffs and checks the cases make stay
        # out of the one `make run` and the helpdesk use.
        env = {**os.environ, "KCN_TODAY": TODAY, "RASA_API_TOKEN": token, "RASA_TELEMETRY_ENABLED": "false",
               "DATABASE_URL": f"sqlite:///{Path(work) / 'knowledge.db'}", "KCN_MAIL_OUTBOX": str(Path(work) / "outbox")}
        env.pop("KCN_SMTP_URL", None)  # the one-time codes are written to the outbox, never mailed to anyone
        subprocess.run([sys.executable, "-m", "knowledge", "init"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "knowledge", "proposals", "load-demo"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        bot = start_ours(ROOT / "models" / "kcn.tar.gz", Path(work), env)
        try:
            print(f"starting the servers as make run does ({bot.log_path}) …", flush=True)
            bot.wait_for_first_reply(timeout=300)
            assistant = Assistant(bot.rest_url, token)
            # The owners first and one at a time: each reads the newest mail to its address.
            controls = owner_cases(assistant, Path(env["KCN_MAIL_OUTBOX"]))
            jobs = cases(assistant)
            print(f"{len(controls) + len(jobs)} conversations over {bot.rest_url}", flush=True)
            outcomes = [job() for job in controls]
            with ThreadPoolExecutor(int(os.environ.get("EVAL_WORKERS") or 4)) as pool:
                outcomes += list(pool.map(lambda job: job(), jobs))
        except (requests.RequestException, RuntimeError, TimeoutError) as error:
            print(f"evaluation failed: {error}; the server log: {bot.log_path}", file=sys.stderr)
            print(Path(bot.log_path).read_text()[-3000:], file=sys.stderr)
            return 1
        finally:
            bot.stop()

    rows = summary(outcomes)
    print(f"\n{'kind':<16} {'language':<9} {'cases':>5} {'right':>6} {'score':>6} {'reply lang':>10} {'wrong facts':>11}")
    for r in rows:
        print(f"{r['kind']:<16} {r['language']:<9} {r['cases']:>5} {r['right']:>6} {r['score']:>6.3f} "
              f"{r['reply_language_right']:>10} {r['wrong_facts']:>11}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"answers-{stamp}.json"
    path.write_text(json.dumps({"today": TODAY, "summary": rows, "per_intent": per_intent(outcomes),
                                "conversations": [o.__dict__ for o in outcomes]},
                               ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nper intent, and every conversation (texts, intent read, actions, reply, right or not): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
