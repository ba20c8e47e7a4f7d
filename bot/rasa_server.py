"""Entry point of the Rasa server process: `rasa run` with our patches installed (bot/server/patches)
and the HTTP API token taken from RASA_API_TOKEN instead of the command line.

Rasa reads its token only from `--auth-token`, and a command line is visible to every user of
the machine (`ps`); this process's own argv list is not, so the token is added there.
"""
import sys

from knowledge import settings

# What this process reads (its channels and stores included); checked before Rasa loads anything.
SETTINGS = ("RASA_API_TOKEN", "KCN_ACTION_TIMEOUT", "KCN_MAX_MESSAGE_CHARS", "KCN_TRACKER_CACHE", "KCN_PROFILE",
            "REDIS_URL", "DATABASE_URL", "KCN_TODAY", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL",
            "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL", "KCN_CORS_ORIGINS", "KCN_REST_CHANNEL")


def rasa_argv(args, token: str) -> list:
    """`rasa` with our arguments and the token. One `--auth-token=…` word: a random token may start
    with "-", which argparse would take for an option if it stood alone."""
    return ["rasa", *args, f"--auth-token={token}"]


def main() -> None:
    settings.require("The Rasa server", SETTINGS)
    token = settings.rasa_api_token()
    if not token:
        sys.exit("RASA_API_TOKEN is not set: the Rasa HTTP API would be open to anyone who reaches the port.")
    sys.argv = rasa_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main

    from bot.server.patches import dialogue_states, performance, resilience

    performance.install()  # per-message work Rasa 3.6 repeats for nothing, done once
    dialogue_states.install()  # the policies' states replayed only for a conversation's new events
    resilience.install()
    rasa_main()


if __name__ == "__main__":
    main()
