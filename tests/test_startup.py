"""Start-up guard rails: what each command path imports, and the guideline cache's freshness.

Speed itself is measured by bench/startup.py, never here.
"""

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES

PROBE = """
import sys
from smpcare.cli import main
sys.argv = ["smpcare"] + {args!r}
try:
    main()
except SystemExit:
    pass
heavy = {heavy!r}
print("LOADED:" + ",".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""
HEAVY = [
    "rich",
    "rich.console",
    "icalendar",
    "yaml",
    "dateutil.parser",
    "typer.rich_utils",
    "pydantic",
    "platformdirs",
    "pickle",
    "jinja2",
]


def loaded(args: list[str], env: dict) -> set[str]:
    code = PROBE.format(args=args, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    line = next(x for x in out.stderr.splitlines() if x.startswith("LOADED:"))
    return set(filter(None, line[len("LOADED:") :].split(",")))


@pytest.fixture
def env(smpcare_home):
    env = {**os.environ, "SMPCARE_HOME": str(smpcare_home)}
    env.pop("COLUMNS", None)
    # Fill the guideline cache once, as any earlier run would have.
    subprocess.run(
        [sys.executable, "-m", "smpcare", "sources"], env=env, check=True, capture_output=True
    )
    return env


RICH = {"rich", "rich.console", "pickle"}  # rich's tables use fractions, which loads pickle


@pytest.mark.parametrize(
    "args,allowed",
    [
        (["today", "-s", "2024-05-01", "--on", "2024-05-06", "-f", "json"], set()),
        (["when", "shampoo", "-s", "2024-05-01", "-f", "json"], set()),
        (["when", "--list", "-f", "json"], set()),
        (["plan", "-s", "2024-05-01", "-f", "json"], set()),
        (["sources", "-f", "json"], set()),
        (["session", "list", "-f", "json"], set()),
        (["plan", "-s", "2024-05-01"], RICH),  # every terminal table is laid out by rich
        (["when", "shampoo", "-s", "2024-05-01"], RICH),
        (["compare-sources"], RICH),
        (["--help"], set()),
        (["--version"], set()),
        (["plan", "-s", "2024-05-01", "-f", "ics"], {"icalendar"}),
        # jinja2 brings pickle (its bytecode cache module) with it
        (["plan", "-s", "2024-05-01", "-f", "html"], {"jinja2", "pickle"}),
    ],
)
def test_commands_load_only_what_they_need(env, args, allowed):
    assert loaded(args, env) == allowed


@pytest.mark.parametrize(
    "words",
    [
        "smpcare ",
        "smpcare plan --format ",
        "smpcare when sha",
        "smpcare compare-sources --topic ",
        "smpcare today --source ",
        "smpcare session remove ",
        "smpcare today --color ",
    ],
)
def test_completion_loads_neither_rich_nor_yaml(env, words):
    complete = {
        **env,
        "_SMPCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    assert loaded([], complete) == set()


def test_a_cold_cache_parses_yaml_and_the_next_run_does_not(smpcare_home):
    env = {**os.environ, "SMPCARE_HOME": str(smpcare_home)}
    args = ["today", "-s", "2024-05-01", "--on", "2024-05-06", "-f", "json"]
    assert "yaml" in loaded(args, env)
    assert "yaml" not in loaded(args, env)


def write_source(path, advice: str, note: str) -> None:
    path.write_text(
        "source:\n  id: edited\n  title: Edited\n  publisher: Tests\n  text: edited.txt\n"
        "  session_day: 0\nrules:\n  - topic: wetting\n    advice: " + advice + "\n"
        "    from: 0\n    to: 3\n    note: " + note + "\n    quote: Keep it dry.\n"
    )


def test_an_edited_guideline_file_changes_the_very_next_answer(run, tmp_path):
    (tmp_path / "edited.txt").write_text("Keep it dry.")
    source = tmp_path / "edited.yaml"
    args = (
        "today",
        "-s",
        "2024-05-01",
        "--on",
        "2024-05-02",
        "-f",
        "json",
        "--source",
        "edited",
        "--guidelines",
        str(source),
    )

    def wetting():
        data = json.loads(run(*args).stdout)
        [topic] = data["topics"]
        return topic["advice"], topic["sources"][0]["note"]

    write_source(source, "avoid", "Dry.")
    assert wetting() == ("avoid", "Dry.")
    write_source(source, "limit", "Damp.")  # same size and all: only the content differs
    assert wetting() == ("limit", "Damp.")


def test_an_edited_article_text_is_checked_again(run, tmp_path):
    (tmp_path / "edited.txt").write_text("Keep it dry.")
    source = tmp_path / "edited.yaml"
    write_source(source, "avoid", "Dry.")
    args = ("sources", "--guidelines", str(source))
    assert run(*args).exit_code == 0
    (tmp_path / "edited.txt").write_text("Keep it wet.")
    result = run(*args)
    assert result.exit_code == 1
    assert f"{source}:13: G109" in result.stderr


def test_a_new_custom_source_appears_without_clearing_anything(run):
    assert "clinic" not in run("sources").stdout
    run("sources", "add", str(FIXTURES / "valid" / "clinic.yaml"))
    assert "clinic" in run("sources").stdout


def test_a_corrupt_cache_is_rebuilt(run, smpcare_home):
    assert run("sources").exit_code == 0
    [cache] = (smpcare_home / "cache").iterdir()
    cache.write_bytes(b"\x00garbage")
    result = run("sources", "-f", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["sources"]) == 5
