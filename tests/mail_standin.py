"""A real SMTP server (aiosmtpd) on loopback that keeps every mail it receives, for the tests to read
the one-time codes the assistant mails (tests/conftest.py starts one for the whole run)."""
import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage
from typing import List, Optional, Tuple

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """The server and what it received: mails (parsed), in order, with their envelope recipients."""

    def __init__(self, credentials: Optional[Tuple[str, str]] = None):
        self.credentials = credentials
        self.received: List[Tuple[List[str], EmailMessage]] = []
        self.logins: List[str] = []
        self._lock = threading.Lock()
        self.port = _free_port()
        options = {}
        if credentials:
            options = dict(authenticator=self._authenticate, auth_required=True, auth_require_tls=False)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    @property
    def url(self) -> str:
        user = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"smtp://{user}127.0.0.1:{self.port}"

    def start(self) -> "Mailbox":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login = (auth_data.login or b"").decode()
        password = (auth_data.password or b"").decode()
        if (login, password) == self.credentials:
            self.logins.append(login)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    # --- Reading -------------------------------------------------------------------------------

    def count(self, address: Optional[str] = None) -> int:
        return len(self.to(address))

    def to(self, address: Optional[str] = None) -> List[EmailMessage]:
        with self._lock:
            return [m for rcpt, m in self.received if address is None or address.lower() in (r.lower() for r in rcpt)]

    def last_to(self, address: str, timeout: float = 5.0) -> EmailMessage:
        deadline = time.time() + timeout
        while True:
            found = self.to(address)
            if found:
                return found[-1]
            if time.time() > deadline:
                raise AssertionError(f"no mail to {address} arrived")
            time.sleep(0.05)

    def code_for(self, address: str) -> str:
        """The 6-digit code of the newest mail to `address`, read from its plain-text part."""
        return code_in(self.last_to(address))


def code_in(message: EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"^\s*(\d{6})\s*$", text, re.MULTILINE)
    assert match, text
    return match.group(1)


def finish_proof(ask, user: str, reply: str, address: str, mailbox: Mailbox) -> str:
    """After the reference code was typed (its reply given): the full address if the bot asks for it
    (many codes went to it lately), then the code from the mail. Returns the bot's last reply."""
    if "full contact e-mail" in reply or "이메일 주소 전체" in reply:
        reply = ask(user, address)
    assert "6-digit code" in reply or "6자리 코드" in reply, reply
    return ask(user, mailbox.code_for(address))
