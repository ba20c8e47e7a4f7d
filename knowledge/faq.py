"""Retrieval over the secretariat's FAQ: the closest question in the user's language, if close enough.

TF-IDF (scikit-learn) over content words: Korean is reduced to kiwipiepy morphemes (nouns,
verb and adjective stems, foreign words, numbers) so that "제출해도" and "제출하면" meet at 제출;
English words are lower-cased with common function words removed. The NLU's training questions
are added to the corpus only for their term statistics, so words every question uses ("apply",
"신청") weigh little. The index is rebuilt when the FAQ changes: no retraining, no restart.
"""
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from sqlalchemy import select

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.revision import kept_until_changed

# A match at least this similar answers; below it the bot says it did not understand. Chosen on
# tests/faq/dev.yml as the lowest threshold with precision >= 0.95 in both languages (0.4 gave
# 0.93 in English); precision is measured on the separate tests/faq/holdout.yml.
THRESHOLD = 0.5
# A match at least this similar answers even a question the NLU gave one of its own topics: the
# entry the secretariat added is more specific than the topic ("Is there a page limit?" is not a
# question of where to submit). The lowest threshold at which no training question of any core
# intent (nlu/data, 3,489 questions) matches one of the sample entries of tests/faq/faq.yml (0.8
# took "where do I submit the proposal"); it then answers 3 and 2 of the 20 Korean and English
# paraphrases of tests/faq/dev.yml.
OVERRIDE = 0.85
# An answer less similar than this is shown to the secretariat in the unanswered-questions inbox
# (knowledge/inbox.py) to check. tests/faq/dev.yml has no wrong answer above THRESHOLD to set it
# by; 0.65 is about the median of its right answers' scores (0.66 Korean, 0.65 English), so the
# weaker half of the answers is checked.
LOW_CONFIDENCE = 0.65
_KOREAN_CONTENT = ("NN", "VV", "VA", "XR", "SL", "SN", "MAG")
_BACKGROUND = Path(__file__).resolve().parent.parent / "nlu" / "data"
_lock = threading.Lock()


@dataclass(frozen=True)
class Match:
    index: int
    question: str
    answer: str
    score: float


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def words(text: str, lang: str) -> List[str]:
    if lang == "ko":
        with _lock:
            tokens = _kiwi().tokenize(text or "")
        return [t.form.lower() for t in tokens if str(t.tag).startswith(_KOREAN_CONTENT)]
    cleaned = "".join(ch.lower() if ch.isalnum() else " " for ch in text or "")
    return [w.rstrip("s") if len(w) > 3 else w for w in cleaned.split() if w not in ENGLISH_STOP_WORDS]


@lru_cache(maxsize=2)
def background(lang: str) -> Tuple[str, ...]:
    """The NLU's training questions in one language (term statistics only), from every feature's
    nlu/data/<feature>/<lang>.yml."""
    questions = []
    for path in sorted(_BACKGROUND.rglob(f"{lang}.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        questions.extend(line.strip()[2:] for block in data.get("nlu", []) for line in block.get("examples", "").splitlines()
                         if line.strip().startswith("- "))
    return tuple(questions)


@lru_cache(maxsize=8)
def _index(lang: str, questions: Tuple[str, ...]):
    vectorizer = TfidfVectorizer(analyzer=lambda text: words(text, lang), sublinear_tf=True)
    vectorizer.fit(list(questions) + list(background(lang)))
    return vectorizer, vectorizer.transform(questions)


@kept_until_changed
def entries(lang: str) -> Tuple[Tuple[str, str], ...]:
    with session_scope() as session:
        rows = session.execute(select(m.FaqEntry).order_by(m.FaqEntry.position)).scalars()
        return tuple((r.text("question", lang), r.text("answer", lang)) for r in rows)


def best_match(text: str, lang: str, threshold: Optional[float] = None) -> Optional[Match]:
    """The FAQ entry whose question is closest to `text`, if its similarity reaches `threshold`."""
    faq = entries(lang)
    if not faq or not words(text, lang):
        return None
    vectorizer, matrix = _index(lang, tuple(q for q, _ in faq))
    scores = cosine_similarity(vectorizer.transform([text]), matrix)[0]
    best = int(scores.argmax())
    if scores[best] < (THRESHOLD if threshold is None else threshold):
        return None
    return Match(best, faq[best][0], faq[best][1], float(scores[best]))
