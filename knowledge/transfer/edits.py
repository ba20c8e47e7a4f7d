"""Small edits, as the admin pages make them: a fact by its place, a FAQ entry, next year's call
(copied with its dates a year later and every fact unconfirmed), or one recorded change undone.

Each edit exports the knowledge base, changes the exported file and imports it again, so it gets
the same validation, all-or-nothing transaction and history as an import of a whole file.
"""
import copy
import datetime
import re
from typing import Any, Dict, List, Optional

import yaml

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.transfer.apply import import_data
from knowledge.transfer.checks import ImportRejected, problem
from knowledge.transfer.export import export_data
from knowledge.transfer.places import flatten, steps


def _set_place(data: Dict[str, Any], place: str, raw: Optional[str]) -> None:
    """Sets the leaf at `place` from its text form (typed like the value it replaces)."""
    path = steps(place)
    parent = data
    try:
        for step in path[:-1]:
            parent = parent[step]
        current = parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        raise ImportRejected([problem(place, "problem_gone")]) from None
    if raw is None or isinstance(current, str):
        parent[path[-1]] = raw
    else:
        try:
            parent[path[-1]] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ImportRejected([problem(place, "problem_invalid_value", value=repr(raw))]) from None


_IN_A_CALL = re.compile(r"^calls\[(\d+)\]\.(.+)$")


def _confirm_places(data: Dict[str, Any], places) -> None:
    """Takes facts of copied calls off their call's unconfirmed list (places as "calls[1].opens_on")."""
    for place in places:
        match = _IN_A_CALL.match(place)
        if not match or match.group(2) == "published":
            continue
        index, within = int(match.group(1)), match.group(2)
        if index >= len(data["calls"]):
            raise ImportRejected([problem(place, "problem_gone")])
        call = data["calls"][index]
        left = [p for p in call.get("unconfirmed") or [] if p != within]
        if left:
            call["unconfirmed"] = left
        else:
            call.pop("unconfirmed", None)


def set_values(changes: Dict[str, Optional[str]], by: str = "", confirmed=()) -> bool:
    """Changes some facts by place ({"calls[0].tracks[1].deadline": "2024-03-29"}), with the same
    validation, all-or-nothing transaction and history as an import. A fact changed, and each place
    in `confirmed`, is confirmed if it was copied from last year's call. False if nothing changed."""
    data = export_data()
    for place, raw in changes.items():
        _set_place(data, place, raw)
    _confirm_places(data, [*changes, *confirmed])
    return import_data(data, by=by)


def unconfirmed(data: Dict[str, Any]) -> List[str]:
    """Every copied fact not yet confirmed, by its place in the file ("calls[1].tracks[0].deadline")."""
    return [f"calls[{i}].{place}" for i, call in enumerate(data["calls"]) for place in call.get("unconfirmed") or []]


def add_entry(section: str, entry: Dict[str, Dict[str, str]], by: str = "") -> int:
    """Adds a bilingual entry ({field: {"ko": …, "en": …}}) to a list of the file ("faq",
    "canned_replies"), validated like an import; returns its place in the list."""
    data = export_data()
    data[section].append({name: {lang: str(text.get(lang, "")).strip() for lang in m.LANGUAGES}
                          for name, text in entry.items()})
    import_data(data, by=by)
    return len(data[section]) - 1


def remove_entry(section: str, index: int, by: str = "") -> None:
    data = export_data()
    if not 0 <= index < len(data[section]):
        raise ImportRejected([problem(f"{section}[{index}]", "problem_no_such_entry")])
    del data[section][index]
    import_data(data, by=by)


def add_faq(question_ko: str, question_en: str, answer_ko: str, answer_en: str, by: str = "") -> int:
    """Adds a question/answer pair; returns its place in the list."""
    return add_entry("faq", {"question": {"ko": question_ko, "en": question_en},
                             "answer": {"ko": answer_ko, "en": answer_en}}, by=by)


def remove_faq(index: int, by: str = "") -> None:
    remove_entry("faq", index, by=by)


def add_canned_reply(title_ko: str, title_en: str, text_ko: str, text_en: str, by: str = "") -> int:
    """Adds a ready answer for the helpdesk console; returns its place in the list."""
    return add_entry("canned_replies", {"title": {"ko": title_ko, "en": title_en}, "text": {"ko": text_ko, "en": text_en}},
                     by=by)


def remove_canned_reply(index: int, by: str = "") -> None:
    remove_entry("canned_replies", index, by=by)


def _a_year_later(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def copy_call(year: int, by: str = "") -> int:
    """Adds next year's call as an unpublished copy of `year`'s, for the secretariat to edit: its dates
    a year later, and every fact unconfirmed until edited or confirmed (it cannot be published before)."""
    data = export_data()
    source = next((c for c in data["calls"] if c["year"] == year), None)
    if source is None:
        raise ImportRejected([problem(f"calls (year {year})", "problem_no_such_call")])
    if any(c["year"] == year + 1 for c in data["calls"]):
        raise ImportRejected([problem(f"calls (year {year + 1})", "problem_call_exists")])
    new = {**copy.deepcopy(source), "year": year + 1, "published": False}
    new.pop("unconfirmed", None)
    for holder in [new, *new.get("tracks", [])]:
        for field, value in holder.items():
            if isinstance(value, datetime.date):
                holder[field] = _a_year_later(value)
        if isinstance(holder.get("selection_year"), int):
            holder["selection_year"] += 1
    new["unconfirmed"] = [place for place in flatten(new) if place not in ("year", "published")]
    data["calls"].append(new)
    import_data(data, by=by)
    return year + 1


def revert(entry_id: int, by: str = "") -> m.AuditEntry:
    """Puts back the old value of one recorded change (itself recorded as a change)."""
    with session_scope() as session:
        entry = session.get(m.AuditEntry, entry_id)
    if entry is None:
        raise ImportRejected([problem(f"history entry {entry_id}", "problem_no_such_entry")])
    try:
        set_values({entry.place: entry.old_value}, by=by)
    except ImportRejected as rejected:
        if any(p.key == "problem_gone" for p in rejected.problems):
            raise ImportRejected([problem(entry.place, "problem_cannot_revert")]) from None
        raise
    return entry
