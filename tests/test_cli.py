"""The commands as a user runs them: output, exit codes, error lines."""

import json
import re
import subprocess
import sys

import pytest

from conftest import FIXTURES


def test_sources_lists_the_five_articles(run):
    result = run("sources")
    assert result.exit_code == 0
    for text in ("aftercare", "beforecare", "elka", "process", "smusa", "Day 0 is the session day"):
        assert text in result.stdout


def test_sources_json(run):
    result = run("sources", "--format", "json")
    data = json.loads(result.stdout)["sources"]
    assert [(s["id"], s["rules"]) for s in data] == [
        ("aftercare", 15),
        ("beforecare", 25),
        ("elka", 20),
        ("process", 35),
        ("smusa", 25),
    ]
    assert data[4]["title"] == "Scalp Micropigmentation: Preparation And Aftercare"


def test_check_bundled_is_clean(run):
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "OK: 5 files, 5 sources, 120 rules.\n"


def test_check_reports_every_problem_and_exits_1(run):
    result = run("check", str(FIXTURES / "invalid"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    files = len(list((FIXTURES / "invalid").glob("*.yaml")))  # one problem each
    assert len(lines) == files + 1  # then the summary
    assert lines[-1] == f"smpcare: error G000: {files} problems in guideline files."
    assert (
        f"{FIXTURES / 'invalid' / 'unknown_topic.yaml'}:9: G106 rules[0].topic 'hairdye' "
        "is not a known topic" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_check_missing_path_exits_2(run):
    result = run("check", "no/such/file.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "smpcare: error E207: no such file or folder: 'no/such/file.yaml'. "
        "Give a guideline .yaml file or a folder of them.\n"
    )


def test_today_json_contract(run):
    result = run("today", "--session", "2024-05-01", "--on", "2024-05-06", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["date"], data["sessions"], data["day"]) == ("2024-05-06", ["2024-05-01"], 5)
    shampoo = next(t for t in data["topics"] if t["topic"] == "shampoo")
    assert shampoo["advice"] == "avoid" and shampoo["conflict"] is True
    assert [(s["source"], s["advice"]) for s in shampoo["sources"]] == [
        ("aftercare", "avoid"),
        ("beforecare", "avoid"),
        ("elka", "limit"),
        ("process", "avoid"),
        ("smusa", "avoid"),
    ]
    elka = shampoo["sources"][2]
    assert elka["note"] == "Use baby shampoo or a fragrance-free shampoo only."
    assert elka["quote"].startswith("You can now take a bath, but apply baby shampoo")
    # Only topics a source speaks on that day, and only the sources that speak.
    assert "tanning" in {t["topic"] for t in data["topics"]}
    assert "topical-products" not in {t["topic"] for t in data["topics"]}


def test_today_table_answers_what_may_i_do(run):
    result = run("today", "--session", "2024-05-01", "--on", "2024-05-06", columns=80)
    assert result.exit_code == 0
    out = result.stdout
    lines = out.splitlines()
    # The day and the table first: what to avoid, limit and do, strictest first.
    assert lines[0] == (
        "Mon 6 May 2024 · Day 5 after session 1 (Wed 1 May 2024) · policy: cautious"
    )
    assert lines[2].split()[:3] == ["avoid", "≠", "shampoo"]
    assert "No shampoo; it can introduce harsh chemicals." in lines[2]
    # When each restriction lifts: the policy's date, then each source's, one line each.
    assert [
        "shampoo",
        "Thu",
        "16",
        "May",
        "≠",
        "12",
        "May",
        "8",
        "May",
        "no",
        "date",
        "16",
        "May",
        "no",
        "date",
    ] in [line.split() for line in lines]
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert len(lines) <= 50  # one 80x50 screen


def test_today_detail_adds_who_says_what_and_the_full_lift_wording(run):
    result = run("today", "-s", "2024-05-01", "--on", "2024-05-06", "--detail", columns=250)
    text = " ".join(result.stdout.split())
    assert "avoid: aftercare, beforecare, process, smusa · limit: elka" in text
    assert (
        "shampoo ≠ fine from Thu 16 May (in 10 days); earlier per beforecare (Wed 8 May); "
        "earlier per aftercare (Sun 12 May); no date from elka (its advice ends after Tue 7 "
        "May), smusa (its advice ends after Sat 11 May); ask your artist"
    ) in text
    assert "expect The skin on your scalp will most likely begin to peel. (aftercare)" in text


def test_today_markdown(run):
    result = run("today", "-s", "2024-05-01", "--on", "2024-05-07", "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Tue 7 May 2024 · Day 6 after session 1 (Wed 1 May 2024)\n")
    assert "| **avoid** | shampoo ≠ |" in result.stdout
    assert (
        "## Tomorrow (Wed 8 May)\n\n- showering and washing: still limit; fine per "
        "beforecare, elka\n"
    ) in result.stdout


def test_today_before_any_advice_and_long_after(run):
    early = run("today", "-s", "2024-05-01", "--on", "2024-01-01")
    assert early.exit_code == 0
    assert "No advice applies yet: before-care starts on Sun 28 Apr 2024." in early.stdout
    late = run("today", "-s", "2024-05-01", "--on", "2025-01-01")
    assert late.exit_code == 0
    assert "only the long-term advice below still applies" in late.stdout
    assert "sun exposure" in late.stdout


def test_today_with_no_session_says_how_to_give_one(run):
    result = run("today")
    assert result.exit_code == 2
    assert result.stderr == (
        "smpcare: error E206: no session date given and none saved. Pass --session YYYY-MM-DD "
        "(repeat it for each session), or save them once with 'smpcare session add "
        "YYYY-MM-DD'.\n"
    )


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["today", "-s", "05/06/2024"],
            "smpcare: error E202: --session '05/06/2024' is ambiguous: Mon 6 May 2024 (2024-05-06) "
            "or Wed 5 Jun 2024 (2024-06-05)? Write it as YYYY-MM-DD.\n",
        ),
        (
            ["today", "-s", "2024-05-01", "--on", "someday"],
            "smpcare: error E201: --on 'someday' is not a date smpcare understands. Use YYYY-MM-DD "
            "(2024-05-01), today, yesterday, tomorrow, '3 days ago', 'in 2 weeks', 'last friday', "
            "'next friday', '1 May 2024' or 'May 1 2024'.\n",
        ),
        (
            ["plan", "-s", "2024-05-01", "--source", "nobody"],
            "smpcare: error E203: --source 'nobody' is not a known source. Known sources: "
            "aftercare, beforecare, elka, process, smusa.\n",
        ),
        (
            ["plan", "-s", "2024-05-01", "--policy", "bravest"],
            "smpcare: error E208: --policy 'bravest' is not accepted. Use one of: cautious, "
            "majority.\n",
        ),
        (
            ["plan", "-s", "2024-05-01", "--format", "pdf"],
            "smpcare: error E208: --format 'pdf' is not accepted. Use one of: table, json, "
            "markdown, ics, html.\n",
        ),
        (
            ["today", "-s", "2024-05-01", "--prefer", "nobody"],
            "smpcare: error E203: --prefer 'nobody' is not a known source. Known sources: "
            "aftercare, beforecare, elka, process, smusa.\n",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""


def test_plan_detail_shows_phases_in_order(run):
    result = run("plan", "--session", "2024-05-01", "--detail")
    assert result.exit_code == 0
    out = result.stdout
    order = [
        out.index(t)
        for t in (
            "Before session 1 · Day -3 · Sun 28 Apr 2024",
            "Day 0 · Wed 1 May 2024",
            "Day 1–3 · Thu 2 May – Sat 4 May 2024",
            "Day 32 onward · from Sun 2 Jun 2024",
        )
    ]
    assert order == sorted(order)
    # Each phase lists what changed first, then what holds as before.
    day1 = out[out.index("Day 1–3 · Thu 2 May") : out.index("\nDay 4")]
    assert day1.index("new or changed:") < day1.index("as before:")


def test_plan_json_days_have_the_shape_of_today(run):
    plan = json.loads(run("plan", "--session", "2024-05-01", "--format", "json").stdout)
    today = json.loads(run("today", "-s", "2024-05-01", "--on", "2024-05-06", "-f", "json").stdout)
    assert plan["days"][0]["date"] == "2024-04-28" and plan["days"][0]["day"] == -3
    day5 = next(d for d in plan["days"] if d["date"] == "2024-05-06")
    assert {k: today[k] for k in day5} == day5


def test_plan_markdown_and_policies(run):
    md = run("plan", "-s", "2024-05-01", "-f", "markdown", "--policy", "majority")
    assert md.exit_code == 0
    assert md.stdout.startswith("# Aftercare plan: Wed 1 May 2024\n")
    assert "majority: the advice most sources give" in md.stdout
    one = run("plan", "-s", "2024-05-01", "-f", "json", "--source", "elka")
    data = json.loads(one.stdout)
    assert data["policy"] == "source:elka"
    assert {s["source"] for d in data["days"] for t in d["topics"] for s in t["sources"]} == {
        "elka"
    }


def test_plan_course_warns_about_a_short_gap(run):
    result = run("plan", "-s", "2024-05-01", "-s", "2024-05-06")
    assert result.exit_code == 0
    assert (
        "warning: sessions on 2024-05-01 and 2024-05-06 are 5 days apart; aftercare says "
        "at least 11" in result.stdout.replace("\n", " ")
    )


def test_guideline_text_is_never_rich_markup(run, tmp_path):
    (tmp_path / "t.txt").write_text("Use [bold]this[/bold] and [link=x]that[/link].")
    (tmp_path / "m.yaml").write_text(
        "source:\n  id: markup\n  title: '[red]Title[/red]'\n  publisher: P\n  text: t.txt\n"
        "  session_day: 0\nrules:\n  - topic: wetting\n    advice: avoid\n    from: 0\n"
        "    to: 1\n    note: 'Keep [/bold] dry [link=x]now'\n"
        "    quote: 'Use [bold]this[/bold] and [link=x]that[/link].'\n"
    )
    result = run(
        "today",
        "-s",
        "2024-05-01",
        "--on",
        "2024-05-01",
        "--source",
        "markup",
        "--guidelines",
        str(tmp_path / "m.yaml"),
    )
    assert result.exit_code == 0, result.stderr
    assert "Keep [/bold] dry [link=x]now" in result.stdout


def test_help_lists_every_command(run):
    result = run("--help")
    for command in ("plan", "today", "sources", "check"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args,line",
    [
        (
            ["plan", "--bogus"],
            "smpcare: error E200: No such option: --bogus. See 'smpcare plan --help'.\n",
        ),
        (
            ["frobnicate"],
            "smpcare: error E200: No such command 'frobnicate'. See 'smpcare --help'.\n",
        ),
        (
            ["session", "add"],
            "smpcare: error E200: Missing argument 'DATE'. See 'smpcare session add --help'.\n",
        ),
    ],
)
def test_usage_errors_are_one_line_from_the_console_script(args, line, smpcare_home):
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "smpcare", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SMPCARE_HOME": str(smpcare_home)},
    )
    assert (out.returncode, out.stderr, out.stdout) == (2, line, "")


def test_shell_completion_lists_the_commands():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "_SMPCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "smpcare ",
        "COMP_CWORD": "1",
    }
    out = subprocess.run([sys.executable, "-m", "smpcare"], capture_output=True, text=True, env=env)
    assert out.stdout.split() == [
        "plan",
        "today",
        "when",
        "compare-sources",
        "check",
        "sources",
        "session",
    ]


def test_every_command_has_help_and_is_in_the_readme():
    from pathlib import Path

    import typer.main

    from smpcare.cli import app

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, name
        assert f"smpcare {name}" in readme, name
        for sub, subcommand in getattr(command, "commands", {}).items():
            assert subcommand.help, f"{name} {sub}"
            assert f"{name} {sub}" in readme or f"`{sub} " in readme, f"{name} {sub}"


def test_one_is_singular_everywhere(run):
    # The day before a second session: "in 1 day", and a 1-day gap warning.
    result = run("today", "-s", "2024-05-01", "-s", "2024-05-02", "--on", "2024-05-01")
    text = " ".join(result.stdout.split())
    assert "Next session: Thu 2 May 2024 (in 1 day)" in text
    assert "are 1 day apart" in text
    assert not re.search(r"\b1 days", text)
    before = run("today", "-s", "2024-05-01", "--on", "2024-04-30")
    assert before.stdout.startswith("Tue 30 Apr 2024 · 1 day before session 1 (Wed 1 May 2024)")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_installed_metadata(flag):
    from importlib.metadata import version

    out = subprocess.run([sys.executable, "-m", "smpcare", flag], capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr) == (0, f"smpcare {version('smpcare')}\n", "")


# Hostile command lines: each is refused with one coded line, never a traceback, and nothing
# typed on the command line reaches the terminal as a control character.

FIFTY_ONE = [a for i in range(51) for a in ("-s", f"2024-{i // 28 + 1:02d}-{i % 28 + 1:02d}")]
HOSTILE = [
    (["plan", "-s", "9999-12-31"], 2, "E212"),
    (["today", "-s", "2024-05-01", "--on", "9999-12-31"], 2, "E212"),
    (["plan", "-s", "1899-12-31"], 2, "E212"),
    (["plan", "-s", "2024-05-0²"], 2, "E201"),
    (["plan", "-s", "in 99999 weeks"], 2, "E212"),
    (["plan", "-s", "in " + "9" * 5000 + " days"], 2, "E212"),
    (["plan", "-s", "\x1b[2J"], 2, "E201"),
    (["plan", "-s", "\x1b]0;owned\x07"], 2, "E201"),
    (["plan", "-s", "2024-05-01\n2024-05-02"], 2, "E201"),
    (["plan", "-s", "\u202e10-50-4202"], 2, "E201"),
    (["plan", "-s", b"\xff\xfe"], 2, "E201"),
    (["plan", "-s", ""], 2, "E201"),
    (["today", "-s", "2024-05-01", "--on", ""], 2, "E201"),
    (["session", "remove", "\x1b[31m"], 2, "E201"),
    (["plan", "-s", "2024-05-01", "--source", "smusa", "--prefer", "elka"], 2, "E214"),
    (["today", "-s", "2024-05-01", "--prefer", "elka", "--source", "smusa"], 2, "E214"),
    (["plan", "-s", "2024-05-01", "--output", ""], 2, "E208"),
    (["plan", "-s", "2024-05-01", "--guidelines", ""], 2, "E208"),
    (["check", ""], 2, "E208"),
    (["sources", "add", ""], 2, "E208"),
    (["plan", "-s", "2024-05-01", "-f", "ics", "--remind", ""], 2, "E211"),
    (["plan", "-s", "2024-05-01", "-f", "ics", "--remind", "\x1b[2J"], 2, "E211"),
    (["plan", "-s", "2024-05-01", "--format", "\x1b[2J"], 2, "E208"),
    (["plan", "-s", "2024-05-01", "--format", "x" * 100_000], 2, "E208"),
    (["plan", "-s", "2024-05-01", "--policy", b"\xff"], 2, "E208"),
    (["plan", "-s", "2024-05-01", "--source", "\u202eevil"], 2, "E203"),
    (["compare-sources", "--topic", "\x1b[2J"], 2, "E205"),
    (["plan", "-s", "2000-01-01", "-s", "2024-05-01"], 2, "E213"),
    (["plan", *FIFTY_ONE], 2, "E213"),
    (["session", "add", "2024-05-01", "--note", "\x1b[31mred"], 2, "E208"),
    (["session", "add", "2024-05-01", "--note", b"caf\xe9"], 2, "E208"),
    (["session", "add", "2024-05-01", "--note", "two\nlines"], 2, "E208"),
    (["session", "add", "2024-05-01", "--note", "a\tb"], 2, "E208"),
    (["plan", "--\x1b[2J"], 2, "E200"),
    (["\x1b]0;owned\x07"], 2, "E200"),
    (["plan", "-s"], 2, "E200"),
    (["check", b"\xff.yaml"], 2, "E207"),
    (["plan", "-s", "2024-05-01", "--guidelines", "no\x1bsuch.yaml"], 2, "E207"),
    (["plan", "-s", "2024-05-01", "--output", "/nonexistent-smpcare-dir/plan.md"], 1, "E209"),
    (["plan", "-s", "2024-05-01", "--output", "."], 1, "E209"),
    (["plan", "-s", "2024-05-01", "--output", "\x1b[2J/plan.md"], 1, "E209"),
]


@pytest.fixture(scope="module")
def warm_home(tmp_path_factory):
    """One data directory with a filled guideline cache, shared by the table below."""
    import os

    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "SMPCARE_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "smpcare", "sources"], env=env, check=True, capture_output=True
    )
    return env


@pytest.mark.parametrize("args,status,code", HOSTILE, ids=[repr(a)[:60] for a, _, _ in HOSTILE])
def test_hostile_command_lines_get_one_coded_line(warm_home, tmp_path, args, status, code):
    import os

    argv = [os.fsencode(a) if isinstance(a, str) else a for a in args]
    out = subprocess.run(
        [sys.executable.encode(), b"-m", b"smpcare", *argv],
        env=warm_home,
        capture_output=True,
        cwd=tmp_path,
    )
    err = out.stderr.decode("utf-8")
    assert out.returncode == status, err
    assert err.startswith(f"smpcare: error {code}: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert out.stdout == b""
    assert all(b >= 0x20 or b == 0x0A for b in out.stderr), err
    assert list(tmp_path.iterdir()) == []  # nothing written where it was run


def test_an_escape_sequence_is_shown_not_obeyed(run):
    result = run("plan", "-s", "\x1b[2J\u202e")
    assert result.stderr.startswith(
        "smpcare: error E201: --session '\\x1b[2J\\u202e' is not a date smpcare understands."
    )


@pytest.mark.parametrize(
    "args,line",
    [
        (
            ["plan", "-s", "2024-05-01", "--source", "smusa", "--prefer", "elka"],
            "smpcare: error E214: --prefer 'elka' contradicts --source 'smusa': with one source "
            "there is no disagreement for another to win. Give one of the two.\n",
        ),
        (
            ["plan", "-s", "2024-05-01", "--output", ""],
            "smpcare: error E208: --output '' names no file. Give --output a file name, e.g. "
            "plan.ics.\n",
        ),
        (
            ["check", ""],
            "smpcare: error E208: PATH '' names no file. Give PATH a file name, e.g. "
            "clinic.yaml.\n",
        ),
        (
            ["plan", "-s", "2014-05-01", "-s", "2024-05-02"],
            "smpcare: error E213: the sessions 2014-05-01 and 2024-05-02 are 3,654 days apart; a "
            "course spans at most 3,650 days (ten years). Plan each course on its own.\n",
        ),
        (
            ["plan", *FIFTY_ONE],
            "smpcare: error E213: a course has at most 50 sessions; you gave 51. Plan each course "
            "on its own.\n",
        ),
    ],
)
def test_contradictions_and_limits_say_what_is_wrong(run, args, line):
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, line)


def test_the_same_session_twice_is_one_session(run):
    twice = [a for _ in range(60) for a in ("-s", "2024-05-01")]
    assert run("plan", *twice, "-f", "json").exit_code == 0


def test_digits_of_other_scripts_are_read_as_digits(run):
    # Arabic-Indic and fullwidth digits on purpose: they are what this test is about.
    result = run("today", "-s", "٢٠٢٤-٠٥-٠١", "--on", "２０２４-０５-０６", "-f", "json")  # noqa: RUF001
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["date"], data["sessions"]) == ("2024-05-06", ["2024-05-01"])


def write_journal(home, dates: list[str]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "sessions.json").write_text(
        json.dumps({"version": 1, "sessions": [{"date": d, "note": ""} for d in dates]})
    )


def test_a_full_course_takes_no_more_sessions(run, smpcare_home):
    saved = [f"2024-{m:02d}-{d:02d}" for m in range(1, 3) for d in range(1, 26)]
    write_journal(smpcare_home, saved)
    assert run("plan", "-f", "json").exit_code == 0  # fifty is fine
    result = run("session", "add", "2024-06-01")
    assert (result.exit_code, result.stderr) == (
        2,
        "smpcare: error E213: a course has at most 50 sessions; the saved ones are 51. "
        "Remove sessions with 'smpcare session remove DATE'.\n",
    )
    assert (
        json.loads((smpcare_home / "sessions.json").read_text())["sessions"][-1]["date"]
        == "2024-02-25"
    )


def test_a_saved_date_out_of_range_is_reported_not_planned(run, smpcare_home):
    write_journal(smpcare_home, ["2024-05-01", "9999-12-31"])
    result = run("today")
    assert result.exit_code == 1
    assert result.stderr == (  # the journal checks its dates where they are read
        f"smpcare: error J308: the journal {smpcare_home / 'sessions.json'} has session 2 on "
        "9999-12-31, outside the years smpcare accepts (1900-2200). Correct that date in the "
        "file; it was left as it is.\n"
    )


@pytest.mark.parametrize("columns", ["²", "٨٠", "99999999", "9" * 5000, "-5", ""])
def test_a_hostile_columns_value_still_gives_a_plan(warm_home, columns):
    out = subprocess.run(
        [sys.executable, "-m", "smpcare", "plan", "-s", "2024-05-01"],
        env={**warm_home, "COLUMNS": columns},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.startswith("Aftercare plan")
    assert max(len(line) for line in out.stdout.splitlines()) <= 1000


LONG_ID = "x" * 5000


@pytest.mark.parametrize(
    ("args", "exit_code", "line"),
    [
        (
            ("sources", "new", "smusa"),
            2,
            "E216: 'smusa' is the id of a bundled source; a clinic's sheet needs its own. "
            "Choose another id, e.g. 'my-clinic'.",
        ),
        (
            ("sources", "remove", LONG_ID),
            2,
            f"E203: '{'x' * 57}...' is not an installed custom source. Custom sources: none. "
            "Bundled sources cannot be removed; 'smpcare sources' lists them all.",
        ),
        (
            ("plan", "-s", "2024-05-01", "--source", LONG_ID),
            2,
            f"E203: --source '{'x' * 57}...' is not a known source. Known sources: aftercare, "
            "beforecare, elka, process, smusa.",
        ),
        (
            ("check", "{empty}"),
            2,
            "E207: no guideline files in the folder '{empty}'. Give a guideline .yaml file or "
            "a folder that holds some.",
        ),
        (
            ("plan", "-s", "2024-05-01", "--guidelines", "{empty}"),
            2,
            "E207: no guideline files in the folder '{empty}'. Give a guideline .yaml file or "
            "a folder that holds some.",
        ),
    ],
)
def test_small_refusals_say_what_and_cut_what_they_echo(
    run, tmp_path, monkeypatch, args, exit_code, line
):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a sheet")
    monkeypatch.chdir(tmp_path)
    result = run(*(a.format(empty=empty) for a in args))
    assert (result.exit_code, result.stdout) == (exit_code, "")
    assert result.stderr == f"smpcare: error {line.format(empty=empty)}\n"
    assert not (tmp_path / "smusa.yaml").exists()  # nothing written
