"""Loads the readable YAML seed into the database."""
import datetime
from pathlib import Path
from typing import Any, Dict

import yaml
from sqlalchemy import inspect, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge import revision
from knowledge.db import database_url, ensure_sqlite_folder, get_engine, session_scope

SEED_FILE = Path(__file__).resolve().parent / "seed" / "kcity_network.yaml"


class SeedError(ValueError):
    """The seed file is not what the loader expects; the message says where."""


def _texts(model, data: Dict[str, Any], where: str) -> Dict[str, str]:
    """The `x_ko`/`x_en` column values for every bilingual field of `model` found in `data`."""
    values = {}
    for field in model.TEXT_FIELDS:
        if field not in data or data[field] is None:
            continue
        text = data[field]
        if not isinstance(text, dict):
            raise SeedError(f"{where}.{field}: expected a mapping with 'ko' and 'en'")
        for lang in m.LANGUAGES:
            if not str(text.get(lang) or "").strip():
                raise SeedError(f"{where}.{field}: the '{lang}' text is missing")
            values[f"{field}_{lang}"] = str(text[lang]).strip()
    return values


def _date(value, where: str):
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def load(session: Session, data: Dict[str, Any]) -> None:
    """Adds everything in `data` (the parsed seed) to an empty knowledge base."""
    p = data["program"]
    program = m.Program(
        since_year=p["since_year"],
        countries_to_date=p["countries_to_date"],
        history=[m.HistoryYear(**h) for h in p.get("history", [])],
        **_texts(m.Program, p, "program"),
    )
    session.add(program)

    orgs = {}
    for i, o in enumerate(data.get("organizations", [])):
        orgs[o["code"]] = m.Organization(code=o["code"], website=o.get("website"), **_texts(m.Organization, o, f"organizations[{i}]"))
    kinds = {}
    for i, k in enumerate(data.get("applicant_kinds", [])):
        kinds[k["code"]] = m.ApplicantKind(code=k["code"], position=i, **_texts(m.ApplicantKind, k, f"applicant_kinds[{i}]"))
    session.add_all([*orgs.values(), *kinds.values()])
    _load_statuses(session, data)
    _load_helpdesk(session, data)
    for i, q in enumerate(data.get("faq") or []):
        session.add(m.FaqEntry(position=i, **_texts(m.FaqEntry, q, f"faq[{i}]")))

    for ci, c in enumerate(data.get("calls", [])):
        where = f"calls[{ci}]"
        call = m.Call(
            program=program,
            year=c["year"],
            published=c.get("published", True),
            announced_on=_date(c["announced_on"], f"{where}.announced_on"),
            opens_on=_date(c["opens_on"], f"{where}.opens_on"),
            max_projects=c["max_projects"],
            total_budget_krw=c["total_budget_krw"],
            **_texts(m.Call, c, where),
        )
        for ti, t in enumerate(c.get("tracks", [])):
            tw = f"{where}.tracks[{ti}]"
            if t["secretariat"] not in orgs:
                raise SeedError(f"{tw}.secretariat: unknown organization {t['secretariat']!r}")
            unknown = [k for k in t.get("eligible_applicants", []) if k not in kinds]
            if unknown:
                raise SeedError(f"{tw}.eligible_applicants: unknown {unknown}")
            call.tracks.append(
                m.Track(
                    code=t["code"],
                    position=ti,
                    projects_selected=t["projects_selected"],
                    amount_min_krw=t["amount_min_krw"],
                    amount_max_krw=t["amount_max_krw"],
                    secretariat=orgs[t["secretariat"]],
                    intake_mode=t["intake_mode"],
                    deadline=_date(t.get("deadline"), f"{tw}.deadline"),
                    review_cutoff=_date(t.get("review_cutoff"), f"{tw}.review_cutoff"),
                    selection_year=t["selection_year"],
                    selection_month=t["selection_month"],
                    eligible_applicants=[kinds[k] for k in t.get("eligible_applicants", [])],
                    requirements=[
                        m.Requirement(code=r["code"], position=ri, **_texts(m.Requirement, r, f"{tw}.requirements[{ri}]"))
                        for ri, r in enumerate(t.get("requirements", []))
                    ],
                    solution_fields=[
                        m.SolutionField(position=fi, **_texts(m.SolutionField, {"name": f}, f"{tw}.solution_fields[{fi}]"))
                        for fi, f in enumerate(t.get("solution_fields", []))
                    ],
                    **_texts(m.Track, t, tw),
                )
            )
        for i, x in enumerate(c.get("contacts", [])):
            call.contacts.append(m.Contact(position=i, phone=x["phone"], **_texts(m.Contact, x, f"{where}.contacts[{i}]")))
        for i, x in enumerate(c.get("links", [])):
            call.links.append(m.Link(position=i, url=x["url"], **_texts(m.Link, x, f"{where}.links[{i}]")))
        for i, x in enumerate(c.get("notes", [])):
            call.notes.append(m.Note(position=i, topic=x["topic"], **_texts(m.Note, x, f"{where}.notes[{i}]")))
        session.add(call)

    for entity, values in (data.get("aliases") or {}).items():
        for value, by_lang in values.items():
            for lang, aliases in by_lang.items():
                for alias in dict.fromkeys(aliases):
                    session.add(m.EntityAlias(entity=entity, value=value, lang=lang, alias=alias))


def _load_helpdesk(session: Session, data: Dict[str, Any]) -> None:
    h = data.get("helpdesk")
    if h:
        session.add(m.Helpdesk(timezone=h["timezone"], weekdays=",".join(str(d) for d in h["weekdays"]),
                               opens=str(h["opens"]), closes=str(h["closes"]), **_texts(m.Helpdesk, h, "helpdesk")))


def _load_statuses(session: Session, data: Dict[str, Any]) -> None:
    for i, st in enumerate(data.get("proposal_statuses", [])):
        session.add(m.ProposalStatus(code=st["code"], position=i, **_texts(m.ProposalStatus, st, f"proposal_statuses[{i}]")))


def read_seed(path: Path = SEED_FILE) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def create_schema() -> None:
    ensure_sqlite_folder(database_url())
    m.Base.metadata.create_all(get_engine())
    _add_missing_columns()
    revision.install(get_engine())


def _add_missing_columns() -> None:
    """Adds nullable columns introduced since an existing database was made.

    create_all() creates missing tables but never alters existing ones; a new optional column
    is the only schema change so far, so this stands in for a migration tool.
    """
    engine = get_engine()
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in m.Base.metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(sql(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}'))


def init_db(path: Path = SEED_FILE) -> bool:
    """Creates the schema and loads the seed if the knowledge base is empty.

    Returns True if the seed was loaded. An existing knowledge base is never overwritten:
    it may hold the secretariat's edits.
    """
    create_schema()
    with session_scope() as session:
        if session.execute(select(m.Program.id)).first() is None:
            load(session, read_seed(path))
            return True
        # A knowledge base made before proposals existed gets their statuses.
        if session.execute(select(m.ProposalStatus.id)).first() is None:
            _load_statuses(session, read_seed(path))
        # ... and one made before the helpdesk existed gets its hours.
        if session.execute(select(m.Helpdesk.id)).first() is None:
            _load_helpdesk(session, read_seed(path))
    return False


def reset_db(path: Path = SEED_FILE) -> None:
    """Drops everything and loads the seed again (developers and tests only)."""
    m.Base.metadata.drop_all(get_engine())
    init_db(path)
