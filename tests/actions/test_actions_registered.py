"""The action server finds every action the domain names, wherever in actions/ it is defined.

rasa-sdk imports the package given by `--actions actions` and its sub-packages, then registers
every concrete Action subclass loaded; an action in a module it never imports would be missing
only at run time ("action not found"). It runs in a fresh interpreter, as the action server does:
in this one the tests have already imported the actions themselves.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))

START_AS_THE_ACTION_SERVER = """
import json
import os
from rasa_sdk.executor import ActionExecutor

names = []

class Recording(ActionExecutor):
    def register_function(self, name, f):
        names.append(name)
        super().register_function(name, f)

Recording().register_package("actions")
print(json.dumps(names))
"""


def registered_names():
    out = subprocess.run([sys.executable, "-c", START_AS_THE_ACTION_SERVER], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_every_custom_action_and_form_validator_in_the_domain_is_registered():
    names = registered_names()
    missing = [a for a in DOMAIN["actions"] if a not in names]
    assert not missing, f"the action server would not find {missing}"
    assert {f"validate_{form}" for form in DOMAIN["forms"]} <= set(names), "each form's answers are validated"
    duplicated = sorted({n for n in names if names.count(n) > 1})
    assert not duplicated, f"two actions share the names {duplicated}: one would silently replace the other"
