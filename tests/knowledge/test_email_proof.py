"""knowledge/email_proof.py: one-time codes mailed to an address (read back from a real SMTP server on
loopback), their expiry, single use and limits, the chats they link, and that nothing in them lets
one person lock another out."""
import asyncio
import datetime
import re

import pytest
from sqlalchemy import select

from knowledge import email_proof, proposals
from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.email_proof import Purpose, Requester

T0 = datetime.datetime(2024, 3, 1, 9, 0)
MINUTE = datetime.timedelta(minutes=1)
OWNER = "demo.company@example.org"
CODE = "KCN-2024-D-2402-B"


@pytest.fixture
def demo(knowledge_db):
    proposals.load_demo()


def send(conversation, address=OWNER, purpose=Purpose.STATUS, at=T0, lang="en", client=None, code=CODE):
    requester = Requester(conversation, client or conversation)
    return asyncio.run(email_proof.send_code(requester, address, purpose, lang,
                                             code if purpose != Purpose.DRAFT else None, at=at))


def check(conversation, typed, purpose=Purpose.STATUS, at=T0):
    return email_proof.check_code(Requester(conversation, conversation), purpose, typed, at=at)


def test_the_code_arrives_by_mail_and_proves_the_address_once(demo, mailbox):
    sent = send("conv-1")
    assert sent.masked == "d•••@example.org" and sent.expires_at == T0 + 10 * MINUTE
    code = mailbox.code_for(OWNER)
    assert check("conv-1", "000000" if code != "000000" else "111111", at=T0 + MINUTE).outcome == "wrong"
    result = check("conv-1", f"{code[:3]} {code[3:]}", at=T0 + 2 * MINUTE)
    assert result.ok and result.address == OWNER and result.proposal_code == CODE
    assert check("conv-1", code, at=T0 + 3 * MINUTE).outcome == "used", "single use"
    assert email_proof.proven("conv-1", OWNER.upper(), at=T0 + 3 * MINUTE)
    assert not email_proof.proven("conv-2", OWNER, at=T0 + 3 * MINUTE)


def test_a_code_expires_after_ten_minutes(demo, mailbox):
    send("conv-1")
    code = mailbox.code_for(OWNER)
    assert check("conv-1", code, at=T0 + 10 * MINUTE).outcome == "expired"
    assert not email_proof.proven("conv-1", OWNER, at=T0 + 10 * MINUTE)


def test_a_code_works_only_in_the_conversation_and_for_the_purpose_it_was_asked_for(demo, mailbox):
    send("conv-1")
    code = mailbox.code_for(OWNER)
    assert check("intruder", code).outcome == "none"
    assert check("conv-1", code, purpose=Purpose.RESUME).outcome == "none"
    assert check("conv-1", code).ok


def test_five_wrong_codes_use_the_code_up_and_a_new_one_can_be_asked(demo, mailbox):
    send("conv-1")
    code = mailbox.code_for(OWNER)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    assert [check("conv-1", wrong).left for _ in range(4)] == [4, 3, 2, 1]
    assert check("conv-1", wrong).outcome == "used_up"
    assert check("conv-1", code).outcome == "used_up", "not even the right code works any more"
    send("conv-1", at=T0 + MINUTE)
    assert check("conv-1", mailbox.code_for(OWNER), at=T0 + 2 * MINUTE).ok


def test_a_new_code_replaces_the_older_one(demo, mailbox):
    send("conv-1")
    first = mailbox.code_for(OWNER)
    send("conv-1", at=T0 + MINUTE)
    second = mailbox.code_for(OWNER)
    if first != second:
        assert check("conv-1", first, at=T0 + 2 * MINUTE).outcome == "wrong"
    assert check("conv-1", second, at=T0 + 2 * MINUTE).ok


def test_only_a_salted_hash_of_the_code_is_stored(demo, mailbox):
    send("conv-1")
    code = mailbox.code_for(OWNER)
    with session_scope() as session:
        row = session.execute(select(m.EmailProofCode)).scalar_one()
        stored = " ".join(str(getattr(row, c.name)) for c in m.EmailProofCode.__table__.columns)
    assert code not in stored and re.fullmatch(r"[0-9a-f]{64}", row.code_hash)


def test_three_mails_per_conversation_within_fifteen_minutes(demo, mailbox):
    before = mailbox.count(OWNER)
    for i in range(3):
        send("conv-1", at=T0 + i * MINUTE)
    with pytest.raises(email_proof.Refused) as refused:
        send("conv-1", at=T0 + 5 * MINUTE)
    assert refused.value.limit == "conversation" and refused.value.until == T0 + 15 * MINUTE
    assert mailbox.count(OWNER) - before == 3
    send("conv-1", at=T0 + 15 * MINUTE)  # the window has moved on


def test_ten_mails_per_client_within_an_hour_across_its_chats(demo, mailbox):
    for i in range(10):
        send(f"telegram-{i}", address=f"person{i}@example.org", purpose=Purpose.DRAFT, client="telegram-user-7",
             at=T0 + i * MINUTE)
    with pytest.raises(email_proof.Refused) as refused:
        send("telegram-99", address="other@example.org", purpose=Purpose.DRAFT, client="telegram-user-7",
             at=T0 + 20 * MINUTE)
    assert refused.value.limit == "client" and refused.value.until == T0 + 60 * MINUTE
    send("telegram-99", address="other@example.org", purpose=Purpose.DRAFT, client="telegram-user-8",
         at=T0 + 20 * MINUTE)


def test_ten_mails_per_address_within_an_hour_counted_apart_for_drafts(demo, mailbox):
    before = mailbox.count(OWNER)
    for i in range(10):
        send(f"conv-{i}", at=T0 + i * MINUTE)
    with pytest.raises(email_proof.Refused) as refused:
        send("conv-late", at=T0 + 30 * MINUTE)
    assert refused.value.limit == "address" and refused.value.until == T0 + 60 * MINUTE
    # Typing the address for a new draft is another kind of request, with its own count.
    send("conv-draft", purpose=Purpose.DRAFT, at=T0 + 30 * MINUTE)
    assert mailbox.count(OWNER) - before == 11


def test_the_full_address_is_asked_once_three_codes_went_to_it_within_the_hour(demo, mailbox):
    for i in range(2):
        send(f"conv-{i}", at=T0 + i * MINUTE)
    assert not email_proof.needs_full_address(OWNER, at=T0 + 5 * MINUTE)
    send("conv-2", at=T0 + 2 * MINUTE)
    assert email_proof.needs_full_address(OWNER.upper(), at=T0 + 5 * MINUTE)
    assert not email_proof.needs_full_address(OWNER, at=T0 + 61 * MINUTE)
    send("conv-draft", purpose=Purpose.DRAFT, address="new@example.org")
    assert not email_proof.needs_full_address("new@example.org", at=T0 + 5 * MINUTE), "drafts type the address anyway"


def test_a_failed_mail_keeps_nothing_and_counts_toward_no_limit(demo, mailbox, monkeypatch):
    monkeypatch.setenv("KCN_SMTP_URL", "smtp://127.0.0.1:9")  # nothing listens on the discard port
    for _ in range(4):
        with pytest.raises(email_proof.MailError):
            send("conv-1")
    with session_scope() as session:
        assert session.execute(select(m.EmailProofCode)).first() is None
    monkeypatch.setenv("KCN_SMTP_URL", mailbox.url)
    send("conv-1")


def test_wrong_codes_from_many_conversations_do_not_stop_the_owner(demo, mailbox):
    """The old lock-out counted failures per proposal, so strangers could lock the owner out."""
    for i in range(3):
        send(f"stranger-{i}", at=T0 + i * MINUTE)
        for _ in range(5):
            check(f"stranger-{i}", "123456", at=T0 + i * MINUTE)
    for i in range(30):
        proposals.verify(f"guesser-{i}", CODE, f"guess{i}@example.org", at=T0 + 3 * MINUTE)
        proposals.look_up(f"guesser-{i}", "KCN-2024-D-9999-" + "A", at=T0 + 3 * MINUTE)
    owner = "owner-chat"
    assert proposals.locked_until(owner, at=T0 + 4 * MINUTE) is None
    assert proposals.verify(owner, CODE, OWNER, at=T0 + 4 * MINUTE).proposal is not None
    send(owner, at=T0 + 4 * MINUTE)
    assert check(owner, mailbox.code_for(OWNER), at=T0 + 5 * MINUTE).ok


def test_the_mail_says_what_the_code_is_for_in_the_applicants_language(demo, mailbox):
    send("conv-ko", lang="ko")
    korean = mailbox.last_to(OWNER)
    assert korean.get_content_type() == "multipart/alternative" and korean["Content-Language"] == "ko"
    assert korean["Subject"] == "K-City Network 본인 확인 코드"
    text = korean.get_body(("plain",)).get_content()
    html = korean.get_body(("html",)).get_content()
    assert f"제안서 {CODE}의 진행 상황 조회를 요청하셨습니다" in text and "10분 안에" in text
    code = mailbox.code_for(OWNER)
    assert code in html and '<html lang="ko">' in html and "요청하지 않으셨다면" in html
    send("conv-en", address="new@example.org", purpose=Purpose.DRAFT, lang="en")
    english = mailbox.last_to("new@example.org")
    assert english["Subject"] == "Your K-City Network confirmation code" and english["Content-Language"] == "en"
    assert "contact e-mail of a new draft proposal" in english.get_body(("plain",)).get_content()


def test_telegram_chats_and_widget_sessions_are_linked_rest_conversations_are_not(demo):
    assert email_proof.link("telegram-42", CODE.lower(), at=T0)
    assert email_proof.link("web-" + "a" * 32, CODE, at=T0)
    assert not email_proof.link("rest-user", CODE, at=T0)
    assert email_proof.is_linked("telegram-42", CODE, at=T0 + MINUTE)
    assert not email_proof.is_linked("telegram-42", "KCN-2024-P-2401-J", at=T0 + MINUTE)
    assert not email_proof.is_linked("telegram-43", CODE, at=T0 + MINUTE)
    assert not email_proof.is_linked("rest-user", CODE, at=T0 + MINUTE)
    assert not email_proof.is_linked("telegram-42", CODE, at=T0 + email_proof.LINK_LIFETIME + MINUTE)
    assert email_proof.link("telegram-42", CODE, at=T0 + 80 * 24 * 60 * MINUTE)  # a new proof extends it
    assert email_proof.is_linked("telegram-42", CODE, at=T0 + email_proof.LINK_LIFETIME + MINUTE)


def test_a_stop_makes_the_waiting_code_unusable(demo, mailbox):
    send("conv-1")
    email_proof.forget("conv-1", at=T0 + MINUTE)
    assert check("conv-1", mailbox.code_for(OWNER), at=T0 + MINUTE).outcome == "none"


@pytest.mark.parametrize("typed, read", [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"),
                                         ("12345", None), ("1234567", None), ("abcdef", None), ("１２３４５６", None)])
def test_typed_codes_are_read_leniently(typed, read):
    assert email_proof.read_code(typed) == read


def test_addresses_are_masked():
    assert email_proof.mask("planning.demo@example.org") == "p•••@example.org"
    assert email_proof.mask("x@example.kr") == "x•••@example.kr"
