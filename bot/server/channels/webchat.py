"""Rasa's socket.io channel for the web widget, with conversation ids kept in the web's namespace.

Rasa's channel takes any session id a client names; this one only accepts `web-<32 hex>` ids
(a new one is issued otherwise), so a web visitor can never write into a Telegram conversation,
and only a socket that requested a session may send messages in it.

It also answers `session_request` itself: Rasa 3.6 calls python-socketio 5's `enter_room`
without awaiting it, so the socket never joins its session's room and replies go nowhere.

In the production profile the servers share socket.io messages through Redis (REDIS_URL), so a
message for a widget conversation (a helpdesk officer's reply, sent through whichever Rasa server
the console calls) reaches the browser on whichever server holds its connection.
"""
import re
import uuid
from typing import Any, Dict, Optional

from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager

from bot.server.channels.guarded_input import GuardedInput
from knowledge import settings

WEB_SESSION = re.compile(r"^web-[0-9a-f]{32}$")


def shared_redis_url() -> Optional[str]:
    return settings.redis_url() if settings.is_production() else None


class WebChatInput(GuardedInput, SocketIOInput):
    """Registered in credentials.yml as `bot.server.channels.webchat.WebChatInput`; same options as `socketio`."""

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = super().blueprint(self.guarded(on_new_message))
        self.remember_app(blueprint)
        sio, namespace = self.sio, self.namespace or "/"
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
