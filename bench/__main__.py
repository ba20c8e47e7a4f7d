"""`make bench`: our assistant against the stock `rasa init` assistant, under the same load, in one run.

Steps (one bot at a time, loopback only, free ports, everything in a temporary folder):
1. trains our model (as `make model` does, with an empty training cache) and the stock bot
   (`rasa init`), and times both; BENCH_TRAIN=0 reuses models/kcn.tar.gz instead of training
   ours (the stock bot is always trained: `rasa init` is how it is made);
2. for each bot: starts its servers, times spawn to first reply, warms up, then sends the
   question set (bench/questions.yml) over the REST channel at each concurrency level, reads
   each server process's peak memory, and stops it;
3. prints the table, the our/stock ratios against the targets, and writes the results as JSON
   to bench/results/.

   Then long conversations: one of BENCH_LONG_TURNS turns alone, and BENCH_LONG_CONCURRENT of them at
   once (each capped at BENCH_LONG_TIME_CAP seconds): the median reply of the last 50 turns
   against the first 50's, and the throughput.

Environment: BENCH_TRAIN (1), BENCH_LEVELS ("1 8 32"), BENCH_MESSAGES (messages per level,
"100 400 800"), BENCH_TIME_CAP (seconds per level, 120), BENCH_LONG_TURNS (300),
BENCH_LONG_CONCURRENT (8), BENCH_LONG_TIME_CAP (240; 0 skips the long conversations), BENCH_BOTS ("stock ours"),
BENCH_KEEP=1 keeps the temporary folder (logs, models), BENCH_STRICT=1 exits with 1 when a
target is missed.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

import yaml

from bench import load, report
from bench.servers import BIN, ROOT, start_ours, start_stock

RESULTS = ROOT / "bench" / "results"
TODAY = "2024-02-15"  # the 2024 call's intake open, as in the end-to-end tests


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def base_env(work: Path) -> Dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
                DATABASE_URL=f"sqlite:///{work / 'knowledge.db'}", KCN_TODAY=TODAY,
                RASA_CACHE_DIRECTORY=str(work / "rasa-cache"))


def timed(command, cwd: Path, env: Dict[str, str], log: Path) -> float:
    print(f"  $ {' '.join(str(c) for c in command)}", flush=True)
    started = time.monotonic()
    with open(log, "w") as out:
        completed = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        sys.exit(f"failed ({completed.returncode}); see {log}")
    return time.monotonic() - started


def train_ours(work: Path, env: Dict[str, str]) -> float:
    """The Makefile's `rasa train`, into the temporary folder, with an empty training cache."""
    return timed([BIN / "rasa", "train", "--data", "data", "nlu/data", "nlu/reviewed", "--config", "config.yml", "--domain", "domain.yml",
                  "--out", work / "models", "--fixed-model-name", "kcn"], ROOT, env, work / "train-ours.log")


def train_stock(work: Path, env: Dict[str, str]) -> float:
    """`rasa init` creates the stock project and trains it (its own training cache, in its folder)."""
    stock_env = dict(env)
    stock_env.pop("RASA_CACHE_DIRECTORY")
    (work / "stock").mkdir()
    return timed([BIN / "rasa", "init", "--no-prompt", "--init-dir", work / "stock"], work, stock_env, work / "train-stock.log")


def measure(bot, questions, levels, budgets, time_cap: float, long_turns: int, long_concurrent: int,
            long_cap: float) -> dict:
    print(f"  started in {bot.wait_for_first_reply(timeout=600):.1f} s; warming up", flush=True)
    load.warm_up(bot.rest_url, questions)
    results = []
    for concurrency, budget in zip(levels, budgets):
        cpu_before = bot.cpu_seconds()
        level = load.run_level(bot.rest_url, questions, concurrency, budget, time_cap)
        summary = level.summary()
        cpu_after = bot.cpu_seconds()
        summary["cpu_ms_per_message"] = {
            role: round((cpu_after[role] - cpu_before[role]) * 1000 / max(1, level.sent), 1)
            for role in cpu_before if cpu_before[role] is not None and cpu_after[role] is not None}
        print(f"  {concurrency:>2} concurrent: {report.level_line(summary)}", flush=True)
        results.append(summary)
    long = []
    for conversations in (1, long_concurrent) if long_cap > 0 else ():
        measured = load.long_conversations(bot.rest_url, questions, conversations, long_turns, long_cap)
        print(f"  {report.long_line(measured)}", flush=True)
        long.append(measured)
    return {"startup_s": round(bot.startup_s, 2), "levels": results, "long_conversations": long,
            "peak_memory_mb": {k: (round(v, 1) if v else None) for k, v in bot.peak_memory().items()}}


def git_commit() -> Optional[str]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return commit + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> int:
    questions = yaml.safe_load((ROOT / "bench" / "questions.yml").read_text(encoding="utf-8"))["questions"]
    train = setting("BENCH_TRAIN", "1") != "0"
    levels = [int(x) for x in setting("BENCH_LEVELS", "1 8 32").split()]
    budgets = [int(x) for x in setting("BENCH_MESSAGES", "100 400 800").split()]
    if len(budgets) != len(levels):
        sys.exit("BENCH_MESSAGES needs one message count per level of BENCH_LEVELS")
    time_cap = float(setting("BENCH_TIME_CAP", "120"))
    bots = setting("BENCH_BOTS", "stock ours").split()
    long_turns, long_concurrent = int(setting("BENCH_LONG_TURNS", "300")), int(setting("BENCH_LONG_CONCURRENT", "8"))
    long_cap = float(setting("BENCH_LONG_TIME_CAP", "240"))

    work = Path(tempfile.mkdtemp(prefix="kcn-bench-"))
    env = base_env(work)
    started = time.monotonic()
    run = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "commit": git_commit(),
           "cpus": os.cpu_count(), "questions": len(questions), "levels": levels, "messages_per_level": budgets,
           "time_cap_s": time_cap, "trained": train, "bots": {}}
    try:
        print(f"Benchmark in {work}", flush=True)
        subprocess.run([sys.executable, "-m", "knowledge", "init"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        training = {}
        if "stock" in bots:
            print("Training the stock bot (rasa init)", flush=True)
            training["stock"] = train_stock(work, env)
        if "ours" in bots and train:
            print("Training our model (as make model does)", flush=True)
            training["ours"] = train_ours(work, env)
        our_model = work / "models" / "kcn.tar.gz" if train else ROOT / "models" / "kcn.tar.gz"

        for name in bots:
            print(f"Benchmarking {name}", flush=True)
            if name == "ours":
                bot = start_ours(our_model, work, env)
            else:
                stock_model = sorted((work / "stock" / "models").glob("*.tar.gz"))[-1]
                bot = start_stock(work / "stock", stock_model, env)
            try:
                run["bots"][name] = measure(bot, questions, levels, budgets, time_cap, long_turns, long_concurrent, long_cap)
            finally:
                bot.stop()
            run["bots"][name]["training_s"] = round(training[name], 1) if name in training else None
        run["duration_s"] = round(time.monotonic() - started, 1)
        print()
        print(report.render(run))
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n")
        print(f"\nResults: {out.relative_to(ROOT)} (whole run {run['duration_s'] / 60:.1f} min)")
        return 1 if os.environ.get("BENCH_STRICT") == "1" and not report.all_passed(run) else 0
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
