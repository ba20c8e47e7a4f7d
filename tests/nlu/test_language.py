import pytest

from nlu.language import detect_language


@pytest.mark.parametrize("text, language", [
    ("마감일이 언제예요?", "ko"),
    ("When is the deadline?", "en"),
    ("K-City Network deadline 언제예요?", "ko"),  # code-switched with Hangul counts as Korean
    ("KIND에 proposal 어떻게 내요", "ko"),
    ("ㅋㅋ", "ko"),
    ("12345 ?!", None),  # no letters: keep the conversation's language
    ("👍", None),
    ("", None),
    ("planning.demo@example.org", None),  # a form answer keeps the conversation's language
    ("kcn-2024-d-2402-b", None),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J", None),  # today's codes, however typed
    ("kcn 2024 d 7k3m q9xf 2htw 5n8j", None),
    ("kcn2024d 7k3mq9 xf2htw5n8j", None),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J please", "en"),
    ("KCN-2024-D-7K3M-Q9XF-2HTW-5N8J 상태 알려주세요", "ko"),
    ("www.smartcity.go.kr", None),
    ("my e-mail is kim@example.org", "en"),
])
def test_language_of_a_message(text, language):
    assert detect_language(text) == language


# Written for these tests (partner governments' languages); none is training data.
OTHER_LANGUAGES = [
    ("¿Hasta cuándo podemos enviar la propuesta de nuestra alcaldía?", "es"),
    ("Notre ministère peut-il déposer un dossier pour une ville intelligente ?", "fr"),
    ("Bộ của chúng tôi có thể nộp đề xuất cho dự án thành phố thông minh không?", "vi"),
    ("A prefeitura pode receber apoio para um plano diretor?", "pt"),
    ("Berapa dana yang diberikan untuk setiap proyek?", "id"),
    ("โครงการนี้รับข้อเสนอถึงวันไหน", "th"),
]


@pytest.mark.parametrize("text, language", OTHER_LANGUAGES)
def test_a_question_in_another_language_is_not_guessed_at(parse, text, language):
    result = parse(text)
    assert result["intent"]["name"] == "nlu_fallback"
    assert result["unsupported_language"] == language


@pytest.mark.parametrize("text", [
    "Can the city of São Paulo apply for the planning track?",
    "Is Bogotá eligible, and when is the deadline?",
    "when does the call close? gracias",
    "Hi, I'm from the Ministry of Public Works in Jakarta",
    "status of KCN-2024-D-2402-B",
    "안녕하세요, Ciudad de México 시청입니다",
])
def test_english_or_korean_with_foreign_names_is_still_understood(parse, text):
    assert "unsupported_language" not in parse(text)


def test_no_english_or_korean_question_of_the_training_or_held_out_data_is_taken_for_another_language():
    import yaml
    from pathlib import Path

    from knowledge.wording import unsupported_language

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "nlu" / "data").rglob("*.yml")) + sorted((root / "tests" / "nlu").glob("holdout_*.yml"))
    questions = [line.strip()[2:] for path in files for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
                 for line in block.get("examples", "").splitlines() if line.strip().startswith("- ")]
    assert len(questions) > 4000
    assert [q for q in questions if unsupported_language(q)] == []


def test_every_language_told_apart_has_a_name_in_both_languages():
    from lingua import Language

    from knowledge.wording import _OTHER_LANGUAGES, LANGUAGES, words

    codes = {getattr(Language, name).iso_code_639_1.name.lower() for name in _OTHER_LANGUAGES}
    for lang in LANGUAGES:
        assert set(words("language_names", lang)) == codes
