"""Reference codes: unguessable (≥ 64 random bits), typos caught by the check symbol, forgiving
input (case, spaces, dashes, Crockford's O/0 and I/L/1), and the first format still accepted."""
import math
import random
import re
import secrets
import string
from pathlib import Path

import pytest
import yaml

from knowledge import reference_codes as rc

ROOT = Path(__file__).resolve().parents[2]
SHAPE = re.compile(r"^KCN-2024-[PD](?:-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}){4}$")
TYPED = string.digits + string.ascii_uppercase  # what a keyboard gives, upper-cased
# A fixed sample, so a failure can be replayed.
SAMPLE = [rc.new_code(2024, random.Random(n).choice(["planning", "demonstration"])) for n in range(40)]


def compact(code):
    return code.replace("-", "")


def test_new_codes_have_the_documented_form_and_validate():
    for track, letter in (("planning", "P"), ("demonstration", "D")):
        code = rc.new_code(2024, track)
        assert SHAPE.match(code) and code.startswith(f"KCN-2024-{letter}-"), code
        assert rc.normalize(code) == code and rc.is_new_format(code)


def test_a_new_code_carries_at_least_64_random_bits(monkeypatch):
    """Counted from what new_code draws: each draw from `secrets` over an alphabet of n symbols is
    log2(n) bits; the year, the track letter and the check symbol add none."""
    draws = []
    real_choice = secrets.choice

    def counted(alphabet):
        draws.append(len(alphabet))
        return real_choice(alphabet)

    monkeypatch.setattr(rc.secrets, "choice", counted)
    monkeypatch.setattr(rc.secrets, "randbelow", lambda n: pytest.fail("randbelow is not counted"))
    rc.new_code(2024, "demonstration")
    bits = sum(math.log2(n) for n in draws)
    assert bits >= 64 and bits == rc.RANDOM_BITS == 75
    assert len(set(rc.CROCKFORD)) == 32 and not set("ILOU") & set(rc.CROCKFORD)


def test_every_random_position_takes_every_symbol_and_codes_do_not_repeat():
    codes = [compact(rc.new_code(2024, "planning")) for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    for position in range(8, 8 + rc.RANDOM_SYMBOLS):  # after KCN, the year and the track letter
        assert len({c[position] for c in codes}) == 32, position


def test_a_first_format_code_was_one_of_only_10000_per_year_and_track():
    """What the new format replaces: 4 random digits, 13.3 bits, tried through in 10,000 guesses."""
    assert math.log2(10_000) < 14 < 64 <= rc.RANDOM_BITS


@pytest.mark.parametrize("code", SAMPLE[:20])
def test_any_single_mistyped_character_is_caught(code):
    typed = compact(code)
    for position in range(3, len(typed)):  # every character after "KCN"
        for other in TYPED:
            mistyped = typed[:position] + other + typed[position + 1:]
            same = position != 7 and rc._VALUE.get(other) == rc._VALUE.get(typed[position])
            if other == typed[position] or same:  # not a typo: the same character, or O for 0, I or L for 1
                continue
            assert rc.normalize(mistyped) is None, (code, mistyped)


@pytest.mark.parametrize("code", SAMPLE)
def test_any_swap_of_two_neighbours_is_caught_and_of_any_two_symbols_too(code):
    typed = compact(code)
    for first in range(3, len(typed) - 1):
        for second in range(first + 1, len(typed)):
            if typed[first] == typed[second]:
                continue
            swapped = list(typed)
            swapped[first], swapped[second] = swapped[second], swapped[first]
            assert rc.normalize("".join(swapped)) is None, (code, first, second)


def test_the_check_weights_are_all_different_and_not_zero():
    """Why the two tests above cannot fail: one weight per position, the check's being 1."""
    weights = [1] + rc._WEIGHTS
    assert len(set(weights)) == len(weights) == 21 and 0 not in weights
    assert len({rc._weight(i) for i in range(-1, 30)}) == 31  # x generates all of GF(32)'s non-zero elements


def make(year, letter, random_part):
    body = f"{year}{letter}{random_part}"
    symbols = random_part + rc.check_symbol(body)
    return f"KCN-{year}-{letter}-" + "-".join(symbols[i:i + 4] for i in range(0, 16, 4))


CODE = make(2024, "D", "01ABCDEFGHJK1M0")


@pytest.mark.parametrize("typed", [
    CODE, CODE.lower(), CODE.replace("-", ""), CODE.replace("-", " "), f"  {CODE.lower().replace('-', ' - ')}\n",
    CODE.replace("0", "O"), CODE.replace("1", "I"), CODE.replace("1", "l").lower(),  # Crockford's readings
    compact(CODE)[:7] + " " + compact(CODE)[7:12] + " " + compact(CODE)[12:],  # spaced anyhow
])
def test_new_codes_are_accepted_in_any_case_with_any_spacing_and_o_i_l_read_as_digits(typed):
    assert rc.normalize(typed) == CODE


def test_u_is_in_no_code():
    assert "U" not in rc.CROCKFORD
    assert rc.normalize(CODE[:-1] + "U") is None


@pytest.mark.parametrize("typed", ["kcn-2024-p-2401-j", "KCN 2024 P 2401 J", "kcn2024p2401j", " KCN-2024-P-2401-J\n"])
def test_codes_are_accepted_in_any_case_with_or_without_dashes_or_spaces(typed):
    assert rc.normalize(typed) == "KCN-2024-P-2401-J"


def test_first_format_codes_keep_working_the_demo_proposals_among_them():
    demo = yaml.safe_load((ROOT / "knowledge" / "seed" / "demo_proposals.yaml").read_text(encoding="utf-8"))
    for sample in demo:
        assert rc.normalize(sample["code"]) == sample["code"] and not rc.is_new_format(sample["code"])
        assert rc.normalize(sample["code"].lower().replace("-", " ")) == sample["code"]
    # Its check character may be L or U, which today's codes read differently: not mixed up.
    assert rc.normalize("KCN-2024-D-2403-L") == "KCN-2024-D-2403-L"


@pytest.mark.parametrize("typed", ["KCN-2024-P-2401-X", "KCN-2024-P-2410-J", "KCN-2024-X-2401-J", "KCN-24-P-2401-J",
                                   "", None, "'; DROP TABLE proposal; --", "KCN-2024-P-2401-J" * 50,
                                   CODE[:-1], CODE + "0", CODE.replace("KCN-2024-D", "KCN-2024-P"),
                                   CODE.replace("2024", "2025"), CODE * 20])
def test_malformed_or_mistyped_codes_are_rejected_before_any_lookup(typed):
    assert rc.normalize(typed) is None


def test_codes_are_not_sequential():
    codes = {rc.new_code(2024, "planning") for _ in range(50)}
    assert len(codes) == 50


@pytest.mark.parametrize("sentence, found", [
    ("status of kcn-2024-d-2402-b please", "kcn-2024-d-2402-b"),
    ("KCN-2024-P-0763-R인데요", "KCN-2024-P-0763-R"),  # a Korean particle right after the code
    ("KCN-2024-D-2402-B is my code and more", "KCN-2024-D-2402-B"),  # the words after it are not read as groups
    (f"where is {CODE.lower()}?", CODE.lower()),
    (f"{CODE}인데 선정됐나요", CODE),
    (f"my code is {CODE.replace('-', ' ')} thanks", CODE.replace("-", " ")),
    (f"{compact(CODE)} 상태", compact(CODE)),
    ("no code here", None),
    ("KCN-2024-D-7K3M-Q9XF", None),  # half a code
])
def test_codes_are_found_inside_sentences(sentence, found):
    assert rc.find_in(sentence) == found


def test_only_a_code_is_a_message_shaped_like_a_code():
    assert rc.shaped_like_code(CODE.lower().replace("-", " ")) and rc.shaped_like_code("KCN 2024 D 2402 B")
    assert not rc.shaped_like_code(f"status of {CODE}") and not rc.shaped_like_code("hello")
