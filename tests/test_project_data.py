"""Rasa's own checks of the training data, and the multi-turn test stories against the trained model."""
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
ENV = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false")


# Intents no user types: the NLU's fallback, and what the input screen (bot/server/channels/input_screen.py) sends.
NOT_FROM_NLU = {"nlu_fallback", "unreadable_message"}


def test_rasa_data_validate_finds_no_problem():
    result = subprocess.run([RASA, "data", "validate", "--data", "data", "nlu/data", "nlu/reviewed", "--domain", "domain.yml",
                             "--config", "config.yml", "--fail-on-warnings"],
                            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def training_files(lang):
    """One language's NLU files: nlu/data/<feature>/{lang}.yml, at any depth."""
    return sorted((ROOT / "nlu" / "data").rglob(f"{lang}.yml"))


def training_examples(lang):
    """(intent, example) pairs of one language, from every file of that language under nlu/data."""
    for path in training_files(lang):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip():
                    yield block["intent"], line.strip()[2:].strip()


def test_every_nlu_file_is_named_after_its_language():
    """A file named otherwise would still be trained on, but the counts below would miss it."""
    files = sorted((ROOT / "nlu" / "data").rglob("*.y*ml"))
    assert files
    assert [f for f in files if f.name not in ("ko.yml", "en.yml")] == []
    assert training_files("ko") and training_files("en")


def test_every_example_is_in_its_language_file():
    from nlu.language import detect_language

    wrong = [(lang, intent, text) for lang in ("ko", "en") for intent, text in training_examples(lang)
             if detect_language(text) != lang]
    assert wrong == []


def test_every_intent_has_at_least_20_training_examples_per_language():
    counts = {}
    for lang in ("ko", "en"):
        for intent, _ in training_examples(lang):
            counts[(intent, lang)] = counts.get((intent, lang), 0) + 1
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for intent in domain["intents"]:
        if intent in NOT_FROM_NLU:
            continue
        for lang in ("ko", "en"):
            assert counts.get((intent, lang), 0) >= 20, f"{intent} has {counts.get((intent, lang), 0)} {lang} examples"


def test_multi_turn_stories_pass(model_path, tmp_path):
    result = subprocess.run([RASA, "test", "core", "--model", str(model_path), "--stories", "tests/stories",
                             "--out", str(tmp_path), "--fail-on-prediction-errors"],
                            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]
    assert "# None of the test stories failed" in details or not details.strip()
