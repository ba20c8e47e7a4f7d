"""Limits on drafts over the REST channel against the real servers (issue 15): beyond
KCN_DRAFTS_PER_EMAIL open drafts for an address, or KCN_DRAFTS_PER_CONVERSATION in one conversation,
no draft is opened and the applicant is told what to do instead, in their language."""
import uuid

import pytest

from knowledge import proposals, reference_codes


@pytest.fixture
def database(assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", assistant.database_url)


def test_a_sixth_draft_for_one_address_is_refused_in_english(assistant, database):
    email = f"busy-{uuid.uuid4().hex[:6]}@example.org"
    for _ in range(5):
        proposals.create_draft(2024, "demonstration", email, applicant_kind="korean_company")
    user = f"limit-{uuid.uuid4().hex[:8]}"
    assert "contact e-mail" in assistant.ask(user, "I want to apply to the demonstration track as a Korean company")
    reply = assistant.ask(user, email)
    assert "5 drafts have already been started with this e-mail address in the last 24 hours" in reply
    assert "say 'cancel' and then 'continue my draft'" in reply
    assert "contact the secretariat, Korea Agency for Infrastructure Technology Advancement (KAIA)" in reply
    assert reference_codes.find_in(reply) is None and len(proposals.drafts_of(email)) == 5
    assert "Nothing had been saved yet" in assistant.ask(user, "cancel")


def test_a_fourth_draft_in_one_conversation_is_refused_in_korean(assistant, database):
    user = f"limit-{uuid.uuid4().hex[:8]}"
    for i in range(3):
        proposals.create_draft(2024, "planning", f"city{i}-{user}@example.org", conversation_id=user)
    assistant.ask(user, "신청서 작성을 시작하고 싶어요")
    assistant.replies(user, '/inform_track{"track": "planning"}')
    assert "이메일" in assistant.ask(user, '/inform_track{"applicant": "international_organization"}')
    email = f"new-{user}@example.org"
    reply = assistant.ask(user, email)
    assert "이 대화에서 최근 24시간 안에 이미 초안을 3건 시작하셨으므로 새 초안을 열 수 없습니다" in reply
    assert "사무국인 한국해외인프라도시개발지원공사(KIND)에 문의해 주세요" in reply
    assert proposals.drafts_of(email) == []
    assert "저장된 내용은 없습니다" in assistant.ask(user, "취소")
