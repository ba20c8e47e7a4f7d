"""Applicants' proposals for secretariat staff (http://localhost:8080/admin/proposals), behind the
staff login: the list, one proposal's history, a status change with a note for the applicant, and
the news sent about it. A change here is the same as `python -m knowledge proposals set-status`:
recorded with the officer's name and told to the applicant on every channel they proved it in."""
from aiohttp import web
from yarl import URL

from bot.web.auth import session_of, staff_language
from bot.web.pages import done_notice, html
from knowledge import notifications, proposals
from knowledge.wording import say

NOTE_LIMIT = 2000


def _page(request: web.Request, template: str, status: int = 200, **values) -> web.Response:
    session = session_of(request)
    lang = staff_language(request, session)
    return html(template, lang, status=status, user=session.staff.username, role=session.staff.role, here=request.path,
                csrf_token=session.csrf_token, notice=done_notice(request.query, lang, "proposals_done_"), **values)


async def proposal_list(request: web.Request) -> web.Response:
    return _page(request, "proposals.html", proposals=proposals.list_all()[::-1], proposal=None)


def _proposal(request: web.Request) -> proposals.Proposal:
    proposal = proposals.get(request.match_info["code"])
    if proposal is None:
        raise web.HTTPNotFound(text=say("proposals_not_found", staff_language(request)))
    return proposal


async def proposal_page(request: web.Request, problem: str = "", status: int = 200) -> web.Response:
    proposal = _proposal(request)
    return _page(request, "proposals.html", status=status, proposal=proposal, statuses=proposals.statuses(),
                 news=notifications.history(proposal.code), problem=problem)


async def change_status(request: web.Request) -> web.Response:
    proposal = _proposal(request)
    form = await request.post()
    lang = staff_language(request, session_of(request))
    note = str(form.get("note", "")).strip()
    if len(note) > NOTE_LIMIT:
        return await proposal_page(request, say("proposals_note_too_long", lang, limit=NOTE_LIMIT), 422)
    try:
        proposals.set_status(proposal.code, str(form.get("status", "")), note=note, by=session_of(request).staff.username)
    except proposals.ProposalError as error:
        return await proposal_page(request, say("proposals_not_saved", lang, error=error.said_in(lang)), 422)
    told = notifications.news_of_latest_change(proposal.code)
    raise web.HTTPFound(str(URL(f"/admin/proposals/{proposal.code}").with_query(done="proposals_done_saved", count=str(len(told)))))


def add_routes(app: web.Application) -> None:
    code = "{code:KCN-[0-9A-Za-z-]{8,40}}"
    app.router.add_get("/admin/proposals", proposal_list)
    app.router.add_get(f"/admin/proposals/{code}", proposal_page)
    app.router.add_post(f"/admin/proposals/{code}/status", change_status)


