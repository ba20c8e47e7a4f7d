"""Rasa's socket.io channel for the web widget, with conversation ids kept in the web's namespace.

Rasa's channel takes any session id a client names; this one only accepts `web-<32 hex>` ids
(a new one is issued otherwise), so a web visitor can never write into a Telegram conversation,
and only a socket that requested a session may send messages in it.

It also answers `session_request` itself: Rasa 3.6 calls python-socketio 5's `enter_room`
without awaiting it, so the socket never joins its session's room and replies go nowhere.

In the production profile the servers share socket.io messages through Redis (REDIS_URL), so a
message for a widget conversation (a helpdesk officer's reply, sent through whichever Rasa server
the console calls) reaches the browser on whichever server holds its connection.

Browsers may connect only from the web origins of KCN_CORS_ORIGINS (bot/run.py passes its
default, the demo page's origin, to the server's environment). Rasa turns python-socketio's
origin check off (`cors_allowed_origins=[]`) and lets Sanic-CORS answer the CORS headers, which
the browser enforces for long polling but never for a WebSocket: any page could chat in a
visitor's name. So every socket.io request naming another origin is refused here, before
python-socketio sees it; Sanic-CORS keeps writing the headers (python-socketio's own check would
write them a second time, which browsers reject).
"""
import re
import uuid
from typing import Any, Dict, Optional

from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from socketio import AsyncRedisManager

from bot.server.channels.guarded_input import GuardedInput
from knowledge import settings
from knowledge.wording import HELPDESK_LABEL

WEB_SESSION = re.compile(r"^web-[0-9a-f]{32}$")


def shared_redis_url() -> Optional[str]:
    return settings.redis_url() if settings.is_production() else None


def origin_checked(handle_request, allowed):
    """python-socketio's request handler, refusing browsers of other origins (403). Requests
    without an Origin header are not from a web page (or same-origin); nothing to check."""

    async def handle(request, *args, **kwargs):
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") not in allowed:
            return response.text(f"{origin} is not an allowed origin (KCN_CORS_ORIGINS)", status=403)
        return await handle_request(request, *args, **kwargs)

    return handle


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output, but an officer's reply carries its label (`sender`), which the widget
    shows above the message so the applicant knows a person wrote it."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        label = kwargs.get(HELPDESK_LABEL)
        if not label:
            return await super().send_text_message(recipient_id, text, **kwargs)
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "sender": {"kind": "helpdesk", "label": label}})


class WebChatInput(GuardedInput, SocketIOInput):
    """Registered in credentials.yml as `bot.server.channels.webchat.WebChatInput`; same options as `socketio`."""

    def get_output_channel(self):
        # Where an officer's reply (appended over the HTTP API with output_channel=latest) goes.
        channel = super().get_output_channel()
        return channel and WebChatOutput(channel.sio, channel.bot_message_evt)

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = super().blueprint(self.guarded(on_new_message))
        self.remember_app(blueprint)
        sio, namespace = self.sio, self.namespace or "/"
        # Before the blueprint is registered: that is when python-socketio's handler becomes a route.
        sio.eio.handle_request = origin_checked(sio.eio.handle_request, set(settings.cors_origins()))
        redis_url = shared_redis_url()
        if redis_url:
            # Before the first connection, so python-socketio initialises this manager instead.
            sio.manager = AsyncRedisManager(redis_url, channel="kcn-socketio")
            sio.manager.set_server(sio)
            sio.manager_initialized = False
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]

        async def session_request(sid: str, data: Optional[Dict[str, Any]]) -> None:
            data = dict(data) if isinstance(data, dict) else {}
            session = str(data.get("session_id") or "")
            if not WEB_SESSION.match(session):
                session = f"web-{uuid.uuid4().hex}"
            await sio.enter_room(sid, session, namespace=namespace)
            await sio.emit("session_confirm", session, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session = str(data.get("session_id") or "")
            if WEB_SESSION.match(session) and session in sio.rooms(sid, namespace=namespace):
                await rasa_handle_message(sid, data)

        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        return blueprint
