"""Entry point of the web front (`python -m bot.web`, started by bot/run.py): serves bot/web/app.py."""
import argparse

from aiohttp import web

from bot.web.app import create_app
from knowledge import settings

SETTINGS = ("RASA_API_TOKEN", "KCN_MAX_MESSAGE_CHARS", "DATABASE_URL", "KCN_PROFILE", "KCN_SECURE_COOKIES",
            "KCN_TRUSTED_PROXIES")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--rasa-url", default="http://localhost:5005", help="the Rasa server as the browser reaches it")
    parser.add_argument("--rasa-api", default="http://127.0.0.1:5005", help="the Rasa server's HTTP API as this server reaches it")
    args = parser.parse_args(argv)
    settings.require("The web front", SETTINGS)
    token = settings.rasa_api_token()
    if not token:
        raise SystemExit("RASA_API_TOKEN is not set: the helpdesk console needs Rasa's HTTP API token (bot/run.py sets one)")
    web.run_app(create_app(args.rasa_url, args.rasa_api, token), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
