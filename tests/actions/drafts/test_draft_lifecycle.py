"""Starting, stopping, continuing and finishing a draft, in both languages, with the clock fixed."""
import asyncio

from actions.drafts.lifecycle import ActionFinishDraft, ActionResumeDraft, ActionStartDraft, ActionStopDraft
from draft_turns import run, text_of
from knowledge import email_proof, proposals
from knowledge.email_proof import Purpose, Requester


def prove_address(conversation, address, mailbox):
    """What the draft form does when the applicant types the code mailed to `address`."""
    requester = Requester(conversation, conversation)
    asyncio.run(email_proof.send_code(requester, address, Purpose.DRAFT, "en"))
    assert email_proof.check_code(requester, Purpose.DRAFT, mailbox.code_for(address)).ok


def test_no_draft_is_started_before_the_call_opens(knowledge_db, today):
    today("2024-01-10")
    messages, slots = run(ActionStartDraft())
    assert slots == {"draft_next": "none"}
    assert "No track of the calls I know is taking proposals now" in text_of(messages)
    messages, slots = run(ActionStartDraft(), lang="ko", draft_code="KCN-2024-P-2401-J")
    assert "접수 중인 공모 유형이 없어" in text_of(messages)


def test_no_draft_is_started_after_the_latest_call_s_year(knowledge_db, today):
    today("2026-12-05")
    messages, slots = run(ActionStartDraft())
    assert slots == {"draft_next": "none"}
    text = text_of(messages)
    assert "No track of the calls I know is taking proposals now" in text
    assert "That rule is for proposals received in 2024" in text and "based on the 2024 call" in text
    assert "2025 support." not in text.split("That rule")[1]
    ko = text_of(run(ActionStartDraft(), lang="ko")[0])
    assert "2024년에 접수된 제안서에 관한 것입니다" in ko and "www.smartcity.go.kr" in ko


def test_a_new_draft_starts_clean(knowledge_db, today):
    _, slots = run(ActionStartDraft(), draft_code="KCN-2024-P-2401-J", draft_city="Old")
    assert slots["draft_next"] == "form" and slots["draft_code"] is None and slots["draft_city"] is None


def test_stopping_keeps_the_saved_draft_and_says_how_to_continue(draft):
    messages, slots = run(ActionStopDraft(), draft_code=draft.code)
    assert f"Your draft {draft.code} is saved; say 'continue my draft'" in text_of(messages)
    assert "draft_code" not in slots and proposals.get(draft.code) is not None
    messages, _ = run(ActionStopDraft(), lang="ko")
    assert "저장된 내용은 없습니다" in text_of(messages)


def test_resuming_in_the_same_conversation_refills_the_form_from_the_database(draft, mailbox):
    proposals.update_draft(draft.code, city="Hanoi", country="Vietnam", commercialized_in_korea=True)
    other = proposals.create_draft(2024, "planning", "lee@example.com", applicant_kind="foreign_government")
    prove_address("applicant-1", "lee@example.com", mailbox)  # as when the draft was made here
    messages, slots = run(ActionResumeDraft(), draft_code=draft.code)
    assert slots["draft_next"] == "form" and slots["draft_code"] == draft.code
    assert slots["draft_city"] == "Hanoi" and slots["draft_country"] == "Vietnam" and slots["draft_commercialized"] == "yes"
    assert slots["draft_title"] is None, "unanswered fields are asked again"
    assert f"Let's continue draft {draft.code}. Your other drafts under this e-mail: {other.code}" in text_of(messages)


def test_resuming_without_a_draft_in_this_conversation_asks_for_proof(knowledge_db, today):
    assert run(ActionResumeDraft()) == ([], {"draft_next": "proof"})


def test_an_unproved_address_lists_and_opens_nothing(draft, mailbox):
    """Typing someone's address used to open a draft whose "continue" listed their other drafts (issue 15)."""
    victim = proposals.create_draft(2024, "planning", "lee@example.com", title="Secret plan")
    # A conversation that only typed the address: a code went to its owner, nothing was saved.
    from draft_turns import validate

    validate("draft_contact_email", "lee@example.com", draft_track="planning", draft_applicant_kind="foreign_government")
    assert [p.code for p in proposals.list_all()] == [draft.code, victim.code]
    messages, slots = run(ActionResumeDraft())
    assert (messages, slots) == ([], {"draft_next": "proof"}), "nothing opened: the proof by mail comes first"
    # Even a draft opened here before addresses were proved (an old conversation) lists no other draft.
    messages, _ = run(ActionResumeDraft(), draft_code=draft.code)
    assert victim.code not in text_of(messages) and "other drafts" not in text_of(messages)


def test_a_refused_proof_continues_nothing(knowledge_db, today):
    messages, slots = run(ActionResumeDraft(), proof_refused=True, reference_code="-", verified_code=None)
    assert messages == [] and slots["draft_next"] == "none" and slots["proof_refused"] is None


def test_a_proved_proposal_that_is_no_longer_a_draft_shows_its_status(knowledge_db, today):
    proposals.load_demo()
    messages, slots = run(ActionResumeDraft(), verified_code="KCN-2024-D-2402-B")
    assert slots["draft_next"] == "none" and slots["verified_code"] is None
    assert "KCN-2024-D-2402-B is no longer a draft" in text_of(messages) and "under review" in text_of(messages)


def test_a_draft_whose_track_has_closed_cannot_be_continued(draft, today):
    today("2024-04-01")
    messages, slots = run(ActionResumeDraft(), lang="ko", verified_code=draft.code)
    assert slots["draft_next"] == "none"
    assert f"초안 {draft.code}은(는) 저장되어 있지만, 해외실증형 접수가 끝나" in text_of(messages)


def test_the_finished_draft_is_summarized_with_how_to_submit(draft):
    proposals.update_draft(draft.code, applicant_org="Smart Mobility Co.", korean_company="Smart Mobility Co.",
                           country="Vietnam", city="Hanoi", title="Smart crossings", partner_institution="Hanoi DOT",
                           commercialized_in_korea=True)
    messages, slots = run(ActionFinishDraft(), draft_code=draft.code)
    text = text_of(messages)
    assert text.startswith(f"Draft {draft.code} (overseas demonstration track):")
    for line in ("- applicant organization: Smart Mobility Co.", "- country: Vietnam", "- city: Hanoi",
                 "- project title: Smart crossings", "- overseas partner institution: Hanoi DOT",
                 "- commercialized in Korea: yes", "- contact e-mail: lee@example.com"):
        assert line in text
    assert "not submitted yet. To submit formally, send it to the secretariat" in text and "(KAIA)" in text
    assert "days are left" in text
    assert slots["draft_city"] is None and "draft_code" not in slots
    ko = text_of(run(ActionFinishDraft(), lang="ko", draft_code=draft.code)[0])
    assert "- 국가: 베트남" in ko and "아직 제출된 것은 아닙니다" in ko
