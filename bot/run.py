"""Runs the Rasa server and the action server together in the foreground.

Ctrl-C (or SIGTERM) stops both; if either exits, the other is stopped too, so a half-running
assistant never stays up unnoticed.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def commands(model: str, rasa_port: int, action_port: int, endpoints: str) -> List[List[str]]:
    return [
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
        [str(BIN / "rasa"), "run", "--model", model, "--port", str(rasa_port),
         "--credentials", str(ROOT / "credentials.yml"), "--endpoints", endpoints],
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "kcn.tar.gz"))
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    args = parser.parse_args(argv)

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in
                 commands(args.model, args.rasa_port, args.action_port, args.endpoints)]
    print(f"Starting: Rasa server on http://localhost:{args.rasa_port} (REST: /webhooks/rest/webhook, socket.io), "
          f"action server on http://localhost:{args.action_port}. Ctrl-C stops both.", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.2)
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    deadline = time.time() + 15
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGINT, -signal.SIGTERM)]
    return 0 if stopping and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
