"""bot/run.py's production profile: one setting, two URLs, and a clear refusal when they are wrong."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import run
from knowledge import settings

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://kcn:s%40cret@db.internal:5433/kcn"


def test_the_endpoints_variables_come_from_the_two_urls():
    derived = run.production_environment(
        {"DATABASE_URL": POSTGRES, "REDIS_URL": "redis://:p%40ss%2Fword@cache.internal:6380/2"}, "http://actions:5055/webhook")
    assert derived == {"KCN_ACTION_URL": "http://actions:5055/webhook", "KCN_REDIS_HOST": "cache.internal",
                       "KCN_REDIS_PORT": "6380", "KCN_REDIS_DB": "2", "KCN_REDIS_USERNAME": "",
                       "KCN_REDIS_PASSWORD": "p@ss/word"}
    # Rasa's default port and lock database when the URL names none; the psycopg2 driver spelled out is fine.
    derived = run.production_environment({"DATABASE_URL": "postgresql+psycopg2://u@h/kcn", "REDIS_URL": "redis://cache"}, "")
    assert (derived["KCN_REDIS_PORT"], derived["KCN_REDIS_DB"], derived["KCN_REDIS_PASSWORD"]) == ("6379", "1", "")


@pytest.mark.parametrize("environ, says", [
    ({"REDIS_URL": "redis://cache"}, "DATABASE_URL=postgresql://"),
    ({"DATABASE_URL": "sqlite:///var/knowledge.db", "REDIS_URL": "redis://cache"}, "not a postgresql:// URL"),
    ({"DATABASE_URL": "postgres://u@h/kcn", "REDIS_URL": "redis://cache"}, "not a postgresql:// URL"),
    ({"DATABASE_URL": POSTGRES}, "REDIS_URL=redis://"),
    ({"DATABASE_URL": POSTGRES, "REDIS_URL": "cache:6379"}, "not such a URL"),
    ({"DATABASE_URL": POSTGRES, "REDIS_URL": "redis://cache/lock"}, "not such a URL"),
])
def test_missing_or_wrong_urls_are_refused_with_what_to_set(environ, says):
    with pytest.raises(run.ProfileError, match=says):
        run.production_environment(environ, "")


def test_only_production_or_nothing_is_a_profile():
    assert settings.value("KCN_PROFILE", {}) == "development"
    assert settings.value("KCN_PROFILE", {"KCN_PROFILE": "production"}) == "production"
    with pytest.raises(settings.SettingError, match="KCN_PROFILE='prod' is not valid"):
        settings.value("KCN_PROFILE", {"KCN_PROFILE": "prod"})


def test_only_starts_the_kinds_asked_for():
    every = run.commands("m.tar.gz", 5005, 5055, "e.yml", 8080, "http://localhost:5005")
    assert [c[2] for c in every] == ["bot.action_server", "bot.rasa_server", "bot.web", "bot.notify"]
    only = run.commands("m.tar.gz", 5005, 5055, "e.yml", 8080, "http://x", "http://rasa-1:5005", kinds=["web"])
    assert len(only) == 1 and only[0][-2:] == ["--rasa-api", "http://rasa-1:5005"]


def run_bot(*args, **environ):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RASA_API_TOKEN", "KCN_ACTION_TOKEN", "KCN_PROFILE", "KCN_SMTP_URL")}
    return subprocess.run([sys.executable, "-m", "bot.run", *args], cwd=ROOT, env={**env, **environ},
                          capture_output=True, text=True, timeout=60)


def test_the_production_profile_refuses_to_start_without_its_settings():
    result = run_bot(KCN_PROFILE="production", RASA_API_TOKEN="t", KCN_ACTION_TOKEN="a", REDIS_URL="redis://127.0.0.1:1")
    assert result.returncode == 2 and "needs DATABASE_URL=postgresql://" in result.stderr
    result = run_bot("--only", "rasa", KCN_PROFILE="production", KCN_ACTION_TOKEN="a", DATABASE_URL=POSTGRES,
                     REDIS_URL="redis://127.0.0.1:1")
    assert result.returncode == 2 and "needs RASA_API_TOKEN" in result.stderr
    result = run_bot("--only", "actions", KCN_PROFILE="production", DATABASE_URL=POSTGRES, REDIS_URL="redis://127.0.0.1:1")
    assert result.returncode == 2 and "needs KCN_ACTION_TOKEN" in result.stderr
    result = run_bot("--only", "actions", KCN_PROFILE="production", KCN_ACTION_TOKEN="a", DATABASE_URL=POSTGRES,
                     REDIS_URL="redis://127.0.0.1:1")
    assert result.returncode == 2 and "needs KCN_SMTP_URL=smtp://" in result.stderr
