"""The draft form's validators, in both languages, with bad input and the clock fixed."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.drafts.form import ValidateDraftForm
from draft_turns import DOMAIN, draft_tracker, text_of, validate
from knowledge import proposals


# --- Track and applicant -----------------------------------------------------------------


def test_a_track_button_or_name_settles_the_track(knowledge_db, today):
    assert validate("draft_track", '/inform_track{"track": "planning"}', entities={"track": "planning"}) == (
        {"draft_track": "planning"}, "")


def test_an_unknown_track_is_asked_again_with_the_reason(knowledge_db, today):
    result, said = validate("draft_track", "the blue one")
    assert result == {"draft_track": None}
    assert "I couldn't find a track in 'the blue one'" in said
    _, said = validate("draft_track", "파란 거", lang="ko")
    assert "공모 유형을 찾지 못했습니다" in said


def test_a_closed_track_opens_no_draft_and_says_its_dates(knowledge_db, today):
    today("2024-03-25")
    result, said = validate("draft_track", "demonstration", entities={"track": "demonstration"})
    assert result == {"draft_track": None}
    assert "The overseas demonstration track is not taking proposals now, so no draft can be opened for it." in said
    assert "19 March 2024" in said and "has passed" in said
    _, said = validate("draft_track", "해외실증형", lang="ko", entities={"track": "demonstration"})
    assert "해외실증형은(는) 지금 접수하지 않으므로 초안을 만들 수 없습니다" in said and "2024년 3월 19일" in said


def test_a_planning_draft_after_the_cut_off_is_accepted_for_the_next_year(knowledge_db, today):
    today("2024-05-10")
    result, said = validate("draft_track", "planning", entities={"track": "planning"})
    assert result == {"draft_track": "planning"}
    assert said == "A planning track proposal received now will be reviewed for 2025 support."
    _, said = validate("draft_track", "계획수립형", lang="ko", entities={"track": "planning"})
    assert "2025년도 지원사업으로 검토됩니다" in said


def test_no_planning_draft_is_opened_under_rules_that_ended_with_the_call_year(knowledge_db, today):
    today("2026-12-05")
    result, said = validate("draft_track", "planning", entities={"track": "planning"})
    assert result == {"draft_track": None}
    assert "The latest call I know for the planning track is the 2024 call" in said
    assert "www.smartcity.go.kr" in said and "2025" not in said and "2027" not in said
    _, said = validate("draft_track", "계획수립형", lang="ko", entities={"track": "planning"})
    assert "가장 최근 공모는 2024년도 공모" in said and "초안을 만들 수 없습니다" in said


def test_a_korean_company_asking_for_planning_is_told_who_may_apply_and_offered_demonstration(knowledge_db, today):
    result, said = validate("draft_applicant_kind", '/inform_track{"applicant": "korean_company"}',
                            entities={"applicant": "korean_company"}, draft_track="planning")
    assert result == {"draft_applicant_kind": "korean_company", "draft_track": None}
    assert said == ("Only a foreign government or an international organization may apply to the planning track. "
                    "As a Korean company, you may apply to the overseas demonstration track. Please choose the track again.")
    _, said = validate("draft_applicant_kind", "한국 기업", lang="ko", entities={"applicant": "korean_company"},
                       draft_track="planning")
    assert "계획수립형은(는) 해외 정부 또는 국제기구만 신청할 수 있습니다" in said and "해외실증형에 신청할 수 있습니다" in said


def test_an_unknown_applicant_kind_is_asked_again(knowledge_db, today):
    result, said = validate("draft_applicant_kind", "a hobby club", draft_track="planning")
    assert result == {"draft_applicant_kind": None}
    assert "I couldn't tell what kind of applicant 'a hobby club' is" in said


# --- Contact e-mail: confirmed by a mailed code, then the draft is created ----------------------

PLANNING = dict(draft_track="planning", draft_applicant_kind="foreign_government")


@pytest.mark.parametrize("typed", ["lee-at-example.com", "lee@", "<script>@x", "a" * 300 + "@example.com"])
def test_a_malformed_email_creates_nothing(knowledge_db, today, typed):
    result, said = validate("draft_contact_email", typed, **PLANNING)
    assert result == {"draft_contact_email": None} and "is not an e-mail address" in said
    assert proposals.list_all() == []


def test_a_typed_email_saves_nothing_until_the_mailed_code_is_typed_back(knowledge_db, today, mailbox):
    """Anyone could open a draft with someone else's address (issue 15): now the address is proved first."""
    result, said = validate("draft_contact_email", " Lee@Example.COM ", lang="ko", **PLANNING)
    assert result == {"draft_contact_email": "lee@example.com", "draft_email_code": None}
    assert "lee@example.com이(가) 본인 주소인지 확인하기 위해 6자리 코드를 보냈습니다" in said
    assert proposals.list_all() == [], "nothing is saved under an unproved address"
    mail = mailbox.last_to("lee@example.com")
    assert mail["Content-Language"] == "ko" and "새 제안서 초안의 담당자 이메일" in mail.get_body(("plain",)).get_content()
    result, said = validate("draft_email_code", mailbox.code_for("lee@example.com"), lang="ko",
                            draft_contact_email="lee@example.com", **PLANNING)
    saved = proposals.get(result["draft_code"])
    assert result["draft_email_code"] == "ok"
    assert saved.track_code == "planning" and saved.contact_email == "lee@example.com"
    assert saved.applicant_kind == "foreign_government" and saved.current.status == "draft"
    assert said.startswith("이메일 확인을 마쳤습니다.") and f"접수번호는 {saved.code}입니다" in said


def test_a_wrong_code_saves_nothing_and_says_the_tries_left(knowledge_db, today, mailbox):
    validate("draft_contact_email", "lee@example.com", **PLANNING)
    right = mailbox.code_for("lee@example.com")
    result, said = validate("draft_email_code", f"{(int(right) + 1) % 10 ** 6:06d}", draft_contact_email="lee@example.com",
                            **PLANNING)
    assert result == {"draft_email_code": None} and "(4 tries left for this code)" in said
    result, said = validate("draft_email_code", "the code", draft_contact_email="lee@example.com", **PLANNING)
    assert result == {"draft_email_code": None} and "has 6 digits" in said
    assert proposals.list_all() == []


def test_another_address_at_the_code_step_is_confirmed_instead(knowledge_db, today, mailbox):
    validate("draft_contact_email", "lee@exmaple.com", **PLANNING)
    result, said = validate("draft_email_code", "lee@example.com", draft_contact_email="lee@exmaple.com", **PLANNING)
    assert result == {"draft_email_code": None, "draft_contact_email": "lee@example.com"}
    assert "To confirm that lee@example.com is yours" in said
    result, _ = validate("draft_email_code", mailbox.code_for("lee@example.com"), draft_contact_email="lee@example.com",
                         **PLANNING)
    assert proposals.get(result["draft_code"]).contact_email == "lee@example.com"


def test_resend_mails_a_new_code(knowledge_db, today, mailbox):
    validate("draft_contact_email", "lee@example.com", **PLANNING)
    before = mailbox.count("lee@example.com")
    result, said = validate("draft_email_code", "send it again", draft_contact_email="lee@example.com", **PLANNING)
    assert result == {"draft_email_code": None} and "I've sent a new code to lee@example.com" in said
    assert mailbox.count("lee@example.com") == before + 1


def test_a_mail_server_that_is_down_saves_nothing_and_asks_again(knowledge_db, today, monkeypatch):
    monkeypatch.setenv("KCN_SMTP_URL", "smtp://127.0.0.1:9")
    result, said = validate("draft_contact_email", "lee@example.com", **PLANNING)
    assert result == {"draft_contact_email": None}
    assert said == ("Sorry, I can't send e-mail right now. Please type your e-mail address again in a few minutes, "
                    "or say 'cancel'. Nothing has been saved yet.")
    assert proposals.list_all() == []


def test_too_many_codes_to_one_address_are_refused_with_what_to_do(knowledge_db, today, mailbox):
    for i in range(10):
        tracker_slots = dict(PLANNING)
        dispatcher_result = asyncio.run(ValidateDraftForm().validate_draft_contact_email(
            "busy@example.org", CollectingDispatcher(), draft_tracker(sender=f"conv-{i}", **tracker_slots), DOMAIN))
        assert dispatcher_result["draft_contact_email"] == "busy@example.org"
    result, said = validate("draft_contact_email", "busy@example.org", **PLANNING)
    assert result == {"draft_contact_email": None}
    assert "Too many codes have been sent to busy@example.org in the last hour" in said and "another e-mail address" in said


def test_a_database_outage_while_confirming_is_apologized_for(knowledge_db, today, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://kcn@127.0.0.1:1/kcn?connect_timeout=2")
    result, said = validate("draft_contact_email", "lee@example.com", **PLANNING)
    assert result == {"draft_contact_email": None}
    assert "Sorry, I can't reach the call information right now" in said
    result, said = validate("draft_email_code", "123456", draft_contact_email="lee@example.com", **PLANNING)
    assert result == {"draft_email_code": None} and "can't reach the call information" in said


# --- Each later answer is validated and saved at once --------------------------------------


def test_each_answer_is_saved_as_it_comes(draft):
    assert validate("draft_applicant_org", "  Smart   Mobility Co. ", draft_code=draft.code,
                    draft_applicant_kind="korean_company") == ({"draft_applicant_org": "Smart Mobility Co."}, "")
    assert validate("draft_city", "Hanoi", draft_code=draft.code)[0] == {"draft_city": "Hanoi"}
    saved = proposals.get(draft.code)
    assert saved.applicant_org == saved.korean_company == "Smart Mobility Co." and saved.city == "Hanoi"


@pytest.mark.parametrize("typed", ["", "   ", "🙂🙂", "12345", "/ask_deadline"])
def test_an_empty_or_meaningless_name_is_asked_again(draft, typed):
    result, said = validate("draft_applicant_org", typed, draft_code=draft.code)
    assert result == {"draft_applicant_org": None} and "Please type the applicant organization; it cannot be empty." in said
    _, said = validate("draft_title", typed, lang="ko", draft_code=draft.code)
    assert "사업명을(를) 입력해 주세요" in said
    assert proposals.get(draft.code).title is None


def test_an_over_long_title_is_refused_with_the_limit(draft):
    result, said = validate("draft_title", "Smart " * 100, draft_code=draft.code)
    assert result == {"draft_title": None} and "at most 300 characters" in said


def test_injection_like_text_is_stored_as_plain_text(draft):
    typed = "'; DROP TABLE proposal; -- <b>x</b>"
    assert validate("draft_title", typed, draft_code=draft.code)[0] == {"draft_title": typed}
    assert proposals.get(draft.code).title == typed


@pytest.mark.parametrize("typed,stored", [("vietnam", "Vietnam"), ("베트남", "Vietnam"), ("VN", "Vietnam"),
                                          ("Viet Nam", "Vietnam"), ("indonesia", "Indonesia")])
def test_a_known_country_in_either_language_is_accepted(draft, typed, stored):
    assert validate("draft_country", typed, draft_code=draft.code)[0] == {"draft_country": stored}
    assert proposals.get(draft.code).country == stored


def test_an_unknown_country_is_refused_with_close_names(draft):
    result, said = validate("draft_country", "Indonsia", draft_code=draft.code)
    assert result == {"draft_country": None}
    assert "I don't know a country called 'Indonsia'" in said and "Did you mean Indonesia" in said
    _, said = validate("draft_country", "아틀란티스", lang="ko", draft_code=draft.code)
    assert "알 수 없는 국가입니다" in said


def test_the_partner_must_be_another_institution(draft):
    result, said = validate("draft_partner_institution", "smart mobility co.", draft_code=draft.code,
                            draft_applicant_org="Smart Mobility Co.")
    assert result == {"draft_partner_institution": None} and "not your own company" in said
    assert validate("draft_partner_institution", "Hanoi Transport Department", draft_code=draft.code,
                    draft_applicant_org="Smart Mobility Co.")[0] == {"draft_partner_institution": "Hanoi Transport Department"}


def test_a_solution_not_commercialized_in_korea_is_told_the_requirement(draft):
    result, said = validate("draft_commercialized", "no", draft_code=draft.code, draft_track="demonstration")
    assert result == {"draft_commercialized": None}
    assert "This is a requirement of the overseas demonstration track: The solution must have been developed and commercialized in Korea." in said
    assert validate("draft_commercialized", "예", lang="ko", draft_code=draft.code)[0] == {"draft_commercialized": "yes"}
    assert proposals.get(draft.code).commercialized_in_korea is True
    result, said = validate("draft_commercialized", "maybe", draft_code=draft.code)
    assert result == {"draft_commercialized": None} and "Please answer 'yes' or 'no'." in said


# --- The form as a whole ------------------------------------------------------------------


def test_only_the_demonstration_track_asks_for_a_partner_and_commercialization(knowledge_db, today):
    form = ValidateDraftForm()
    domain_slots = form.domain_slots(DOMAIN)
    planning = asyncio.run(form.required_slots(domain_slots, CollectingDispatcher(), draft_tracker(draft_track="planning"), DOMAIN))
    demo = asyncio.run(form.required_slots(domain_slots, CollectingDispatcher(), draft_tracker(draft_track="demonstration"), DOMAIN))
    assert "draft_partner_institution" not in planning and "draft_commercialized" not in planning
    assert demo[-2:] == ["draft_partner_institution", "draft_commercialized"]


def test_a_latin_answer_keeps_a_korean_form_in_korean(draft):
    events = [{"event": "slot", "name": "language", "value": "ko"},
              {"event": "user", "text": "Atlantis"},
              {"event": "slot", "name": "language", "value": "en"},
              {"event": "slot", "name": "draft_country", "value": "Atlantis"}]
    dispatcher = CollectingDispatcher()
    t = draft_tracker("en", "Atlantis", events=events, draft_code=draft.code, draft_track="demonstration",
                      requested_slot="draft_country", draft_country="Atlantis")
    out = asyncio.run(ValidateDraftForm().run(dispatcher, t, DOMAIN))
    assert "알 수 없는 국가입니다" in text_of(dispatcher.messages)
    assert {"event": "slot", "name": "language", "value": "ko", "timestamp": None} in out


@pytest.mark.parametrize("confidence,is_answer", [(0.45, True), (0.95, False)])
def test_only_a_confident_stop_leaves_the_form(draft, confidence, is_answer):
    dispatcher = CollectingDispatcher()
    t = draft_tracker("en", "Indonsia", intent="stop", confidence=confidence, events=[{"event": "user", "text": "Indonsia"}],
                      draft_code=draft.code, draft_track="demonstration", requested_slot="draft_country")
    events = asyncio.run(ValidateDraftForm().run(dispatcher, t, DOMAIN))
    said = text_of(dispatcher.messages)
    if is_answer:
        assert "I don't know a country called 'Indonsia'" in said
        assert {"event": "slot", "name": "draft_country", "value": None, "timestamp": None} in events
    else:
        assert said == "" and not any(e.get("name") == "draft_country" for e in events), "left to the stop rule"
