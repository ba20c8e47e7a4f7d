"""Knowledge-base admin for secretariat staff (http://localhost:8080/admin), behind the staff login.

Every fact is shown side by side in Korean and English and saved through knowledge.transfer, so
the web page has the import's validation, all-or-nothing transaction and history: the bot
answers from the new data at once. Entity aliases are NLU vocabulary (a change needs `make
model`), so they are edited with the export/import command line instead.
"""
import datetime
import re
from collections import OrderedDict
from typing import Dict, List, Optional

from aiohttp import web
from yarl import URL

# The preview answers as the assistant does: with its own answer actions (each registers its topic).
from actions import application, eligibility, funding, schedule  # noqa: F401
from actions.knowledge_answer import KnowledgeAnswer, Question
from bot.web.auth import session_of, staff_language
from bot.web.pages import done_notice, html
from knowledge import clock, retention, service, transfer
from knowledge.wording import LANGUAGES, say

LANG_SUFFIX = re.compile(r"\.(ko|en)$")
UNCONFIRMED_LIST = re.compile(r"^calls\[\d+\]\.unconfirmed\b")
PREVIEW_TOPICS = ("deadline", "amount", "eligibility", "submission")
HIDDEN_SECTIONS = ("aliases",)
DONE = "admin_done_"  # the sentences saying what a change did (messages.yml)


def _editable(flat: Dict[str, str]) -> Dict[str, str]:
    # An empty list ("[]") has nothing to edit; items are added with their own forms (FAQ) or the CLI.
    # A copied call's unconfirmed list is shown as a mark on each fact, not as facts of its own.
    return {place: value for place, value in flat.items()
            if not place.startswith(HIDDEN_SECTIONS) and value != "[]" and not UNCONFIRMED_LIST.match(place)}


def fact_groups(flat: Dict[str, str], unconfirmed=frozenset()) -> "OrderedDict[str, List[dict]]":
    """Leaves grouped by their parent (e.g. calls[0].tracks[1]); a text's ko and en on one row; a row
    copied from last year's call and not yet confirmed is marked."""
    groups: "OrderedDict[str, List[dict]]" = OrderedDict()
    rows: Dict[str, dict] = {}
    for place, value in _editable(flat).items():
        base = LANG_SUFFIX.sub("", place)
        lang = place[-2:] if base != place else None
        parent, _, field = base.rpartition(".")
        row = rows.get(base)
        if row is None:
            row = rows[base] = {"field": field or base, "base": base, "ko": None, "en": None, "value": None,
                                "unconfirmed": False}
            groups.setdefault(parent or base, []).append(row)
        row["unconfirmed"] = row["unconfirmed"] or place in unconfirmed
        if lang:
            row[lang] = {"place": place, "value": value}
        else:
            row["value"] = {"place": place, "value": value}
    return groups


def _calls(data: dict) -> List[dict]:
    return [{"index": i, "year": c["year"], "published": c.get("published", True), "unconfirmed": len(c.get("unconfirmed") or [])}
            for i, c in enumerate(data["calls"])]


def render(request: web.Request, values: Optional[Dict[str, str]] = None, problems=(), notice: str = "",
           status: int = 200) -> web.Response:
    session = session_of(request)
    lang = staff_language(request, session)
    data = transfer.export_data()
    flat = transfer.flatten(data)
    if values:  # show what the user typed back to them, next to the problems
        flat.update({k: v for k, v in values.items() if k in flat})
    return html("admin.html", lang, status=status, user=session.staff.username, role=session.staff.role,
                csrf_token=session.csrf_token, groups=fact_groups(flat, set(transfer.unconfirmed(data))), calls=_calls(data),
                history=transfer.history(30), retention_runs=retention.runs(10), faq=data.get("faq", []), canned=data.get("canned_replies", []),
                problems=problems, notice=say(notice, lang) if notice else done_notice(request.query, lang, DONE))


def _back(done: str, **facts) -> web.HTTPFound:
    """Back to the admin page, which says what was done (`done`, a key under DONE, with its facts)."""
    return web.HTTPFound(str(URL("/admin").with_query(done=done, **{k: str(v) for k, v in facts.items()})))


async def admin_page(request: web.Request) -> web.Response:
    return render(request)


async def save_facts(request: web.Request) -> web.Response:
    form = await request.post()
    typed = {key[2:]: str(value).replace("\r\n", "\n") for key, value in form.items() if key.startswith("f:")}
    data = transfer.export_data()
    current = _editable(transfer.flatten(data))
    changes = {place: value for place, value in typed.items() if place in current and current[place] != value}
    # A row's checkbox confirms its fact (a text: both languages) without changing it.
    ticked = {key[8:] for key in form if key.startswith("confirm:")}
    confirmed = [place for place in transfer.unconfirmed(data) if LANG_SUFFIX.sub("", place) in ticked]
    if not changes and not confirmed:
        return render(request, notice="admin_done_nothing_changed")
    try:
        transfer.set_values(changes, by=session_of(request).staff.username, confirmed=confirmed)
    except transfer.ImportRejected as rejected:
        return render(request, values=typed, problems=rejected.problems, status=422)
    if confirmed:
        raise _back("admin_done_saved_confirmed", changes=len(changes), confirmed=len(confirmed))
    raise _back("admin_done_saved", changes=len(changes))


async def publish(request: web.Request) -> web.Response:
    year = int(request.match_info["year"])
    form = await request.post()
    data = transfer.export_data()
    index = next((i for i, c in enumerate(data["calls"]) if c["year"] == year), None)
    if index is None:
        raise web.HTTPNotFound()
    published = form.get("published") == "true"
    try:
        transfer.set_values({f"calls[{index}].published": "true" if published else "false"},
                            by=session_of(request).staff.username)
    except transfer.ImportRejected as rejected:
        return render(request, problems=rejected.problems, status=422)
    raise _back("admin_done_published" if published else "admin_done_unpublished", year=year)


async def copy_call(request: web.Request) -> web.Response:
    year = int(request.match_info["year"])
    try:
        new_year = transfer.copy_call(year, by=session_of(request).staff.username)
    except transfer.ImportRejected as rejected:
        return render(request, problems=rejected.problems, status=422)
    raise _back("admin_done_copied", year=new_year, source=year)


async def confirm_call(request: web.Request) -> web.Response:
    """Confirms every fact of a copied call still unconfirmed (the secretariat has checked them all)."""
    year = int(request.match_info["year"])
    data = transfer.export_data()
    index = next((i for i, c in enumerate(data["calls"]) if c["year"] == year), None)
    if index is None:
        raise web.HTTPNotFound()
    places = [p for p in transfer.unconfirmed(data) if p.startswith(f"calls[{index}].")]
    try:
        transfer.set_values({}, by=session_of(request).staff.username, confirmed=places)
    except transfer.ImportRejected as rejected:
        return render(request, problems=rejected.problems, status=422)
    raise _back("admin_done_confirmed", count=len(places), year=year)


async def preview_call(request: web.Request) -> web.Response:
    """What the assistant would answer today to the core questions, from this call, in both languages."""
    year = int(request.match_info["year"])
    call = service.call_to_preview(year)
    stored = next((c for c in _calls(transfer.export_data()) if c["year"] == year), None)
    if call is None or stored is None:
        raise web.HTTPNotFound()
    session = session_of(request)
    lang = staff_language(request, session)
    try:  # the day to answer as of: today unless the officer picks another (e.g. the day intake opens)
        on = datetime.date.fromisoformat(request.query["on"]) if request.query.get("on") else clock.today()
    except ValueError:
        on, problem = clock.today(), say("preview_bad_date", lang, value=repr(request.query["on"]))
    else:
        problem = ""
    answers = [{"topic": topic, **{answer_lang: "\n".join(KnowledgeAnswer.by_topic[topic]().respond(call, Question(lang=answer_lang, today=on)))
                                   for answer_lang in LANGUAGES}} for topic in PREVIEW_TOPICS]
    return html("admin_preview.html", lang, user=session.staff.username, role=session.staff.role, csrf_token=session.csrf_token,
                call=stored, answers=answers, on=on, problem=problem)


# The lists of bilingual entries the page adds to and removes from, by their name in the page's
# addresses: their section of the knowledge-base file, and their fields (form fields "question_ko", …).
ENTRY_LISTS = {"faq": ("faq", ("question", "answer")), "canned": ("canned_replies", ("title", "text"))}


def _list_edits(name: str):
    """The add and remove handlers of one list (/admin/<name>, /admin/<name>/<index>/remove)."""

    async def add(request: web.Request) -> web.Response:
        form = await request.post()
        section, fields = ENTRY_LISTS[name]
        entry = {field: {lang: str(form.get(f"{field}_{lang}", "")) for lang in LANGUAGES} for field in fields}
        try:
            transfer.add_entry(section, entry, by=session_of(request).staff.username)
        except transfer.ImportRejected as rejected:
            return render(request, problems=rejected.problems, status=422)
        raise _back(f"admin_done_{name}_added")

    async def remove(request: web.Request) -> web.Response:
        try:
            transfer.remove_entry(ENTRY_LISTS[name][0], int(request.match_info["index"]), by=session_of(request).staff.username)
        except transfer.ImportRejected as rejected:
            return render(request, problems=rejected.problems, status=422)
        raise _back(f"admin_done_{name}_removed")

    return add, remove


async def revert(request: web.Request) -> web.Response:
    try:
        entry = transfer.revert(int(request.match_info["entry_id"]), by=session_of(request).staff.username)
    except transfer.ImportRejected as rejected:
        return render(request, problems=rejected.problems, status=422)
    raise _back("admin_done_reverted", place=entry.place)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/admin", admin_page)
    app.router.add_post("/admin/facts", save_facts)
    app.router.add_post("/admin/calls/{year:\\d+}/publish", publish)
    app.router.add_post("/admin/calls/{year:\\d+}/copy", copy_call)
    app.router.add_post("/admin/calls/{year:\\d+}/confirm", confirm_call)
    app.router.add_get("/admin/calls/{year:\\d+}/preview", preview_call)
    app.router.add_post("/admin/history/{entry_id:\\d+}/revert", revert)
    for name in ENTRY_LISTS:
        add, remove = _list_edits(name)
        app.router.add_post(f"/admin/{name}", add)
        app.router.add_post(f"/admin/{name}/{{index:\\d+}}/remove", remove)
