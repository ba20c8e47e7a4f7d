"""A draft beyond the limits (knowledge/settings.py: per contact address, per conversation) is refused
with what to do instead, in the applicant's language, before any code is mailed (issue 15)."""
from draft_turns import validate
from knowledge import proposals

PLANNING = dict(draft_track="planning", draft_applicant_kind="foreign_government")
DEMONSTRATION = dict(draft_track="demonstration", draft_applicant_kind="korean_company")


def test_a_sixth_draft_for_an_address_is_refused_in_english_before_any_mail(knowledge_db, today, mailbox):
    for _ in range(5):
        proposals.create_draft(2024, "planning", "lee@example.com")
    mails = mailbox.count("lee@example.com")
    result, said = validate("draft_contact_email", "Lee@Example.com", **PLANNING)
    assert result == {"draft_contact_email": None}
    assert said == ("5 drafts have already been started with this e-mail address in the last 24 hours, so I can't "
                    "open another one. To go on with one of them, say 'cancel' and then 'continue my draft' (you'll "
                    "need its reference code). To use another contact address, type it; if you need more drafts, "
                    "please contact the secretariat, Korea Overseas Infrastructure & Urban Development Corporation "
                    "(KIND).")
    assert mailbox.count("lee@example.com") == mails and len(proposals.drafts_of("lee@example.com")) == 5


def test_a_fourth_draft_in_one_conversation_is_refused_in_korean(knowledge_db, today, mailbox):
    for i in range(3):
        proposals.create_draft(2024, "demonstration", f"kim{i}@example.kr", conversation_id="applicant-1")
    result, said = validate("draft_contact_email", "park@example.kr", lang="ko", **DEMONSTRATION)
    assert result == {"draft_contact_email": None}
    assert said.startswith("이 대화에서 최근 24시간 안에 이미 초안을 3건 시작하셨으므로 새 초안을 열 수 없습니다.")
    assert "'취소'라고 입력한 뒤 '초안 이어서 작성'이라고 말씀해 주세요" in said
    assert "사무국인 국토교통과학기술진흥원(KAIA)에 문의해 주세요" in said
    assert mailbox.count("park@example.kr") == 0


def test_a_limit_reached_while_the_mailed_code_was_awaited_is_refused_at_creation(knowledge_db, today, mailbox):
    result, _ = validate("draft_contact_email", "lee@example.com", lang="ko", **PLANNING)
    assert result == {"draft_contact_email": "lee@example.com", "draft_email_code": None}
    for _ in range(5):  # from other conversations, meanwhile
        proposals.create_draft(2024, "planning", "lee@example.com")
    result, said = validate("draft_email_code", mailbox.code_for("lee@example.com"), lang="ko",
                            draft_contact_email="lee@example.com", **PLANNING)
    assert result == {"draft_email_code": None, "draft_contact_email": None}
    assert said.startswith("이 이메일 주소로 최근 24시간 안에 시작된 초안이 이미 5건 있어 새 초안을 열 수 없습니다.")
    assert "한국해외인프라도시개발지원공사(KIND)" in said
    assert len(proposals.drafts_of("lee@example.com")) == 5


def test_a_draft_created_in_a_conversation_counts_for_it(knowledge_db, today, mailbox, monkeypatch):
    monkeypatch.setenv("KCN_DRAFTS_PER_CONVERSATION", "2")
    proposals.create_draft(2024, "planning", "first@example.com", conversation_id="applicant-1")
    validate("draft_contact_email", "lee@example.com", **PLANNING)
    result, _ = validate("draft_email_code", mailbox.code_for("lee@example.com"), draft_contact_email="lee@example.com",
                         **PLANNING)
    assert result["draft_email_code"] == "ok"
    result, said = validate("draft_contact_email", "kim@example.com", **PLANNING)
    assert result == {"draft_contact_email": None}
    assert said.startswith("You have already started 2 drafts in this chat in the last 24 hours")
