"""The sets answer quality is judged on stay out of training: no held-out question (tests/nlu/holdout_*.yml)
and no `make eval` conversation (bench/answer_cases.yml) is a training example, however it is spaced,
cased or punctuated."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def normalized(text):
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def examples(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:]) for block in data.get("nlu") or []
            for line in (block.get("examples") or "").splitlines() if line.strip().startswith("- ")]


def training():
    return {normalized(e) for path in (ROOT / "nlu" / "data").rglob("*.yml") for e in examples(path)}


def eval_texts():
    cases = yaml.safe_load((ROOT / "bench" / "answer_cases.yml").read_text(encoding="utf-8"))
    texts = [t for by_language in cases["other_languages"].values() for t in by_language]
    for block in cases["digressions"].values():
        texts += [t for starters in block["starters"].values() for t in starters]
        texts += [t for question in block["questions"] for t in question.values()]
    texts += [block["starter"] for block in cases["identity"].values()]
    return texts


def test_no_held_out_question_is_a_training_example():
    trained = training()
    held_out = [e for path in sorted((ROOT / "tests" / "nlu").glob("holdout_*.yml")) for e in examples(path)]
    assert len(held_out) >= 300
    assert [e for e in held_out if normalized(e) in trained] == []


def test_no_eval_conversation_is_a_training_example():
    trained = training()
    texts = eval_texts()
    assert len(texts) >= 80
    assert [t for t in texts if normalized(t) in trained] == []
