"""knowledge/settings.py: every variable read, checked and explained the same way, and the README's
configuration table saying exactly what that module reads."""
import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import settings

ROOT = Path(__file__).resolve().parents[2]
# Read by the Makefile, not by the assistant's processes.
MAKE_VARIABLES = {"PYTHON310", "CHROMIUM"}
MALFORMED = {
    "DATABASE_URL": "not a url", "KCN_TODAY": "2024-13-01", "KCN_CORS_ORIGINS": "localhost:8080",
    "TELEGRAM_WEBHOOK_URL": "http://example.org/hook", "TELEGRAM_API_BASE_URL": "api.telegram.org",
    "KCN_ACTION_TIMEOUT": "soon", "KCN_MAX_MESSAGE_CHARS": "0", "KCN_TRACKER_CACHE": "lots", "KCN_PROFILE": "prod",
    "REDIS_URL": "cache:6379",
}


def configuration_table():
    """{variable: default column} from the README's "Configuration" table."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
            rows[name] = cells[1]
    return rows


def test_the_readme_table_lists_exactly_the_settings_with_their_defaults():
    table = configuration_table()
    assert set(table) - MAKE_VARIABLES == set(settings.SETTINGS)
    for name, setting in settings.SETTINGS.items():
        assert table[name] == setting.shown_default, name


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_value_is_refused_naming_the_variable_and_what_it_expects(name, monkeypatch):
    monkeypatch.setenv(name, MALFORMED[name])
    with pytest.raises(settings.SettingError, match=rf"^{name}=.* is not valid: expected "):
        settings.value(name)
    assert settings.problems([name]) and name in settings.problems()[0]


def test_unset_or_empty_gives_the_default_and_values_are_parsed(monkeypatch):
    for name in ("KCN_TRACKER_CACHE", "KCN_TODAY", "KCN_CORS_ORIGINS"):
        monkeypatch.setenv(name, "  ")
    assert settings.tracker_cache() == 500 and settings.today_override() is None and settings.cors_origins() == []
    monkeypatch.setenv("KCN_TRACKER_CACHE", "0")
    monkeypatch.setenv("KCN_TODAY", "2024-02-15")
    monkeypatch.setenv("KCN_CORS_ORIGINS", "https://a.example https://b.example/")
    assert settings.tracker_cache() == 0 and settings.today_override() == datetime.date(2024, 2, 15)
    assert settings.cors_origins() == ["https://a.example", "https://b.example"]


def test_secrets_are_not_repeated_in_the_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn:hunter2@db:notaport/kcn")
    message = "\n".join(settings.problems(["DATABASE_URL"]))
    assert "DATABASE_URL" in message and "hunter2" not in message


def run(module, **environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KCN_", "TELEGRAM_", "REDIS_"))}
    return subprocess.run([sys.executable, "-m", module], cwd=ROOT, env={**env, **environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)


def test_the_assistant_does_not_start_with_a_malformed_setting():
    """`KCN_TODAY=2024-13-01 make run` used to start and then answer every question with an apology."""
    result = run("bot.run", KCN_TODAY="2024-13-01", KCN_TRACKER_CACHE="lots")
    assert result.returncode == 2
    assert "KCN_TODAY='2024-13-01' is not valid: expected a date like 2024-02-15" in result.stderr
    assert "KCN_TRACKER_CACHE='lots' is not valid" in result.stderr
    assert "Starting" not in result.stdout


@pytest.mark.parametrize("module, name, bad", [
    ("bot.rasa_server", "KCN_TRACKER_CACHE", "-1"),
    ("bot.action_server", "KCN_TODAY", "tomorrow"),
    ("bot.web", "KCN_MAX_MESSAGE_CHARS", "many"),
])
def test_each_process_checks_its_settings_when_it_starts(module, name, bad):
    result = run(module, **{name: bad, "RASA_API_TOKEN": "t", "KCN_ACTION_TOKEN": "a"})
    assert result.returncode == 2 and f"{name}='{bad}' is not valid" in result.stderr, result.stderr[-2000:]
