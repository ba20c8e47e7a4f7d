"""The staff pages' Jinja2 templates (bot/web/templates), in the staff member's language.

A page's words come from the one bilingual layer (knowledge/wording/messages.yml, keys `staff_…`):
templates call `t("staff_…", **facts)`. The language is the account's choice, else the browser's
(Accept-Language), else the default; times are shown in Korea time.
"""
import datetime
import json
import zoneinfo
from pathlib import Path
from typing import Optional

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from knowledge.wording import DEFAULT_LANGUAGE, LANGUAGES, say
from knowledge.wording import formatting as fmt

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                        autoescape=select_autoescape(["html"]))
KOREA = zoneinfo.ZoneInfo("Asia/Seoul")


def browser_language(header: Optional[str]) -> Optional[str]:
    """The first of the assistant's languages the browser asks for (Accept-Language, by its weights)."""
    wanted = []
    for n, part in enumerate((header or "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            q = float(weight) if weight else 1.0
        except ValueError:
            continue
        wanted.append((-q, n, tag.split("-")[0].lower()))
    return next((lang for _, _, lang in sorted(wanted) if lang in LANGUAGES), None)


def page_language(request: web.Request, chosen: Optional[str] = None) -> str:
    return chosen if chosen in LANGUAGES else browser_language(request.headers.get("Accept-Language")) or DEFAULT_LANGUAGE


def korea_time(moment: Optional[datetime.datetime], lang: str) -> str:
    """A stored UTC time as Korea time, written the language's way ("2024년 3월 5일 14:05" / "5 March 2024, 14:05")."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=moment.tzinfo or datetime.timezone.utc).astimezone(KOREA)
    return say("staff_date_time", lang, date=fmt.date(local.date(), lang), time=local.strftime("%H:%M"))


def korea_clock(moment: datetime.datetime) -> str:
    """A stored UTC time's Korea time of day, to the second."""
    return moment.replace(tzinfo=moment.tzinfo or datetime.timezone.utc).astimezone(KOREA).strftime("%H:%M:%S")


def done_notice(query, lang: str, prefix: str) -> str:
    """The sentence a page's redirect named after a change (`?done=<key>&<facts>`), in the officer's
    language. Only keys under `prefix` are said, and only with all their facts: a crafted link
    cannot make a staff page show words of its own."""
    key = query.get("done", "")
    if not key.startswith(prefix):
        return ""
    facts = {name: value for name, value in query.items() if name != "done"}
    try:
        return say(key, lang, **facts)
    except (KeyError, IndexError):
        return ""


def script_json(value) -> str:
    """JSON to embed in a <script> element: "</" cannot end it early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def html(template: str, lang: str, status: int = 200, **values) -> web.Response:
    """A page that holds a session's data: never cached."""
    text = TEMPLATES.get_template(template).render(
        lang=lang, t=lambda key, **facts: say(key, lang, **facts), when=lambda moment: korea_time(moment, lang),
        day=lambda date: fmt.date(date, lang), clock=lambda moment: korea_clock(moment), **values)
    return web.Response(text=text, status=status, content_type="text/html", headers={"Cache-Control": "no-store"})
