"""Checks a knowledge-base file before anything is written: every problem, each with its place.

The same checks guard an import, an edit from the admin pages and the seed itself
(knowledge/seed.py), so a file one of them accepts, all of them accept. A file of the right shape
is also checked against the database's column lengths, which SQLite would not enforce.
"""
import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from knowledge import tables as m
from knowledge import reference_codes
from knowledge.transfer.places import flatten, steps
from knowledge.wording import say

TRACK_CODES = tuple(reference_codes.TRACK_LETTERS)
INTAKE_MODES = ("rolling", "deadline")
RETENTION_DAYS = (30, 3650)  # a month (the helpdesk needs the conversation) to ten years
ALIAS_ENTITIES = ("track", "applicant", "lacking")


@dataclass(frozen=True)
class Problem:
    """Where a file or an edit is wrong and why: `key` and `facts` name the sentence in the bilingual
    layer (messages.yml, `problem_…`), so the admin page says it in the officer's language; `message`
    is the English one, for the command line and logs."""
    place: str
    key: str
    facts: Tuple[Tuple[str, Any], ...] = ()

    def said_in(self, lang: str) -> str:
        return say(self.key, lang, **dict(self.facts))

    @property
    def message(self) -> str:
        return self.said_in("en")

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


def problem(place: str, key: str, **facts) -> Problem:
    return Problem(place, key, tuple(facts.items()))


class ImportRejected(ValueError):
    """A file or an edit refused before anything was written; `problems` lists them all."""

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Checker:
    def __init__(self):
        self.problems: List[Problem] = []

    def add(self, place: str, key: str, **facts) -> None:
        self.problems.append(problem(place, key, **facts))

    def mapping(self, value, place: str) -> dict:
        if not isinstance(value, dict):
            self.add(place, "problem_not_mapping")
            return {}
        return value

    def items(self, value, place: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(place, "problem_not_list")
            return []
        return value

    def text(self, data: dict, field: str, place: str, required: bool = True) -> None:
        value = data.get(field)
        if value is None:
            if required:
                self.add(f"{place}.{field}", "problem_text_missing")
            return
        if not isinstance(value, dict):
            self.add(f"{place}.{field}", "problem_text_not_mapping")
            return
        for lang in m.LANGUAGES:
            if not str(value.get(lang) or "").strip():
                self.add(f"{place}.{field}", "problem_language_missing", language=lang)

    def integer(self, data: dict, field: str, place: str, minimum: int = 0) -> Optional[int]:
        value = data.get(field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{place}.{field}", "problem_not_whole_number", value=repr(value))
            return None
        if value < minimum:
            self.add(f"{place}.{field}", "problem_below_minimum", value=value, minimum=minimum)
        return value

    def date(self, data: dict, field: str, place: str, required: bool = True) -> Optional[datetime.date]:
        value = data.get(field)
        if value is None:
            if required:
                self.add(f"{place}.{field}", "problem_date_missing")
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.add(f"{place}.{field}", "problem_not_date", value=repr(value))
            return None


def _plausible_dates(year: int) -> Tuple[datetime.date, datetime.date]:
    """The dates a call of `year` can hold: announced from the previous summer, reviewed and selected
    by the next summer."""
    return datetime.date(year - 1, 7, 1), datetime.date(year + 1, 6, 30)


def _as_date(value: Any) -> Optional[datetime.date]:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None  # reported as not a date by the field's own check


def _check_publishable(c: "_Checker", call: dict, where: str, year: Optional[int]) -> None:
    """A published call holds no copied fact left unconfirmed and no date outside its year's window:
    a copy published unedited would tell applicants last year's rules as this year's."""
    unconfirmed = c.items(call.get("unconfirmed"), f"{where}.unconfirmed")
    if any(not isinstance(place, str) for place in unconfirmed):
        c.add(f"{where}.unconfirmed", "problem_unconfirmed_not_places")
    if call.get("published", True) is not True or not isinstance(year, int):
        return
    for place in unconfirmed:
        c.add(f"{where}.{place}", "problem_unconfirmed", year=year - 1)
    first, last = _plausible_dates(year)
    dated = [(f"{where}.{field}", call.get(field)) for field in ("announced_on", "opens_on")]
    for ti, track in enumerate(call.get("tracks") or []):
        if isinstance(track, dict):
            dated += [(f"{where}.tracks[{ti}].{field}", track.get(field)) for field in ("deadline", "review_cutoff")]
            selection = track.get("selection_year")
            if isinstance(selection, int) and selection not in (year, year + 1):
                c.add(f"{where}.tracks[{ti}].selection_year", "problem_selection_year", value=selection, year=year, next_year=year + 1)
    for place, value in dated:
        day = _as_date(value) if value is not None else None
        if day and not first <= day <= last:
            c.add(place, "problem_outside_window", day=day, year=year, first=first, last=last)


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
    if data.get("privacy") is not None:
        days = c.integer(c.mapping(data["privacy"], "privacy"), "retention_days", "privacy", minimum=RETENTION_DAYS[0])
        if days is not None and days > RETENTION_DAYS[1]:
            c.add("privacy.retention_days", "problem_above_maximum", value=days, maximum=RETENTION_DAYS[1])
    for section, model in (("faq", m.FaqEntry), ("canned_replies", m.CannedReply)):
        for i, q in enumerate(c.items(data.get(section) or [], section)):
            q = c.mapping(q, f"{section}[{i}]")
            for field in model.TEXT_FIELDS:
                c.text(q, field, f"{section}[{i}]")

    def coded(section: str, model) -> set:
        codes = set()
        for i, item in enumerate(c.items(data.get(section), section)):
            item = c.mapping(item, f"{section}[{i}]")
            code = item.get("code")
            if not code:
                c.add(f"{section}[{i}].code", "problem_missing")
            elif code in codes:
                c.add(f"{section}[{i}].code", "problem_code_twice", code=repr(code))
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
            c.add(f"{where}.year", "problem_call_twice", year=year)
        years.add(year)
        if not isinstance(call.get("published", True), bool):
            c.add(f"{where}.published", "problem_not_boolean")
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
                c.add(f"{tw}.code", "problem_unknown_track", code=repr(code), known=", ".join(TRACK_CODES))
            elif code in track_codes:
                c.add(f"{tw}.code", "problem_track_twice", code=repr(code))
            track_codes.add(code)
            for field in m.Track.TEXT_FIELDS:
                c.text(track, field, tw, required=field not in ("selection_breakdown", "preconsulting"))
            low = c.integer(track, "amount_min_krw", tw)
            high = c.integer(track, "amount_max_krw", tw)
            if low is not None and high is not None and low > high:
                c.add(f"{tw}.amount_min_krw", "problem_min_above_max", low=f"{low:,}", high=f"{high:,}")
            c.integer(track, "projects_selected", tw, 1)
            c.integer(track, "selection_year", tw, 2000)
            month = c.integer(track, "selection_month", tw, 1)
            if month is not None and month > 12:
                c.add(f"{tw}.selection_month", "problem_not_month", value=month)
            if track.get("secretariat") not in orgs:
                c.add(f"{tw}.secretariat", "problem_unknown_organization", value=repr(track.get("secretariat")))
            for ki, kind in enumerate(c.items(track.get("eligible_applicants"), f"{tw}.eligible_applicants")):
                if kind not in kinds:
                    c.add(f"{tw}.eligible_applicants[{ki}]", "problem_unknown_applicant", value=repr(kind))
            mode = track.get("intake_mode")
            if mode not in INTAKE_MODES:
                c.add(f"{tw}.intake_mode", "problem_not_one_of", value=repr(mode), known=", ".join(INTAKE_MODES))
            c.date(track, "deadline", tw, required=mode == "deadline")
            c.date(track, "review_cutoff", tw, required=mode == "rolling")
            for ri, req in enumerate(c.items(track.get("requirements"), f"{tw}.requirements")):
                req = c.mapping(req, f"{tw}.requirements[{ri}]")
                if not req.get("code"):
                    c.add(f"{tw}.requirements[{ri}].code", "problem_missing")
                c.text(req, "description", f"{tw}.requirements[{ri}]")
            for fi, field in enumerate(c.items(track.get("solution_fields"), f"{tw}.solution_fields")):
                c.text({"name": field}, "name", f"{tw}.solution_fields[{fi}]")
        for section, model, extra in (("contacts", m.Contact, "phone"), ("links", m.Link, "url"), ("notes", m.Note, "topic")):
            for i, item in enumerate(c.items(call.get(section), f"{where}.{section}")):
                item = c.mapping(item, f"{where}.{section}[{i}]")
                for field in model.TEXT_FIELDS:
                    c.text(item, field, f"{where}.{section}[{i}]")
                if not str(item.get(extra) or "").strip():
                    c.add(f"{where}.{section}[{i}].{extra}", "problem_missing")
        _check_publishable(c, call, where, year)

    known_values = {"track": set(TRACK_CODES), "applicant": kinds}
    for entity, values in c.mapping(data.get("aliases") or {}, "aliases").items():
        if entity not in ALIAS_ENTITIES:
            c.add(f"aliases.{entity}", "problem_unknown_entity", known=", ".join(ALIAS_ENTITIES))
            continue
        for value, by_lang in c.mapping(values, f"aliases.{entity}").items():
            if entity in known_values and value not in known_values[entity]:
                c.add(f"aliases.{entity}.{value}", "problem_unknown_alias_value", entity=entity, value=repr(value))
            for lang in c.mapping(by_lang, f"aliases.{entity}.{value}"):
                if lang not in m.LANGUAGES:
                    c.add(f"aliases.{entity}.{value}.{lang}", "problem_alias_language")
    if not c.problems:  # a file of the right shape: its texts must also fit their columns
        _check_lengths(c, data)
    return c.problems


# Which table a place's section is stored in: "calls[0].tracks[1].name.en" is Track.name_en.
_SECTION_MODELS = {
    "program": m.Program, "organizations": m.Organization, "applicant_kinds": m.ApplicantKind,
    "proposal_statuses": m.ProposalStatus, "faq": m.FaqEntry, "canned_replies": m.CannedReply, "helpdesk": m.Helpdesk, "privacy": m.Privacy, "calls": m.Call,
    "calls.tracks": m.Track, "calls.tracks.requirements": m.Requirement, "calls.tracks.solution_fields": m.SolutionField,
    "calls.contacts": m.Contact, "calls.links": m.Link, "calls.notes": m.Note,
}


def _column_of(place: str):
    """The database column a place of the file is stored in, or None (numbers, lists of codes, ...)."""
    if place.startswith("aliases."):
        return m.EntityAlias.__table__.c.alias
    path = steps(place)
    section, rest = [], []
    for step, following in zip(path, path[1:] + [None]):
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
            c.add(place, "problem_too_long", length=len(value), limit=limit)


def _check_helpdesk(c: "_Checker", h: dict) -> None:
    for field in m.Helpdesk.TEXT_FIELDS:
        c.text(h, field, "helpdesk")
    try:
        zoneinfo.ZoneInfo(str(h.get("timezone")))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        c.add("helpdesk.timezone", "problem_not_timezone", value=repr(h.get("timezone")))
    days = h.get("weekdays")
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        c.add("helpdesk.weekdays", "problem_not_weekdays")
    times = {}
    for field in ("opens", "closes"):
        try:
            times[field] = datetime.time.fromisoformat(str(h.get(field)))
        except ValueError:
            c.add(f"helpdesk.{field}", "problem_not_time", value=repr(h.get(field)))
    if len(times) == 2 and times["opens"] >= times["closes"]:
        c.add("helpdesk.closes", "problem_closes_before_opens")
