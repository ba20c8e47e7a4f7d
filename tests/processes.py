"""Starting and stopping the real servers the end-to-end and scale tests talk to."""
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 300, log: Optional[Path] = None) -> None:
    """Waits for `url` to answer 2xx; fails at once, with the log's end, if the process exits."""

    def log_tail() -> str:
        return f":\n{log.read_text()[-4000:]}" if log else ""

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode} while starting{log_tail()}")
        try:
            if requests.get(url, timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout} s{log_tail()}")


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGINT, then SIGKILL if it has not exited after `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
