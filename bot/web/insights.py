"""The insights page for the secretariat (http://localhost:8080/admin/insights), behind the staff
login: what applicants ask and what the assistant missed, over a range of days, with a CSV export.

The counts come from knowledge.insights, which this process keeps up to date from Rasa's tracker
store: at start, every minute, and before each page (only events not counted yet are read).
"""
import asyncio
import datetime
import functools
import json
import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.web.auth import session_of, staff_language
from bot.web.pages import html, script_json
from knowledge import insights
from knowledge.wording import LANGUAGES, message_keys, say

logger = logging.getLogger(__name__)
ROLL_UP_EVERY = 60  # seconds
DEFAULT_DAYS = 28
LONGEST_RANGE = datetime.timedelta(days=3 * 366)
# The chart script's words (messages.yml, insights_<word>), in the officer's language.
CHART_WORDS = ("series_conversations", "series_applicants", "series_messages", "series_not_understood",
               "series_out_of_scope", "series_faq", "series_answered", "channel_telegram", "channel_web", "channel_rest",
               "language_ko", "language_en")


async def roll_up(batches=None) -> None:
    try:
        await asyncio.get_running_loop().run_in_executor(None, functools.partial(insights.roll_up, batches=batches))
    except SQLAlchemyError:
        logger.exception("insights: the tracker store could not be read; the page shows what was counted")


async def _keep_rolling(app: web.Application) -> None:
    async def loop():
        while True:
            await roll_up()
            await asyncio.sleep(ROLL_UP_EVERY)

    app["insights_task"] = asyncio.get_running_loop().create_task(loop())


async def _stop_rolling(app: web.Application) -> None:
    app["insights_task"].cancel()


def _range(request: web.Request, lang: str):
    """The days asked for (Korea days, both inclusive), or the last four weeks; a problem if they are not days."""
    # The real day, not the pinned one (KCN_TODAY): conversations are stamped with the real clock.
    until = datetime.datetime.now(insights.KOREA).date()
    since = until - datetime.timedelta(days=DEFAULT_DAYS - 1)
    try:
        if request.query.get("from"):
            since = datetime.date.fromisoformat(request.query["from"])
        if request.query.get("to"):
            until = datetime.date.fromisoformat(request.query["to"])
    except ValueError:
        return since, until, say("insights_bad_range", lang)
    if since > until or until - since > LONGEST_RANGE:
        return until - datetime.timedelta(days=DEFAULT_DAYS - 1), until, say("insights_bad_range", lang)
    return since, until, ""


async def insights_page(request: web.Request) -> web.Response:
    session = session_of(request)
    lang = staff_language(request, session)
    since, until, problem = _range(request, lang)
    period = request.query.get("period") if request.query.get("period") in insights.PERIODS else "day"
    channel = request.query.get("channel") if request.query.get("channel") in insights.CHANNELS else None
    language = request.query.get("language") if request.query.get("language") in LANGUAGES else None
    await roll_up(batches=1)  # what came since the last minute; a first year's backlog is the background's
    data = insights.summary(since, until, period, channel, language)

    def topic_label(topic: str) -> str:
        return say(f"insights_topic_{topic}", lang) if f"insights_topic_{topic}" in message_keys() else topic

    data["topic_labels"] = [topic_label(topic) for topic, _ in data["topics"]]
    labels = {key: say(f"insights_{key}", lang) for key in CHART_WORDS}
    return html("insights.html", lang, topic_label=topic_label,
                labels_json=script_json(labels), user=session.staff.username, role=session.staff.role,
                csrf_token=session.csrf_token, data=data, problem=problem, period=period, channel=channel or "",
                language=language or "", channels=insights.CHANNELS, languages=LANGUAGES,
                here=str(request.rel_url), data_json=script_json(data))


async def insights_csv(request: web.Request) -> web.Response:
    lang = staff_language(request)
    since, until, problem = _range(request, lang)
    if problem:
        raise web.HTTPBadRequest(text=problem)
    period = request.query.get("period") if request.query.get("period") in insights.PERIODS else "day"
    await roll_up(batches=1)
    return web.Response(body=insights.csv_text(since, until, period).encode("utf-8"),
                        content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="kcn-insights-{since}-{until}.csv"',
                                 "Cache-Control": "no-store"})


def add_routes(app: web.Application) -> None:
    app.on_startup.append(_keep_rolling)
    app.on_cleanup.append(_stop_rolling)
    app.router.add_get("/admin/insights", insights_page)
    app.router.add_get("/admin/insights.csv", insights_csv)
