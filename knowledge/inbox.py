"""The secretariat's inbox of questions the assistant could not answer, and what they do with them.

knowledge/insights.py's roll-up adds every message the assistant did not understand, declined as
out of scope, or answered from the FAQ with low confidence (`add()`), masked. `open_groups()`
gathers the open ones by similarity: TF-IDF over the FAQ's content words (Korean by kiwipiepy
morphemes, knowledge/faq.py), each message joining the group of the first more recent message it
is close enough to. A group is handled as a whole: answered by a new FAQ entry (live at once),
marked as training examples of an intent (written to the training data by the next
`make model`, `export_training()`), or dismissed. Handled messages leave the inbox.
"""
import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select, update

from knowledge import faq, transfer
from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.masking import mask

REASONS = ("not_understood", "out_of_scope", "faq_low")
ORDERS = ("largest", "newest")
# Two messages this similar (cosine of their TF-IDF vectors) are one question. On the paraphrases
# of tests/knowledge/test_inbox.py, 0.35 to 0.5 gave the same groups and 0.6 split them: the
# highest that keeps them, so as few unrelated questions as possible are joined.
SIMILAR = 0.5
GROUPED = 2000  # the newest open messages grouped per page: older ones wait their turn
TEXT_LIMIT = 600
NLU_DATA = Path(__file__).resolve().parent.parent / "nlu" / "data"
EXPORT_FILE = NLU_DATA.parent / "reviewed" / "examples.yml"  # not in git: made from the knowledge base
EXPORT_HEADER = ("# Training examples the secretariat marked in the unanswered-questions inbox (/admin/inbox),\n"
                 "# written by `make model` from the knowledge base (python -m knowledge inbox export). Do not edit.\n")
_ENTITY_MARKS = re.compile(r"[\[\]{}]")  # Rasa would read "[text](entity)" in an example as an entity


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Message:
    id: int
    at: datetime.datetime
    language: str
    channel: str
    reason: str
    text: str
    score: Optional[float]


@dataclass
class Group:
    language: str
    messages: List[Message] = field(default_factory=list)  # newest first

    @property
    def key(self) -> int:
        return self.messages[0].id

    @property
    def ids(self) -> List[int]:
        return [message.id for message in self.messages]

    @property
    def newest(self) -> datetime.datetime:
        return self.messages[0].at

    @property
    def question(self) -> str:
        """The group's question as the secretariat would first word it: its newest message."""
        return self.messages[0].text

    @property
    def reasons(self) -> List[str]:
        return sorted({message.reason for message in self.messages})


def add(session, found: Iterable[dict]) -> None:
    """Stores unanswered messages (conversation_id, at, channel, language, reason, text, score), masked."""
    rows = [{**row, "text": mask(row["text"]).strip()[:TEXT_LIMIT], "status": "open"} for row in found]
    if rows:
        session.execute(m.UnansweredMessage.__table__.insert(), rows)


def _message(row: m.UnansweredMessage) -> Message:
    return Message(row.id, row.at, row.language, row.channel, row.reason, row.text, row.score)


def _open(language: Optional[str], limit: int) -> List[Message]:
    with session_scope() as session:
        query = select(m.UnansweredMessage).where(m.UnansweredMessage.status == "open")
        if language:
            query = query.where(m.UnansweredMessage.language == language)
        rows = session.execute(query.order_by(m.UnansweredMessage.at.desc(), m.UnansweredMessage.id.desc())
                               .limit(limit)).scalars()
        return [_message(r) for r in rows]


@lru_cache(maxsize=2)
def _background_words(lang: str) -> Tuple[Tuple[str, ...], ...]:
    """The training questions' content words: the term statistics the groups are weighed by."""
    return tuple(tuple(faq.words(q, lang)) for q in faq.background(lang))


@lru_cache(maxsize=4 * GROUPED)
def _words(text: str, lang: str) -> Tuple[str, ...]:
    """A stored message's content words (its text never changes): each page re-reads the same messages."""
    return tuple(faq.words(text, lang))


def warm_up() -> None:
    """Reads the training questions' words (seconds of kiwipiepy), so that no page waits for it."""
    for lang in m.LANGUAGES:
        _background_words(lang)


def _normalized(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def group(messages: Sequence[Message], lang: str) -> List[Group]:
    """Messages of one language (newest first) gathered into groups of the same question."""
    documents = [_words(message.text, lang) for message in messages]
    groups: List[Group] = []
    if not messages:
        return groups
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    vectorizer.fit([*documents, *_background_words(lang)])
    vectors = vectorizer.transform(documents)
    similar = (vectors @ vectors.T).toarray()
    leaders: List[int] = []  # per group of words, the index of its newest message
    led: List[Group] = []  # and the group
    by_text: Dict[str, Group] = {}  # messages with no content word ("ㅋㅋ", "?"): grouped by their letters
    for i, message in enumerate(messages):
        if not documents[i] or vectors[i].nnz == 0:
            key = _normalized(message.text)
            if key not in by_text:
                by_text[key] = Group(lang)
                groups.append(by_text[key])
            by_text[key].messages.append(message)
            continue
        if leaders:
            scores = similar[i, leaders]
            best = int(np.argmax(scores))
            if scores[best] >= SIMILAR:
                led[best].messages.append(message)
                continue
        leaders.append(i)
        led.append(Group(lang, [message]))
        groups.append(led[-1])
    return groups


def open_groups(language: Optional[str] = None, order: str = "largest", limit: int = GROUPED) -> List[Group]:
    """The open messages' groups, largest (then newest) or newest first."""
    messages = _open(language, limit)
    groups = [g for lang in m.LANGUAGES for g in group([x for x in messages if x.language == lang], lang)]
    if order == "newest":
        return sorted(groups, key=lambda g: g.newest, reverse=True)
    return sorted(groups, key=lambda g: (len(g.messages), g.newest), reverse=True)


def open_count() -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).where(m.UnansweredMessage.status == "open")).scalar()


def message(message_id: int) -> Optional[Tuple[Message, str]]:
    """A stored message and its conversation's id (for its transcript), if it is still kept."""
    with session_scope() as session:
        r = session.get(m.UnansweredMessage, message_id)
        if r is None:
            return None
        return _message(r), r.conversation_id


def _handle(session, ids: Sequence[int], status: str, by: str) -> List[m.UnansweredMessage]:
    """Marks the still-open messages among `ids` handled; those (another officer may have handled some)."""
    rows = session.execute(select(m.UnansweredMessage).where(m.UnansweredMessage.id.in_(list(ids)),
                                                             m.UnansweredMessage.status == "open")).scalars().all()
    session.execute(update(m.UnansweredMessage).where(m.UnansweredMessage.id.in_([r.id for r in rows]))
                    .values(status=status, handled_at=_now(), handled_by=by))
    return rows


def answer_with_faq(ids: Sequence[int], entry: Dict[str, Dict[str, str]], by: str) -> int:
    """Adds the FAQ entry ({"question": {ko, en}, "answer": {ko, en}}, validated like any import:
    transfer.ImportRejected lists what is missing) and takes the messages out of the inbox; how many."""
    transfer.add_entry("faq", entry, by=by)
    with session_scope() as session:
        return len(_handle(session, ids, "faq", by))


def dismiss(ids: Sequence[int], by: str) -> int:
    with session_scope() as session:
        return len(_handle(session, ids, "dismissed", by))


# --- Training examples ------------------------------------------------------------------------


@lru_cache(maxsize=2)
def intents(lang: str) -> Tuple[Tuple[str, str], ...]:
    """The intents the NLU is trained on (nlu/data), each with its first example in `lang`: what
    a message can be marked as."""
    found: Dict[str, str] = {}
    for path in sorted(NLU_DATA.rglob(f"{lang}.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            lines = [line.strip()[2:] for line in block.get("examples", "").splitlines() if line.strip().startswith("- ")]
            if "intent" in block and lines:
                found.setdefault(block["intent"], lines[0])
    return tuple(sorted(found.items()))


class UnknownIntent(ValueError):
    pass


def mark_training(ids: Sequence[int], intent: str, by: str) -> int:
    """Keeps the messages as training examples of `intent` (one of `intents()`) and takes them out
    of the inbox; how many."""
    if intent not in {name for lang in m.LANGUAGES for name, _ in intents(lang)}:
        raise UnknownIntent(intent)
    with session_scope() as session:
        rows = _handle(session, ids, "training", by)
        for r in rows:
            text = " ".join(_ENTITY_MARKS.sub(" ", r.text).split())
            known = session.execute(select(m.TrainingExample.id).where(
                m.TrainingExample.intent == intent, m.TrainingExample.language == r.language,
                m.TrainingExample.text == text)).first()
            if text and known is None:
                session.add(m.TrainingExample(intent=intent, language=r.language, text=text, marked_by=by,
                                              marked_at=_now()))
        return len(rows)


def training_waiting() -> int:
    """Examples marked since the last `make model` wrote them to the training data."""
    with session_scope() as session:
        return session.execute(select(func.count()).where(m.TrainingExample.exported_at.is_(None))).scalar()


def training_yaml() -> str:
    """Every marked example as Rasa training data (one block per intent and language)."""
    with session_scope() as session:
        rows = session.execute(select(m.TrainingExample.intent, m.TrainingExample.language, m.TrainingExample.text)
                               .order_by(m.TrainingExample.intent, m.TrainingExample.language,
                                         m.TrainingExample.id)).all()
    blocks: Dict[Tuple[str, str], List[str]] = {}
    for intent, lang, text in rows:
        blocks.setdefault((intent, lang), []).append(text)
    lines = [EXPORT_HEADER + 'version: "3.1"', "nlu:" if blocks else "nlu: []"]
    for (intent, lang), texts in blocks.items():
        lines.append(f"- intent: {intent}  # {lang}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in texts)
    return "\n".join(lines) + "\n"


def export_training(path: Path) -> int:
    """Writes the examples to `path` (left untouched if unchanged, so the model is not made stale
    for nothing) and marks them exported; how many are written."""
    text = training_yaml()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with session_scope() as session:
        session.execute(update(m.TrainingExample).where(m.TrainingExample.exported_at.is_(None))
                        .values(exported_at=_now()))
        return session.execute(select(func.count()).select_from(m.TrainingExample)).scalar()
