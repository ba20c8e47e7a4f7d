"""`rasa run` with the HTTP API token taken from RASA_API_TOKEN instead of the command line,
and an apology instead of silence when the action server fails (bot/resilience.py).

Rasa reads its token only from `--auth-token`, and a command line is visible to every user of
the machine (`ps`); this process's own argv list is not, so the token is added there.
"""
import os
import sys


def rasa_argv(args, token: str) -> list:
    """`rasa` with our arguments and the token. One `--auth-token=…` word: a random token may start
    with "-", which argparse would take for an option if it stood alone."""
    return ["rasa", *args, f"--auth-token={token}"]


def main() -> None:
    token = os.environ.get("RASA_API_TOKEN")
    if not token:
        sys.exit("RASA_API_TOKEN is not set: the Rasa HTTP API would be open to anyone who reaches the port.")
    sys.argv = rasa_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main

    from bot import rasa_performance

    rasa_performance.install()  # per-message work Rasa 3.6 repeats for nothing, done once
    from bot import resilience

    resilience.install()
    rasa_main()


if __name__ == "__main__":
    main()
