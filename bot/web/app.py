"""The web front's application (port 8080): the demo page with the chat widget, the widget's and
the staff pages' static files, the login (auth.py), the helpdesk console (helpdesk.py), the
knowledge-base admin (admin.py), the applicants' proposals (proposals.py), the insights
(insights.py) and the unanswered-questions inbox (inbox.py).

The widget itself talks to the Rasa server's socket.io channel (port 5005), whose CORS origins
must include this page's origin (bot/run.py passes them from KCN_CORS_ORIGINS).
"""
import json
from pathlib import Path

from aiohttp import web

from bot.web import admin, auth, helpdesk, inbox, insights, proposals
from bot.web.pages import script_json
from knowledge import settings

WIDGET = Path(__file__).resolve().parent.parent / "widget"
BUNDLE = WIDGET / "dist" / "kcn-widget.js"
DEMO_PAGE = WIDGET / "demo" / "index.html"
STATIC = Path(__file__).resolve().parent / "static"


def create_app(rasa_url: str, rasa_api: str, rasa_token: str, title: str = "K-City Network",
               language: str = "ko") -> web.Application:
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: build it with `make widget` (npm ci and esbuild)")
    config = script_json({"serverUrl": rasa_url, "title": title, "language": language,
                          "maxLength": settings.max_message_chars()})
    page = DEMO_PAGE.read_text(encoding="utf-8").replace("__KCN_CHAT_CONFIG__", config)

    async def demo(_request):
        return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-cache"})

    async def widget(_request):
        return web.FileResponse(BUNDLE, headers={"Cache-Control": "no-cache",
                                                 "Content-Type": "text/javascript; charset=utf-8"})

    async def health(_request):
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/", demo)
    app.router.add_get("/widget/kcn-widget.js", widget)
    app.router.add_get("/health", health)
    app.router.add_static("/static/", STATIC)
    auth.add_routes(app)
    helpdesk.add_routes(app, rasa_api, rasa_token)
    admin.add_routes(app)
    proposals.add_routes(app)
    insights.add_routes(app)
    inbox.add_routes(app)
    return app
