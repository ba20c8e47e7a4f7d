"""The web front of the assistant (port 8080): the demo page with the chat widget, the widget's
files, the helpdesk console (/helpdesk, bot/console.py) and the knowledge-base admin (/admin,
bot/admin.py).

The widget itself talks to the Rasa server's socket.io channel (port 5005), whose CORS origins
must include this page's origin (bot/run.py passes them from KCN_CORS_ORIGINS).
"""
import argparse
import json
import os
from pathlib import Path

from aiohttp import web

from bot import admin, console
from bot.input_guard import MAX_MESSAGE_CHARS

WIDGET = Path(__file__).resolve().parent / "widget"
BUNDLE = WIDGET / "dist" / "kcn-widget.js"
DEMO_PAGE = WIDGET / "demo" / "index.html"


def create_app(rasa_url: str, rasa_api: str, rasa_token: str, title: str = "K-City Network",
               language: str = "ko") -> web.Application:
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: build it with `make widget` (npm ci and esbuild)")
    config = json.dumps({"serverUrl": rasa_url, "title": title, "language": language,
                         "maxLength": MAX_MESSAGE_CHARS}, ensure_ascii=False)
    # "</" cannot end the inline script even if a configured value contains it.
    page = DEMO_PAGE.read_text(encoding="utf-8").replace("__KCN_CHAT_CONFIG__", config.replace("</", "<\\/"))

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
    console.add_routes(app, rasa_api, rasa_token)
    admin.add_routes(app)
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--rasa-url", default="http://localhost:5005", help="the Rasa server as the browser reaches it")
    parser.add_argument("--rasa-api", default="http://127.0.0.1:5005", help="the Rasa server's HTTP API as this server reaches it")
    args = parser.parse_args(argv)
    token = os.environ.get("RASA_API_TOKEN", "")
    if not token:
        raise SystemExit("RASA_API_TOKEN is not set: the helpdesk console needs Rasa's HTTP API token (bot/run.py sets one)")
    web.run_app(create_app(args.rasa_url, args.rasa_api, token), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
