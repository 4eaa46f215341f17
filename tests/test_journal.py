"""The session journal: round trip, atomic writes, locking, refusing bad files."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from conftest import as_user, without_root_powers
from smpcare import journal
from smpcare.errors import SmpcareError


def test_round_trip_through_the_cli(run, smpcare_home):
    assert run("session", "add", "2024-05-15").exit_code == 0
    added = run("session", "add", "1 May 2024", "--note", "Clinic A; chair 2")
    assert added.stdout == "Saved: session on Wed 1 May 2024 (2024-05-01). 2 sessions saved.\n"
    listed = json.loads(run("session", "list", "--format", "json").stdout)
    assert listed["sessions"] == [
        {"date": "2024-05-01", "note": "Clinic A; chair 2"},
        {"date": "2024-05-15", "note": ""},
    ]
    assert run("session", "list").stdout.splitlines()[2:] == [
        "1. 2024-05-01 Wed 1 May 2024  Clinic A; chair 2",
        "2. 2024-05-15 Wed 15 May 2024",
    ]
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


def test_adding_a_saved_date_again_keeps_one_and_says_what_it_did(run):
    run("session", "add", "2024-05-01")
    again = run("session", "add", "2024-05-01")
    assert again.exit_code == 0
    assert again.stdout.startswith("Already saved: session on Wed 1 May 2024")
    noted = run("session", "add", "2024-05-01", "--note", "chair 2")
    assert noted.stdout == (
        "Already saved, note updated: session on Wed 1 May 2024 (2024-05-01). 1 session saved.\n"
    )
    assert journal.load() == [journal.Session(date(2024, 5, 1), "chair 2")]


def test_removing_an_unsaved_session_is_one_line_exit_1(run):
    run("session", "add", "2024-05-01")
    result = run("session", "remove", "2024-06-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "smpcare: error J303: no session on 2024-06-01 is saved. Saved sessions: 2024-05-01.\n"
    )


def test_bad_date_is_refused_before_anything_is_written(run, smpcare_home):
    result = run("session", "add", "05/06/2024")
    assert result.exit_code == 2
    assert not (smpcare_home / "sessions.json").exists()


@pytest.mark.parametrize(
    "content,code,text",
    [
        (
            "{broken",
            "J301",
            "is corrupt: it is not valid JSON (line 1: Expecting property name "
            "enclosed in double quotes).",
        ),
        ('{"sessions": []}', "J301", "is corrupt: it has no version number."),
        (
            '{"version": 1, "sessions": [{"date": "soon"}]}',
            "J301",
            "is corrupt: session 1 has no valid 'date'.",
        ),
        (
            '{"version": 2, "sessions": []}',
            "J302",
            "was written by a newer smpcare (format version 2; this one reads up to 1).",
        ),
        (
            '{"version": 1' + "0" * 5000 + ', "sessions": []}',
            "J301",
            "is corrupt: it holds a number with thousands of digits.",
        ),
        (
            '{"version": 2' + "0" * 20 + ', "sessions": []}',
            "J302",
            "was written by a newer smpcare (format version a larger one; this one reads up to 1).",
        ),
        (
            '{"version": 1, "sessions": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "J301",
            "is corrupt: it is nested too deeply.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": "\\ud800"}]}',
            "J307",
            "has a note in session 1 that holds a lone surrogate \\ud800.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": "\\u001b[2J"}]}',
            "J307",
            "has a note in session 1 that holds the control character \\x1b.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": "two\\nlines"}]}',
            "J307",
            "has a note in session 1 that holds a line break \\x0a.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": "a\\u2028b"}]}',
            "J307",
            "has a note in session 1 that holds a line separator \\u2028.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": "a\\tb"}]}',
            "J307",
            "has a note in session 1 that holds a tab \\x09.",
        ),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01"}, {"date": "1899-12-31"}]}',
            "J308",
            "has session 2 on 1899-12-31, outside the years smpcare accepts (1900-2200).",
        ),
        (
            '{"version": 1, "sessions": [{"date": "9999-12-31"}]}',
            "J308",
            "has session 1 on 9999-12-31, outside the years smpcare accepts (1900-2200).",
        ),
        ('{"version": true, "sessions": []}', "J301", "is corrupt: it has no version number."),
        (
            '{"version": 1, "sessions": [{"date": "2024-05-01", "note": 5}]}',
            "J301",
            "is corrupt: session 1 has a 'note' that is not text.",
        ),
        ("[]", "J301", "is corrupt: it is not a JSON object."),
        (
            b'{"version": 1, "sessions": [{"date": "2024-05-01", "note": "caf\xe9"}]}',
            "J301",
            "is corrupt: it is not UTF-8 text (byte 64).",
        ),
    ],
)
def test_corrupt_or_newer_journal_is_reported_and_never_overwritten(
    run, smpcare_home, content, code, text
):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    for args in (
        ["session", "add", "2024-05-01"],
        ["session", "list"],
        ["today"],
        ["session", "remove", "2024-05-01"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(f"smpcare: error {code}: the journal {path} {text}")
        assert "\x1b" not in result.stderr
        assert result.stderr.count("\n") == 1
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode())


def test_smpcare_home_inside_a_file_is_one_line(run, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SMPCARE_HOME", str(blocker / "home"))
    for args in (["session", "add", "2024-05-01"], ["session", "list"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            f"smpcare: error J305: SMPCARE_HOME must name a folder, but "
            f"{blocker} is a file. Point SMPCARE_HOME at a folder (it is "
            "created when needed), or move the file elsewhere.\n"
        )
    assert blocker.read_text() == "not a folder"


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
        subprocess.Popen(
            [sys.executable, "-m", "smpcare", "session", "add", f"2024-06-{day:02d}"],
            env={**os.environ},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for day in range(1, 21)
    ]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, errors
    assert [s.date.day for s in journal.load()] == list(range(1, 21))


def test_fields_this_version_does_not_know_survive_a_rewrite(run, smpcare_home):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "clinic": {"name": "Clinic A"},
                "sessions": [
                    {"date": "2024-05-01", "note": "first", "artist": "Sam", "ink": [1, 2]}
                ],
            }
        )
    )
    assert run("session", "add", "2024-05-15", "--note", "second").exit_code == 0
    assert run("session", "add", "2024-05-01", "--note", "first, chair 2").exit_code == 0
    assert json.loads(path.read_text()) == {
        "version": 1,
        "clinic": {"name": "Clinic A"},
        "sessions": [
            {"date": "2024-05-01", "note": "first, chair 2", "artist": "Sam", "ink": [1, 2]},
            {"date": "2024-05-15", "note": "second"},
        ],
    }
    assert run("session", "remove", "2024-05-15").exit_code == 0
    assert json.loads(path.read_text())["clinic"] == {"name": "Clinic A"}


def test_an_unknown_field_with_a_lone_surrogate_is_kept_and_the_file_stays_utf8(smpcare_home):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.write_text('{"version": 1, "x": "\\udc80", "sessions": []}')
    journal.add(date(2024, 5, 1))
    data = json.loads(path.read_bytes().decode("utf-8"))  # strict UTF-8 on disk
    assert data["x"] == "\udc80" and data["sessions"] == [{"date": "2024-05-01", "note": ""}]


def test_temp_files_of_a_killed_writer_are_removed_by_the_next_write(smpcare_home):
    journal.add(date(2024, 5, 1))
    stale = [smpcare_home / ".sessions.json.k1ll3d.tmp", smpcare_home / ".sessions.json.x.tmp"]
    for path in stale:
        path.write_text('{"version": 1, "sessions": []}')
    keep = smpcare_home / ".other.json.x.tmp"  # not the journal's: left alone
    keep.write_text("")
    journal.add(date(2024, 5, 15))
    assert sorted(p.name for p in smpcare_home.iterdir()) == [
        ".other.json.x.tmp",
        ".sessions.json.lock",
        "sessions.json",
    ]


def test_a_note_that_could_not_be_shown_is_never_written(smpcare_home):
    """The command line refuses it first (E208); the journal checks what it writes too."""
    journal.add(date(2024, 5, 1), "first")
    before = (smpcare_home / "sessions.json").read_bytes()
    with pytest.raises(SmpcareError) as err:
        journal.add(date(2024, 5, 15), "\x1b]0;owned\x07")
    assert err.value.code == "J307"
    assert (smpcare_home / "sessions.json").read_bytes() == before


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_journal_that_is_not_a_regular_file_is_unreadable_not_corrupt(run, smpcare_home, kind):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    result = run("session", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: error J306: cannot read {path}: it is not a regular "
        "file. Move it away; smpcare keeps only plain files there.\n"
    )


def test_an_unreadable_journal_is_unreadable_not_corrupt(run, smpcare_home, monkeypatch):
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    path.write_text('{"version": 1, "sessions": []}')
    real_open = os.open

    def denied(file, *args, **kwargs):  # as chmod 000 does for anyone but root
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = run("session", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: error J306: cannot read {path}: Permission denied. Give "
        "your user access to it (chmod u+rwX), or set SMPCARE_HOME to "
        "another folder.\n"
    )


@pytest.mark.skipif(without_root_powers() is None, reason="no way to make permissions apply")
def test_a_journal_without_permissions_is_unreadable_not_corrupt(smpcare_home):
    journal.add(date(2024, 5, 1))
    path = smpcare_home / "sessions.json"
    path.chmod(0)
    try:
        result = as_user("session", "list", home=smpcare_home)
    finally:
        path.chmod(0o600)
    assert result.returncode == 1
    assert result.stderr == (
        f"smpcare: error J306: cannot read {path}: Permission denied. Give "
        "your user access to it (chmod u+rwX), or set SMPCARE_HOME to "
        "another folder.\n"
    )


def test_a_held_lock_is_waited_for_said_and_given_up_on(run, smpcare_home, monkeypatch):
    import fcntl

    from smpcare import paths

    monkeypatch.setattr(paths, "LOCK_NOTICE", 0.0)
    monkeypatch.setattr(paths, "LOCK_WAIT", 0.2)
    run("session", "add", "2024-05-01")
    lock = smpcare_home / ".sessions.json.lock"
    before = (smpcare_home / "sessions.json").read_bytes()
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another smpcare, in the middle of a change
        result = run("session", "add", "2024-05-15")
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: waiting for another smpcare process to release {lock}\n"
        f"smpcare: error J309: another smpcare process has held {lock} for more than 0.2 "
        "seconds; nothing was changed. Let it finish (or end it), then try again.\n"
    )
    assert (smpcare_home / "sessions.json").read_bytes() == before
    assert run("session", "add", "2024-05-15").exit_code == 0  # released: it goes through


@pytest.mark.parametrize("note_length", [150, 5_000])
def test_a_write_that_would_pass_the_size_limit_is_refused(run, smpcare_home, note_length):
    """The journal is never written larger than smpcare will read: it stays as it was."""
    smpcare_home.mkdir(parents=True)
    path = smpcare_home / "sessions.json"
    data = {"version": 1, "sessions": [{"date": "2024-05-01", "note": ""}], "pad": ""}
    data["pad"] = "x" * (journal.MAX_BYTES - 100 - len(json.dumps(data, indent=2)))
    path.write_text(json.dumps(data, indent=2) + "\n")
    before = path.read_bytes()
    assert run("session", "list").exit_code == 0
    result = run("session", "add", "2024-05-15", "--note", "n" * note_length)
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: error J310: the journal {path} would grow past 10,000,000 bytes, the most "
        "smpcare reads; nothing was saved. Remove sessions you no longer need, or shorten "
        "long notes or fields in the file.\n"
    )
    assert path.read_bytes() == before
    assert run("session", "list").exit_code == 0
