"""nlu/INTENTS.md, the training data contract, against domain.yml and the training data folders.

Every intent of the domain is documented exactly once: in the table of intents users type, with
the feature folder holding its examples, or in the table of intents no user types. Those are
exactly nlu_fallback (Rasa's FallbackClassifier) and unreadable_message (the input screen); they
have no training examples. A name the domain does not have fails the test too.
"""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
INTENTS_MD = ROOT / "nlu" / "INTENTS.md"
NLU_DATA = ROOT / "nlu" / "data"

TYPED = "Intents users type"
NOT_TYPED = "Intents no user types"
FEATURES = "Where a feature's data lives"
# Never predicted from training examples: the FallbackClassifier's intent, and the one the input
# screen (bot/server/channels/input_screen.py) sends for empty or over-long messages.
NOT_FROM_NLU = {"nlu_fallback", "unreadable_message"}
LANGUAGES = ("ko", "en")


def tables():
    """{section heading: rows}, each row a list of cells without backticks; header rows left out."""
    found, section, in_table = {}, None, False
    for line in INTENTS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, in_table = line[3:].strip(), False
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip().replace("`", "") for c in line.strip().strip("|").split("|")]
        if not in_table:  # the header row
            in_table = True
            continue
        if set("".join(cells)) <= set("-: "):  # the separator row
            continue
        found.setdefault(section, []).append(cells)
    return found


def domain_intents():
    intents = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]
    return [i if isinstance(i, str) else next(iter(i)) for i in intents]


def example_locations():
    """intent -> {(feature folder, language)} of the files holding its examples."""
    where = {}
    for lang in LANGUAGES:
        for path in NLU_DATA.rglob(f"{lang}.yml"):
            folder = path.parent.relative_to(NLU_DATA).as_posix()
            for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
                where.setdefault(block["intent"], set()).add((folder, lang))
    return where


def test_every_domain_intent_is_documented_once_and_nothing_else():
    t = tables()
    documented = [row[0] for row in t.get(TYPED, []) + t.get(NOT_TYPED, [])]
    duplicates = sorted({i for i in documented if documented.count(i) > 1})
    assert duplicates == [], f"documented more than once in nlu/INTENTS.md: {duplicates}"
    domain = set(domain_intents())
    assert sorted(domain - set(documented)) == [], "intents of domain.yml missing from nlu/INTENTS.md"
    assert sorted(set(documented) - domain) == [], "nlu/INTENTS.md names intents domain.yml does not have"


def test_the_intents_no_user_types_are_exactly_the_fallback_and_the_input_screens():
    assert {row[0] for row in tables().get(NOT_TYPED, [])} == NOT_FROM_NLU
    assert NOT_FROM_NLU <= set(domain_intents())


def test_each_typed_intent_has_its_examples_in_the_feature_folder_named_for_it():
    where = example_locations()
    wrong = {}
    for intent, feature, *_ in tables()[TYPED]:
        expected = {(feature, lang) for lang in LANGUAGES}
        if where.get(intent, set()) != expected:
            wrong[intent] = {"INTENTS.md": feature, "examples in": sorted(where.get(intent, set()))}
    assert wrong == {}


def test_intents_no_user_types_have_no_training_examples():
    where = example_locations()
    assert {i: sorted(where[i]) for i in NOT_FROM_NLU if i in where} == {}


def test_every_trained_intent_is_in_the_domain():
    assert sorted(set(example_locations()) - set(domain_intents())) == []


def test_the_feature_table_names_every_data_file_and_only_existing_ones():
    rows = tables()[FEATURES]
    named = {p for row in rows for cell in row[1:] for p in re.findall(r"[\w./-]+/[\w./-]*|[\w-]+\.yml", cell)}
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == [], f"nlu/INTENTS.md names paths that do not exist: {missing}"
    folders = {p.parent.relative_to(ROOT).as_posix() + "/" for lang in LANGUAGES for p in NLU_DATA.rglob(f"{lang}.yml")}
    rules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.yml")}
    assert sorted((folders | rules) - named) == [], "training data files nlu/INTENTS.md does not list"
