"""Faults between the parts: the action server down or slow, the knowledge base down, a restart.

A Rasa server runs here on its own, so the test can stop, slow down and bring back the action
server behind it; the applicant must always get an answer in their language and a way forward.
"""
import contextlib
import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT, Assistant, assistant_environment, running_assistant
from processes import free_port, stop, wait_until_up


def sender():
    return f"fault-{uuid.uuid4().hex[:8]}"


class SlowActionServer:
    """Takes every action call and answers only after `delay` seconds."""

    def __init__(self, port: int, delay: float):
        class Slow(BaseHTTPRequestHandler):
            def do_POST(self):
                time.sleep(delay)
                self.send_response(500)
                self.end_headers()

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Slow)
        self.server.daemon_threads = True

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def rasa_alone(model_path, tmp_path_factory):
    """A Rasa server whose action server the test starts and stops (`bot.run --only`)."""
    work = tmp_path_factory.mktemp("faults")
    rasa_port, action_port = free_port(), free_port()
    # Both processes are started separately, so they must share the action server's token.
    env = assistant_environment(work, KCN_ACTION_TOKEN=secrets.token_urlsafe(16), KCN_ACTION_TIMEOUT="2")
    log = open(work / "servers.log", "w")

    def start(kind):
        return subprocess.Popen([sys.executable, "-m", "bot.run", "--only", kind, "--model", str(model_path),
                                 "--rasa-port", str(rasa_port), "--action-port", str(action_port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    @contextlib.contextmanager
    def action_server():
        process = start("actions")
        try:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", process)
            yield
        finally:
            stop(process)

    rasa = start("rasa")
    try:
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa)
        assistant = Assistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", "",
                              env["DATABASE_URL"], env["RASA_API_TOKEN"])
        assistant.action_port, assistant.action_server = action_port, action_server
        yield assistant
    finally:
        stop(rasa)
        log.close()


@pytest.fixture
def first_contact(rasa_alone, monkeypatch):
    """The call's first contact as the knowledge base holds it: (Korean, English)."""
    from knowledge import service

    monkeypatch.setenv("DATABASE_URL", rasa_alone.database_url)
    contact = service.current_call().contacts[0]
    return f"{contact.unit.get('ko')} {contact.phone}", f"{contact.unit.get('en')} {contact.phone}"


def test_the_action_server_down_slow_and_back(rasa_alone, first_contact):
    ko_user, en_user = sender(), sender()
    contact_ko, contact_en = first_contact

    reply = rasa_alone.ask(ko_user, "해외실증형 마감일이 언제예요?")
    assert reply.startswith("죄송합니다. 지금 답변을 준비하는 데 문제가 생겨") and f"{contact_ko}로 문의해 주세요" in reply
    reply = rasa_alone.ask(en_user, "How much funding does a planning project get?")
    assert reply.startswith("Sorry, something went wrong on my side") and f"please contact {contact_en}" in reply

    with SlowActionServer(rasa_alone.action_port, delay=20):
        reply = rasa_alone.ask(en_user, "When is the deadline for the demonstration track?")
    assert reply.startswith("Sorry, something went wrong on my side")

    with rasa_alone.action_server():
        assert "2024년 3월 19일" in rasa_alone.ask(ko_user, "해외실증형 마감일이 언제예요?")
        assert "KRW 300–600 million" in rasa_alone.ask(en_user, "How much funding does a planning project get?")
    # Nothing the applicants sent was lost while the action server was away.
    assert rasa_alone.user_texts(en_user) == ["How much funding does a planning project get?",
                                              "When is the deadline for the demonstration track?",
                                              "How much funding does a planning project get?"]


def test_the_knowledge_base_down_and_back(rasa_alone):
    database = rasa_alone.database_url[len("sqlite:///"):]
    user = sender()
    with rasa_alone.action_server():
        os.replace(database, database + ".away")
        try:
            assert "지금은 공모 정보를 불러올 수 없습니다. 잠시 후 다시" in rasa_alone.ask(user, "해외실증형 마감일이 언제예요?")
            assert "can't reach the call information right now" in rasa_alone.ask(user, "How much is the planning grant?")
        finally:
            os.replace(database + ".away", database)
        assert "2024년 3월 19일" in rasa_alone.ask(user, "해외실증형 마감일이 언제예요?")


def test_a_restarted_assistant_continues_the_conversation(model_path, tmp_path, mailbox):
    user = sender()
    with running_assistant(model_path, tmp_path) as first:
        first.ask(user, "check my application status")
        assert "6-digit code" in first.ask(user, "KCN-2024-D-2402-B")
    with running_assistant(model_path, tmp_path) as second:
        reply = second.ask(user, mailbox.code_for("demo.company@example.org"))
        assert "under review since 25 March 2024" in reply

