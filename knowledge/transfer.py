"""The whole knowledge base as one readable YAML file, and back.

`export_data()` writes what `seed.load()` reads, so an export is also a valid seed.
`validate()` reports every problem with its place in the file; `import_data()` applies a file
only if it has none, in one transaction, and leaves the database alone if nothing changed.
Proposals are applicants' data, not call rules: they are neither exported nor replaced.
"""
import copy
import datetime
import zoneinfo
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from knowledge import models as m
from knowledge import reference_codes
from knowledge.db import session_scope
from knowledge.seed import load

TRACK_CODES = tuple(reference_codes.TRACK_LETTERS)
INTAKE_MODES = ("rolling", "deadline")
ALIAS_ENTITIES = ("track", "applicant", "lacking")
# Tables holding call rules, children first so they can be emptied in this order.
RULE_TABLES = (m.EntityAlias, m.Note, m.Link, m.Contact, m.SolutionField, m.Requirement, m.TrackApplicant,
               m.Track, m.Call, m.ApplicantKind, m.Organization, m.HistoryYear, m.Program, m.ProposalStatus,
               m.Helpdesk, m.FaqEntry)


@dataclass(frozen=True)
class Problem:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class ImportRejected(ValueError):
    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _texts(obj) -> Dict[str, Dict[str, str]]:
    return {f: {lang: obj.text(f, lang) for lang in m.LANGUAGES} for f in obj.TEXT_FIELDS if obj.text(f, "ko") or obj.text(f, "en")}


def export_data() -> Dict[str, Any]:
    with session_scope() as s:
        program = s.execute(select(m.Program).options(selectinload(m.Program.history))).scalars().first()
        calls = s.execute(select(m.Call).order_by(m.Call.year)).scalars().all()
        data: Dict[str, Any] = {
            "program": {**_texts(program), "since_year": program.since_year, "countries_to_date": program.countries_to_date,
                        "history": [{"year": h.year, "countries": h.countries, "projects": h.projects} for h in program.history]},
            "organizations": [{"code": o.code, **_texts(o), **({"website": o.website} if o.website else {})}
                              for o in s.execute(select(m.Organization).order_by(m.Organization.id)).scalars()],
            "applicant_kinds": [{"code": k.code, **_texts(k)}
                                for k in s.execute(select(m.ApplicantKind).order_by(m.ApplicantKind.position)).scalars()],
            "proposal_statuses": [{"code": st.code, **_texts(st)}
                                  for st in s.execute(select(m.ProposalStatus).order_by(m.ProposalStatus.position)).scalars()],
            "calls": [],
            "aliases": {},
        }
        data["faq"] = [_texts(q) for q in s.execute(select(m.FaqEntry).order_by(m.FaqEntry.position)).scalars()]
        helpdesk = s.execute(select(m.Helpdesk)).scalars().first()
        if helpdesk:
            data["helpdesk"] = {"timezone": helpdesk.timezone, "weekdays": [int(d) for d in helpdesk.weekdays.split(",") if d],
                                "opens": helpdesk.opens, "closes": helpdesk.closes, **_texts(helpdesk)}
        for c in calls:
            call = {"year": c.year, "published": c.published, "announced_on": c.announced_on, "opens_on": c.opens_on,
                    "max_projects": c.max_projects, "total_budget_krw": c.total_budget_krw, **_texts(c), "tracks": []}
            for t in c.tracks:
                track = {"code": t.code, **_texts(t),
                         "eligible_applicants": [k.code for k in t.eligible_applicants],
                         "requirements": [{"code": r.code, **_texts(r)} for r in t.requirements],
                         "solution_fields": [_texts(f)["name"] for f in t.solution_fields],
                         "projects_selected": t.projects_selected, "amount_min_krw": t.amount_min_krw,
                         "amount_max_krw": t.amount_max_krw, "secretariat": t.secretariat.code,
                         "intake_mode": t.intake_mode, "selection_year": t.selection_year,
                         "selection_month": t.selection_month}
                track.update({k: v for k, v in (("deadline", t.deadline), ("review_cutoff", t.review_cutoff)) if v})
                call["tracks"].append(track)
            call["contacts"] = [{**_texts(x), "phone": x.phone} for x in c.contacts]
            call["links"] = [{**_texts(x), "url": x.url} for x in c.links]
            call["notes"] = [{"topic": x.topic, **_texts(x)} for x in c.notes]
            data["calls"].append(call)
        for a in s.execute(select(m.EntityAlias).order_by(m.EntityAlias.id)).scalars():
            data["aliases"].setdefault(a.entity, {}).setdefault(a.value, {}).setdefault(a.lang, []).append(a.alias)
        return data


class _Checker:
    def __init__(self):
        self.problems: List[Problem] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def mapping(self, value, place: str) -> dict:
        if not isinstance(value, dict):
            self.add(place, "expected a mapping")
            return {}
        return value

    def items(self, value, place: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(place, "expected a list")
            return []
        return value

    def text(self, data: dict, field: str, place: str, required: bool = True) -> None:
        value = data.get(field)
        if value is None:
            if required:
                self.add(f"{place}.{field}", "missing (a Korean and an English text)")
            return
        if not isinstance(value, dict):
            self.add(f"{place}.{field}", "expected a mapping with 'ko' and 'en'")
            return
        for lang in m.LANGUAGES:
            if not str(value.get(lang) or "").strip():
                self.add(f"{place}.{field}", f"the '{lang}' text is missing")

    def integer(self, data: dict, field: str, place: str, minimum: int = 0) -> Optional[int]:
        value = data.get(field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{place}.{field}", f"{value!r} is not a whole number")
            return None
        if value < minimum:
            self.add(f"{place}.{field}", f"{value} is less than {minimum}")
        return value

    def date(self, data: dict, field: str, place: str, required: bool = True) -> Optional[datetime.date]:
        value = data.get(field)
        if value is None:
            if required:
                self.add(f"{place}.{field}", "missing (a date, YYYY-MM-DD)")
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.add(f"{place}.{field}", f"{value!r} is not a date (YYYY-MM-DD)")
            return None


def validate(data: Any) -> List[Problem]:
    """Every problem in a knowledge-base file, each with its place (e.g. calls[0].tracks[1].deadline)."""
    c = _Checker()
    data = c.mapping(data, "(file)")
    program = c.mapping(data.get("program"), "program")
    for field in m.Program.TEXT_FIELDS:
        c.text(program, field, "program")
    c.integer(program, "since_year", "program", 1900)
    c.integer(program, "countries_to_date", "program")
    for i, h in enumerate(c.items(program.get("history"), "program.history")):
        h = c.mapping(h, f"program.history[{i}]")
        for field in ("year", "countries", "projects"):
            c.integer(h, field, f"program.history[{i}]")

    if data.get("helpdesk") is not None:
        _check_helpdesk(c, c.mapping(data["helpdesk"], "helpdesk"))
    for i, q in enumerate(c.items(data.get("faq") or [], "faq")):
        q = c.mapping(q, f"faq[{i}]")
        for field in m.FaqEntry.TEXT_FIELDS:
            c.text(q, field, f"faq[{i}]")

    def coded(section: str, model) -> set:
        codes = set()
        for i, item in enumerate(c.items(data.get(section), section)):
            item = c.mapping(item, f"{section}[{i}]")
            code = item.get("code")
            if not code:
                c.add(f"{section}[{i}].code", "missing")
            elif code in codes:
                c.add(f"{section}[{i}].code", f"{code!r} appears twice")
            codes.add(code)
            for field in model.TEXT_FIELDS:
                c.text(item, field, f"{section}[{i}]")
        return codes

    orgs = coded("organizations", m.Organization)
    kinds = coded("applicant_kinds", m.ApplicantKind)
    coded("proposal_statuses", m.ProposalStatus)

    years = set()
    for ci, call in enumerate(c.items(data.get("calls"), "calls")):
        where = f"calls[{ci}]"
        call = c.mapping(call, where)
        year = c.integer(call, "year", where, 2000)
        if year in years:
            c.add(f"{where}.year", f"a call for {year} appears twice")
        years.add(year)
        if not isinstance(call.get("published", True), bool):
            c.add(f"{where}.published", "expected true or false")
        c.date(call, "announced_on", where)
        c.date(call, "opens_on", where)
        c.integer(call, "max_projects", where, 1)
        c.integer(call, "total_budget_krw", where, 0)
        c.text(call, "summary", where)
        track_codes = set()
        for ti, track in enumerate(c.items(call.get("tracks"), f"{where}.tracks")):
            tw = f"{where}.tracks[{ti}]"
            track = c.mapping(track, tw)
            code = track.get("code")
            if code not in TRACK_CODES:
                c.add(f"{tw}.code", f"unknown track {code!r} (known: {', '.join(TRACK_CODES)})")
            elif code in track_codes:
                c.add(f"{tw}.code", f"track {code!r} appears twice in this call")
            track_codes.add(code)
            for field in m.Track.TEXT_FIELDS:
                c.text(track, field, tw, required=field not in ("selection_breakdown", "preconsulting"))
            low = c.integer(track, "amount_min_krw", tw)
            high = c.integer(track, "amount_max_krw", tw)
            if low is not None and high is not None and low > high:
                c.add(f"{tw}.amount_min_krw", f"the minimum ({low:,}) exceeds the maximum ({high:,})")
            c.integer(track, "projects_selected", tw, 1)
            c.integer(track, "selection_year", tw, 2000)
            month = c.integer(track, "selection_month", tw, 1)
            if month is not None and month > 12:
                c.add(f"{tw}.selection_month", f"{month} is not a month (1-12)")
            if track.get("secretariat") not in orgs:
                c.add(f"{tw}.secretariat", f"unknown organization {track.get('secretariat')!r}")
            for ki, kind in enumerate(c.items(track.get("eligible_applicants"), f"{tw}.eligible_applicants")):
                if kind not in kinds:
                    c.add(f"{tw}.eligible_applicants[{ki}]", f"unknown kind of applicant {kind!r}")
            mode = track.get("intake_mode")
            if mode not in INTAKE_MODES:
                c.add(f"{tw}.intake_mode", f"{mode!r} is not one of {', '.join(INTAKE_MODES)}")
            c.date(track, "deadline", tw, required=mode == "deadline")
            c.date(track, "review_cutoff", tw, required=mode == "rolling")
            for ri, req in enumerate(c.items(track.get("requirements"), f"{tw}.requirements")):
                req = c.mapping(req, f"{tw}.requirements[{ri}]")
                if not req.get("code"):
                    c.add(f"{tw}.requirements[{ri}].code", "missing")
                c.text(req, "description", f"{tw}.requirements[{ri}]")
            for fi, field in enumerate(c.items(track.get("solution_fields"), f"{tw}.solution_fields")):
                c.text({"name": field}, "name", f"{tw}.solution_fields[{fi}]")
        for section, model, extra in (("contacts", m.Contact, "phone"), ("links", m.Link, "url"), ("notes", m.Note, "topic")):
            for i, item in enumerate(c.items(call.get(section), f"{where}.{section}")):
                item = c.mapping(item, f"{where}.{section}[{i}]")
                for field in model.TEXT_FIELDS:
                    c.text(item, field, f"{where}.{section}[{i}]")
                if not str(item.get(extra) or "").strip():
                    c.add(f"{where}.{section}[{i}].{extra}", "missing")

    known_values = {"track": set(TRACK_CODES), "applicant": kinds}
    for entity, values in c.mapping(data.get("aliases") or {}, "aliases").items():
        if entity not in ALIAS_ENTITIES:
            c.add(f"aliases.{entity}", f"unknown entity (known: {', '.join(ALIAS_ENTITIES)})")
            continue
        for value, by_lang in c.mapping(values, f"aliases.{entity}").items():
            if entity in known_values and value not in known_values[entity]:
                c.add(f"aliases.{entity}.{value}", f"unknown {entity} {value!r}")
            for lang in c.mapping(by_lang, f"aliases.{entity}.{value}"):
                if lang not in m.LANGUAGES:
                    c.add(f"aliases.{entity}.{value}.{lang}", "a language must be ko or en")
    if not c.problems:  # a file of the right shape: its texts must also fit their columns
        _check_lengths(c, data)
    return c.problems


# Which table a place's section is stored in: "calls[0].tracks[1].name.en" is Track.name_en.
_SECTION_MODELS = {
    "program": m.Program, "organizations": m.Organization, "applicant_kinds": m.ApplicantKind,
    "proposal_statuses": m.ProposalStatus, "faq": m.FaqEntry, "helpdesk": m.Helpdesk, "calls": m.Call,
    "calls.tracks": m.Track, "calls.tracks.requirements": m.Requirement, "calls.tracks.solution_fields": m.SolutionField,
    "calls.contacts": m.Contact, "calls.links": m.Link, "calls.notes": m.Note,
}


def _column_of(place: str):
    """The database column a place of the file is stored in, or None (numbers, lists of codes, ...)."""
    if place.startswith("aliases."):
        return m.EntityAlias.__table__.c.alias
    steps = [name or int(index) for name, index in _STEP.findall(place)]
    section, rest = [], []
    for step, following in zip(steps, steps[1:] + [None]):
        if isinstance(step, int):
            continue
        if isinstance(following, int) or (not section and step in _SECTION_MODELS):  # a list, or program/helpdesk
            section.append(step)
        else:
            rest.append(step)
    model = _SECTION_MODELS.get(".".join(section))
    if model is m.SolutionField:
        rest = ["name", *rest]  # stored as a bare Korean/English text
    return model.__table__.c.get("_".join(rest)) if model is not None and rest else None


def _check_lengths(c: "_Checker", data: Any) -> None:
    """Texts longer than their column: PostgreSQL would refuse them (SQLite would not), so say so here."""
    for place, value in flatten(data).items():
        column = _column_of(place)
        limit = getattr(getattr(column, "type", None), "length", None)
        if limit and len(value) > limit:
            c.add(place, f"{len(value)} characters; at most {limit} fit")


def _check_helpdesk(c: "_Checker", h: dict) -> None:
    for field in m.Helpdesk.TEXT_FIELDS:
        c.text(h, field, "helpdesk")
    try:
        zoneinfo.ZoneInfo(str(h.get("timezone")))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        c.add("helpdesk.timezone", f"{h.get('timezone')!r} is not a time zone (e.g. Asia/Seoul)")
    days = h.get("weekdays")
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        c.add("helpdesk.weekdays", "expected a list of weekdays, Monday = 0 to Sunday = 6")
    times = {}
    for field in ("opens", "closes"):
        try:
            times[field] = datetime.time.fromisoformat(str(h.get(field)))
        except ValueError:
            c.add(f"helpdesk.{field}", f"{h.get(field)!r} is not a time (HH:MM)")
    if len(times) == 2 and times["opens"] >= times["closes"]:
        c.add("helpdesk.closes", "must be later than opens")


def dump(data: Dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def flatten(data: Any, place: str = "") -> Dict[str, str]:
    """Every leaf of a knowledge-base file by its place: {"calls[0].tracks[1].deadline": "2024-03-19"}."""
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in flatten(value, f"{place}.{key}" if place else str(key)).items()}
    if isinstance(data, list):
        return {k: v for i, value in enumerate(data) for k, v in flatten(value, f"{place}[{i}]").items()} or {place: "[]"}
    return {place: "" if data is None else str(data)}


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
        session.add_all(m.AuditEntry(at=at, by=by, place=place, old_value=before.get(place), new_value=after.get(place))
                        for place in sorted(set(before) | set(after)) if before.get(place) != after.get(place))
    return True


def history(limit: int = 50) -> List[m.AuditEntry]:
    """The latest changed facts, newest first."""
    with session_scope() as session:
        return session.execute(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)).scalars().all()


def _normalized(data: Dict[str, Any]) -> Dict[str, Any]:
    """`data` as export_data() would write it, to tell an unchanged file from a changed one."""
    return yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _set_place(data: Dict[str, Any], place: str, raw: Optional[str]) -> None:
    """Sets the leaf at `place` from its text form (typed like the value it replaces)."""
    steps = [name or int(index) for name, index in _STEP.findall(place)]
    parent = data
    try:
        for step in steps[:-1]:
            parent = parent[step]
        current = parent[steps[-1]]
    except (KeyError, IndexError, TypeError):
        raise ImportRejected([Problem(place, "no longer exists")]) from None
    if raw is None or isinstance(current, str):
        parent[steps[-1]] = raw
    else:
        try:
            parent[steps[-1]] = yaml.safe_load(raw)
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
