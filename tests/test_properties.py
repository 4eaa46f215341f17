"""Property tests for what comes from outside: guideline files and the journal.

Whatever the bytes, ``check`` ends with exit 0 or 1 and only coded lines, and the journal
either loads or refuses with a J-coded error, leaving the file as it was.
"""

import json
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES
from smpcare import journal
from smpcare.cli import app
from smpcare.errors import SmpcareError, one_line

CLINIC = (FIXTURES / "valid" / "clinic.yaml").read_bytes()
TEXT = (FIXTURES / "valid" / "clinic.txt").read_bytes()
RUNNER = CliRunner()
# The autouse data-directory fixture is function-scoped; these tests never touch it.
# SMPCARE_EXAMPLES=5000 searches harder.
SETTINGS = settings(
    max_examples=int(os.environ.get("SMPCARE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

YAML_PIECES = st.sampled_from(
    [
        b"- ",
        b": ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"\n",
        b"  ",
        b"\t",
        b"&a ",
        b"*a",
        b"? ",
        b"|",
        b">",
        b"---\n",
        b"...\n",
        b"#",
        b"'",
        b'"',
        b"!!python/object/apply:os.system [x]",
        b"!!binary ",
        b'"\\e[2J"',
        b'"\\u202e"',
        b'"\\0"',
        b"99999999999",
        b"-1",
        b"1e400",
        b"null",
        b"~",
        b"text: ../x",
        b"text: /dev/zero",
        b"id: SMUSA",
        b"from: ",
        b"to: ",
        b"\xff",
        b"\xed\xa0\x80",
        b"\x1b",
        b"\xef\xbb\xbf",
        "é🙂".encode(),
    ]
)


@st.composite
def mutated_sheet(draw: st.DrawFn) -> bytes:
    """The valid clinic sheet with a few random insertions, deletions and replacements."""
    data = bytearray(CLINIC)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        end = min(len(data), at + draw(st.integers(0, 12)))
        piece = draw(YAML_PIECES | st.binary(max_size=6))
        data[at:end] = piece if draw(st.booleans()) else b""
        if not draw(st.booleans()):
            data[at:at] = piece
    return bytes(data)


def check_lines(sheet: bytes) -> tuple[int, list[str], str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.yaml"
        path.write_bytes(sheet)
        (Path(folder) / "clinic.txt").write_bytes(TEXT)
        result = RUNNER.invoke(app, ["check", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        shown = re.escape(one_line(str(path)))
        return result.exit_code, result.stderr.splitlines(), shown


def assert_coded(code: int, lines: list[str], shown: str) -> None:
    assert code in (0, 1)
    if code == 1:
        assert lines[-1].startswith("smpcare: error G000: ")
        lines = lines[:-1]
    for line in lines:
        assert re.match(rf"{shown}:\d+: [GW]\d{{3}} ", line) or re.match(
            r"\.\.\. and \d+ more problems?$", line
        ), line
        assert not re.search(
            r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", line
        ), line


@SETTINGS
@given(st.binary(max_size=3000) | st.lists(YAML_PIECES, max_size=60).map(b"".join))
def test_check_of_any_bytes_is_exit_0_or_1_with_coded_lines(smpcare_home, sheet):
    assert_coded(*check_lines(sheet))


@SETTINGS
@given(mutated_sheet())
def test_check_of_a_mutated_sheet_is_exit_0_or_1_with_coded_lines(smpcare_home, sheet):
    assert_coded(*check_lines(sheet))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
DAYS = st.dates().map(date.isoformat)
SESSION = st.fixed_dictionaries(
    {"date": DAYS | JSON}, optional={"note": st.text() | JSON, "artist": JSON}
)
JOURNALISH = (
    st.fixed_dictionaries(
        {"version": st.integers(-1, 3) | JSON, "sessions": st.lists(SESSION, max_size=5) | JSON},
        optional={"clinic": JSON},
    )
    | JSON
)


def journal_bytes(value: object, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@SETTINGS
@given(JOURNALISH, st.booleans(), st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_a_journal_loads_or_is_refused_with_a_j_code_and_left_as_it_is(
    smpcare_home, value, ascii_only, day
):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / journal.FILENAME
        raw = journal_bytes(value, ascii_only)
        path.write_bytes(raw)
        try:
            sessions = journal.load(path)
        except SmpcareError as exc:
            assert re.fullmatch(r"J30\d", exc.code), exc.line()
            sessions = None
        with mock.patch.dict(os.environ, {"SMPCARE_HOME": folder}):
            try:
                journal.add(day, "a note")
            except SmpcareError as exc:
                assert sessions is None, exc.line()  # a journal that loads takes a session
                assert re.fullmatch(r"J30\d", exc.code), exc.line()
                assert path.read_bytes() == raw
                return
        assert sessions is not None
        after = journal.load(path)
        assert {s.date for s in after} == {s.date for s in sessions} | {day}
        if isinstance(value, dict) and "clinic" in value:
            assert json.loads(path.read_text(encoding="utf-8"))["clinic"] == value["clinic"]


@SETTINGS
@given(st.binary(max_size=400))
def test_a_journal_of_any_bytes_loads_or_is_refused_with_a_j_code(smpcare_home, raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / journal.FILENAME
        path.write_bytes(raw)
        try:
            journal.load(path)
        except SmpcareError as exc:
            assert re.fullmatch(r"J30\d", exc.code), exc.line()
