"""Who is logged in to the staff pages, and what their role opens: sessions in cookies, the login
and logout pages, and the middleware that guards every staff page and API (role by area, CSRF
token on every state-changing request). Accounts, sessions and the login throttle live in
knowledge.staff.

The password check (argon2, tens of milliseconds of CPU each) runs on a small pool of worker
threads, never on the event loop: a flood of logins waits its turn there while the console's
other requests go on being served.
"""
import asyncio
import datetime
import hmac
import ipaddress
import math
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional

from aiohttp import web

from bot.web.pages import html, korea_clock, page_language
from knowledge import settings, staff
from knowledge.wording import LANGUAGES, say

COOKIE = "kcn_staff"
LOGIN_COOKIE = "kcn_login_csrf"
DEVICE_COOKIE = "kcn_device"  # "this browser has logged in to these accounts": see knowledge/staff.py
LOGIN_PATH = "/helpdesk/login"
LOGIN_THREADS = 2  # password checks at once per web server; more would only share the same CPUs
LOGIN_POOL = "login_pool"  # the app's key of the pool
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


def staff_language(request: web.Request, session: Optional[staff.Session] = None) -> str:
    """The staff pages' language for this request: the account's choice, else the browser's."""
    session = session or request.get(SESSION_KEY) or current_session(request)
    return page_language(request, session.staff.language if session else None)


def _forbidden(request: web.Request, key: str, session: Optional[staff.Session], status: int = 403) -> web.Response:
    lang = staff_language(request, session)
    if _is_api(request):
        return web.json_response({"error": say(key, lang)}, status=status)
    return html("message.html", lang, status=status, message=say(key, lang))


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
            return web.json_response({"error": say("staff_log_in_first", page_language(request))}, status=401)
        raise web.HTTPFound(LOGIN_PATH)
    if not session.staff.may(*AREAS[area]):
        return _forbidden(request, "staff_no_access", session)
    if request.method == "POST":
        sent = request.headers.get("X-CSRF-Token") or (await request.post()).get("csrf_token", "")
        if not hmac.compare_digest(str(sent).encode(), session.csrf_token.encode()):
            return _forbidden(request, "staff_csrf_failed", session)
    request[SESSION_KEY] = session
    return await handler(request)


def _cookie_args(request: web.Request, path: str = "/") -> Dict[str, Any]:
    # Behind the TLS-terminating balancer every request arrives as plain HTTP, so the scheme alone
    # would leave the Secure flag off in production (KCN_SECURE_COOKIES).
    secure = settings.secure_cookies()
    return {"httponly": True, "samesite": "Strict", "secure": request.secure if secure is None else secure, "path": path}


def _trusted(address: str, proxies) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: web.Request) -> str:
    """The client's IP address: the connection's own, unless that is a trusted load balancer
    (KCN_TRUSTED_PROXIES); then X-Forwarded-For is read from the right, past every trusted hop
    (entries further left were written by the client and prove nothing)."""
    peer = request.remote or ""
    proxies = settings.trusted_proxies()
    if not _trusted(peer, proxies):
        return peer
    forwarded = [hop.strip() for value in request.headers.getall("X-Forwarded-For", []) for hop in value.split(",")]
    chain = [hop for hop in forwarded if hop] + [peer]
    return next((hop for hop in reversed(chain) if not _trusted(hop, proxies)), chain[0])


async def login_page(request: web.Request, error: str = "", status: Optional[int] = None,
                     headers: Optional[Dict[str, str]] = None) -> web.Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    chosen = request.query.get("lang") if request.query.get("lang") in LANGUAGES else None
    lang = page_language(request, chosen)
    response = html("login.html", lang, status=status or (401 if error else 200), csrf_token=token, error=error,
                    chosen=chosen)
    response.headers.update(headers or {})
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **_cookie_args(request))
    return response


def _when(refused: staff.LoginThrottled, lang: str) -> tuple:
    """The refusal's sentences saying why and when to try again (Korea time), and the wait in whole seconds."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    seconds = max(1, math.ceil((refused.retry_at - now).total_seconds()))
    at = say("staff_korea_clock", lang, time=korea_clock(refused.retry_at))
    wait = (say("staff_try_again_seconds", lang, seconds=seconds, at=at) if seconds < 90
            else say("staff_try_again_minutes", lang, minutes=math.ceil(seconds / 60), at=at))
    return f"{say(f'staff_throttled_{refused.cause}', lang)} {wait}", seconds


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    expected = request.cookies.get(LOGIN_COOKIE, "")
    lang = page_language(request, request.query.get("lang"))
    if not expected or not hmac.compare_digest(str(form.get("csrf_token", "")).encode(), expected.encode()):
        return await login_page(request, say("staff_login_form_expired", lang))
    client = staff.Client(client_address(request), request.cookies.get(DEVICE_COOKIE, ""))
    try:
        session = await asyncio.get_running_loop().run_in_executor(
            request.app[LOGIN_POOL], staff.log_in, str(form.get("username", "")), str(form.get("password", "")), client)
    except staff.LoginThrottled as refused:
        message, seconds = _when(refused, lang)
        return await login_page(request, message, status=429, headers={"Retry-After": str(seconds)})
    if session is None:
        return await login_page(request, say("staff_wrong_login", lang))
    if request.query.get("lang") in LANGUAGES and request.query["lang"] != session.staff.language:
        # A language picked on the login page is the officer's latest word on it: kept on the account.
        staff.set_language(session.staff.username, request.query["lang"])
    response = web.HTTPFound("/admin" if session.staff.role == "secretariat" else "/helpdesk")
    response.set_cookie(COOKIE, session.token, max_age=int(staff.SESSION_LIFETIME.total_seconds()), **_cookie_args(request))
    response.set_cookie(DEVICE_COOKIE, session.device, max_age=int(staff.DEVICE_LIFETIME.total_seconds()),
                        **_cookie_args(request, path=LOGIN_PATH))
    response.del_cookie(LOGIN_COOKIE, path="/")
    raise response


async def choose_language(request: web.Request) -> web.Response:
    """The officer's choice of language for the staff pages, kept on the account; back to the page
    it was made on (a page of the same area: the form cannot send anyone elsewhere)."""
    session = session_of(request)
    form = await request.post()
    lang = str(form.get("language", ""))
    if lang not in LANGUAGES:
        raise web.HTTPBadRequest(text=say("staff_bad_request", staff_language(request, session)))
    staff.set_language(session.staff.username, lang)
    area = _area(request.path)
    back = str(form.get("next", ""))
    raise web.HTTPFound(back if _area(back) == area and "//" not in back else area)


async def logout(request: web.Request) -> web.Response:
    staff.log_out(session_of(request).token)
    response = web.HTTPFound(LOGIN_PATH)
    response.del_cookie(COOKIE, path="/")
    raise response


async def _start_login_pool(app: web.Application) -> None:
    app[LOGIN_POOL] = ThreadPoolExecutor(max_workers=LOGIN_THREADS, thread_name_prefix="staff-login")


async def _stop_login_pool(app: web.Application) -> None:
    app[LOGIN_POOL].shutdown(wait=False, cancel_futures=True)


def add_routes(app: web.Application) -> None:
    app.on_startup.append(_start_login_pool)
    app.on_cleanup.append(_stop_login_pool)
    app.middlewares.append(require_staff)
    app.router.add_get(LOGIN_PATH, login_page)
    app.router.add_post(LOGIN_PATH, login)
    app.router.add_post("/helpdesk/logout", logout)
    app.router.add_post("/helpdesk/language", choose_language)
    app.router.add_post("/admin/logout", logout)
    app.router.add_post("/admin/language", choose_language)
