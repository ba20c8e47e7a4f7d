"""Who is logged in to the staff pages, and what their role opens: sessions in cookies, the login
and logout pages, and the middleware that guards every staff page and API (role by area, CSRF
token on every state-changing request). Accounts and sessions live in knowledge.staff."""
import asyncio
import hmac
import secrets
from typing import Any, Dict, Optional

from aiohttp import web

from bot.web.pages import html
from knowledge import staff

COOKIE = "kcn_staff"
LOGIN_COOKIE = "kcn_login_csrf"
LOGIN_PATH = "/helpdesk/login"
# Who may open which part of the staff web pages (admins may open all: Staff.may).
AREAS = {"/helpdesk": ("helpdesk",), "/admin": ("secretariat",)}
SESSION_KEY = "staff_session"  # where require_staff leaves the session on the request


def current_session(request: web.Request) -> Optional[staff.Session]:
    return staff.session_of(request.cookies.get(COOKIE))


def session_of(request: web.Request) -> staff.Session:
    """The session require_staff checked for this request."""
    return request[SESSION_KEY]


def _is_api(request: web.Request) -> bool:
    return "/api/" in request.path


def _forbidden(request: web.Request, message: str, status: int = 403) -> web.Response:
    if _is_api(request):
        return web.json_response({"error": message}, status=status)
    return html("message.html", status=status, message=message)


def _area(path: str):
    return next((prefix for prefix in AREAS if path == prefix or path.startswith(prefix + "/")), None)


@web.middleware
async def require_staff(request: web.Request, handler):
    """Every staff page and API needs a live session whose role opens that area (the helpdesk
    console, the knowledge-base admin); every state-changing request also needs the session's
    CSRF token."""
    area = _area(request.path)
    if request.path == LOGIN_PATH or area is None:
        return await handler(request)
    session = current_session(request)
    if session is None:
        if _is_api(request):
            return web.json_response({"error": "log in first"}, status=401)
        raise web.HTTPFound(LOGIN_PATH)
    if not session.staff.may(*AREAS[area]):
        return _forbidden(request, "Your account's role does not give access to this page.")
    if request.method == "POST":
        sent = request.headers.get("X-CSRF-Token") or (await request.post()).get("csrf_token", "")
        if not hmac.compare_digest(str(sent).encode(), session.csrf_token.encode()):
            return _forbidden(request, "The form has expired (CSRF check failed). Reload the page and try again.")
    request[SESSION_KEY] = session
    return await handler(request)


def _cookie_args(request: web.Request) -> Dict[str, Any]:
    return {"httponly": True, "samesite": "Strict", "secure": request.secure, "path": "/"}


async def login_page(request: web.Request, error: str = "") -> web.Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = html("login.html", status=401 if error else 200, csrf_token=token, error=error)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **_cookie_args(request))
    return response


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("csrf_token", "")).encode(), expected.encode()):
        return await login_page(request, "The form has expired. Please try again.")
    session = staff.log_in(str(form.get("username", "")), str(form.get("password", "")))
    if session is None:
        await asyncio.sleep(0.5)  # slows down guessing
        return await login_page(request, "Wrong username or password.")
    response = web.HTTPFound("/admin" if session.staff.role == "secretariat" else "/helpdesk")
    response.set_cookie(COOKIE, session.token, max_age=int(staff.SESSION_LIFETIME.total_seconds()), **_cookie_args(request))
    response.del_cookie(LOGIN_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.Response:
    staff.log_out(session_of(request).token)
    response = web.HTTPFound(LOGIN_PATH)
    response.del_cookie(COOKIE, path="/")
    raise response


def add_routes(app: web.Application) -> None:
    app.middlewares.append(require_staff)
    app.router.add_get(LOGIN_PATH, login_page)
    app.router.add_post(LOGIN_PATH, login)
    app.router.add_post("/helpdesk/logout", logout)
    app.router.add_post("/admin/logout", logout)
