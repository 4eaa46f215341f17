"""The client's saved sessions: a small versioned JSON file in the user data directory.

Every write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the old file, under an exclusive lock; a file that is corrupt or written by a newer
version is reported and never overwritten.
"""

import json
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator, NamedTuple

from smpcare.errors import EXIT_DATA, SmpcareError
from smpcare.paths import atomic_write, data_dir, unwritable

VERSION = 1
FILENAME = "sessions.json"


class Session(NamedTuple):
    date: date
    note: str = ""


def journal_path() -> Path:
    return data_dir() / FILENAME


def load(path: Path | None = None) -> list[Session]:
    """The saved sessions, oldest first; an absent file is an empty journal."""
    path = path or journal_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise _corrupt(path, f"it cannot be read ({exc})") from None
    return _parse(path, raw)


def saved_session_dates() -> list[date]:
    return [s.date for s in load()]


def add(day: date, note: str = "") -> tuple[list[Session], bool]:
    """Save a session; returns (sessions, whether it was new). An existing date keeps its
    place and takes the new note if one is given."""
    with _locked() as path:
        sessions = load(path)
        existing = next((s for s in sessions if s.date == day), None)
        if existing is not None:
            if note and note != existing.note:
                sessions = [Session(day, note) if s.date == day else s for s in sessions]
                _save(path, sessions)
            return sessions, False
        sessions = sorted(sessions + [Session(day, note)], key=lambda s: s.date)
        _save(path, sessions)
        return sessions, True


def remove(day: date) -> list[Session]:
    with _locked() as path:
        sessions = load(path)
        if all(s.date != day for s in sessions):
            saved = ", ".join(s.date.isoformat() for s in sessions) or "none"
            raise SmpcareError("J303", f"no session on {day.isoformat()} is saved.",
                               f"Saved sessions: {saved}.", exit_code=EXIT_DATA)
        sessions = [s for s in sessions if s.date != day]
        _save(path, sessions)
        return sessions


def _parse(path: Path, raw: str) -> list[Session]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _corrupt(path, f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise _corrupt(path, "it has no version number")
    if data["version"] > VERSION:
        raise SmpcareError(
            "J302", f"the journal {path} was written by a newer smpcare (format version "
            f"{data['version']}; this one reads up to {VERSION}).",
            "Upgrade smpcare; the file was left as it is.", exit_code=EXIT_DATA)
    items = data.get("sessions")
    if not isinstance(items, list):
        raise _corrupt(path, "'sessions' is not a list")
    sessions = []
    for i, item in enumerate(items):
        try:
            sessions.append(Session(date.fromisoformat(item["date"]), str(item.get("note", ""))))
        except (TypeError, KeyError, ValueError):
            raise _corrupt(path, f"session {i + 1} has no valid 'date'") from None
    return sorted(sessions, key=lambda s: s.date)


def _corrupt(path: Path, what: str) -> SmpcareError:
    return SmpcareError("J301", f"the journal {path} is corrupt: {what}.",
                        "It was left as it is; fix it or move it away, then add your sessions "
                        "again.", exit_code=EXIT_DATA)


def _save(path: Path, sessions: list[Session]) -> None:
    data = {"version": VERSION,
            "sessions": [{"date": s.date.isoformat(), "note": s.note} for s in sessions]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _parse(path, text)  # validate before it can replace anything
    try:
        atomic_write(path, text, private=True)
    except OSError as exc:
        raise unwritable(path.parent, exc) from None


@contextmanager
def _locked() -> Iterator[Path]:
    """An exclusive lock on the journal, held across read-modify-write."""
    path = journal_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.parent / f".{FILENAME}.lock", "a+")
    except OSError as exc:
        raise unwritable(path.parent, exc) from None
    with lock:
        _lock(lock)
        yield path


def _lock(f) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        f.seek(0)
        while True:
            try:
                msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)  # blocks up to 10 s, then raises
                return
            except OSError:
                continue
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # released when the file is closed
