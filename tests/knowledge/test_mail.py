"""knowledge/mail.py: multipart mail over a real SMTP server on loopback (aiosmtpd), a login, a server
that is down, and the outbox folder when no server is configured."""
import asyncio
import email
import email.policy
import logging
import socket

import pytest

from knowledge import mail, settings
from mail_standin import Mailbox

KOREAN = mail.Mail(to="kim@example.org", subject="K-City Network 본인 확인 코드",
                   text="본인 확인 코드:\n\n    123456\n", html="<p>본인 확인 코드: <b>123456</b></p>", language="ko")


def test_a_mail_is_multipart_text_and_html_in_its_language(mailbox):
    where = asyncio.run(mail.send(KOREAN))
    assert where == f"smtp://127.0.0.1:{mailbox.port}"
    received = mailbox.last_to("kim@example.org")
    assert received.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in received.iter_parts()] == ["text/plain", "text/html"]
    assert received["Subject"] == "K-City Network 본인 확인 코드" and received["Content-Language"] == "ko"
    assert received["From"] == settings.mail_from() and received["Message-ID"] and received["Date"]
    assert "123456" in received.get_body(("plain",)).get_content()
    assert "<b>123456</b>" in received.get_body(("html",)).get_content()


def test_the_sender_setting_is_used(mailbox, monkeypatch):
    monkeypatch.setenv("KCN_MAIL_FROM", "K-City Network <no-reply@kcity.example.org>")
    asyncio.run(mail.send(KOREAN))
    assert mailbox.last_to("kim@example.org")["From"] == "K-City Network <no-reply@kcity.example.org>"


def test_user_and_password_from_the_url_log_in(monkeypatch):
    server = Mailbox(credentials=("kcn", "p@ss:word")).start()
    try:
        monkeypatch.setenv("KCN_SMTP_URL", f"smtp://kcn:p%40ss%3Aword@127.0.0.1:{server.port}")
        asyncio.run(mail.send(KOREAN))
        assert server.logins == ["kcn"] and server.count("kim@example.org") == 1
        monkeypatch.setenv("KCN_SMTP_URL", f"smtp://kcn:wrong@127.0.0.1:{server.port}")
        with pytest.raises(mail.MailError):
            asyncio.run(mail.send(KOREAN))
        assert server.count() == 1
    finally:
        server.stop()


def test_a_server_that_is_down_is_a_mail_error(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("KCN_SMTP_URL", f"smtp://127.0.0.1:{port}")
    with pytest.raises(mail.MailError):
        asyncio.run(mail.send(KOREAN))


def test_without_a_mail_server_each_mail_is_written_to_the_outbox_and_logged(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("KCN_SMTP_URL")
    monkeypatch.setenv("KCN_MAIL_OUTBOX", str(tmp_path / "outbox"))
    with caplog.at_level(logging.WARNING, logger="knowledge.mail"):
        where = asyncio.run(mail.send(KOREAN))
        asyncio.run(mail.send(KOREAN))
    files = mail.outbox_files()
    assert len(files) == 2 and str(files[0]) == where and files[0].suffix == ".eml"
    assert f"the mail to kim@example.org was written to {where}" in caplog.text
    assert b"\n    123456\n" in files[0].read_bytes(), "the code is readable in the raw file, Korean mail too"
    saved = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert saved["Subject"] == KOREAN.subject and saved.get_content_type() == "multipart/alternative"


def test_an_outbox_that_cannot_be_written_is_a_mail_error(tmp_path, monkeypatch):
    monkeypatch.delenv("KCN_SMTP_URL")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KCN_MAIL_OUTBOX", str(blocker / "outbox"))
    with pytest.raises(mail.MailError):
        asyncio.run(mail.send(KOREAN))


@pytest.mark.parametrize("name, bad", [("KCN_SMTP_URL", "http://mail.example.org"), ("KCN_SMTP_URL", "smtp://"),
                                       ("KCN_SMTP_URL", "smtp://mail.example.org:port"),
                                       ("KCN_MAIL_FROM", "no address here")])
def test_malformed_mail_settings_are_refused(monkeypatch, name, bad):
    monkeypatch.setenv(name, bad)
    with pytest.raises(settings.SettingError, match=rf"^{name}=.* is not valid"):
        settings.value(name)


def test_a_password_in_the_url_is_not_repeated_in_the_message(monkeypatch):
    monkeypatch.setenv("KCN_SMTP_URL", "smtp://kcn:hunter2@mail.example.org:notaport")
    assert "hunter2" not in "\n".join(settings.problems(["KCN_SMTP_URL"]))


def test_only_loopback_may_get_a_password_without_tls():
    assert mail._loopback("127.0.0.1") and mail._loopback("::1") and mail._loopback("localhost")
    assert not mail._loopback("mail.example.org") and not mail._loopback("10.0.0.5")
