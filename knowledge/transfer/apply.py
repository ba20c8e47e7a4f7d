"""Applying a knowledge-base file: all of it or nothing, and every changed fact recorded.

`import_data()` validates first, leaves the database alone if nothing changed, and otherwise
replaces the call rules in one transaction. Proposals are applicants' data, not call rules:
an import never replaces them.
"""
import datetime
import re
from typing import Any, Dict, List

import yaml
from sqlalchemy import delete, select

from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.transfer.checks import ImportRejected, validate
from knowledge.transfer.export import export_data
from knowledge.transfer.places import flatten
from knowledge.transfer.rows import load

# Tables holding call rules, children first so they can be emptied in this order.
RULE_TABLES = (m.EntityAlias, m.Note, m.Link, m.Contact, m.SolutionField, m.Requirement, m.TrackApplicant,
               m.Track, m.Call, m.ApplicantKind, m.Organization, m.HistoryYear, m.Program, m.ProposalStatus,
               m.Helpdesk, m.FaqEntry, m.CannedReply, m.Privacy)


_UNCONFIRMED = re.compile(r"^calls\[\d+\]\.unconfirmed\b")


def import_data(data: Any, by: str = "") -> bool:
    """Replaces the call rules with `data` in one transaction, recording every changed fact.

    Returns False, and changes nothing, if `data` says what the database already says.
    """
    problems = validate(data)
    if problems:
        raise ImportRejected(problems)
    before, after = flatten(export_data()), flatten(_normalized(data))
    if before == after:
        return False
    at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    with session_scope() as session:
        for table in RULE_TABLES:
            session.execute(delete(table))
        load(session, data)
        # A copied call's list of unconfirmed facts is bookkeeping, not a fact: confirming one would
        # otherwise record every later entry of the list as moved.
        session.add_all(m.AuditEntry(at=at, by=by, place=place, old_value=before.get(place), new_value=after.get(place))
                        for place in sorted(set(before) | set(after))
                        if before.get(place) != after.get(place) and not _UNCONFIRMED.search(place))
    return True


def history(limit: int = 50) -> List[m.AuditEntry]:
    """The latest changed facts, newest first."""
    with session_scope() as session:
        return session.execute(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)).scalars().all()


def _normalized(data: Dict[str, Any]) -> Dict[str, Any]:
    """`data` as export_data() would write it, to tell an unchanged file from a changed one."""
    return yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
