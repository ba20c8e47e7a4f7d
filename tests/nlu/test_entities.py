"""Entities from the knowledge base's aliases, through the trained pipeline."""
import pytest


def entities(parsed):
    return {(e["entity"], e["value"]) for e in parsed["entities"]}


@pytest.mark.parametrize("text, expected", [
    ("해외실증형은 누가 신청할 수 있나요?", {("track", "demonstration"), ("language", "ko")}),
    ("계획 수립형 지원금 얼마야", {("track", "planning"), ("language", "ko")}),
    ("What about the demo track?", {("track", "demonstration"), ("language", "en")}),
    ("Can a Korean company without a partner apply to planning?",
     {("applicant", "korean_company"), ("lacking", "overseas_partner"), ("track", "planning"), ("language", "en")}),
    ("상용화 안 된 솔루션도 실증 신청 돼요?", {("lacking", "commercialized_in_korea"), ("track", "demonstration"), ("language", "ko")}),
    ("2022년에는 몇 개국이었어?", {("year", "2022"), ("language", "ko")}),
    ("'23년 실적", {("year", "2023"), ("language", "ko")}),
    ("How many projects in 2021?", {("year", "2021"), ("language", "en")}),
    ("국제기구도 신청 가능한가요", {("applicant", "international_organization"), ("language", "ko")}),
])
def test_entities_in_korean_and_english(parse, text, expected):
    assert entities(parse(text)) == expected
