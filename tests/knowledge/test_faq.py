"""FAQ retrieval: answers a question its intents do not cover when the match is confident.

Precision is measured on held-out paraphrases (tests/faq/holdout.yml) of sample FAQ entries
(tests/faq/faq.yml), with unrelated questions mixed in; the threshold was chosen on tests/faq/dev.yml.
The report is written to tests/artifacts/faq_holdout.json.
"""
import json
from pathlib import Path

import pytest
import yaml

from knowledge import faq, transfer

FAQ_DIR = Path(__file__).resolve().parents[1] / "faq"


@pytest.fixture
def sample_faq(knowledge_db):
    for entry in yaml.safe_load((FAQ_DIR / "faq.yml").read_text(encoding="utf-8")):
        transfer.add_faq(entry["question"]["ko"], entry["question"]["en"], entry["answer"]["ko"], entry["answer"]["en"],
                         by="test")


def evaluate(cases, lang):
    answered = correct = covered = related = 0
    errors = []
    for question, expected in cases:
        match = faq.best_match(question, lang)
        related += expected is not None
        if match is None:
            if expected is not None:
                errors.append({"question": question, "expected": expected, "got": None})
            continue
        answered += 1
        if match.index == expected:
            correct += 1
            covered += 1
        else:
            errors.append({"question": question, "expected": expected, "got": match.index, "score": round(match.score, 3)})
    return {"precision": correct / answered if answered else 0.0, "coverage": covered / related,
            "answered": answered, "questions": len(cases), "errors": errors}


def test_an_added_entry_is_answered_at_once_in_both_languages(knowledge_db):
    assert faq.best_match("Can the proposal be written in English?", "en") is None
    transfer.add_faq("제안서를 영어로 작성해도 되나요?", "Can the proposal be written in English?",
                     "네, 가능합니다.", "Yes, it can.", by="kim")
    assert faq.best_match("may we write our proposal in English?", "en").answer == "Yes, it can."
    assert faq.best_match("제안서 영어로 써도 돼요?", "ko").answer == "네, 가능합니다."
    transfer.remove_faq(0, by="kim")
    assert faq.best_match("may we write our proposal in English?", "en") is None


def test_an_entry_missing_a_language_is_refused(knowledge_db):
    with pytest.raises(transfer.ImportRejected, match=r"faq\[0\]"):
        transfer.add_faq("", "Is there a fee?", "없습니다.", "No.")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_precision_on_held_out_paraphrases(sample_faq, artifacts, lang):
    cases = yaml.safe_load((FAQ_DIR / "holdout.yml").read_text(encoding="utf-8"))[lang]
    report = evaluate(cases, lang)
    (artifacts / f"faq_holdout_{lang}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    assert report["precision"] >= 0.9, report
    assert report["coverage"] >= 0.55, report
