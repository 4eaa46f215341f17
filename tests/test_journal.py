"""The session journal: round trip, atomic writes, locking, refusing bad files."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from smpcare import journal
from smpcare.errors import SmpcareError


def test_round_trip_through_the_cli(run, smpcare_home):
    assert run("session", "add", "2024-05-15").exit_code == 0
    added = run("session", "add", "1 May 2024", "--note", "Clinic A; chair 2")
    assert added.stdout == "Saved: session on Wed 1 May 2024 (2024-05-01). 2 sessions saved.\n"
    listed = json.loads(run("session", "list", "--format", "json").stdout)
    assert listed["sessions"] == [{"date": "2024-05-01", "note": "Clinic A; chair 2"},
                                  {"date": "2024-05-15", "note": ""}]
    assert run("session", "list").stdout == (
        "1. 2024-05-01  Wed 1 May 2024  Clinic A; chair 2\n2. 2024-05-15  Wed 15 May 2024\n")
    on_disk = json.loads((smpcare_home / "sessions.json").read_text())
    assert on_disk["version"] == 1
    removed = run("session", "remove", "2024-05-15")
    assert removed.stdout == "Removed: session on Wed 15 May 2024. 1 session saved.\n"


def test_plan_and_today_use_the_saved_sessions(run):
    run("session", "add", "2024-05-01")
    run("session", "add", "2024-05-15")
    today = json.loads(run("today", "--on", "2024-05-16", "-f", "json").stdout)
    assert today["sessions"] == ["2024-05-01", "2024-05-15"]
    assert (today["day"], today["session"]) == (1, 2)
    plan = json.loads(run("plan", "-f", "json").stdout)
    assert plan["sessions"] == ["2024-05-01", "2024-05-15"]


def test_adding_a_saved_date_again_keeps_one(run):
    run("session", "add", "2024-05-01")
    again = run("session", "add", "2024-05-01")
    assert again.exit_code == 0
    assert again.stdout.startswith("Already saved: session on Wed 1 May 2024")
    assert len(journal.load()) == 1


def test_removing_an_unsaved_session_is_one_line_exit_1(run):
    run("session", "add", "2024-05-01")
    result = run("session", "remove", "2024-06-01")
    assert result.exit_code == 1
    assert result.stderr == ("smpcare: error J303: no session on 2024-06-01 is saved. Saved "
                             "sessions: 2024-05-01.\n")


def test_bad_date_is_refused_before_anything_is_written(run, smpcare_home):
    result = run("session", "add", "05/06/2024")
    assert result.exit_code == 2
    assert not (smpcare_home / "sessions.json").exists()


@pytest.mark.parametrize("content,code,text", [
    ("{broken", "J301", "is corrupt: it is not valid JSON (line 1: Expecting property name "
                        "enclosed in double quotes)."),
    ('{"sessions": []}', "J301", "is corrupt: it has no version number."),
    ('{"version": 1, "sessions": [{"date": "soon"}]}', "J301",
     "is corrupt: session 1 has no valid 'date'."),
    ('{"version": 2, "sessions": []}', "J302",
     "was written by a newer smpcare (format version 2; this one reads up to 1)."),
])
def test_corrupt_or_newer_journal_is_reported_and_never_overwritten(
        run, smpcare_home, content, code, text):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.write_text(content)
    for args in (["session", "add", "2024-05-01"], ["session", "list"], ["today"],
                 ["session", "remove", "2024-05-01"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(f"smpcare: error {code}: the journal {path} {text}")
        assert result.stderr.count("\n") == 1
    assert path.read_text() == content


def test_unwritable_data_directory_is_one_line(run, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SMPCARE_HOME", str(blocker / "home"))
    result = run("session", "add", "2024-05-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"smpcare: error J304: cannot write to the data directory "
                                    f"{blocker / 'home'}:")


def test_a_crash_before_the_rename_leaves_the_old_journal(smpcare_home, monkeypatch):
    journal.add(date(2024, 5, 1))
    before = (smpcare_home / "sessions.json").read_text()

    def crash(src, dst):
        raise OSError(5, "simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SmpcareError) as err:
        journal.add(date(2024, 5, 15))
    assert err.value.code == "J304"
    assert (smpcare_home / "sessions.json").read_text() == before
    assert [p.name for p in smpcare_home.iterdir() if p.name.endswith(".tmp")] == []


def test_a_killed_writer_leaves_the_old_journal(smpcare_home):
    """A process killed between writing the temp file and the rename."""
    journal.add(date(2024, 5, 1))
    before = (smpcare_home / "sessions.json").read_text()
    code = (
        "import os, datetime\n"
        "from smpcare import journal\n"
        "os.replace = lambda *a: os._exit(9)\n"
        "journal.add(datetime.date(2024, 5, 15))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ})
    assert proc.returncode == 9
    assert (smpcare_home / "sessions.json").read_text() == before
    assert [s.date for s in journal.load()] == [date(2024, 5, 1)]


def test_twenty_concurrent_adds_leave_twenty_sessions(smpcare_home):
    procs = [
        subprocess.Popen([sys.executable, "-m", "smpcare", "session", "add",
                          f"2024-06-{day:02d}"], env={**os.environ},
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for day in range(1, 21)
    ]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, errors
    assert [s.date.day for s in journal.load()] == list(range(1, 21))
