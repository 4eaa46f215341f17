"""Hostile guideline files, run as a user would: `check`, `--guidelines` and `sources add`.

Each case is a sheet (and whatever lies beside it) built to break a promise: write or delete
outside the data directory, reach the terminal with an escape sequence, crash, hang or run
away with memory or output. Every command must end in its coded lines (the problems, then one
summary line) or one error line, with the right exit status, nothing created or removed outside
the data directory, and no byte below 0x20 but the newline on either stream.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import FIXTURES
from smpcare.errors import one_line

CLINIC = (FIXTURES / "valid" / "clinic.yaml").read_text(encoding="utf-8")
TEXT = (FIXTURES / "valid" / "clinic.txt").read_bytes()
COMMANDS = ("check", "--guidelines", "sources add")


class Case(NamedTuple):
    """A folder ``in/`` holding the sheet; ``build`` may add files beside it."""

    sheet: bytes | None  # None: build makes the sheet itself
    code: str  # the code every command reports
    line: int | None = None  # the problem's line, when there is one
    build: Callable[[Path], None] | None = None
    name: str = "sheet.yaml"
    commands: tuple[str, ...] = COMMANDS


def edit(old: str, new: str) -> bytes:
    assert old in CLINIC
    return CLINIC.replace(old, new, 1).encode("utf-8")


def with_text(build: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "clinic.txt").write_bytes(TEXT)
        if build:
            build(folder)

    return make


def linked_text(folder: Path) -> Path:
    """A copy of the sheet's text in another folder (it could be any file the user reads)."""
    target = folder / "private.txt"
    target.write_bytes(TEXT)
    return target


def fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def billion_laughs() -> bytes:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    body = "\n".join(lines) + "\n"
    return ((body + "# " + "x" * 78 + "\n") * (108_000 // (len(body) + 81))).encode()  # ~108 KB


def many_problems() -> bytes:
    rules = "".join(
        f"  - topic: nope{i}\n    advice: avoid\n    from: 0\n    to: 1\n"
        f"    note: n\n    quote: q\n"
        for i in range(150)
    )
    return (
        "source:\n  id: many\n  title: Many\n  publisher: P\n  session_day: 0\nrules:\n" + rules
    ).encode()


def sheet(*, topics: int = 0, rules: list[tuple[str, str]]) -> bytes:
    """A schema-2 sheet with ``topics`` own topics (t0, t1, ...) and a rule avoiding each
    (topic, note) from the session day for ten years."""
    lines = ["schema: 2", "source:", "  id: big", "  title: Big", "  publisher: P"]
    lines += ["  session_day: 0", "topics:" if topics else "topics: []"]
    for i in range(topics):
        lines += [f"  - id: t{i}", f"    label: topic {i}", f"    covers: thing {i}"]
    lines.append("rules:")
    for topic, note in rules:
        lines += [f"  - topic: {topic}", "    advice: avoid", "    from: 0", "    to: 3650"]
        lines += [f"    note: {note}", "    quote: q"]
    return ("\n".join(lines) + "\n").encode()


CASES: dict[str, Case] = {
    # -- the cases the issue found ------------------------------------------------------------
    "text climbs out of the data directory": Case(
        edit("text: clinic.txt", "text: ../../../../.bash_aliases"), "G118", 5, with_text()
    ),
    "text takes the journal's place": Case(
        edit("text: clinic.txt", "text: ../sessions.json"), "G118", 5, with_text()
    ),
    "text is a guideline file": Case(
        edit("text: clinic.txt", "text: notes.yaml"),
        "G118",
        5,
        lambda f: (f / "notes.yaml").write_text(CLINIC),
    ),
    "id poses as a bundled source with a line break": Case(
        edit("id: clinic", 'id: "smusa\\n"'), "G111", 2, with_text()
    ),
    "a 5,000-character id": Case(edit("id: clinic", "id: " + "a" * 5000), "G128", 2, with_text()),
    "title clears the screen": Case(
        edit("title: Our Clinic's Aftercare Sheet", 'title: "\\e[2J\\e[H"'), "G113", 3, with_text()
    ),
    "note retitles the window (OSC)": Case(
        edit("note: No gym.", 'note: "\\e]0;owned\\a"'), "G113", 24, with_text()
    ),
    "quote hides a link (OSC 8)": Case(
        edit(
            'quote: "No gym for a week"',
            'quote: "\\e]8;;https://example.invalid\\e\\\\No gym\\e]8;;\\e\\\\"',
        ),
        "G113",
        25,
        with_text(),
    ),
    "topic rings the bell": Case(
        edit("topic: sweating", 'topic: "sweating\\a"'), "G113", 20, with_text()
    ),
    "note returns the carriage": Case(
        edit("note: No gym.", 'note: "Train now\\rNo gym."'), "G113", 24, with_text()
    ),
    "note reverses the text (U+202E)": Case(
        edit("note: No gym.", 'note: "No \\u202emyg"'), "G113", 24, with_text()
    ),
    "text names a NUL": Case(edit("text: clinic.txt", 'text: "a\\0b"'), "G113", 5, with_text()),
    "a list 30,000 deep": Case(b"- " * 30_000 + b"x\n", "G115", 1),
    "to: 10000000": Case(edit("to: 5", "to: 10000000"), "G117", 11, with_text()),
    "text: /dev/zero": Case(edit("text: clinic.txt", "text: /dev/zero"), "G118", 5),
    "text names a FIFO": Case(
        edit("text: clinic.txt", "text: pipe.txt"), "G119", 5, fifo("pipe.txt")
    ),
    "108 KB of aliases": Case(billion_laughs(), "G116", 1),
    "a file name that is not UTF-8": Case(
        edit("advice: avoid", "advice: never"),
        "G107",
        9,
        with_text(),
        name=os.fsdecode(b"clinic\xff.yaml"),
    ),
    "sources add of a folder": Case(
        None, "E220", None, lambda f: (f / "sheet.yaml").mkdir(), commands=("sources add",)
    ),
    # -- our own attacks ----------------------------------------------------------------------
    "a tag that would run a command": Case(
        edit("session_day: 1", 'session_day: !!python/object/apply:os.system ["touch ../pwned"]'),
        "G105",
        6,
        with_text(),
    ),
    "an escape sequence in a key": Case(
        edit("  session_day: 1", '  session_day: 1\n  "\\e[31mred\\e[0m": 1'),
        "G103",
        7,
        with_text(),
    ),
    "text through a symlink to a device": Case(
        edit("text: clinic.txt", "text: zero.txt"),
        "G119",
        5,
        lambda f: (f / "zero.txt").symlink_to("/dev/zero"),
    ),
    "text through a symlink to a file elsewhere": Case(
        edit("text: clinic.txt", "text: elsewhere.txt"),
        "G119",
        5,
        lambda f: (f / "elsewhere.txt").symlink_to(linked_text(f.parent / "user")),
    ),
    "text names a folder": Case(
        edit("text: clinic.txt", "text: notes"), "G119", 5, lambda f: (f / "notes").mkdir()
    ),
    "text climbs out with backslashes": Case(
        edit("text: clinic.txt", "text: '..\\\\..\\\\evil.txt'"), "G118", 5, with_text()
    ),
    "text is a hidden file of the data directory": Case(
        edit("text: clinic.txt", "text: .sessions.json.lock"), "G118", 5, with_text()
    ),
    "the sheet is a FIFO": Case(None, "G119", 1, fifo("sheet.yaml")),
    "a sheet over 1 MB": Case(
        CLINIC.encode() + b"#" + b"x" * 1_000_000 + b"\n", "G114", 1, with_text()
    ),
    "a text over 1 MB": Case(
        edit("text: clinic.txt", "text: big.txt"),
        "G114",
        5,
        lambda f: (f / "big.txt").write_bytes(b"dry " * 300_000),
    ),
    "a 5,000-digit day": Case(edit("from: 1", "from: 1" + "0" * 5000), "G105", 10, with_text()),
    "a file name with an escape and a line break": Case(
        edit("advice: avoid", "advice: never"), "G107", 9, with_text(), name="evil\x1b[2J\n.yaml"
    ),
    "UTF-16 with a byte-order mark": Case(CLINIC.encode("utf-16"), "G100", 1),
    "two documents in one file": Case(
        CLINIC.encode() + b"---\n" + CLINIC.encode(), "G101", None, with_text()
    ),
    "150 problems": Case(many_problems(), "G106", None),
    # -- a small sheet that would make a huge plan -------------------------------------------
    "a 900 KB note on a ten-year rule": Case(
        sheet(rules=[("sweating", "n" * 900_000)]), "G128", 13
    ),
    "300 own topics": Case(sheet(topics=300, rules=[("t0", "n")]), "G129", 8),
    "10,000 rules": Case(sheet(rules=[("sweating", "n")] * 10_000), "G129", 9),
}


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    """Every path under ``root`` but ``skip``, with what it is and a hash of its bytes."""
    seen: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d != skip]
        for name in dirs + files:
            path = here / name
            key = os.fsdecode(path.relative_to(root))
            if path.is_symlink() or not path.is_file():
                seen[key] = "link" if path.is_symlink() else "other"
            else:
                seen[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def run_smpcare(command: str, sheet: Path, work: Path) -> subprocess.CompletedProcess[bytes]:
    args = {
        "check": ["check", sheet],
        "--guidelines": ["plan", "-s", "2024-05-01", "--guidelines", sheet],
        "sources add": ["sources", "add", sheet],
    }[command]
    env = {
        **os.environ,
        "SMPCARE_HOME": str(work / "home"),
        "HOME": str(work / "user"),
        "COLUMNS": "100",
    }
    return subprocess.run(
        [sys.executable, "-m", "smpcare", *args],
        cwd=work / "in",
        env=env,
        capture_output=True,
        timeout=20,
        check=False,
    )


@pytest.mark.parametrize(
    ("case", "command"),
    [
        pytest.param(case, command, id=f"{name} / {command}")
        for name, case in CASES.items()
        for command in case.commands
    ],
)
def test_a_hostile_file_ends_in_coded_lines_and_touches_nothing_outside(tmp_path, case, command):
    work = tmp_path / "work"
    for folder in ("in", "user", "home"):
        (work / folder).mkdir(parents=True)
    sheet = work / "in" / case.name
    if case.build:
        case.build(work / "in")
    if case.sheet is not None:
        sheet.write_bytes(case.sheet)
    before = snapshot(work, skip=work / "home")

    result = run_smpcare(command, sheet, work)

    assert result.returncode == (2 if case.code.startswith("E") else 1), result.stderr
    assert result.stdout == b""
    for stream in (result.stdout, result.stderr):
        assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", stream), stream[:300]
    assert b"Traceback" not in result.stderr
    lines = result.stderr.decode("utf-8").splitlines()
    summary = lines[-1]
    if case.code.startswith("G"):
        shown = one_line(str(sheet))
        problems = [line for line in lines[:-1] if not line.startswith("... and ")]
        assert problems and all(line.startswith(f"{shown}:") for line in problems), lines[:3]
        assert all(re.match(r".*?:\d+: [GW]\d{3} ", line) for line in problems), lines[:3]
        assert len(lines) <= 102  # at most 100 problems, a count of the rest, the summary
        assert case.code in problems[0]
        if case.line is not None:
            assert problems[0].startswith(f"{shown}:{case.line}: {case.code} "), problems[0]
        assert summary.startswith("smpcare: error G000: ")
    else:
        assert lines == [summary]
        assert summary.startswith(f"smpcare: error {case.code}: ")
    assert snapshot(work, skip=work / "home") == before
    sources = work / "home" / "sources"
    assert not sources.exists() or all(p.name.startswith(".") for p in sources.iterdir())


def test_150_problems_print_the_first_100_then_a_count(tmp_path):
    work = tmp_path / "work"
    for folder in ("in", "user", "home"):
        (work / folder).mkdir(parents=True)
    sheet = work / "in" / "many.yaml"
    sheet.write_bytes(many_problems())
    lines = run_smpcare("check", sheet, work).stderr.decode().splitlines()
    assert len(lines) == 102
    assert lines[100:] == [
        "... and 50 more problems",
        "smpcare: error G000: 150 problems in guideline files.",
    ]


@pytest.mark.parametrize(
    ("length", "problem"),
    [
        (2000, None),
        (
            2001,
            "G128 rules[0].note is 2,001 characters long; a guideline value holds at most 2,000",
        ),
    ],
)
def test_a_value_of_up_to_2000_characters_is_taken(tmp_path, length, problem):
    path = tmp_path / "sheet.yaml"
    path.write_bytes(sheet(rules=[("sweating", "n" * length)]))
    result = subprocess.run(
        [sys.executable, "-m", "smpcare", "check", path], capture_output=True, check=False
    )
    assert result.returncode == (1 if problem else 0), result.stderr
    assert problem is None or f"{path}:13: {problem} " in result.stderr.decode()


def test_a_plan_beyond_its_size_is_one_coded_line(tmp_path):
    """Fifty own topics, each avoided for ten years with a 2,000-character note: a sheet of
    110 KB within every limit, whose plan repeats those notes on every day for ten years."""
    rules = [(f"t{i}", "n" * 2000) for i in range(50)]
    path = tmp_path / "sheet.yaml"
    path.write_bytes(sheet(topics=50, rules=rules))

    def smpcare(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "smpcare", *args], capture_output=True, timeout=60, check=False
        )

    assert smpcare("check", str(path)).returncode == 0
    for args in (["--guidelines", str(path)], []):
        if not args:
            assert smpcare("sources", "add", str(path)).returncode == 0
        for fmt in ("json", "table", "ics"):
            result = smpcare("plan", "-s", "2024-05-01", "-f", fmt, *args)
            assert (result.returncode, result.stdout) == (1, b"")
            err = result.stderr.decode()
            assert err.count("\n") == 1 and re.fullmatch(
                r"smpcare: error E218: this plan would repeat about [\d,]+ characters of advice "
                r"\([\d,]+ days, 6 sources: each rule's words on every day it covers\), more than "
                r"the 200,000,000 a plan holds\. Plan fewer sessions, leave out a source with "
                r"--source, or ask the clinic for shorter windows and notes on its sheet\.\n",
                err,
            ), err
    assert smpcare("plan", "-s", "2024-05-01", "--source", "smusa", "-f", "json").returncode == 0
    assert smpcare("today", "-s", "2024-05-01", "--on", "2024-05-03").returncode == 0


def test_a_symlinked_text_is_refused_without_showing_what_it_leads_to(tmp_path):
    work = tmp_path / "work"
    for folder in ("in", "user", "home"):
        (work / folder).mkdir(parents=True)
    secret = work / "user" / "secret"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (work / "in" / "clinic.txt").symlink_to(secret)
    sheet = work / "in" / "clinic.yaml"
    sheet.write_text(CLINIC)
    result = run_smpcare("check", sheet, work)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{sheet}:5: G119 source.text 'clinic.txt' is a symbolic link; put the text file "
        "itself beside the guideline file",
        "smpcare: error G000: 1 problem in guideline files.",
    ]
