"""The applicant's proof (reference code, then a code mailed to the address on file) as both forms
that ask for it validate it; the codes are read from a real SMTP server on loopback."""
import asyncio
import email
import email.policy
import inspect

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.applicant_proof import PASSED, asks_to_resend, requester_of
from actions.drafts.lifecycle import ValidateDraftAccessForm
from actions.status_check import ValidateStatusCheckForm
from knowledge import email_proof, proposals, reference_codes
from mail_standin import code_in
from trackers import make_tracker

CODE, EMAIL = "KCN-2024-P-2401-J", "planning.demo@example.org"
DEMO_CODE, DEMO_EMAIL = "KCN-2024-D-2402-B", "demo.company@example.org"
ENDED = {"reference_code": PASSED, "contact_email": PASSED, "proof_code": PASSED, "proof_refused": True}


@pytest.fixture
def demo(knowledge_db, today):
    proposals.load_demo()


def validate(slot, value, lang="en", sender="applicant-1", form=ValidateStatusCheckForm, metadata=None, **slots):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender=sender, lang=lang, slots=slots, text=str(value), intent="check_status",
                           form=form().form_name())
    if metadata:
        tracker.latest_message["metadata"] = metadata
    result = getattr(form(), f"validate_{slot}")(value, dispatcher, tracker, {})
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result, " ".join(m["text"] for m in dispatcher.messages)


def prove(sender, code=CODE, email=EMAIL, mailbox=None, form=ValidateStatusCheckForm, lang="en"):
    """The whole proof: the reference code, then the code from the mail. Returns the last step's result."""
    result, _ = validate("reference_code", code, lang=lang, sender=sender, form=form)
    assert result == {"reference_code": code, "contact_email": PASSED}
    return validate("proof_code", mailbox.code_for(email), lang=lang, sender=sender, form=form, reference_code=code,
                    contact_email=PASSED)


# --- The reference code ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["kcn-2024-p-2401-j", "KCN 2024 P 2401 J", "my code is kcn2024p2401j"])
def test_a_known_code_in_any_case_or_spacing_mails_a_code_to_the_address_on_file(demo, mailbox, typed):
    before = mailbox.count(EMAIL)
    result, said = validate("reference_code", typed)
    assert result == {"reference_code": CODE, "contact_email": PASSED}
    assert said == "To confirm it is you, I've sent a 6-digit code to p•••@example.org. It works once, for 10 minutes."
    assert mailbox.count(EMAIL) == before + 1


@pytest.mark.parametrize("typed", ["12345", "KCN-2024-P-2401-X", "'; DROP TABLE proposal; --", "<script>alert(1)</script>"])
def test_malformed_codes_are_asked_again_with_the_reason(demo, typed):
    result, said = validate("reference_code", typed)
    assert result == {"reference_code": None}
    assert "is not a reference code. Codes look like KCN-2024-D-7K3M-Q9XF-2HTW-5N8J or KCN-2024-P-2401-J" in said
    result, said = validate("reference_code", typed, lang="ko")
    assert "접수번호 형식이 아닙니다" in said


def test_an_over_long_value_is_echoed_shortened(demo):
    _, said = validate("reference_code", "x" * 10_000)
    assert len(said) < 200 and "…" in said


def test_an_unknown_code_is_said_so_and_five_lock_the_conversation_in_either_form(demo, mailbox):
    unknown = reference_codes.new_code(2024, "planning")  # well-formed, belongs to no one
    result, said = validate("reference_code", unknown, sender="guesser")
    assert result == {"reference_code": None}
    assert said == (f"I find no proposal with the reference code {unknown}. Please check it and type it again, "
                    "or say 'cancel' (4 tries left).")
    for _ in range(3):
        validate("reference_code", unknown, sender="guesser", lang="ko")
    result, said = validate("reference_code", unknown, sender="guesser", lang="ko")
    assert result == ENDED and "보안을 위해" in said and "상태 조회를 할 수 없습니다" in said
    # Locked: even a known code is refused before any lookup, and no mail goes out.
    before = mailbox.count(EMAIL)
    again, said = validate("reference_code", CODE, sender="guesser", form=ValidateDraftAccessForm)
    assert again == ENDED and "paused until" in said and mailbox.count(EMAIL) == before


# --- The mailed code -------------------------------------------------------------------------


@pytest.mark.parametrize("form", [ValidateStatusCheckForm, ValidateDraftAccessForm])
def test_the_code_from_the_mail_proves_the_proposal(demo, mailbox, form):
    result, said = prove(f"applicant-{form.__name__}", mailbox=mailbox, form=form)
    assert result == {"proof_code": "ok", "verified_code": CODE} and said == ""


def test_the_mail_is_in_the_conversations_language(demo, mailbox):
    result, said = validate("reference_code", CODE, lang="ko", sender="korean")
    assert "p•••@example.org(으)로 6자리 코드를 보냈습니다" in said
    mail = mailbox.last_to(EMAIL)
    assert mail["Subject"] == "K-City Network 본인 확인 코드" and mail["Content-Language"] == "ko"
    assert f"제안서 {CODE}의 진행 상황 조회를" in mail.get_body(("plain",)).get_content()
    validate("reference_code", CODE, sender="english", form=ValidateDraftAccessForm)
    assert f"to continue the draft proposal {CODE}" in mailbox.last_to(EMAIL).get_body(("plain",)).get_content()


def test_a_wrong_code_says_how_many_tries_are_left_and_five_use_it_up(demo, mailbox):
    validate("reference_code", CODE, sender="typo")
    right = mailbox.code_for(EMAIL)
    wrong = f"{(int(right) + 1) % 10 ** 6:06d}"
    result, said = validate("proof_code", wrong, sender="typo", reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None}
    assert said == "That code is not right. Please check the 6 digits in the latest e-mail (4 tries left for this code)."
    for _ in range(4):
        result, said = validate("proof_code", wrong, sender="typo", lang="ko", reference_code=CODE, contact_email=PASSED)
    assert "이 코드는 더 이상 쓸 수 없습니다" in said and "'다시 보내기'" in said
    result, said = validate("proof_code", right, sender="typo", reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None} and "no longer works" in said


@pytest.mark.parametrize("typed", ["12345", "my code", "1234567", "<b>123456</b>"])
def test_something_else_than_six_digits_is_asked_again(demo, typed):
    result, said = validate("proof_code", typed, reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None} and "is not the code: the code in the e-mail has 6 digits" in said


def test_resend_mails_a_new_code_and_the_old_one_stops_working(demo, mailbox):
    validate("reference_code", CODE, sender="resender")
    first = mailbox.code_for(EMAIL)
    result, said = validate("proof_code", "please resend", sender="resender", reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None}
    assert said == ("I've sent a new code to p•••@example.org; the earlier one no longer works. "
                    "The new one works once, for 10 minutes.")
    second = mailbox.code_for(EMAIL)
    if first != second:
        assert validate("proof_code", first, sender="resender", reference_code=CODE, contact_email=PASSED)[0] == {
            "proof_code": None}
    result, _ = validate("proof_code", second, sender="resender", reference_code=CODE, contact_email=PASSED)
    assert result["verified_code"] == CODE


def test_a_used_code_does_not_work_twice(demo, mailbox):
    prove("once", mailbox=mailbox)
    code = mailbox.code_for(EMAIL)
    result, said = validate("proof_code", code, sender="once", reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None} and "There is no code waiting to be confirmed here" in said


@pytest.mark.parametrize("text, resend", [("resend", True), ("Send it again please", True), ("다시 보내 주세요", True),
                                          ("재전송", True), ("123456", False), ("cancel", False)])
def test_resend_is_understood_in_both_languages(text, resend):
    assert asks_to_resend(text) is resend


# --- Linked chats ----------------------------------------------------------------------------


def test_a_proved_telegram_chat_checks_again_without_a_new_code(demo, mailbox):
    prove("telegram-4242", mailbox=mailbox)
    before = mailbox.count(EMAIL)
    result, said = validate("reference_code", CODE, sender="telegram-4242", form=ValidateDraftAccessForm)
    assert result == {"reference_code": CODE, "contact_email": PASSED, "proof_code": PASSED, "verified_code": CODE}
    assert said == f"This chat already confirmed {CODE}, so no new code is needed." and mailbox.count(EMAIL) == before
    # Another proposal still needs its own proof; a REST conversation is never linked.
    assert validate("reference_code", DEMO_CODE, sender="telegram-4242")[0] == {"reference_code": DEMO_CODE,
                                                                               "contact_email": PASSED}
    prove("rest-user", mailbox=mailbox)
    assert validate("reference_code", CODE, sender="rest-user")[0] == {"reference_code": CODE, "contact_email": PASSED}


def test_the_client_is_the_telegram_user_only_in_telegram_chats():
    telegram = make_tracker(sender="telegram-42")
    telegram.latest_message["metadata"] = {"telegram": {"user_id": 7, "language_code": "ko"}}
    assert requester_of(telegram) == email_proof.Requester("telegram-42", "telegram-user-7")
    rest = make_tracker(sender="someone")
    rest.latest_message["metadata"] = {"telegram": {"user_id": 7}}  # REST callers choose their metadata
    assert requester_of(rest) == email_proof.Requester("someone", "someone")


# --- Floods, limits and failures ---------------------------------------------------------------


def test_a_flood_of_wrong_codes_and_e_mails_does_not_stop_the_owner(demo, mailbox):
    """Ten wrong e-mails used to lock a known reference code for everyone, again and again (issue 15)."""
    before = mailbox.count(DEMO_EMAIL)
    for i in range(12):
        stranger = f"stranger-{i}"
        result, said = validate("reference_code", DEMO_CODE, sender=stranger)
        if result.get("contact_email") == PASSED:  # a mail went to the owner
            for _ in range(5):
                validate("proof_code", "000000", sender=stranger, reference_code=DEMO_CODE, contact_email=PASSED)
        else:  # past three mails within the hour, the full address is asked first
            assert result == {"reference_code": DEMO_CODE} and "d•••@example.org" in said
            for j in range(5):
                validate("contact_email", f"guess{j}@example.org", sender=stranger, reference_code=DEMO_CODE)
    assert mailbox.count(DEMO_EMAIL) - before == email_proof.ASK_FULL_ADDRESS_AFTER, "strangers trigger no more mails"
    owner = "owner-chat"
    result, said = validate("reference_code", "kcn-2024-d-2402-b", sender=owner)
    assert result == {"reference_code": DEMO_CODE}
    assert "Several codes have been sent to d•••@example.org in the last hour" in said
    result, said = validate("contact_email", DEMO_EMAIL.upper(), sender=owner, reference_code=DEMO_CODE)
    assert result == {"contact_email": DEMO_EMAIL} and "I've sent a 6-digit code to d•••@example.org" in said
    result, _ = validate("proof_code", mailbox.code_for(DEMO_EMAIL), sender=owner, reference_code=DEMO_CODE,
                         contact_email=DEMO_EMAIL)
    assert result == {"proof_code": "ok", "verified_code": DEMO_CODE}


def test_a_wrong_full_address_is_said_so_with_the_tries_left(demo, mailbox):
    for i in range(3):
        validate("reference_code", DEMO_CODE, sender=f"earlier-{i}")
    result, said = validate("contact_email", "someone@example.org", sender="late", reference_code=DEMO_CODE)
    assert result == {"contact_email": None}
    assert said == (f"That is not the e-mail address registered with {DEMO_CODE}. Please type it again, or say "
                    "'cancel' (4 tries left).")
    result, said = validate("contact_email", "not-an-address", sender="late", reference_code=DEMO_CODE)
    assert result == {"contact_email": None} and "is not an e-mail address" in said


def test_a_resend_after_many_mails_asks_for_the_full_address_first(demo, mailbox):
    validate("reference_code", DEMO_CODE, sender="impatient")
    for i in range(2):
        validate("reference_code", DEMO_CODE, sender=f"other-{i}")
    result, said = validate("proof_code", "resend", sender="impatient", reference_code=DEMO_CODE, contact_email=PASSED)
    assert result == {"proof_code": None, "contact_email": None} and "please type the full contact e-mail" in said


def test_too_many_codes_in_one_conversation_are_refused_with_when_to_ask_again(demo, mailbox):
    for code in (CODE, DEMO_CODE):
        validate("reference_code", code, sender="eager")
    validate("proof_code", "resend", sender="eager", reference_code=DEMO_CODE, contact_email=PASSED)
    result, said = validate("proof_code", "resend", sender="eager", lang="ko", reference_code=DEMO_CODE,
                            contact_email=PASSED)
    assert result == {"proof_code": None} and "짧은 시간에 코드를 여러 번 요청하셨습니다" in said and "(UTC) 이후에" in said
    result, said = validate("reference_code", "KCN-2024-D-2403-L", sender="eager")
    assert result == ENDED and "Please ask again after" in said


def test_a_mail_server_that_is_down_ends_the_check_politely(demo, monkeypatch):
    monkeypatch.setenv("KCN_SMTP_URL", "smtp://127.0.0.1:9")
    result, said = validate("reference_code", CODE)
    assert result == ENDED
    assert said == ("Sorry, I can't send e-mail right now. Please try again in a few minutes; if it keeps failing, "
                    "contact the secretariat you submitted to. To try again later, just ask 'where is my proposal?' "
                    "or say 'continue my draft'.")
    _, said = validate("reference_code", CODE, lang="ko")
    assert "지금은 이메일을 보낼 수 없습니다" in said


def test_without_a_mail_server_the_code_is_in_the_outbox(demo, tmp_path, monkeypatch):
    monkeypatch.delenv("KCN_SMTP_URL")
    monkeypatch.setenv("KCN_MAIL_OUTBOX", str(tmp_path))
    result, said = validate("reference_code", CODE, sender="newcomer")
    assert result == {"reference_code": CODE, "contact_email": PASSED} and "p•••@example.org" in said
    (saved,) = tmp_path.glob("*.eml")
    code = code_in(email.message_from_bytes(saved.read_bytes(), policy=email.policy.default))
    result, _ = validate("proof_code", code, sender="newcomer", reference_code=CODE, contact_email=PASSED)
    assert result["verified_code"] == CODE


def test_a_database_outage_is_apologized_for_and_the_code_asked_again(demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    result, said = validate("reference_code", CODE, lang="ko")
    assert result == {"reference_code": None}
    assert said == "죄송합니다. 지금은 공모 정보를 불러올 수 없습니다. 잠시 후 다시 물어봐 주세요."
    result, said = validate("proof_code", "123456", reference_code=CODE, contact_email=PASSED)
    assert result == {"proof_code": None} and "can't reach the call information" in said
