"""Proposal reference codes: KCN-<year>-<P|D>-<4 digits>-<check character>, e.g. KCN-2024-D-0427-K.

The four digits are random (not a sequence, so codes cannot be counted through) and the check
character catches a mistyped digit or two swapped neighbours before any lookup is made.
Applicants may type codes in any case, with or without dashes or spaces.
"""
import re
import secrets
from typing import Optional

# Digits and capitals without I and O, which read as 1 and 0.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACK_LETTERS = {"planning": "P", "demonstration": "D"}
_CODE = re.compile(r"^KCN(\d{4})([PD])(\d{4})([0-9A-Z])$")


def check_character(body: str) -> str:
    """Position-weighted sum over year, track letter and digits, modulo the alphabet size.

    Any single mistyped digit or swap of two different neighbours changes the sum by a
    non-multiple of 34, so it changes the check character.
    """
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code(year: int, track: str) -> str:
    letter = TRACK_LETTERS[track]
    digits = f"{secrets.randbelow(10_000):04d}"
    return f"KCN-{year}-{letter}-{digits}-{check_character(f'{year}{letter}{digits}')}"


def normalize(raw: Optional[str]) -> Optional[str]:
    """The canonical form of a typed code, or None if it is not a well-formed code."""
    compact = re.sub(r"[\s\-_.]", "", raw or "").upper()
    match = _CODE.match(compact)
    if not match:
        return None
    year, letter, digits, check = match.groups()
    if check_character(f"{year}{letter}{digits}") != check:
        return None
    return f"KCN-{year}-{letter}-{digits}-{check}"


CODE_IN_TEXT = re.compile(r"KCN[\s\-_.]*\d{4}[\s\-_.]*[PD][\s\-_.]*\d{4}[\s\-_.]*[0-9A-Z](?![0-9A-Za-z])", re.IGNORECASE)


def find_in(text: Optional[str]) -> Optional[str]:
    """The first thing in a sentence that looks like a code ("where is kcn-2024-d-2402-b?"), as typed."""
    match = CODE_IN_TEXT.search(text or "")
    return match.group() if match else None
