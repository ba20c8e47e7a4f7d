import pytest

from knowledge import reference_codes as rc


def test_new_codes_have_the_documented_form_and_validate():
    code = rc.new_code(2024, "demonstration")
    assert code.startswith("KCN-2024-D-") and len(code) == len("KCN-2024-D-0427-K")
    assert rc.normalize(code) == code


@pytest.mark.parametrize("typed", ["kcn-2024-p-2401-j", "KCN 2024 P 2401 J", "kcn2024p2401j", " KCN-2024-P-2401-J\n"])
def test_codes_are_accepted_in_any_case_with_or_without_dashes_or_spaces(typed):
    assert rc.normalize(typed) == "KCN-2024-P-2401-J"


@pytest.mark.parametrize("typed", ["KCN-2024-P-2401-X", "KCN-2024-P-2410-J", "KCN-2024-X-2401-J", "KCN-24-P-2401-J",
                                   "", None, "'; DROP TABLE proposal; --", "KCN-2024-P-2401-J" * 50])
def test_malformed_or_mistyped_codes_are_rejected_before_any_lookup(typed):
    assert rc.normalize(typed) is None


def test_codes_are_not_sequential():
    codes = {rc.new_code(2024, "planning") for _ in range(50)}
    assert len(codes) > 40


@pytest.mark.parametrize("sentence, found", [
    ("status of kcn-2024-d-2402-b please", "kcn-2024-d-2402-b"),
    ("KCN-2024-P-0763-R인데요", "KCN-2024-P-0763-R"),  # a Korean particle right after the code
    ("no code here", None),
])
def test_codes_are_found_inside_sentences(sentence, found):
    assert rc.find_in(sentence) == found
