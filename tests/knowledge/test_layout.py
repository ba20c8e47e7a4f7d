"""The knowledge package's public faces: `models` and `transfer` re-export what lives in their modules."""
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import tables as m
from knowledge import transfer
from knowledge.transfer import places

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_is_reachable_from_the_models_package():
    exported = {getattr(m, name) for name in m.__all__}
    for mapper in m.Base.registry.mappers:
        assert mapper.class_ in exported, f"knowledge.tables does not export {mapper.class_.__name__}"
    assert set(m.__all__) <= set(dir(m))


def test_transfer_keeps_its_public_names():
    for name in ("export_data", "dump", "flatten", "validate", "Problem", "ImportRejected", "import_data", "history",
                 "set_values", "add_faq", "remove_faq", "copy_call", "revert", "RULE_TABLES", "TRACK_CODES"):
        assert hasattr(transfer, name), name
    assert callable(transfer.validate), "the function, not the module of the same job"


# The seed loader uses transfer's validator and loader: whichever is imported first, both must load.
@pytest.mark.parametrize("first", ["knowledge.seed", "knowledge.transfer", "knowledge.transfer.rows",
                                   "knowledge.tables.staff", "knowledge.__main__"])
def test_the_modules_import_in_any_order(first):
    code = f"import {first}; from knowledge import seed, transfer; assert seed.load is transfer.rows.load"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr


def test_a_place_names_the_leaf_flatten_lists():
    data = {"calls": [{"tracks": [{"code": "planning"}, {"deadline": None}]}], "faq": []}
    assert places.flatten(data) == {"calls[0].tracks[0].code": "planning", "calls[0].tracks[1].deadline": "", "faq": "[]"}
    assert places.steps("calls[0].tracks[1].deadline") == ["calls", 0, "tracks", 1, "deadline"]
