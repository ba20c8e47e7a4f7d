"""Small edits, as the admin pages make them: a fact by its place, a FAQ entry, next year's call,
or one recorded change undone.

Each edit exports the knowledge base, changes the exported file and imports it again, so it gets
the same validation, all-or-nothing transaction and history as an import of a whole file.
"""
import copy
from typing import Any, Dict, Optional

import yaml

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.transfer.apply import import_data
from knowledge.transfer.checks import ImportRejected, Problem
from knowledge.transfer.export import export_data
from knowledge.transfer.places import steps


def _set_place(data: Dict[str, Any], place: str, raw: Optional[str]) -> None:
    """Sets the leaf at `place` from its text form (typed like the value it replaces)."""
    path = steps(place)
    parent = data
    try:
        for step in path[:-1]:
            parent = parent[step]
        current = parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        raise ImportRejected([Problem(place, "no longer exists")]) from None
    if raw is None or isinstance(current, str):
        parent[path[-1]] = raw
    else:
        try:
            parent[path[-1]] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ImportRejected([Problem(place, f"{raw!r} is not a valid value")]) from None


def set_values(changes: Dict[str, Optional[str]], by: str = "") -> bool:
    """Changes some facts by place ({"calls[0].tracks[1].deadline": "2024-03-29"}), with the same
    validation, all-or-nothing transaction and history as an import. False if nothing changed."""
    data = export_data()
    for place, raw in changes.items():
        _set_place(data, place, raw)
    return import_data(data, by=by)


def add_faq(question_ko: str, question_en: str, answer_ko: str, answer_en: str, by: str = "") -> int:
    """Adds a question/answer pair (validated like an import); returns its place in the list."""
    data = export_data()
    data["faq"].append({"question": {"ko": question_ko.strip(), "en": question_en.strip()},
                        "answer": {"ko": answer_ko.strip(), "en": answer_en.strip()}})
    import_data(data, by=by)
    return len(data["faq"]) - 1


def remove_faq(index: int, by: str = "") -> None:
    data = export_data()
    if not 0 <= index < len(data["faq"]):
        raise ImportRejected([Problem(f"faq[{index}]", "no such entry")])
    del data["faq"][index]
    import_data(data, by=by)


def copy_call(year: int, by: str = "") -> int:
    """Adds next year's call as an unpublished copy of `year`'s, for the secretariat to edit."""
    data = export_data()
    source = next((c for c in data["calls"] if c["year"] == year), None)
    if source is None:
        raise ImportRejected([Problem(f"calls (year {year})", "no such call")])
    if any(c["year"] == year + 1 for c in data["calls"]):
        raise ImportRejected([Problem(f"calls (year {year + 1})", "that year's call already exists")])
    data["calls"].append({**copy.deepcopy(source), "year": year + 1, "published": False})
    import_data(data, by=by)
    return year + 1


def revert(entry_id: int, by: str = "") -> m.AuditEntry:
    """Puts back the old value of one recorded change (itself recorded as a change)."""
    with session_scope() as session:
        entry = session.get(m.AuditEntry, entry_id)
    if entry is None:
        raise ImportRejected([Problem(f"history entry {entry_id}", "no such entry")])
    try:
        set_values({entry.place: entry.old_value}, by=by)
    except ImportRejected as rejected:
        if any(p.message == "no longer exists" for p in rejected.problems):
            raise ImportRejected([Problem(entry.place, "no longer exists, so it cannot be reverted")]) from None
        raise
    return entry
