"""The whole knowledge base as one readable YAML file: the call rules, both languages side by side.

`export_data()` writes what `rows.load()` reads, so an export is also a valid seed. Proposals are
applicants' data, not call rules: they are never exported.
"""
from typing import Any, Dict

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge import tables as m
from knowledge.db import session_scope


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
        data["canned_replies"] = [_texts(r) for r in
                                  s.execute(select(m.CannedReply).order_by(m.CannedReply.position)).scalars()]
        privacy = s.execute(select(m.Privacy)).scalars().first()
        if privacy:
            data["privacy"] = {"retention_days": privacy.retention_days}
        helpdesk = s.execute(select(m.Helpdesk)).scalars().first()
        if helpdesk:
            data["helpdesk"] = {"timezone": helpdesk.timezone, "weekdays": [int(d) for d in helpdesk.weekdays.split(",") if d],
                                "opens": helpdesk.opens, "closes": helpdesk.closes, **_texts(helpdesk)}
        for c in calls:
            call = {"year": c.year, "published": c.published, "announced_on": c.announced_on, "opens_on": c.opens_on,
                    "max_projects": c.max_projects, "total_budget_krw": c.total_budget_krw, **_texts(c), "tracks": []}
            if c.unconfirmed:
                call["unconfirmed"] = c.unconfirmed.split("\n")
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


def dump(data: Dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
