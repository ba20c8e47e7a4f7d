"""The trained model on held-out questions it never saw, per language: intent macro F1 >= 0.90."""
import json
from pathlib import Path

import pytest
import yaml
from sklearn.metrics import classification_report, f1_score

HOLDOUT = Path(__file__).parent


def holdout(lang):
    data = yaml.safe_load((HOLDOUT / f"holdout_{lang}.yml").read_text(encoding="utf-8"))
    return [(line.strip()[2:].strip(), block["intent"])
            for block in data["nlu"] for line in block["examples"].splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_intent_macro_f1_on_held_out_questions(lang, parse, artifacts):
    examples = holdout(lang)
    assert len(examples) >= 150
    expected = [intent for _, intent in examples]
    predicted = [parse(text)["intent"]["name"] for text, _ in examples]

    macro_f1 = f1_score(expected, predicted, average="macro")
    report = classification_report(expected, predicted, output_dict=True, zero_division=0)
    errors = [{"text": t, "expected": e, "predicted": p} for (t, e), p in zip(examples, predicted) if e != p]
    (artifacts / f"nlu_holdout_{lang}.json").write_text(
        json.dumps({"macro_f1": macro_f1, "report": report, "errors": errors}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nintent macro F1 ({lang}, {len(examples)} held-out examples): {macro_f1:.3f}")
    assert macro_f1 >= 0.90, f"macro F1 {macro_f1:.3f}; errors: {errors[:15]}"
