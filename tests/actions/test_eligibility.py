"""Who may apply, per track and per kind of applicant."""


def test_who_may_apply_to_each_track(ask, today):
    text = ask("eligibility", "en")
    assert "Planning track: A foreign government or an international organization" in text
    assert "Overseas demonstration track: A Korean company applies together with an overseas partner institution." in text
    assert "commercialized in Korea" in text
    ko = ask("eligibility", "ko", track="planning")
    assert ko == "계획수립형: 해외 정부 및 국제기구가 사업 제안서를 제출합니다."


def test_a_korean_company_asking_for_the_planning_track_is_offered_the_demonstration_track(ask, today):
    text = ask("eligibility", "en", applicant="korean_company", track="planning")
    assert "Planning track: no, this track is only for a foreign government or an international organization." in text
    assert "You may apply to the overseas demonstration track instead." in text
    ko = ask("eligibility", "ko", applicant="korean_company", track="planning")
    assert "대신 해외실증형에 신청할 수 있습니다." in ko


def test_a_company_without_an_overseas_partner_cannot_apply(ask, today):
    text = ask("eligibility", "en", applicant="korean_company", lacking="overseas_partner")
    assert "Overseas demonstration track: no. The company must apply together with an overseas partner institution." in text
    assert "yes" not in text.lower()


def test_an_uncommercialized_solution_is_not_eligible(ask, today):
    text = ask("eligibility", "ko", lacking="commercialized_in_korea", track="demonstration")
    assert text == "해외실증형: 아니요, 국내에서 개발되고 상용화된 솔루션이어야 합니다."


def test_a_foreign_government_may_apply_to_the_planning_track(ask, today):
    text = ask("eligibility", "en", applicant="foreign_government")
    assert "Planning track: yes, a foreign government may apply." in text
    assert "Overseas demonstration track: no, this track is only for a Korean company." in text
