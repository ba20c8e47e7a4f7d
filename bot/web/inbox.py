"""The unanswered-questions inbox for the secretariat (http://localhost:8080/admin/inbox), behind
the staff login: what the assistant did not understand, declined or answered unsurely, grouped
by question (knowledge.inbox), each group answered as a new FAQ entry, marked as training
examples of an intent, or dismissed; and each message's conversation, masked, one click away.

The messages come from the insights' roll-up (bot/web/insights.py), run before each page.
"""
import asyncio
import datetime
import functools
import logging
from typing import Dict, List, Optional
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from yarl import URL

from bot.web import insights as insights_page
from bot.web.auth import session_of, staff_language
from bot.web.helpdesk import transcript
from bot.web.pages import done_notice, html
from knowledge import inbox, transfer
from knowledge.masking import mask
from knowledge.wording import LANGUAGES, say, words

logger = logging.getLogger(__name__)
SHOWN_GROUPS = 50
SHOWN_MESSAGES = 8  # per group; the rest are counted
DONE = "inbox_done_"


def _ids(form) -> List[int]:
    return [int(value) for value in form.getall("id", []) if str(value).isdigit()]


def _filters(request: web.Request):
    language = request.query.get("language") if request.query.get("language") in LANGUAGES else ""
    order = request.query.get("order") if request.query.get("order") in inbox.ORDERS else inbox.ORDERS[0]
    return language, order


async def render(request: web.Request, problems=(), typed: Optional[Dict[str, str]] = None, status: int = 200):
    session = session_of(request)
    lang = staff_language(request, session)
    language, order = _filters(request)
    await insights_page.roll_up(batches=1)
    # Grouping reads every message's words (kiwipiepy): off the event loop, which serves the console's streams.
    groups = await asyncio.get_running_loop().run_in_executor(None, functools.partial(inbox.open_groups, language or None, order))
    filters = urlencode({"order": order, **({"language": language} if language else {})})
    return html("inbox.html", lang, status=status, user=session.staff.username, role=session.staff.role,
                csrf_token=session.csrf_token, here=str(request.rel_url), filters=filters, groups=groups[:SHOWN_GROUPS],
                group_count=len(groups), open_count=inbox.open_count(), shown_messages=SHOWN_MESSAGES,
                language=language, order=order, languages=LANGUAGES, orders=inbox.ORDERS,
                intents={code: inbox.intents(code) for code in LANGUAGES}, waiting=inbox.training_waiting(),
                problems=problems, typed=typed or {},
                notice=done_notice(request.query, lang, DONE) if request.method == "GET" else "")


async def inbox_page(request: web.Request) -> web.Response:
    return await render(request)


def _back(request: web.Request, done: str, count: int) -> web.HTTPFound:
    """Back to the inbox, with the officer's filters, saying what was done."""
    language, order = _filters(request)
    query = {"done": done, "count": str(count), "order": order, **({"language": language} if language else {})}
    return web.HTTPFound(str(URL("/admin/inbox").with_query(query)))


async def answer_with_faq(request: web.Request) -> web.Response:
    form = await request.post()
    entry = {field: {code: str(form.get(f"{field}_{code}", "")) for code in LANGUAGES} for field in ("question", "answer")}
    try:
        count = inbox.answer_with_faq(_ids(form), entry, by=session_of(request).staff.username)
    except transfer.ImportRejected as rejected:
        typed = {"group": str(form.get("group", "")), **{f"{f}_{c}": v for f, texts in entry.items() for c, v in texts.items()}}
        return await render(request, problems=rejected.problems, typed=typed, status=422)
    raise _back(request, "inbox_done_faq", count)


async def mark_training(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        count = inbox.mark_training(_ids(form), str(form.get("intent", "")), by=session_of(request).staff.username)
    except inbox.UnknownIntent:
        return await render(request, problems=[transfer.problem("intent", "inbox_problem_intent")], status=422)
    raise _back(request, "inbox_done_training", count)


async def dismiss(request: web.Request) -> web.Response:
    form = await request.post()
    raise _back(request, "inbox_done_dismissed", inbox.dismiss(_ids(form), by=session_of(request).staff.username))


async def conversation_page(request: web.Request) -> web.Response:
    """A message's conversation as the helpdesk console shows it, masked like the inbox."""
    session = session_of(request)
    lang = staff_language(request, session)
    found = inbox.message(int(request.match_info["message_id"]))
    if found is None:  # handled long ago and deleted with its conversation (retention)
        raise web.HTTPNotFound(text=say("inbox_conversation_gone", lang))
    message, conversation_id = found
    problem, lines = "", []
    try:
        lines = transcript(await request.app["rasa"].tracker(conversation_id))
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("inbox: the conversation could not be read from the Rasa server (%s)", error)
        problem = say("inbox_conversation_unreachable", lang)
    sent_at = message.at.replace(tzinfo=datetime.timezone.utc).timestamp()
    texts = words("console_texts", lang)  # the console's words for who said what
    for line in lines:
        who = line["from"]
        line["text"] = mask(line["text"])
        if who == "system":  # an event: its sentence, with the button's title
            line["who"], line["text"] = texts[line["event"]].format(button=line["text"]), ""
        else:
            line["who"] = texts["officer"].format(name=who[8:]) if who.startswith("officer:") else texts[who]
        line["this"] = line["from"] == "applicant" and abs((line.get("at") or 0) - sent_at) < 0.01
        line["when"] = datetime.datetime.fromtimestamp(line.get("at") or 0, datetime.timezone.utc)
    return html("inbox_conversation.html", lang, user=session.staff.username, role=session.staff.role,
                csrf_token=session.csrf_token, here=str(request.rel_url), message=message, lines=lines, problem=problem)


async def _warm_up(app: web.Application) -> None:
    app["inbox_warm_up"] = asyncio.get_running_loop().run_in_executor(None, inbox.warm_up)


def add_routes(app: web.Application) -> None:
    app.on_startup.append(_warm_up)
    app.router.add_get("/admin/inbox", inbox_page)
    app.router.add_post("/admin/inbox/faq", answer_with_faq)
    app.router.add_post("/admin/inbox/training", mark_training)
    app.router.add_post("/admin/inbox/dismiss", dismiss)
    app.router.add_get("/admin/inbox/messages/{message_id:\\d+}", conversation_page)
