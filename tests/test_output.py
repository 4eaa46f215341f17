"""Where output goes: standard output that fails in each way it can, and --output files."""

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PLAN = ["plan", "-s", "2024-05-01"]


def smpcare(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """The real program in a subprocess (bytes out, SMPCARE_HOME from the autouse fixture)."""
    kwargs = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-m", "smpcare", *args], **kwargs)


@pytest.fixture
def folder(tmp_path):
    """An empty folder of its own (tmp_path also holds the data directory)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def one_coded_line(err: bytes, code: str) -> str:
    text = err.decode()
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert text.startswith(f"smpcare: error {code}: "), text
    return text


# Standard output


@pytest.mark.parametrize("args", [PLAN, [*PLAN, "-f", "json"], ["sources"], ["--help"]])
def test_a_closed_pipe_ends_silently(args):
    read, write = os.pipe()
    os.close(read)  # no reader at all: the first write fails with EPIPE
    try:
        out = smpcare(args, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert (out.returncode, out.stderr) == (141, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [PLAN, [*PLAN, "-f", "json"], ["check"], ["--help"]])
def test_a_full_disk_is_one_line_and_exit_1(args):
    with open("/dev/full", "wb") as full:
        out = subprocess.run(
            [sys.executable, "-m", "smpcare", *args], stdout=full, stderr=subprocess.PIPE
        )
    assert out.returncode == 1
    assert one_coded_line(out.stderr, "E215") == (
        "smpcare: error E215: cannot write to standard output: No space left on device. "
        "Check where the output goes (a full disk, a closed stream).\n"
    )


@pytest.mark.parametrize("args", [PLAN, ["session", "list"], ["check"]])
def test_a_closed_stdout_is_one_line_and_exit_1(args):
    out = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "smpcare", *args],
        capture_output=True,
    )
    assert out.returncode == 1
    assert "cannot write to standard output: it is closed." in one_coded_line(out.stderr, "E215")


def test_a_closed_stdout_does_not_matter_when_writing_to_a_file(tmp_path):
    target = tmp_path / "plan.md"
    out = subprocess.run(
        [
            "sh",
            "-c",
            'exec "$@" >&-',
            "sh",
            sys.executable,
            "-m",
            "smpcare",
            *PLAN,
            "-f",
            "markdown",
            "-o",
            str(target),
        ],
        capture_output=True,
    )
    assert out.returncode == 0, out.stderr
    assert target.read_text().startswith("# Aftercare plan: Wed 1 May 2024\n")


# smpcare's own glyphs and punctuation turn ASCII on such a stream; a source's words never do.
@pytest.mark.parametrize(
    "args,char",
    [  # stderr is ASCII too: it escapes what it cannot show
        ([*PLAN, "--quotes"], "'\\u2019' (U+2019)"),
        ([*PLAN, "-f", "json"], "'\\u"),
        (["today", "-s", "2024-05-01", "--on", "2024-05-06", "--quotes"], "'\\u2019' (U+2019)"),
    ],
)
def test_an_ascii_only_stdout_refuses_rather_than_misquote(args, char):
    out = smpcare(args, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert out.returncode == 1
    assert out.stdout == b""  # nothing half-written
    line = one_coded_line(out.stderr, "E215")
    assert f"standard output cannot show {char}" in line
    assert "PYTHONIOENCODING=utf-8" in line


def test_an_ascii_only_stdout_still_takes_ascii_output():
    out = smpcare(["check"], env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert out.returncode == 0
    assert out.stdout.startswith(b"OK: 5 files, 5 sources, ")


# --output


def test_output_replaces_a_file_and_keeps_its_mode(run, folder):
    target = folder / "plan.md"
    target.write_text("old")
    target.chmod(0o600)
    result = run(*PLAN, "-f", "markdown", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {target}\n"
    assert target.read_text().startswith("# Aftercare plan")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["plan.md"]  # no temp file left


def test_output_creates_a_new_file_with_the_usual_permissions(run, folder):
    umask = os.umask(0o022)
    try:
        result = run(*PLAN, "-o", str(folder / "new.txt"))
    finally:
        os.umask(umask)
    assert result.exit_code == 0
    assert stat.S_IMODE((folder / "new.txt").stat().st_mode) == 0o644


@pytest.mark.parametrize("dangling", [False, True])
def test_output_writes_through_a_symlink_which_stays_a_link(run, folder, dangling):
    target = folder / "real.md"
    if not dangling:
        target.write_text("old")
        target.chmod(0o640)
    link = folder / "link.md"
    link.symlink_to(target.name)
    result = run(*PLAN, "-f", "markdown", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.md"
    assert target.read_text().startswith("# Aftercare plan")
    if not dangling:
        assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_output_writes_straight_into_a_fifo(run, folder):
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(*PLAN, "-f", "markdown", "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert received[0].startswith(b"# Aftercare plan")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_writes_straight_into_a_device_node(run, folder):
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device, here
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs root")
    result = run(*PLAN, "-o", str(node))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(node.lstat().st_mode)


@pytest.mark.parametrize(
    "where,message",
    [
        (
            "folder",
            "smpcare: error E209: --output '{path}' names a folder. Name a file, e.g. plan.ics.\n",
        ),
        (
            "new/",
            "smpcare: error E209: --output '{path}/' names a folder. Name a file, e.g. plan.ics.\n",
        ),
        (
            "missing/plan.md",
            "smpcare: error E209: cannot write '{path}': the folder '{parent}' does "
            "not exist. Create the folder first, or choose another path.\n",
        ),
    ],
)
def test_output_that_cannot_be_a_file_is_one_line_naming_it(run, folder, where, message):
    (folder / "folder").mkdir()
    path = folder / where
    result = run(*PLAN, "-o", str(path) + ("/" if where.endswith("/") else ""))
    assert result.exit_code == 1
    assert result.stderr == message.format(path=path, parent=path.parent)
    assert sorted(p.name for p in folder.iterdir()) == ["folder"]  # nothing was created


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_output_in_a_read_only_folder_is_one_line(run, folder):
    folder = folder / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run(*PLAN, "-o", str(folder / "plan.txt"))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: error E209: cannot write '{folder / 'plan.txt'}': "
        "Permission denied. Choose a file you can write to.\n"
    )


def test_a_failed_write_leaves_the_old_file_as_it_was(run, folder, monkeypatch):
    target = folder / "plan.ics"
    target.write_text("the calendar from last week")

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = run(*PLAN, "-f", "ics", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"smpcare: error E209: cannot write '{target}': No space left on "
        "device. Choose a file you can write to.\n"
    )
    assert target.read_text() == "the calendar from last week"
    assert [p.name for p in folder.iterdir()] == ["plan.ics"]


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_output_to_dev_stdout_reaches_a_pipe_and_a_redirected_file(folder):
    piped = smpcare([*PLAN, "-f", "markdown", "-o", "/dev/stdout"])
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"# Aftercare plan")
    target = folder / "plan.md"
    with open(target, "wb") as f:
        redirected = smpcare([*PLAN, "-f", "markdown", "-o", "/dev/stdout"], stdout=f)
    assert redirected.returncode == 0, redirected.stderr
    assert target.read_bytes() == piped.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs fcntl and SIGINT")
def test_ctrl_c_ends_quietly_with_status_130_and_saves_nothing(smpcare_home):
    import fcntl
    import signal

    smpcare_home.mkdir(parents=True, exist_ok=True)
    with open(smpcare_home / ".sessions.json.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # session add will wait for it
        proc = subprocess.Popen(
            [sys.executable, "-m", "smpcare", "session", "add", "2024-05-01"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        waiting = proc.stderr.readline()  # it says so after a moment, and waits on
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    lock_file = smpcare_home / ".sessions.json.lock"
    assert (
        waiting == f"smpcare: waiting for another smpcare process to release {lock_file}\n".encode()
    )
    assert (proc.returncode, out, err) == (130, b"", b"")
    assert not (smpcare_home / "sessions.json").exists()


# --output never replaces what smpcare reads

CLINIC = Path(__file__).parent / "fixtures" / "clinics"


@pytest.mark.parametrize(
    "inside",
    [
        "sessions.json",
        ".sessions.json.lock",
        "exports/record.json",
        "sources/northside/northside.yaml",
        "sources/x.yaml",
        "cache/guidelines-0123456789abcdef.marshal",
        "new-file.md",
    ],
)
def test_output_into_the_data_directory_is_refused(smpcare_home, inside):
    assert smpcare(["session", "add", "2024-05-01"]).returncode == 0
    assert smpcare(["sources", "add", str(CLINIC / "northside.yaml")]).returncode == 0
    assert smpcare([*PLAN, "-f", "ics", "-o", os.devnull]).returncode == 0  # fills the cache
    before = {p: p.read_bytes() for p in smpcare_home.rglob("*") if p.is_file()}
    out = smpcare(["plan", "-f", "markdown", "-o", str(smpcare_home / inside)])
    assert out.returncode == 1
    assert one_coded_line(out.stderr, "E209") == (
        f"smpcare: error E209: --output '{smpcare_home / inside}' is inside smpcare's data "
        f"directory, {smpcare_home}, where it keeps its own files. Write the plan somewhere "
        "else, e.g. plan.md in your home folder.\n"
    )
    assert {p: p.read_bytes() for p in smpcare_home.rglob("*") if p.is_file()} == before
    assert smpcare(["plan", "-f", "json"]).returncode == 0  # the journal is still read


def test_output_into_the_data_directory_through_a_link_is_refused(smpcare_home, folder):
    assert smpcare(["session", "add", "2024-05-01"]).returncode == 0
    (folder / "home").symlink_to(smpcare_home)
    out = smpcare(["plan", "-o", str(folder / "home" / "sessions.json")])
    assert out.returncode == 1
    assert "is inside smpcare's data directory" in one_coded_line(out.stderr, "E209")
    assert smpcare(["session", "list"]).returncode == 0


@pytest.mark.parametrize("name", ["northside.yaml", "northside.txt"])
@pytest.mark.parametrize("fmt", ["markdown", "ics", "json"])
def test_output_onto_the_guideline_file_read_is_refused(folder, name, fmt):
    for part in ("northside.yaml", "northside.txt"):
        (folder / part).write_bytes((CLINIC / part).read_bytes())
    given = folder / "northside.yaml"
    out = smpcare([*PLAN, "--guidelines", str(given), "-f", fmt, "-o", str(folder / name)])
    assert out.returncode == 1
    assert one_coded_line(out.stderr, "E209") == (
        f"smpcare: error E209: --output '{folder / name}' is {folder / name}, a guideline "
        "file this plan is read from. Write the plan to another file.\n"
    )
    for part in ("northside.yaml", "northside.txt"):
        assert (folder / part).read_bytes() == (CLINIC / part).read_bytes()


def test_a_fifo_in_place_of_an_export_record_does_not_hang(smpcare_home, folder):
    args = [*PLAN, "-f", "ics", "-o", str(folder / "c.ics")]
    assert smpcare(args).returncode == 0
    (record,) = (smpcare_home / "exports").iterdir()
    record.unlink()
    os.mkfifo(record)
    out = smpcare(args, timeout=60)  # before: blocked for ever opening the FIFO to read
    assert out.returncode == 0, out.stderr
    assert out.stderr.decode().startswith(
        f"smpcare: warning: the record of the last export to {folder / 'c.ics'} ({record}) is "
        "unusable: it is not a regular file; starting afresh"
    )
    assert stat.S_ISREG(record.lstat().st_mode)  # replaced by this export's record
    again = smpcare(args, timeout=60).stderr.decode()
    assert "Events: 0 new, 0 changed, " in again and again.endswith(
        " unchanged, 0 cancelled since the last export to this file.\n"
    )


@pytest.mark.parametrize("fmt", ["json", "table", "markdown"])
def test_a_reader_that_stops_midway_ends_the_run_with_141(fmt):
    """``smpcare plan ... | head -c 10``: far more output than a pipe holds, and the reader
    leaves after a few bytes."""
    sessions = [x for m in range(1, 12, 2) for x in ("-s", f"2024-{m:02d}-01")]
    with subprocess.Popen(
        [sys.executable, "-m", "smpcare", "plan", *sessions, "--detail", "-f", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert len(proc.stdout.read(10)) == 10
        proc.stdout.close()
        err = proc.stderr.read()
    assert (proc.returncode, err) == (141, b"")
