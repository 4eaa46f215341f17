"""Start-up benchmark for smpcare: whole-process runs, medians, ratios to ``python -c pass``.

Run it from the environment smpcare is installed in:

    python bench/startup.py [--runs 21] [--no-scale]

Each command runs ``--runs`` times (after three warm-up runs that also fill the guideline
cache), interleaved so that drift on the machine affects every command alike. The report gives
each median and its ratio to ``python -c pass`` measured in the same run, checks the targets,
and exits 1 if any is missed. The scale section generates 50 sources x 30 rules and plans a
10-session course with them, against the bundled single-session plan, and measures the
engine alone at two sizes to show that its cost grows linearly in days x topics x sources.
"""

from __future__ import annotations

import argparse
import os
import platform
import pty
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

MINIMAL_TYPER_APP = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
"""

# (label, target ratio to python -c pass or None)
TARGETS = {
    "today --format json": 7.0,
    "completion (Tab after 'smpcare ')": 6.0,
    "today (table, on a terminal)": 10.0,
    "when shampoo (table, on a terminal)": 10.0,
    "plan (summary table, to a file)": 12.0,
    "plan --detail (table, to a file)": 20.0,
    "--help": 12.0,
    "--version": 6.0,  # the completion budget: it must not load more than completion does
}

TOPICS = [
    "wetting",
    "shampoo",
    "sweating",
    "sun-exposure",
    "sunscreen",
    "headwear",
    "shaving",
    "touching",
    "scratching",
    "exfoliation",
    "irritants",
    "tanning",
    "sauna-steam",
    "swimming",
    "moisturize",
    "ointment",
    "hydration",
    "rest",
    "topical-products",
    "alcohol-caffeine",
    "blood-thinners",
]
LEVELS = ["avoid", "limit", "allowed", "recommended"]


def smpcare_command() -> list[str]:
    script = Path(sys.executable).parent / ("smpcare.exe" if os.name == "nt" else "smpcare")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smpcare"]


def generate(folder: Path, sources: int, rules: int, seed: int = 7) -> None:
    """``sources`` guideline files of ``rules`` rules each, with plausible windows."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(sources):
        lines = [
            "source:",
            f"  id: gen{n:03d}",
            f"  title: Generated source {n}",
            "  publisher: benchmark",
            "  session_day: 0",
            "rules:",
        ]
        for _ in range(rules):
            start = rng.randint(0, 20)
            end = "null" if rng.random() < 0.25 else str(start + rng.randint(0, 14))
            lines += [
                f"  - topic: {rng.choice(TOPICS)}",
                f"    advice: {rng.choice(LEVELS)}",
                f"    from: {start}",
                f"    to: {end}",
                "    note: Generated advice.",
                "    quote: Generated quote.",
            ]
        (folder / f"gen{n:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


TERMINAL = "terminal"  # a case whose output goes to a pseudo-terminal, as in a shell


def run_once(cmd: list[str], env: dict, stdout) -> float:
    if stdout == TERMINAL:
        return run_on_terminal(cmd, env)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run_on_terminal(cmd: list[str], env: dict, columns: int = 80, rows: int = 50) -> float:
    """One run with stdout on a pseudo-terminal of ``columns`` x ``rows`` (colour, rich's
    terminal path); a thread drains it so that the program never blocks on a full buffer."""
    import fcntl
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def drain() -> None:
        try:
            while os.read(main, 65536):
                pass
        except OSError:  # the child side closed
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    subprocess.run(
        cmd,
        env={**env, "TERM": "xterm-256color"},
        stdout=child,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    elapsed = time.perf_counter() - start
    os.close(child)
    reader.join(timeout=5)
    os.close(main)
    return elapsed


def measure(cases: dict[str, tuple[list[str], dict]], runs: int, sink) -> dict[str, float]:
    def out(label: str):
        return TERMINAL if "on a terminal" in label else sink

    for label, (cmd, env) in cases.items():  # warm-up: bytecode, the guideline cache, OS caches
        for _ in range(3):
            run_once(cmd, env, out(label))
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, (cmd, env) in cases.items():
            times[label].append(run_once(cmd, env, out(label)))
    return {label: statistics.median(t) for label, t in times.items()}


def engine_cost(guideline_dir: Path, sessions: list[date], repeat: int = 5) -> tuple[float, int]:
    """Median in-process time of build_plan, and its days x topics x sources."""
    from smpcare.engine import build_plan
    from smpcare.loader import load_paths

    guidelines = load_paths([guideline_dir])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        plan = build_plan(guidelines, sessions)
        times.append(time.perf_counter() - start)
    cells = len(plan.days) * len(guidelines.topics()) * len(guidelines.sources)
    return statistics.median(times), cells


def session_costs(counts: list[int]) -> list[tuple[int, float, float]]:
    """Median in-process time of a plan with its key dates, and of today, for courses of
    ``counts`` sessions two weeks apart: both should grow linearly with the sessions."""
    from smpcare.engine import build_plan, key_dates, today_report
    from smpcare.loader import bundled_dir, load_paths

    guidelines = load_paths([bundled_dir()])
    out = []
    for count in counts:
        course = [date(1950, 1, 2) + timedelta(days=14 * i) for i in range(count)]
        on = course[count // 2] + timedelta(days=3)
        plans, todays = [], []
        for _ in range(3):
            start = time.perf_counter()
            key_dates(build_plan(guidelines, course))
            plans.append(time.perf_counter() - start)
            start = time.perf_counter()
            today_report(guidelines, course, on)
            todays.append(time.perf_counter() - start)
        out.append((count, statistics.median(plans), statistics.median(todays)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per command (>= 15)")
    parser.add_argument("--no-scale", action="store_true", help="skip the scale section")
    args = parser.parse_args()
    runs = max(args.runs, 15)

    work = Path(tempfile.mkdtemp(prefix="smpcare-bench-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "COLUMNS")
    }
    env["SMPCARE_HOME"] = str(work / "home")  # a cache of its own, filled by the warm-up
    app = work / "minimal_typer_app.py"
    app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    smp = smpcare_command()
    complete = {
        **env,
        "_SMPCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "smpcare ",
        "COMP_CWORD": "1",
    }
    one = ["--session", "2024-05-01"]
    cases = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "minimal Typer app": ([sys.executable, str(app), "--name", "x"], env),
        "--help": ([*smp, "--help"], env),
        "--version": ([*smp, "--version"], env),
        "completion (Tab after 'smpcare ')": (smp, complete),
        "today --format json": (
            [*smp, "today", *one, "--on", "2024-05-06", "--format", "json"],
            env,
        ),
        "today (table, on a terminal)": ([*smp, "today", *one, "--on", "2024-05-06"], env),
        "when shampoo (table, on a terminal)": (
            [*smp, "when", "shampoo", *one, "--on", "2024-05-06"],
            env,
        ),
        "plan (summary table, to a file)": ([*smp, "plan", *one], env),
        "plan --detail (table, to a file)": ([*smp, "plan", *one, "--detail"], env),
        "plan --format json": ([*smp, "plan", *one, "--format", "json"], env),
        "compare-sources (table, to a file)": ([*smp, "compare-sources"], env),
    }
    gen = work / "generated"
    course = [date(2024, 5, 1) + timedelta(days=14 * i) for i in range(10)]
    if not args.no_scale:
        generate(gen, sources=50, rules=30)
        cases["scale: plan, 50 sources x 30 rules, 10 sessions"] = (
            smp
            + ["plan", "--guidelines", str(gen)]
            + [a for d in course for a in ("--session", d.isoformat())],
            env,
        )

    print(f"smpcare start-up benchmark: {runs} runs each, median, after 3 warm-up runs")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    import typer

    print(f"typer {typer.__version__}; smpcare: {' '.join(smp)}")
    print()
    with open(work / "out.txt", "w") as sink:
        medians = measure(cases, runs, sink)
    base = medians["python -c pass"]
    failed = []
    print(f"{'command':<52} {'median':>9} {'ratio':>7}  target")
    for label, median in medians.items():
        ratio = median / base
        target = TARGETS.get(label)
        verdict = ""
        if target is not None:
            ok = ratio <= target
            verdict = f"<= {target:g}x  {'ok' if ok else 'MISSED'}"
            if not ok:
                failed.append(label)
        print(f"{label:<52} {median * 1000:7.1f}ms {ratio:6.1f}x  {verdict}")

    if not args.no_scale:
        label = "scale: plan, 50 sources x 30 rules, 10 sessions"
        scale = medians[label] / medians["plan (summary table, to a file)"]
        ok = scale <= 3.0
        if not ok:
            failed.append(label)
        print(
            f"\nscale: {scale:.2f}x the bundled single-session plan (target <= 3x)"
            f"  {'ok' if ok else 'MISSED'}"
        )
        small = work / "generated-small"
        generate(small, sources=25, rules=30)
        print("engine alone (build_plan, in-process), two sizes:")
        print(f"  {'size':<36} {'days x topics x sources':>24} {'time':>9} {'per cell':>10}")
        for name, folder, sessions in (
            ("25 sources x 30 rules, 5 sessions", small, course[:5]),
            ("50 sources x 30 rules, 10 sessions", gen, course),
        ):
            seconds, cells = engine_cost(folder, sessions)
            print(
                f"  {name:<36} {cells:>24,} {seconds * 1000:7.1f}ms {seconds / cells * 1e6:8.2f}us"
            )
        print("cost per session (bundled sources, in-process; the command line takes at most 50):")
        print(f"  {'sessions':>8} {'plan + key dates':>17} {'per session':>12} {'today':>9}")
        for count, seconds, today_seconds in session_costs([10, 100, 1000]):
            print(
                f"  {count:>8} {seconds * 1000:15.1f}ms {seconds / count * 1000:10.2f}ms "
                f"{today_seconds * 1000:7.1f}ms"
            )
    print()
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
