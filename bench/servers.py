"""Starting, probing and stopping the two assistants the benchmark compares, on free loopback ports.

Ours is started exactly as `make run` starts it: `python -m bot.run` (which starts the action
server, the Rasa server and the web front with bot/run.py's own commands). The stock bot (the
`rasa init` assistant) is started with a plain `rasa run` in its own folder.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> List[int]:
    """The direct children of a process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces, so split after its closing parenthesis.
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def command_line(pid: int) -> List[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def peak_memory_mb(pid: int) -> Optional[float]:
    """VmHWM (the peak resident set size) of a running process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cpu_seconds(pid: int) -> Optional[float]:
    """User plus system CPU time a running process has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


@dataclass
class RunningBot:
    """One started assistant: its top process, its REST URL and the server processes to watch."""
    name: str
    process: subprocess.Popen
    rest_url: str
    probe_message: str
    probe_expects: str  # a word of the right answer (not of an apology)
    log_path: Path
    spawned_at: float
    servers: Dict[str, int] = field(default_factory=dict)  # role -> pid
    startup_s: Optional[float] = None

    def wait_for_first_reply(self, timeout: float) -> float:
        """Sends the probe message until a non-empty reply comes; returns seconds since spawn."""
        deadline = self.spawned_at + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} while starting; see {self.log_path}")
            try:
                response = requests.post(self.rest_url, json={"sender": "bench-startup", "message": self.probe_message}, timeout=30)
                if response.status_code == 200 and self.probe_expects in " ".join(m.get("text") or "" for m in response.json()):
                    self.startup_s = time.monotonic() - self.spawned_at
                    return self.startup_s
            except (requests.ConnectionError, requests.Timeout, ValueError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"{self.name} gave no reply within {timeout} s; see {self.log_path}")

    def cpu_seconds(self) -> Dict[str, Optional[float]]:
        return {role: cpu_seconds(pid) for role, pid in self.servers.items()}

    def peak_memory(self) -> Dict[str, Optional[float]]:
        return {role: peak_memory_mb(pid) for role, pid in self.servers.items()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_ours(model: Path, work: Path, env: Dict[str, str]) -> RunningBot:
    """`python -m bot.run` on free ports, with its tracker store (SQL on SQLite, as in production by default) in `work`."""
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    log_path = work / "ours.log"
    with open(log_path, "w") as log:
        spawned_at = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.run", "--model", str(model), "--rasa-port", str(rasa_port),
             "--action-port", str(action_port), "--web-port", str(web_port),
             "--public-rasa-url", f"http://127.0.0.1:{rasa_port}"],
            # The load comes over REST: on explicitly, even if the environment names the production profile.
            cwd=ROOT, env={**env, "KCN_TRACKER_DB": str(work / "tracker.db"), "KCN_REST_CHANNEL": "on"},
            stdout=log, stderr=subprocess.STDOUT)
    bot = RunningBot("ours", process, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                     "What is K-City Network?", "smart", log_path, spawned_at)
    time.sleep(1)  # bot.run starts its three children at once
    for pid in children(process.pid):
        argv = command_line(pid)
        if "bot.rasa_server" in argv:
            bot.servers["Rasa server"] = pid
        elif "bot.action_server" in argv:
            bot.servers["action server"] = pid
        elif "bot.web" in argv:
            bot.servers["web front"] = pid
    return bot


def start_stock(project: Path, model: Path, env: Dict[str, str]) -> RunningBot:
    """The `rasa init` assistant's `rasa run` in its own folder (its default in-memory tracker store)."""
    port = free_port()
    log_path = project / "stock.log"
    with open(log_path, "w") as log:
        spawned_at = time.monotonic()
        process = subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port),
             "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    bot = RunningBot("stock", process, f"http://127.0.0.1:{port}/webhooks/rest/webhook", "hello", "Hey", log_path, spawned_at)
    bot.servers["Rasa server"] = process.pid
    return bot
