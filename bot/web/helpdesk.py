"""The helpdesk console (http://localhost:8080/helpdesk): officers take conversations over and hand them back.

What applicants and the bot said is read from Rasa's tracker store through Rasa's HTTP API; an
officer's reply is appended to the tracker as a bot event with `execute_side_effects`, so Rasa
delivers it on the applicant's own channel (Telegram or the web widget). The queue and its
history live in knowledge.handoffs; the login is bot/web/auth.py.

An officer reads only conversations handed to the helpdesk: those waiting or being answered, and
those they answered themselves; an admin also every past handoff's (knowledge.handoffs.visible_to).
Any other conversation id answers 404, as if it did not exist.
"""
import asyncio
import datetime
import hashlib
import json
import logging
from typing import Any, Dict, List, Optional

import aiohttp
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.web.auth import current_session, session_of, staff_language
from bot.web.pages import html, korea_time, script_json
from bot.web.rasa_client import RasaApi
from knowledge import handoffs, service, staff
from knowledge.wording import HELPDESK_LABEL, helpdesk_label, say, words

logger = logging.getLogger(__name__)

REPLY_LIMIT = 4000
STREAM_INTERVAL = 0.5  # seconds between checks for news on the live stream


def transcript(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """What was said, in order: the applicant's messages, the bot's and the officers' replies, and
    what happened ("event": a button pressed, with the title the applicant saw; the bot paused or
    resumed), which the console words in the officer's language."""
    lines, buttons = [], {}
    for e in tracker.get("events", []):
        if e.get("event") == "user" and e.get("text"):
            text = e["text"]
            if text.startswith("EXTERNAL:"):  # an intent the console triggered (hand back)
                continue
            if text.startswith("/"):  # a button press or command, not typed words
                command = text.split("{")[0]
                if command == "/greet" and text not in buttons:  # the widget or Telegram's /start opening the chat
                    lines.append({"from": "system", "event": "started", "text": "", "at": e.get("timestamp")})
                    continue
                shown = buttons.get(text) or command  # its title, else the command without its entities
                lines.append({"from": "system", "event": "pressed", "text": shown, "at": e.get("timestamp")})
                continue
            lines.append({"from": "applicant", "text": text, "at": e.get("timestamp")})
        elif e.get("event") == "bot" and (e.get("text") or "").strip():
            officer = (e.get("metadata") or {}).get("helpdesk_officer")
            lines.append({"from": f"officer:{officer}" if officer else "bot", "text": e["text"], "at": e.get("timestamp")})
            buttons = {b.get("payload"): b.get("title") or b.get("payload") for b in (e.get("data") or {}).get("buttons") or []}
        elif e.get("event") in ("pause", "resume"):
            lines.append({"from": "system", "event": "paused" if e["event"] == "pause" else "resumed", "text": "",
                          "at": e.get("timestamp")})
    return lines


def _desk_json(desk: Optional[service.Helpdesk], lang: str) -> Dict[str, Any]:
    """Whether the helpdesk is open now, and its hours (the knowledge base's helpdesk section)."""
    return {"open": desk.is_open(), "hours": desk.hours.get(lang)} if desk else {"open": True, "hours": ""}


def _handoff_json(h: handoffs.Handoff, desk: Optional[service.Helpdesk]) -> Dict[str, Any]:
    """A handoff for the console; with the helpdesk's hours, whether it was asked outside them."""
    outside = bool(desk) and not desk.is_open(h.requested_at.replace(tzinfo=datetime.timezone.utc))
    return {"id": h.id, "conversation_id": h.conversation_id, "channel": h.channel, "language": h.language,
            "reason": h.reason, "status": h.status, "requested_at": h.requested_at.isoformat() + "Z",
            "outside_hours": outside,
            "claimed_by": h.claimed_by, "notes": [{"author": n.author, "at": n.at.isoformat() + "Z", "body": n.body}
                                                  for n in h.notes]}


async def console_page(request: web.Request) -> web.Response:
    session = session_of(request)
    lang = staff_language(request)
    canned = service.canned_replies()
    return html("console.html", lang, user=session.staff.username, role=session.staff.role, csrf_token=session.csrf_token,
                console_texts=script_json(words("console_texts", lang)), canned=canned,
                canned_json=script_json([{"ko": r.text.ko, "en": r.text.en} for r in canned]))


# --- The queue and one conversation ------------------------------------------------------------


async def _queue_json(rasa: RasaApi, desk: Optional[service.Helpdesk]) -> List[Dict[str, Any]]:
    items = []
    for h in handoffs.queue():
        item = _handoff_json(h, desk)
        try:
            said = transcript(await rasa.tracker(h.conversation_id))
            last = next((x for x in reversed(said) if x["from"] == "applicant"), None)
            item["last_message"] = last["text"] if last else ""
        except aiohttp.ClientError:
            item["last_message"] = ""
        items.append(item)
    return items


async def _conversation_json(rasa: RasaApi, conversation_id: str, desk: Optional[service.Helpdesk]) -> Dict[str, Any]:
    current = handoffs.open_for(conversation_id)
    tracker = await rasa.tracker(conversation_id)
    return {"conversation_id": conversation_id, "paused": tracker.get("paused", False),
            "handoff": _handoff_json(current, desk) if current else None, "transcript": transcript(tracker)}



def may_read(officer: staff.Staff, conversation_id: str) -> bool:
    return handoffs.visible_to(conversation_id, officer.username, past_too=officer.role == "admin")


def _not_with_the_helpdesk(request: web.Request) -> web.Response:
    return web.json_response({"error": say("staff_not_with_helpdesk", staff_language(request))}, status=404)


async def queue_api(request: web.Request) -> web.Response:
    desk = service.helpdesk()
    return web.json_response({"queue": await _queue_json(request.app["rasa"], desk),
                              "desk": _desk_json(desk, staff_language(request))})


def _day(request: web.Request, name: str):
    raw = request.query.get(name, "")
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise web.HTTPBadRequest(text=json.dumps({"error": say("staff_search_bad_date", staff_language(request), value=repr(raw))},
                                                 ensure_ascii=False), content_type="application/json") from None


async def search_api(request: web.Request) -> web.Response:
    """Past handoffs the officer may read, by words and days (knowledge.handoffs.search)."""
    officer = session_of(request).staff
    lang = staff_language(request)
    found = handoffs.search(officer.username, request.query.get("q", "")[:100], _day(request, "from"), _day(request, "to"),
                            past_too=officer.role == "admin")
    desk = service.helpdesk()
    return web.json_response({"handoffs": [{**_handoff_json(h, desk), "requested_at_shown": korea_time(h.requested_at, lang)}
                                           for h in found]})


async def conversation_api(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    if not may_read(session_of(request).staff, conversation_id):
        return _not_with_the_helpdesk(request)
    return web.json_response(await _conversation_json(request.app["rasa"], conversation_id, service.helpdesk()))


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the queue (and the open conversation) whenever they change. The
    conversation is checked again at every snapshot: once an officer may no longer read it (another
    officer handed it back), it is sent as null."""
    rasa: RasaApi = request.app["rasa"]
    officer = session_of(request).staff
    conversation_id = request.query.get("conversation")
    if conversation_id and not may_read(officer, conversation_id):
        return _not_with_the_helpdesk(request)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    await response.prepare(request)
    last = None
    while True:
        try:
            desk = service.helpdesk()  # once per snapshot, for every handoff in it
            snapshot = {"queue": await _queue_json(rasa, desk), "desk": _desk_json(desk, staff_language(request))}
            if conversation_id:
                snapshot["conversation"] = (await _conversation_json(rasa, conversation_id, desk)
                                            if may_read(officer, conversation_id) else None)
            data = json.dumps(snapshot, ensure_ascii=False)
        except (aiohttp.ClientError, SQLAlchemyError) as error:
            data = json.dumps({"error": say("staff_live_unavailable", staff_language(request), error=type(error).__name__)},
                              ensure_ascii=False)
        digest = hashlib.sha256(data.encode()).hexdigest()
        if digest != last:
            last = digest
            try:
                await response.write(f"data: {data}\n\n".encode())
            except (ConnectionResetError, RuntimeError):
                break
        if current_session(request) is None:  # logged out or expired meanwhile
            break
        await asyncio.sleep(STREAM_INTERVAL)
    return response


def _handoff_step(step):
    """Runs one officer action on a handoff; a refused step answers 409 with the reason."""

    async def handler(request: web.Request) -> web.Response:
        officer = session_of(request).staff.username
        try:
            handoff_id = int(request.match_info["handoff_id"])
            body = await request.json() if request.can_read_body else {}
            result = await step(request.app["rasa"], handoff_id, officer, body if isinstance(body, dict) else {})
        except handoffs.HandoffError as refused:
            return web.json_response({"error": refused.said_in(staff_language(request))}, status=409)
        except ValueError:
            return web.json_response({"error": say("staff_bad_request", staff_language(request))}, status=400)
        except aiohttp.ClientError:
            logger.exception("console: the Rasa server did not take the step")
            return web.json_response({"error": say("staff_rasa_unreachable", staff_language(request))}, status=502)
        return web.json_response(_handoff_json(result, service.helpdesk()))

    return handler


async def _claim(rasa, handoff_id, officer, body):
    return handoffs.claim(handoff_id, officer)


async def _reply(rasa, handoff_id, officer, body):
    text = str(body.get("text") or "").strip()
    if not text:
        raise handoffs.HandoffError("handoff_reply_empty")
    if len(text) > REPLY_LIMIT:
        raise handoffs.HandoffError("handoff_reply_too_long", limit=REPLY_LIMIT)
    handoff = handoffs.check_owner(handoff_id, officer)
    # The channel shows the label beside the reply, so the applicant knows a person wrote it.
    label = helpdesk_label(staff.display_name(officer), handoff.language)
    await rasa.append(handoff.conversation_id, [{"event": "bot", "text": text,
                                                 "metadata": {"helpdesk_officer": officer, HELPDESK_LABEL: label}}])
    return handoff


async def _note(rasa, handoff_id, officer, body):
    return handoffs.add_note(handoff_id, officer, str(body.get("text") or ""))


def _finish(outcome: str):
    """Hands the conversation back to the bot ("returned") or closes it: either way the bot
    answers again, and says so in the applicant's language."""

    async def step(rasa, handoff_id, officer, body):
        handoff = handoffs.end(handoff_id, officer, outcome)
        # A paused turn never ended with action_listen; without it no rule matches the next message.
        await rasa.append(handoff.conversation_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])
        await rasa.trigger_intent(handoff.conversation_id, "back_to_bot")
        return handoff

    return step


def add_routes(app: web.Application, rasa_api_url: str, rasa_token: str) -> None:
    rasa = RasaApi(rasa_api_url, rasa_token)
    app["rasa"] = rasa
    app.on_startup.append(rasa.start)
    app.on_cleanup.append(rasa.stop)
    app.router.add_get("/helpdesk", console_page)
    app.router.add_get("/helpdesk/api/queue", queue_api)
    app.router.add_get("/helpdesk/api/handoffs", search_api)
    app.router.add_get("/helpdesk/api/conversations/{conversation_id}", conversation_api)
    app.router.add_get("/helpdesk/api/stream", stream)
    app.router.add_post("/helpdesk/api/handoffs/{handoff_id}/claim", _handoff_step(_claim))
    app.router.add_post("/helpdesk/api/handoffs/{handoff_id}/reply", _handoff_step(_reply))
    app.router.add_post("/helpdesk/api/handoffs/{handoff_id}/note", _handoff_step(_note))
    app.router.add_post("/helpdesk/api/handoffs/{handoff_id}/hand-back", _handoff_step(_finish("returned")))
    app.router.add_post("/helpdesk/api/handoffs/{handoff_id}/close", _handoff_step(_finish("closed")))

