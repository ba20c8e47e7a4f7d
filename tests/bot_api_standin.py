"""A loopback stand-in for Telegram's Bot API, so python-telegram-bot does real HTTP in tests.

It serves getMe, getUpdates (from a queue the test fills), sendMessage, answerCallbackQuery and
the webhook calls, records every request, and can be told to fail the next sendMessage calls
(e.g. 429 with retry_after, or 403 for a user who blocked the bot).
"""
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "KCN test bot", "username": "kcn_test_bot"}


class BotApiStandIn:
    def __init__(self):
        self.requests: List[Dict[str, Any]] = []
        self.updates: List[Dict[str, Any]] = []
        self.failures: List[Dict[str, Any]] = []  # next sendMessage answers, consumed in order
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._lock = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> "BotApiStandIn":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    # --- what a test does ------------------------------------------------------------------

    def user_says(self, chat_id: int, text: str, language_code: Optional[str] = "en") -> None:
        user = {"id": chat_id, "is_bot": False, "first_name": "Applicant", "language_code": language_code}
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "text": text,
                   "chat": {"id": chat_id, "type": "private"}, "from": user}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._queue({"message": message})

    def user_sends_photo(self, chat_id: int, language_code: Optional[str] = "en") -> None:
        user = {"id": chat_id, "is_bot": False, "first_name": "Applicant", "language_code": language_code}
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90, "file_size": 1234}]
        self._queue({"message": {"message_id": next(self._message_ids), "date": int(time.time()), "photo": photo,
                                 "chat": {"id": chat_id, "type": "private"}, "from": user}})

    def user_presses(self, chat_id: int, callback_data: str) -> None:
        user = {"id": chat_id, "is_bot": False, "first_name": "Applicant", "language_code": "en"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "text": "…",
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}
        self._queue({"callback_query": {"id": str(next(self._ids)), "from": user, "chat_instance": "1",
                                        "message": message, "data": callback_data}})

    def fail_next_send(self, status: int, description: str, retry_after: Optional[int] = None) -> None:
        body = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._lock:
            self.failures.append({"status": status, "body": body})

    def sent(self, chat_id: int) -> List[Dict[str, Any]]:
        return [r["params"] for r in self.requests if r["method"] == "sendMessage" and int(r["params"]["chat_id"]) == chat_id]

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 60) -> List[Dict[str, Any]]:
        deadline = time.time() + timeout
        with self._lock:
            while len(self.sent(chat_id)) < count:
                if not self._lock.wait(timeout=max(0.0, deadline - time.time())):
                    raise TimeoutError(f"chat {chat_id}: {len(self.sent(chat_id))} of {count} messages after {timeout} s")
            return self.sent(chat_id)

    def wait_for_call(self, method: str, timeout: float = 60) -> List[Dict[str, Any]]:
        """The calls of `method`, once there is at least one (the bot sets itself up after starting)."""
        deadline = time.time() + timeout
        with self._lock:
            while not self.calls(method):
                if not self._lock.wait(timeout=max(0.0, deadline - time.time())):
                    raise TimeoutError(f"no {method} call after {timeout} s")
            return self.calls(method)

    def calls(self, method: str) -> List[Dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method]

    # --- the HTTP side ---------------------------------------------------------------------

    def _queue(self, update: Dict[str, Any]) -> None:
        with self._lock:
            self.updates.append({"update_id": next(self._ids), **update})
            self._lock.notify_all()

    def _answer(self, method: str, params: Dict[str, Any]):
        with self._lock:
            self.requests.append({"method": method, "params": params, "at": time.time()})
            self._lock.notify_all()
            if method == "sendMessage" and self.failures:
                failure = self.failures.pop(0)
                return failure["status"], failure["body"]
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.time() + min(float(params.get("timeout") or 0), 1.0)
            with self._lock:
                while True:
                    pending = [u for u in self.updates if u["update_id"] >= offset]
                    if pending or time.time() >= deadline:
                        return 200, {"ok": True, "result": pending}
                    self._lock.wait(timeout=max(0.0, deadline - time.time()))
        if method == "sendMessage":
            chat = {"id": int(params["chat_id"]), "type": "private"}
            return 200, {"ok": True, "result": {"message_id": next(self._message_ids), "date": int(time.time()),
                                                "chat": chat, "text": params.get("text", ""), "from": BOT_USER}}
        return 200, {"ok": True, "result": True}  # answerCallbackQuery, deleteWebhook, setWebhook, ...

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                method = self.path.rsplit("/", 1)[-1]
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                status, body = standin._answer(method, params)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped polling (server shutting down)

            def log_message(self, *args):
                pass

        return Handler
