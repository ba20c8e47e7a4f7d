"""Sending e-mail: multipart (plain text and HTML) messages over SMTP, or into a local outbox folder.

    KCN_SMTP_URL   smtp://[user:password@]host[:port]   port 587 by default; STARTTLS whenever the
                                                        server offers it
                   smtps://[user:password@]host[:port]  implicit TLS, port 465 by default
                   unset                                each mail is written to KCN_MAIL_OUTBOX as a
                                                        .eml file, and the log says which (so
                                                        `make run` works with no mail server)
    KCN_MAIL_FROM  the sender, e.g. "K-City Network <no-reply@example.org>"

A password in the URL is only sent over TLS (implicit or STARTTLS), except to a server on
loopback. Certificates are checked. Anything that goes wrong (refused connection, timeout,
rejected login or recipient) is a MailError, so callers say one thing for all of them.

Used by the applicant's proof (knowledge/email_proof.py); a notification worker can use send() too.
"""
import asyncio
import datetime
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiosmtplib

from knowledge import settings

logger = logging.getLogger(__name__)

# Below the Rasa server's wait for an action (KCN_ACTION_TIMEOUT, 15 s by default), so a slow
# server ends in our apology, not in the action server's.
TIMEOUT = 10.0


class MailError(Exception):
    """The mail could not be handed to the mail server (or written to the outbox)."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str  # the plain-text part
    html: str  # the HTML part (an alternative of the same content)
    language: str = "en"  # Content-Language


def compose(mail: Mail, sender: str) -> EmailMessage:
    """The MIME message: multipart/alternative, text first, both in UTF-8 (quoted-printable)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    # Quoted-printable even for Korean: the code's digits stay readable in a raw outbox file.
    message.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = mail.language  # after set_content, which drops Content-* headers
    return message


async def send(mail: Mail) -> str:
    """Sends the mail; returns where it went (the server, or the outbox file). MailError if it could not."""
    message = compose(mail, settings.mail_from())
    url = settings.smtp_url()
    if not url:
        return write_to_outbox(message)
    try:
        await asyncio.wait_for(_submit(message, url), TIMEOUT + 1)
    except MailError:
        raise
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError, ValueError) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{_port(parts)}"


def _port(parts) -> int:
    return parts.port or (465 if parts.scheme == "smtps" else 587)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _submit(message: EmailMessage, url: str) -> None:
    parts = urlsplit(url)
    implicit = parts.scheme == "smtps"
    client = aiosmtplib.SMTP(hostname=parts.hostname, port=_port(parts), use_tls=implicit,
                             start_tls=False if implicit else None, timeout=TIMEOUT)
    async with client:  # connects, and upgrades with STARTTLS when the server offers it
        if parts.username:
            encrypted = client.get_transport_info("sslcontext") is not None
            if not encrypted and not _loopback(parts.hostname):
                raise MailError(f"{parts.hostname} offers no TLS: the password is not sent in clear text")
            await client.login(unquote(parts.username), unquote(parts.password or ""))
        await client.send_message(message)


def write_to_outbox(message: EmailMessage) -> str:
    """Writes the mail as a .eml file in the outbox folder (no mail server configured)."""
    folder = settings.mail_outbox()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(message))
    except OSError as error:
        raise MailError(f"cannot write to the outbox {folder}: {error}") from error
    logger.warning("No mail server is set (KCN_SMTP_URL): the mail to %s was written to %s", message["To"], path)
    return str(path)


def outbox_files() -> list:
    """The outbox's mails, oldest first (for people trying the assistant without a mail server, and tests)."""
    folder: Path = settings.mail_outbox()
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []
