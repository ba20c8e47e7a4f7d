"""Country names in Korean and English, from the CLDR data that Babel ships.

Draft submissions store a country by its English CLDR name; applicants may type it in either
language, as an ISO code, or slightly misspelled (they are then offered the closest names).
"""
import difflib
from functools import lru_cache
from typing import Dict, List, Optional

from babel import Locale

# CLDR territories that are not countries one can name as a project's location.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


@lru_cache(maxsize=None)
def _names() -> Dict[str, Dict[str, str]]:
    """ISO code -> {"ko": name, "en": name} for every country."""
    ko, en = Locale("ko").territories, Locale("en").territories
    return {code: {"ko": ko.get(code, en[code]), "en": en[code]}
            for code in en if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@lru_cache(maxsize=None)
def _index() -> Dict[str, str]:
    """Every accepted spelling, reduced to letters and digits, -> ISO code."""
    index = {}
    for code, names in _names().items():
        for spelling in (code, names["en"], names["ko"]):
            index.setdefault(_key(spelling), code)
    return index


def find(typed: str) -> Optional[str]:
    """The ISO code of the country typed, or None."""
    return _index().get(_key(typed or ""))


def name(code_or_name: Optional[str], lang: str) -> str:
    """A country's name in the user's language (accepts a code or a stored English name)."""
    code = find(code_or_name or "")
    return _names()[code][lang] if code else (code_or_name or "")


def english_name(code: str) -> str:
    return _names()[code]["en"]


def suggestions(typed: str, lang: str, limit: int = 3) -> List[str]:
    """The countries whose names are closest to a misspelling, in the user's language."""
    names = {n[lang]: code for code, n in _names().items()}
    return difflib.get_close_matches(typed.strip(), list(names), n=limit, cutoff=0.6)
