"""The knowledge base's query API: what actions, tools and the NLU ask of the call rules.

Every function returns plain, immutable views (no ORM objects, no open sessions). The views of
the call rules are reused until the knowledge base's revision changes (knowledge/revision.py: the
database raises it on every edit, however made), so an edit is visible to the next question
without a restart, and an unchanged knowledge base costs one query per question.
"""
import datetime
import enum
import zoneinfo
from dataclasses import dataclass
from types import MappingProxyType
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge import clock
from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.revision import kept_until_changed


@dataclass(frozen=True)
class Text:
    ko: str
    en: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def __bool__(self) -> bool:
        return bool(self.ko or self.en)


def localized(obj, field: str) -> Text:
    return Text(ko=obj.text(field, "ko"), en=obj.text(field, "en"))


@dataclass(frozen=True)
class Organization:
    code: str
    name: Text
    role: Text
    website: Optional[str]


@dataclass(frozen=True)
class Named:
    code: str
    name: Text


@dataclass(frozen=True)
class Requirement:
    code: str
    description: Text


@dataclass(frozen=True)
class Track:
    code: str
    name: Text
    who_may_apply: Text
    eligible_applicants: Tuple[Named, ...]
    requirements: Tuple[Requirement, ...]
    what_is_supported: Text
    solution_fields: Tuple[Text, ...]
    support_form: Text
    projects_selected: int
    selection_breakdown: Text
    amount_min_krw: int
    amount_max_krw: int
    secretariat: Organization
    intake_mode: str
    deadline: Optional[datetime.date]
    review_cutoff: Optional[datetime.date]
    submission_how: Text
    review_method: Text
    preconsulting: Text
    selection_year: int
    selection_month: int


@dataclass(frozen=True)
class Contact:
    unit: Text
    person: Text
    title: Text
    phone: str


@dataclass(frozen=True)
class Link:
    label: Text
    url: str


@dataclass(frozen=True)
class Call:
    year: int
    announced_on: datetime.date
    opens_on: datetime.date
    max_projects: int
    total_budget_krw: int
    summary: Text
    tracks: Tuple[Track, ...]
    contacts: Tuple[Contact, ...]
    links: Tuple[Link, ...]
    notes: Mapping[str, Tuple[Text, ...]]

    def track(self, code: str) -> Optional[Track]:
        return next((t for t in self.tracks if t.code == code), None)


@dataclass(frozen=True)
class HistoryYear:
    year: int
    countries: int
    projects: int


@dataclass(frozen=True)
class Program:
    name: Text
    summary: Text
    since_year: int
    countries_to_date: int
    history: Tuple[HistoryYear, ...]

    @property
    def projects_to_date(self) -> int:
        return sum(h.projects for h in self.history)

    @property
    def history_through(self) -> Optional[int]:
        return self.history[-1].year if self.history else None

    def year(self, year: int) -> Optional[HistoryYear]:
        return next((h for h in self.history if h.year == year), None)


@dataclass(frozen=True)
class Alias:
    entity: str
    value: str
    lang: str
    alias: str


def _organization(o: m.Organization) -> Organization:
    return Organization(code=o.code, name=localized(o, "name"), role=localized(o, "role"), website=o.website)


def _track(t: m.Track) -> Track:
    return Track(
        code=t.code,
        name=localized(t, "name"),
        who_may_apply=localized(t, "who_may_apply"),
        eligible_applicants=tuple(Named(k.code, localized(k, "name")) for k in t.eligible_applicants),
        requirements=tuple(Requirement(r.code, localized(r, "description")) for r in t.requirements),
        what_is_supported=localized(t, "what_is_supported"),
        solution_fields=tuple(localized(f, "name") for f in t.solution_fields),
        support_form=localized(t, "support_form"),
        projects_selected=t.projects_selected,
        selection_breakdown=localized(t, "selection_breakdown"),
        amount_min_krw=t.amount_min_krw,
        amount_max_krw=t.amount_max_krw,
        secretariat=_organization(t.secretariat),
        intake_mode=t.intake_mode,
        deadline=t.deadline,
        review_cutoff=t.review_cutoff,
        submission_how=localized(t, "submission_how"),
        review_method=localized(t, "review_method"),
        preconsulting=localized(t, "preconsulting"),
        selection_year=t.selection_year,
        selection_month=t.selection_month,
    )


def _call(c: m.Call) -> Call:
    notes: Dict[str, List[Text]] = {}
    for n in c.notes:
        notes.setdefault(n.topic, []).append(localized(n, "body"))
    return Call(
        year=c.year,
        announced_on=c.announced_on,
        opens_on=c.opens_on,
        max_projects=c.max_projects,
        total_budget_krw=c.total_budget_krw,
        summary=localized(c, "summary"),
        tracks=tuple(_track(t) for t in c.tracks),
        contacts=tuple(Contact(localized(x, "unit"), localized(x, "person"), localized(x, "title"), x.phone) for x in c.contacts),
        links=tuple(Link(localized(x, "label"), x.url) for x in c.links),
        notes=MappingProxyType({k: tuple(v) for k, v in notes.items()}),
    )


_CALL_LOADING = (
    selectinload(m.Call.tracks).selectinload(m.Track.secretariat),
    selectinload(m.Call.tracks).selectinload(m.Track.eligible_applicants),
    selectinload(m.Call.tracks).selectinload(m.Track.requirements),
    selectinload(m.Call.tracks).selectinload(m.Track.solution_fields),
    selectinload(m.Call.contacts),
    selectinload(m.Call.links),
    selectinload(m.Call.notes),
)


def _published_call(*conditions) -> Optional[Call]:
    """The newest published call meeting `conditions`, or None."""
    with session_scope() as session:
        row = session.execute(
            select(m.Call).where(m.Call.published.is_(True), *conditions)
            .order_by(m.Call.year.desc()).options(*_CALL_LOADING).limit(1)
        ).scalar_one_or_none()
        return _call(row) if row else None


@kept_until_changed
def current_call() -> Optional[Call]:
    """The newest published call, or None if there is none."""
    return _published_call()


@kept_until_changed
def call_for_year(year: int) -> Optional[Call]:
    return _published_call(m.Call.year == year)


def call_to_preview(year: int) -> Optional[Call]:
    """The call of `year` whether published or not, for the secretariat's preview before publishing."""
    with session_scope() as session:
        row = session.execute(select(m.Call).where(m.Call.year == year).options(*_CALL_LOADING)).scalar_one_or_none()
        return _call(row) if row else None


@kept_until_changed
def program() -> Optional[Program]:
    with session_scope() as session:
        row = session.execute(select(m.Program).options(selectinload(m.Program.history)).limit(1)).scalar_one_or_none()
        if row is None:
            return None
        return Program(
            name=localized(row, "name"),
            summary=localized(row, "summary"),
            since_year=row.since_year,
            countries_to_date=row.countries_to_date,
            history=tuple(HistoryYear(h.year, h.countries, h.projects) for h in row.history),
        )


def aliases() -> List[Alias]:
    """Every entity alias, for building the NLU's entity patterns."""
    with session_scope() as session:
        rows = session.execute(select(m.EntityAlias).order_by(m.EntityAlias.id)).scalars()
        return [Alias(r.entity, r.value, r.lang, r.alias) for r in rows]


# --- Rules that turn facts and today's date into verdicts -------------------------------


class Intake(enum.Enum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"  # deadline track, before its deadline
    CLOSED = "closed"  # deadline track, after its deadline
    OPEN_THIS_YEAR = "open_this_year"  # rolling track, before the review cut-off
    AFTER_CUTOFF = "after_cutoff"  # rolling track: reviewed for the next year's support
    # Rolling track after the call's year: its "later ones go to next year" rule was written for
    # proposals received in that year, so nothing known says how one sent today is handled.
    BEYOND_CALL = "beyond_call"


def intake_status(call: Call, track: Track, today: Optional[datetime.date] = None) -> Intake:
    today = today or clock.today()
    if today < call.opens_on:
        return Intake.NOT_YET_OPEN
    if track.intake_mode == "rolling":
        if track.review_cutoff is None or today <= track.review_cutoff:
            return Intake.OPEN_THIS_YEAR
        return Intake.AFTER_CUTOFF if today.year <= call.year else Intake.BEYOND_CALL
    if track.deadline is None or today <= track.deadline:
        return Intake.OPEN
    return Intake.CLOSED


@dataclass(frozen=True)
class Verdict:
    """Whether an applicant may apply to a track, and the rules that decide it."""

    track: Track
    eligible: bool
    applicant_fits: bool
    unmet: Tuple[Requirement, ...]


def eligibility(call: Call, applicant: Optional[str] = None, lacking: Sequence[str] = ()) -> List[Verdict]:
    """One verdict per track for an applicant kind and the requirements it says it lacks."""
    verdicts = []
    for track in call.tracks:
        fits = applicant is None or any(k.code == applicant for k in track.eligible_applicants)
        unmet = tuple(r for r in track.requirements if r.code in lacking)
        verdicts.append(Verdict(track=track, eligible=fits and not unmet, applicant_fits=fits, unmet=unmet))
    return verdicts


@dataclass(frozen=True)
class Helpdesk:
    hours: Text
    outside_hours: Text
    timezone: str
    weekdays: Tuple[int, ...]
    opens: datetime.time
    closes: datetime.time

    def is_open(self, at: Optional[datetime.datetime] = None) -> bool:
        """Whether people are answering at `at` (an aware datetime; now by default)."""
        local = (at or datetime.datetime.now(datetime.timezone.utc)).astimezone(zoneinfo.ZoneInfo(self.timezone))
        return local.weekday() in self.weekdays and self.opens <= local.time() < self.closes


@dataclass(frozen=True)
class CannedReply:
    title: Text
    text: Text


@kept_until_changed
def canned_replies() -> Tuple[CannedReply, ...]:
    """The secretariat's ready answers for the helpdesk console, in their order."""
    with session_scope() as session:
        rows = session.execute(select(m.CannedReply).order_by(m.CannedReply.position)).scalars()
        return tuple(CannedReply(title=localized(r, "title"), text=localized(r, "text")) for r in rows)


@kept_until_changed
def retention_days() -> Optional[int]:
    """How many days after its last message a conversation is deleted (None: kept)."""
    with session_scope() as session:
        return session.execute(select(m.Privacy.retention_days).limit(1)).scalar_one_or_none()


@kept_until_changed
def helpdesk() -> Optional[Helpdesk]:
    with session_scope() as session:
        row = session.execute(select(m.Helpdesk).limit(1)).scalar_one_or_none()
        if row is None:
            return None
        return Helpdesk(hours=localized(row, "hours"), outside_hours=localized(row, "outside_hours"),
                        timezone=row.timezone, weekdays=tuple(int(d) for d in row.weekdays.split(",") if d),
                        opens=datetime.time.fromisoformat(row.opens), closes=datetime.time.fromisoformat(row.closes))
