"""A knowledge-base file's contents as rows: what an import and the seed both write.

`data` must have passed `checks.validate()`: nothing here checks it again, so an unknown
organization or a date that is not one fails here as a KeyError or ValueError.
"""
import datetime
from typing import Any, Dict

from sqlalchemy.orm import Session

from knowledge import tables as m


def _texts(model, data: Dict[str, Any]) -> Dict[str, str]:
    """The `x_ko`/`x_en` column values for every bilingual field of `model` found in `data`."""
    values = {}
    for field in model.TEXT_FIELDS:
        if field not in data or data[field] is None:
            continue
        for lang in m.LANGUAGES:
            values[f"{field}_{lang}"] = str(data[field][lang]).strip()
    return values


def _date(value):
    # YAML reads 2024-03-19 as a date, but a quoted one (or one from JSON) arrives as text.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def load(session: Session, data: Dict[str, Any]) -> None:
    """Adds everything in `data` (a parsed, valid knowledge-base file) to an empty knowledge base."""
    p = data["program"]
    program = m.Program(
        since_year=p["since_year"],
        countries_to_date=p["countries_to_date"],
        history=[m.HistoryYear(**h) for h in p.get("history", [])],
        **_texts(m.Program, p),
    )
    session.add(program)

    orgs = {o["code"]: m.Organization(code=o["code"], website=o.get("website"), **_texts(m.Organization, o))
            for o in data.get("organizations", [])}
    kinds = {k["code"]: m.ApplicantKind(code=k["code"], position=i, **_texts(m.ApplicantKind, k))
             for i, k in enumerate(data.get("applicant_kinds", []))}
    session.add_all([*orgs.values(), *kinds.values()])
    add_statuses(session, data)
    add_helpdesk(session, data)
    if data.get("privacy"):
        session.add(m.Privacy(retention_days=data["privacy"]["retention_days"]))
    for i, q in enumerate(data.get("faq") or []):
        session.add(m.FaqEntry(position=i, **_texts(m.FaqEntry, q)))
    for i, r in enumerate(data.get("canned_replies") or []):
        session.add(m.CannedReply(position=i, **_texts(m.CannedReply, r)))

    for c in data.get("calls", []):
        call = m.Call(
            program=program,
            year=c["year"],
            published=c.get("published", True),
            unconfirmed="\n".join(c.get("unconfirmed") or []) or None,
            announced_on=_date(c["announced_on"]),
            opens_on=_date(c["opens_on"]),
            max_projects=c["max_projects"],
            total_budget_krw=c["total_budget_krw"],
            **_texts(m.Call, c),
        )
        for ti, t in enumerate(c.get("tracks", [])):
            call.tracks.append(
                m.Track(
                    code=t["code"],
                    position=ti,
                    projects_selected=t["projects_selected"],
                    amount_min_krw=t["amount_min_krw"],
                    amount_max_krw=t["amount_max_krw"],
                    secretariat=orgs[t["secretariat"]],
                    intake_mode=t["intake_mode"],
                    deadline=_date(t.get("deadline")),
                    review_cutoff=_date(t.get("review_cutoff")),
                    selection_year=t["selection_year"],
                    selection_month=t["selection_month"],
                    eligible_applicants=[kinds[k] for k in t.get("eligible_applicants", [])],
                    requirements=[m.Requirement(code=r["code"], position=ri, **_texts(m.Requirement, r))
                                  for ri, r in enumerate(t.get("requirements", []))],
                    solution_fields=[m.SolutionField(position=fi, **_texts(m.SolutionField, {"name": f}))
                                     for fi, f in enumerate(t.get("solution_fields", []))],
                    **_texts(m.Track, t),
                )
            )
        for i, x in enumerate(c.get("contacts", [])):
            call.contacts.append(m.Contact(position=i, phone=x["phone"], **_texts(m.Contact, x)))
        for i, x in enumerate(c.get("links", [])):
            call.links.append(m.Link(position=i, url=x["url"], **_texts(m.Link, x)))
        for i, x in enumerate(c.get("notes", [])):
            call.notes.append(m.Note(position=i, topic=x["topic"], **_texts(m.Note, x)))
        session.add(call)

    for entity, values in (data.get("aliases") or {}).items():
        for value, by_lang in values.items():
            for lang, aliases in by_lang.items():
                for alias in dict.fromkeys(aliases):
                    session.add(m.EntityAlias(entity=entity, value=value, lang=lang, alias=alias))


def add_helpdesk(session: Session, data: Dict[str, Any]) -> None:
    h = data.get("helpdesk")
    if h:
        session.add(m.Helpdesk(timezone=h["timezone"], weekdays=",".join(str(d) for d in h["weekdays"]),
                               opens=str(h["opens"]), closes=str(h["closes"]), **_texts(m.Helpdesk, h)))


def add_statuses(session: Session, data: Dict[str, Any]) -> None:
    for i, st in enumerate(data.get("proposal_statuses", [])):
        session.add(m.ProposalStatus(code=st["code"], position=i, **_texts(m.ProposalStatus, st)))
