"""The benchmark's table, our/stock ratios and targets."""
from typing import List, Optional, Tuple

# (what, level or None for all levels, limit) — from the project's issue 7.
P50_RATIO_MAX = 1.0
P95_RATIO_MAX = 1.2
MESSAGES_PER_S_MIN = 35.0
MESSAGES_PER_S_AT = 8
# Issue 17: a reply at turn 300 costs what one at turn 1 does; long conversations keep their throughput.
LONG_GROWTH_MAX = 1.3
LONG_MESSAGES_PER_S_MIN = 35.0


def _fmt(value, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}{unit}"


def level_line(level: dict) -> str:
    capped = " (time cap reached)" if level["time_capped"] else ""
    errors = f"{level['errors']} {level['error_kinds']}" if level["errors"] else "0"
    return (f"p50 {_fmt(level['p50_ms'])} ms, p95 {_fmt(level['p95_ms'])} ms, p99 {_fmt(level['p99_ms'])} ms, "
            f"{level['messages_per_s']:.1f} msg/s, {level['messages']} messages, errors {errors}{capped}")


def long_line(long: dict) -> str:
    capped = f" (time cap reached at turn {long['turns_reached']})" if long["time_capped"] else ""
    return (f"long: {long['concurrency']} x {long['turns']} turns: median first {long['window']} "
            f"{_fmt(long['first_p50_ms'])} ms, last {long['window']} {_fmt(long['last_p50_ms'])} ms "
            f"({_fmt(long['growth'], 2, 'x')}), {long['messages_per_s']:.1f} msg/s, errors {long['errors']}{capped}")


def _ratio(ours: Optional[float], stock: Optional[float]) -> Optional[float]:
    return ours / stock if ours is not None and stock else None


def targets(run: dict) -> List[Tuple[str, str, bool]]:
    """(target, measured, passed) for every target that this run can judge."""
    bots = run["bots"]
    ours, stock = bots.get("ours"), bots.get("stock")
    checks = []
    if ours and stock:
        for o, s in zip(ours["levels"], stock["levels"]):
            c = o["concurrency"]
            r50, r95 = _ratio(o["p50_ms"], s["p50_ms"]), _ratio(o["p95_ms"], s["p95_ms"])
            checks.append((f"p50 ours/stock at {c} ≤ {P50_RATIO_MAX:.1f}x", _fmt(r50, 2, "x"), r50 is not None and r50 <= P50_RATIO_MAX))
            checks.append((f"p95 ours/stock at {c} ≤ {P95_RATIO_MAX:.1f}x", _fmt(r95, 2, "x"), r95 is not None and r95 <= P95_RATIO_MAX))
    if ours:
        at = next((lv for lv in ours["levels"] if lv["concurrency"] == MESSAGES_PER_S_AT), None)
        if at:
            checks.append((f"ours ≥ {MESSAGES_PER_S_MIN:.0f} msg/s at {MESSAGES_PER_S_AT}", f"{at['messages_per_s']:.1f}",
                           at["messages_per_s"] >= MESSAGES_PER_S_MIN))
        for long in ours.get("long_conversations", []):
            if long["concurrency"] == 1:
                checks.append((f"ours: last/first 50 turns of {long['turns']} ≤ {LONG_GROWTH_MAX}x", _fmt(long["growth"], 2, "x"),
                               long["growth"] is not None and long["growth"] <= LONG_GROWTH_MAX and not long["time_capped"]))
            else:
                checks.append((f"ours ≥ {LONG_MESSAGES_PER_S_MIN:.0f} msg/s, {long['concurrency']} x {long['turns']} turns",
                               f"{long['messages_per_s']:.1f}", long["messages_per_s"] >= LONG_MESSAGES_PER_S_MIN and not long["time_capped"]))
        errors = sum(lv["errors"] for lv in ours["levels"]) + sum(lv["errors"] for lv in ours.get("long_conversations", []))
        checks.append(("ours: no errors", str(errors), errors == 0))
    return checks


def all_passed(run: dict) -> bool:
    return all(passed for _, _, passed in targets(run))


def render(run: dict) -> str:
    lines = [f"K-City Network assistant benchmark — {run['date']}, commit {run['commit']}, {run['cpus']} CPUs, "
             f"{run['questions']} questions, REST channel on loopback"]
    header = f"{'bot':<6} {'conc.':>5} {'msgs':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>7} {'errors':>6}"
    lines += ["", header, "-" * len(header)]
    for name, bot in run["bots"].items():
        for lv in bot["levels"]:
            capped = " (time cap)" if lv["time_capped"] else ""
            lines.append(f"{name:<6} {lv['concurrency']:>5} {lv['messages']:>5} {_fmt(lv['p50_ms']):>8} {_fmt(lv['p95_ms']):>8} "
                         f"{_fmt(lv['p99_ms']):>8} {lv['messages_per_s']:>7.1f} {lv['errors']:>6}{capped}")
    lines += ["", "CPU per message (ms, each server process):"]
    for name, bot in run["bots"].items():
        for lv in bot["levels"]:
            cpu = ", ".join(f"{role} {ms:.0f}" for role, ms in lv.get("cpu_ms_per_message", {}).items())
            lines.append(f"  {name:<6} {lv['concurrency']:>2} concurrent: {cpu}")
    if any(bot.get("long_conversations") for bot in run["bots"].values()):
        lines += ["", "Long conversations (median reply of the first and the last 50 turns):"]
        for name, bot in run["bots"].items():
            lines += [f"  {name:<6} {long_line(long)}" for long in bot.get("long_conversations", [])]
    lines.append("")
    for name, bot in run["bots"].items():
        memory = ", ".join(f"{role} {_fmt(mb, 0, ' MB')}" for role, mb in bot["peak_memory_mb"].items())
        training = _fmt(bot["training_s"], 0, " s") if bot["training_s"] is not None else "not measured (BENCH_TRAIN=0: models/kcn.tar.gz reused)"
        lines.append(f"{name}: start-up {bot['startup_s']:.1f} s, training {training}; peak memory: {memory}")
    ours, stock = run["bots"].get("ours"), run["bots"].get("stock")
    if ours and stock:
        lines += ["", "ours/stock:"]
        for o, s in zip(ours["levels"], stock["levels"]):
            lines.append(f"  {o['concurrency']:>2} concurrent: p50 {_fmt(_ratio(o['p50_ms'], s['p50_ms']), 2, 'x')}, "
                         f"p95 {_fmt(_ratio(o['p95_ms'], s['p95_ms']), 2, 'x')}, p99 {_fmt(_ratio(o['p99_ms'], s['p99_ms']), 2, 'x')}, "
                         f"msg/s {_fmt(_ratio(o['messages_per_s'], s['messages_per_s']), 2, 'x')}")
        lines.append(f"  start-up {_fmt(_ratio(ours['startup_s'], stock['startup_s']), 2, 'x')}, "
                     f"training {_fmt(_ratio(ours['training_s'], stock['training_s']), 2, 'x')}")
    checks = targets(run)
    if checks:
        lines += ["", "targets:"]
        lines += [f"  {'PASS' if passed else 'FAIL'}  {what}: {measured}" for what, measured, passed in checks]
    return "\n".join(lines)
