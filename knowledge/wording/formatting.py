"""How dates, months, amounts and lists read in each language."""
import datetime
from typing import Sequence

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def date(d: datetime.date, lang: str) -> str:
    return f"{d.year}년 {d.month}월 {d.day}일" if lang == "ko" else f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def month(year: int, month_number: int, lang: str) -> str:
    return f"{year}년 {month_number}월" if lang == "ko" else f"{_MONTHS_EN[month_number - 1]} {year}"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _eok(krw: int) -> str:
    """Korean amounts are read in 억 (100 million)."""
    return f"{_number(krw / 100_000_000)}억"


def _en_scale(krw: int):
    return (1_000_000_000, "billion") if krw >= 1_000_000_000 else (1_000_000, "million")


def krw(amount: int, lang: str) -> str:
    if lang == "ko":
        return f"{_eok(amount)} 원"
    unit, word = _en_scale(amount)
    return f"KRW {_number(amount / unit)} {word}"


def krw_range(low: int, high: int, lang: str) -> str:
    if lang == "ko":
        return f"{_eok(low)}~{_eok(high)} 원"
    (low_unit, low_word), (high_unit, high_word) = _en_scale(low), _en_scale(high)
    if low_word == high_word:
        return f"KRW {_number(low / low_unit)}–{_number(high / high_unit)} {high_word}"
    return f"KRW {_number(low / low_unit)} {low_word}–{_number(high / high_unit)} {high_word}"


def join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if lang == "ko" or len(items) < 2:
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def join_or(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) < 2:
        return ", ".join(items)
    if lang == "ko":
        return ", ".join(items[:-1]) + " 또는 " + items[-1]
    return ", ".join(items[:-1]) + " or " + items[-1]


def capitalized(line: str) -> str:
    """Track names start lower case mid-sentence; a line still starts with a capital."""
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    return indent + stripped[:1].upper() + stripped[1:]
