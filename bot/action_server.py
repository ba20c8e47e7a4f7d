"""Entry point of the action server (`rasa run actions` serving the `actions` package), answering
only callers that present KCN_ACTION_TOKEN.

The action server trusts the conversation state it is sent (slots such as a verified proposal
code), so anyone who could call it directly could skip the status check's proof. Rasa servers
send the token in an Authorization header (endpoints.yml); everything but /health without it gets
401. It listens on KCN_ACTION_HOST: loopback by default, since only the Rasa servers call it.
"""
import hmac
import os
import sys

from sanic import response

from knowledge import settings

UNGUARDED = ("/health",)
SETTINGS = ("KCN_ACTION_TOKEN", "KCN_ACTION_HOST", "KCN_MAX_MESSAGE_CHARS", "DATABASE_URL", "KCN_TODAY",
            "KCN_DRAFTS_PER_EMAIL", "KCN_DRAFTS_PER_CONVERSATION", "KCN_DRAFT_LIMIT_HOURS",
            "KCN_SMTP_URL", "KCN_MAIL_FROM", "KCN_MAIL_OUTBOX")


def guard(create_app, token: str):
    """Wraps rasa-sdk's app factory so that its app checks the token on every request."""
    expected = f"Bearer {token}".encode()

    def create_guarded_app(*args, **kwargs):
        app = create_app(*args, **kwargs)

        @app.on_request
        async def authenticate(request):
            if request.path in UNGUARDED:
                return None
            if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
                return response.json({"error": "a valid action server token is required"}, status=401)
            return None

        return app

    return create_guarded_app


def main() -> None:
    settings.require("The action server", SETTINGS)
    token = settings.action_token()
    if not token:
        sys.exit("KCN_ACTION_TOKEN is not set: the action server would run actions for anyone who reaches its port.")
    os.environ["SANIC_HOST"] = settings.action_host()  # how rasa-sdk's Sanic app is told where to listen
    from rasa_sdk import endpoint
    from rasa_sdk.__main__ import main as rasa_sdk_main

    endpoint.create_app = guard(endpoint.create_app, token)
    sys.argv = ["rasa_sdk", *sys.argv[1:]]
    rasa_sdk_main()


if __name__ == "__main__":
    main()
