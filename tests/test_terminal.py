"""What a terminal shows: colour by choice, no codes when piped or with NO_COLOR, guideline
text never read as markup, wide characters aligned, ASCII where the encoding needs it, and
the everyday screens fit."""

import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from smpcare.render import table

SESSION = ("-s", "2024-05-01")

SHEET = """\
source:
  id: clinic
  title: "頭皮ケア 🙂 [bold]sheet[/bold]"
  publisher: Clinic
  text: clinic.txt
  session_day: 0
rules:
  - topic: shampoo
    advice: avoid
    from: 0
    to: 5
    note: "洗发水五天内不要用 🧴 [red]no[/red] shampoo"
    quote: "洗发水五天内不要用"
  - topic: shampoo
    advice: allowed
    from: 6
    to: null
    note: "六天后可以洗头 ✅"
    quote: "六天后可以洗头"
  - topic: sweating
    advice: avoid
    from: 0
    to: 3
    note: "Keep [/bold] dry [link=x]now — 运动 🏋"
    quote: "三天不要运动"
"""


@pytest.fixture
def clinic(tmp_path):
    (tmp_path / "clinic.txt").write_text(
        "洗发水五天内不要用。六天后可以洗头。三天不要运动。", encoding="utf-8"
    )
    path = tmp_path / "clinic.yaml"
    path.write_text(SHEET, encoding="utf-8")
    return str(path)


class FakeTTY:
    def __init__(self):
        self.text = ""
        self.encoding = "utf-8"

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    "env,choice,colour",
    [
        ({}, "auto", True),  # a terminal
        ({"NO_COLOR": "1"}, "auto", False),
        ({"TERM": "dumb"}, "auto", False),
        ({}, "never", False),
        ({"NO_COLOR": "1"}, "always", True),  # the command line wins over the environment
    ],
)
def test_a_terminal_gets_colour_unless_told_otherwise(monkeypatch, env, choice, colour):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    tty = FakeTTY()
    out = table.Out(table.console(tty, choice))
    out.print(("avoid", "bold red"), " Keep [/bold] dry [link=x]now")
    out.close(tty)
    assert ("\x1b[" in tty.text) is colour
    assert "Keep [/bold] dry [link=x]now" in tty.text  # printed as written, not as markup


@pytest.mark.parametrize(
    "args,env,colour",
    [
        (["--color", "always"], {}, True),  # for `| less -R`
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {}, False),  # piped
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_piped_output_has_no_codes_unless_asked(run, monkeypatch, args, env, colour):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for command in (
        ["plan", *SESSION],
        ["today", *SESSION, "--on", "2024-05-06"],
        ["when", "shampoo", *SESSION],
        ["compare-sources"],
        ["sources"],
    ):
        result = run(*command, *args)
        assert result.exit_code == 0, (command, result.stderr)
        assert ("\x1b[" in result.stdout) is colour, command


def test_a_bad_color_choice_is_one_line_and_exit_2(run):
    result = run("plan", *SESSION, "--color", "sometimes")
    assert result.exit_code == 2
    assert result.stderr == (
        "smpcare: error E208: --color 'sometimes' is not accepted. Use one "
        "of: auto, always, never.\n"
    )


def test_clinic_text_is_never_markup_even_in_colour(run, clinic):
    result = run(
        "today",
        *SESSION,
        "--on",
        "2024-05-02",
        "--source",
        "clinic",
        "--guidelines",
        clinic,
        "--color",
        "always",
        columns=200,
    )
    assert result.exit_code == 0, result.stderr
    assert "Keep [/bold] dry [link=x]now — 运动 🏋" in result.stdout
    assert "[red]no[/red] shampoo" in result.stdout


@pytest.mark.parametrize("width", [80, 100, 120])
def test_wide_characters_line_up_and_fit(run, clinic, width):
    """Columns after a note with CJK text and emoji start at the same display column."""
    result = run(
        "today",
        *SESSION,
        "--on",
        "2024-05-02",
        "--guidelines",
        clinic,
        "--detail",
        "--source",
        "clinic",
        columns=width,
    )
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    rows = [line for line in lines if line.startswith("avoid")]
    assert len(rows) == 2
    assert len({cell_len(line[: line.rindex("clinic")]) for line in rows}) == 1
    for command in (
        ["plan", *SESSION],
        ["when", "shampoo", "gym", *SESSION, "--quotes"],
        ["compare-sources"],
        ["sources"],
    ):
        out = run(*command, "--guidelines", clinic, columns=width).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= width, command


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_terminal_that_is_not_utf8_gets_ascii_boxes_and_glyphs(clinic, smpcare_home, encoding):
    env = {
        **os.environ,
        "SMPCARE_HOME": str(smpcare_home),
        "PYTHONIOENCODING": encoding,
        "COLUMNS": "100",
    }

    def smpcare(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "smpcare", *args], env=env, capture_output=True
        )

    for args in (
        ["plan", *SESSION],
        ["plan", *SESSION, "--detail"],
        ["today", *SESSION, "--on", "2024-05-06"],
        ["when", "shampoo", *SESSION],
        ["compare-sources"],
        ["sources"],
    ):
        out = smpcare(*args)
        assert out.returncode == 0, out.stderr
        out.stdout.decode(encoding)
        assert "Traceback" not in out.stderr.decode()
    listing = smpcare("sources").stdout.decode(encoding)
    assert "------" in listing and "|" not in listing  # the rule under a header, no frame
    plan = smpcare("plan", *SESSION).stdout.decode(encoding)
    assert "|" not in plan
    assert "█" not in plan and "#" in plan and "!=" in plan  # the strip's glyphs, the mark
    # A sheet's own words are never changed to fit: what cannot be shown ends the run.
    cjk = smpcare(
        "today", *SESSION, "--on", "2024-05-02", "--guidelines", clinic, "--source", "clinic"
    )
    assert cjk.returncode == 1 and b"error E215: standard output cannot show" in cjk.stderr


def test_plan_fits_one_screen(run):
    for width, most in ((100, 55), (120, 55), (80, 60)):
        lines = run("plan", *SESSION, columns=width).stdout.splitlines()
        assert len(lines) <= most, width
        assert max(cell_len(line) for line in lines) <= width


def test_today_fits_one_screen(run):
    for on in ("2024-05-02", "2024-05-06", "2024-05-10", "2024-05-20"):
        lines = run("today", *SESSION, "--on", on, columns=80).stdout.splitlines()
        assert len(lines) <= 50, on  # the day and its table never scroll off 80x50
        assert max(cell_len(line) for line in lines) <= 80


def test_today_quotes_show_each_sources_words(run):
    result = run("today", *SESSION, "--on", "2024-05-06", "--quotes", columns=200)
    text = " ".join(result.stdout.split())
    assert "In the sources' own words" in text
    assert (
        "elka limit “You can now take a bath, but apply baby shampoo (or fragrance free "
        "shampoo) only for a while.”" in text
    )
