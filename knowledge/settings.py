"""Every environment variable the assistant reads, each read, checked and explained the same way.

Each process checks the settings it uses when it starts (`require(...)`, called by bot/run.py and
the entry points of the Rasa server, the action server and the web front), so a malformed value
stops the start with a message naming the variable instead of breaking later answers. The README's
"Configuration" table lists exactly these variables with these defaults (tests/test_settings.py).

An accessor reads the environment at each call: tests and the process runner change it, and a
lookup costs nothing next to a message's handling.
"""
import datetime
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """A variable's value is malformed; the message names the variable and what it expects."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any  # the value when unset or empty (already parsed)
    parse: Callable[[str], Any]  # raises ValueError on a malformed value
    expects: str  # what a valid value looks like, for the error message
    shown_default: str  # the default as the README's table says it


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError(raw)
    return value


def _count(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(raw)
    return value


def _seconds(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError(raw)
    return value


def _http_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(raw)
    return raw


def _https_url(raw: str) -> str:
    if urlsplit(_http_url(raw)).scheme != "https":
        raise ValueError(raw)
    return raw


def _origins(raw: str) -> List[str]:
    return [_http_url(origin.rstrip("/")) for origin in raw.split()]


def _profile(raw: str) -> str:
    if raw not in ("development", "production"):
        raise ValueError(raw)
    return raw


def _database_url(raw: str) -> str:
    from sqlalchemy.engine import make_url  # only when a URL is set: keeps this module light

    make_url(raw)  # ArgumentError is a ValueError's sibling: re-raised below as one
    return raw


def _redis_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme != "redis" or not parts.hostname or parts.query:
        raise ValueError(raw)
    parts.port  # noqa: B018  (raises ValueError on a malformed port)
    int(parts.path.strip("/") or 0)
    return raw


def _text(raw: str) -> str:
    return raw


def _smtp_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ValueError(raw)
    parts.port  # noqa: B018  (raises ValueError on a malformed port)
    return raw


def _mail_from(raw: str) -> str:
    from email.utils import parseaddr  # only when set

    _name, address = parseaddr(raw)
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        raise ValueError(raw)
    return raw


def _switch(raw: str) -> bool:
    words = {"on": True, "true": True, "yes": True, "1": True, "off": False, "false": False, "no": False, "0": False}
    return words[raw.lower()]  # KeyError: reported as malformed


def _days_before(raw: str) -> List[int]:
    days = sorted({int(part) for part in raw.split()}, reverse=True)
    if not days or days[-1] < 0:
        raise ValueError(raw)
    return days


def _networks(raw: str) -> List[Any]:
    import ipaddress  # only when set

    return [ipaddress.ip_network(part, strict=False) for part in raw.split()]


_ALL = (
    Setting("DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'var' / 'knowledge.db'}", _database_url,
            "an SQLAlchemy URL, e.g. postgresql://user:pass@host/kcn",
            "`sqlite:///var/knowledge.db` (in the project folder)"),
    Setting("KCN_TODAY", None, datetime.date.fromisoformat, "a date like 2024-02-15", "the real date"),
    Setting("KCN_CORS_ORIGINS", [], _origins, "web origins separated by spaces, e.g. https://www.example.org",
            "`http://localhost:8080 http://127.0.0.1:8080`"),
    Setting("TELEGRAM_BOT_TOKEN", "", _text, "the token from @BotFather", "unset (Telegram off)"),
    Setting("TELEGRAM_WEBHOOK_URL", "", _https_url, "the public https:// URL of /webhooks/telegram/webhook", "unset"),
    Setting("TELEGRAM_WEBHOOK_SECRET", "", _text, "a secret Telegram echoes in a header", "unset"),
    Setting("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot", _http_url, "an http(s):// URL ending in /bot",
            "`https://api.telegram.org/bot`"),
    Setting("RASA_API_TOKEN", "", _text, "a long random string", "random per run"),
    Setting("KCN_ACTION_TOKEN", "", _text, "a long random string", "random per run"),
    Setting("KCN_ACTION_HOST", "127.0.0.1", _text, "an interface address, e.g. 0.0.0.0", "`127.0.0.1`"),
    Setting("KCN_ACTION_TIMEOUT", 15.0, _seconds, "a number of seconds above 0, e.g. 15", "`15`"),
    Setting("KCN_MAX_MESSAGE_CHARS", 2000, _positive_int, "a whole number above 0, e.g. 2000", "`2000`"),
    # Drafts opened in the chat and still drafts, counted over the last KCN_DRAFT_LIMIT_HOURS.
    Setting("KCN_DRAFTS_PER_EMAIL", 5, _positive_int, "a whole number above 0, e.g. 5", "`5`"),
    Setting("KCN_DRAFTS_PER_CONVERSATION", 3, _positive_int, "a whole number above 0, e.g. 3", "`3`"),
    Setting("KCN_DRAFT_LIMIT_HOURS", 24.0, _seconds, "a number of hours above 0, e.g. 24", "`24`"),
    Setting("KCN_TRACKER_DB", str(PROJECT_ROOT / "var" / "tracker.db"), _text, "a file path", "`var/tracker.db`"),
    # About 2 KB per event: a 25-question conversation (170 events) takes ~340 KB.
    Setting("KCN_TRACKER_CACHE", 500, _count, "a whole number, 0 or more, e.g. 500", "`500`"),
    Setting("KCN_PROFILE", "development", _profile, "`production`, or unset for development", "unset (development)"),
    Setting("REDIS_URL", "", _redis_url, "redis://[:password@]host[:port][/db]", "unset"),
    # Applicants' one-time codes (knowledge/mail.py): unset, each mail is written to KCN_MAIL_OUTBOX.
    Setting("KCN_SMTP_URL", "", _smtp_url, "smtp://[user:password@]host[:port] or smtps://…",
            "unset (mail is written to `KCN_MAIL_OUTBOX`)"),
    Setting("KCN_MAIL_FROM", "K-City Network <no-reply@localhost>", _mail_from,
            "a sender address, e.g. K-City Network <no-reply@example.org>", "`K-City Network <no-reply@localhost>`"),
    Setting("KCN_MAIL_OUTBOX", str(PROJECT_ROOT / "var" / "outbox"), _text, "a folder path", "`var/outbox`"),
    # Status news and deadline reminders (knowledge/notifications.py, sent by bot/notify/).
    Setting("KCN_REMINDER_DAYS", [7, 1], _days_before, "days before a deadline separated by spaces, e.g. 7 1",
            "`7 1`"),
    Setting("KCN_NOTIFY_INTERVAL", 5.0, _seconds, "a number of seconds above 0, e.g. 5", "`5`"),
    Setting("KCN_RETENTION_INTERVAL", 3600.0, _seconds, "a number of seconds above 0, e.g. 3600", "`3600`"),
    # None: decided by the profile (the accessors below).
    Setting("KCN_REST_CHANNEL", None, _switch, "on or off", "on in development, off in the production profile"),
    Setting("KCN_SECURE_COOKIES", None, _switch, "on or off",
            "on in the production profile, else only on HTTPS requests"),
    Setting("KCN_TRUSTED_PROXIES", [], _networks, "IP addresses or networks separated by spaces, e.g. 10.0.0.0/8",
            "unset (the connection's own address)"),
)
SETTINGS: Dict[str, Setting] = {s.name: s for s in _ALL}


def value(name: str, environ: Optional[Mapping[str, str]] = None) -> Any:
    """The parsed value of one variable (from `environ`, by default the process's environment), or
    its default; SettingError if it is malformed."""
    setting = SETTINGS[name]
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return setting.default
    try:
        return setting.parse(raw)
    except Exception as error:  # ValueError, SQLAlchemy's ArgumentError: all say "malformed"
        shown = raw if "TOKEN" not in name and "SECRET" not in name and "URL" not in name else "…"
        raise SettingError(f"{name}={shown!r} is not valid: expected {setting.expects}") from error


def problems(names: Iterable[str] = SETTINGS, environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """What is wrong with these variables (empty when all are well formed)."""
    found = []
    for name in names:
        try:
            value(name, environ)
        except SettingError as error:
            found.append(str(error))
    return found


def require(process: str, names: Iterable[str] = SETTINGS) -> None:
    """Stops `process` at its start if any of these variables is malformed, naming each."""
    found = problems(names)
    if found:
        print(f"error: {process} cannot start:\n  " + "\n  ".join(found), file=sys.stderr)
        raise SystemExit(2)


# --- Accessors, one per variable ---------------------------------------------------------------

def database_url() -> str:
    return value("DATABASE_URL")


def today_override() -> Optional[datetime.date]:
    return value("KCN_TODAY")


def cors_origins() -> List[str]:
    return value("KCN_CORS_ORIGINS")


def telegram_bot_token() -> str:
    return value("TELEGRAM_BOT_TOKEN")


def telegram_webhook_url() -> str:
    return value("TELEGRAM_WEBHOOK_URL")


def telegram_webhook_secret() -> str:
    return value("TELEGRAM_WEBHOOK_SECRET")


def telegram_api_base_url() -> str:
    return value("TELEGRAM_API_BASE_URL")


def rasa_api_token() -> str:
    return value("RASA_API_TOKEN")


def action_token() -> str:
    return value("KCN_ACTION_TOKEN")


def action_host() -> str:
    return value("KCN_ACTION_HOST")


def action_timeout() -> float:
    return value("KCN_ACTION_TIMEOUT")


def max_message_chars() -> int:
    return value("KCN_MAX_MESSAGE_CHARS")


def drafts_per_email() -> int:
    return value("KCN_DRAFTS_PER_EMAIL")


def drafts_per_conversation() -> int:
    return value("KCN_DRAFTS_PER_CONVERSATION")


def draft_limit_period() -> datetime.timedelta:
    return datetime.timedelta(hours=value("KCN_DRAFT_LIMIT_HOURS"))


def tracker_db() -> str:
    return value("KCN_TRACKER_DB")


def tracker_cache() -> int:
    return value("KCN_TRACKER_CACHE")


def profile() -> str:
    return value("KCN_PROFILE")


def is_production() -> bool:
    return profile() == "production"


def redis_url() -> str:
    return value("REDIS_URL")


def rest_channel() -> bool:
    """Whether the REST channel takes messages: it trusts any sender id, so production needs it asked for."""
    chosen = value("KCN_REST_CHANNEL")
    return (not is_production()) if chosen is None else chosen


def secure_cookies() -> Optional[bool]:
    """True/False when set (or True in production, where TLS ends at the balancer and requests
    arrive as plain HTTP); None: Secure only on requests that came over HTTPS."""
    chosen = value("KCN_SECURE_COOKIES")
    return (True if is_production() else None) if chosen is None else chosen


def trusted_proxies() -> List[Any]:
    """The load balancers whose X-Forwarded-For the web front believes (ipaddress networks)."""
    return value("KCN_TRUSTED_PROXIES")


def smtp_url() -> str:
    return value("KCN_SMTP_URL")


def mail_from() -> str:
    return value("KCN_MAIL_FROM")


def mail_outbox() -> Path:
    return Path(value("KCN_MAIL_OUTBOX"))


def reminder_days() -> List[int]:
    """Days before a draft's deadline on which a reminder goes out, largest first."""
    return value("KCN_REMINDER_DAYS")


def retention_interval() -> float:
    """Seconds between the retention job's runs (in the notification worker)."""
    return value("KCN_RETENTION_INTERVAL")


def notify_interval() -> float:
    """Seconds between the notification worker's looks for news to send."""
    return value("KCN_NOTIFY_INTERVAL")
