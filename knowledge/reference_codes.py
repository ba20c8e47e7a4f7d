"""Proposal reference codes: KCN-<year>-<P|D>-XXXX-XXXX-XXXX-XXXC, e.g. KCN-2024-D-7K3M-Q9XF-2HTW-5N8J.

After the call year and the track letter (P planning, D demonstration) come 15 random symbols
and a check symbol C, in four groups of four, all in Crockford's base32 alphabet (digits and
capitals without I, L, O and U, so nothing reads as another symbol aloud or on paper):

- Unguessable: 15 symbols of 5 bits each, drawn by `secrets`, are 75 bits of randomness per year
  and track (RANDOM_BITS): a guess matches a given proposal with probability 2**-75, so trying
  codes against a known e-mail address finds nothing, and the codes never run out.
- Typos caught before any lookup: the check symbol is a weighted sum over the whole code (year,
  track and random symbols) in the field GF(32), each position with its own non-zero weight, the
  check itself weight 1. Any single mistyped symbol, and any swap of two different symbols
  (neighbours or not, check symbol included), changes the sum, so the code is refused as mistyped.
- Forgiving input: any case, with or without dashes or spaces; O is read as 0 and I and L as 1,
  as Crockford defines (U is in no code).

Codes made before this format (KCN-<year>-<P|D>-<4 digits>-<check>, e.g. KCN-2024-D-2402-B, with
only 10,000 per year and track) keep being accepted exactly as before, so proposals made with them
(the demo proposals, and any in a deployed database) can still be checked; no new one is made.
"""
import math
import re
import secrets
from typing import Optional

TRACK_LETTERS = {"planning": "P", "demonstration": "D"}

# --- Today's codes --------------------------------------------------------------------------------

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What a typed symbol stands for: Crockford's decoding, in which O is 0 and I and L are 1.
_VALUE = {**{symbol: value for value, symbol in enumerate(CROCKFORD)}, "O": 0, "I": 1, "L": 1}
RANDOM_SYMBOLS = 15
RANDOM_BITS = RANDOM_SYMBOLS * math.log2(len(CROCKFORD))  # 75.0
GROUP = 4
_CODE = re.compile(r"^KCN([0-9OIL]{4})([PD])([0-9A-Z]{16})$")

# GF(32) as polynomials over GF(2) modulo x^5 + x^2 + 1 (primitive: x generates all 31 non-zero
# elements). Position i of the body has weight x^(i + 1); the body is 4 + 1 + 15 = 20 symbols, so
# the 21 weights (the check's is x^0 = 1) are different and non-zero.
_MODULUS = 0b100101


def _times(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _MODULUS
    return product


def _weight(position: int) -> int:
    weight = 1
    for _ in range(position + 1):
        weight = _times(weight, 2)
    return weight


_WEIGHTS = [_weight(position) for position in range(4 + 1 + RANDOM_SYMBOLS)]


def check_symbol(body: str) -> str:
    """The check symbol of a canonical body (year, track letter, 15 random symbols, no dashes).

    A single changed symbol adds w·e (w its weight, e ≠ 0 the change); a swap of symbols a ≠ b at
    positions i, j adds (w_i + w_j)·(a + b) with w_i ≠ w_j. GF(32) has no zero divisors, so
    neither sum is zero and the check symbol no longer matches.
    """
    total = 0
    for position, symbol in enumerate(body):
        total ^= _times(_WEIGHTS[position], _VALUE[symbol])
    return CROCKFORD[total]


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i:i + GROUP] for i in range(0, len(symbols), GROUP))


def new_code(year: int, track: str) -> str:
    letter = TRACK_LETTERS[track]
    random_part = "".join(secrets.choice(CROCKFORD) for _ in range(RANDOM_SYMBOLS))
    body = f"{year:04d}{letter}{random_part}"
    return f"KCN-{year:04d}-{letter}-{_grouped(random_part + check_symbol(body))}"


# --- Codes of the first format (still accepted, no longer made) ----------------------------------

# Digits and capitals without I and O, which read as 1 and 0.
LEGACY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_LEGACY_CODE = re.compile(r"^KCN(\d{4})([PD])(\d{4})([0-9A-Z])$")


def legacy_check_character(body: str) -> str:
    """The first format's check: position-weighted sum over year, track letter and digits, mod 34."""
    total = sum((position + 1) * LEGACY_ALPHABET.index(char) for position, char in enumerate(body))
    return LEGACY_ALPHABET[total % len(LEGACY_ALPHABET)]


# --- Reading what applicants type -----------------------------------------------------------------

def _compact(raw: Optional[str]) -> str:
    return re.sub(r"[\s\-_.]", "", raw or "").upper()


def normalize(raw: Optional[str]) -> Optional[str]:
    """The canonical form of a typed code (either format), or None if it is not a well-formed code."""
    compact = _compact(raw)
    legacy = _LEGACY_CODE.match(compact)
    if legacy:
        year, letter, digits, check = legacy.groups()
        if legacy_check_character(f"{year}{letter}{digits}") != check:
            return None
        return f"KCN-{year}-{letter}-{digits}-{check}"
    match = _CODE.match(compact)
    if not match:
        return None
    typed_year, letter, typed = match.groups()
    if any(symbol not in _VALUE for symbol in typed):  # U
        return None
    year = "".join(CROCKFORD[_VALUE[digit]] for digit in typed_year)
    symbols = "".join(CROCKFORD[_VALUE[symbol]] for symbol in typed)
    if check_symbol(f"{year}{letter}{symbols[:-1]}") != symbols[-1]:
        return None
    return f"KCN-{year}-{letter}-{_grouped(symbols)}"


def is_new_format(code: Optional[str]) -> bool:
    """Whether a code (as typed or canonical) has today's shape, whatever its check symbol."""
    return bool(_CODE.match(_compact(code)))


def shaped_like_code(text: Optional[str]) -> bool:
    """Whether a whole message is one code of either shape (check symbol not judged): a form's answer."""
    compact = _compact(text)
    return bool(_CODE.match(compact) or _LEGACY_CODE.match(compact))


_SEP = r"[\s\-_.]*"
_SYMBOL = "[0-9A-TV-Z]"  # Crockford's symbols and the letters read as them (I, L, O); not U
# A code inside a sentence: today's with separators only between its groups of four (so the words
# after a code of the first format are never read as part of one), or one of the first format.
CODE_IN_TEXT = re.compile(
    rf"KCN{_SEP}\d{{4}}{_SEP}[PD]{_SEP}"
    rf"(?:{_SYMBOL}{{{GROUP}}}(?:{_SEP}{_SYMBOL}{{{GROUP}}}){{3}}|\d{{4}}{_SEP}[0-9A-Z])"
    r"(?![0-9A-Za-z])",
    re.IGNORECASE,
)


def find_in(text: Optional[str]) -> Optional[str]:
    """The first thing in a sentence that looks like a code ("where is kcn-2024-d-7k3m-q9xf-2htw-5n8j?"), as typed."""
    match = CODE_IN_TEXT.search(text or "")
    return match.group() if match else None
