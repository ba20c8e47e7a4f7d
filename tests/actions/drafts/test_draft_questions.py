"""How the draft form asks for the track and the kind of applicant."""
from actions.drafts.questions import ActionAskDraftApplicantKind, ActionAskDraftTrack
from draft_turns import run


def test_the_track_question_offers_only_open_tracks_that_fit_the_applicant(knowledge_db, today):
    messages, _ = run(ActionAskDraftTrack(), draft_applicant_kind="korean_company")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Overseas demonstration track"]
    assert "A Korean company applies together with an overseas partner institution." in messages[0]["text"]
    today("2024-03-25")
    messages, _ = run(ActionAskDraftTrack(), lang="ko")
    assert [b["title"] for b in messages[0]["buttons"]] == ["계획수립형"]


def test_the_applicant_question_offers_every_kind_as_a_button_in_the_conversations_language(knowledge_db, today):
    [message], _ = run(ActionAskDraftApplicantKind(), lang="ko")
    assert message["text"] == "신청하는 기관은 어디에 해당하나요?"
    assert [b["title"] for b in message["buttons"]] == ["해외 정부", "국제기구", "국내(한국) 기업"]
    # A button's payload skips the NLU, so it names the entity itself.
    assert message["buttons"][2]["payload"] == '/inform_track{"applicant": "korean_company"}'
