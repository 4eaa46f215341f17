"""The client's saved sessions: a small versioned JSON file in the user data directory.

Every write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the old file, under an exclusive lock; a file that is corrupt or written by a newer
version is reported and never overwritten. The file is the user's: fields this version does
not know (at the top or in a session) are kept as they are when it is rewritten, and what
smpcare shows from it (dates and notes) is checked where it is read.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from smpcare.dates import FIRST, LAST
from smpcare.errors import EXIT_DATA, SmpcareError
from smpcare.paths import atomic_write, data_dir, locked, unreadable, unwritable

VERSION = 1
FILENAME = "sessions.json"
MAX_BYTES = 10_000_000  # a thousand sessions with notes are under 100 KB

CORRUPT = "J301"
NEWER = "J302"
NOT_SAVED = "J303"
CONTROL_CHARACTER = "J307"
OUT_OF_RANGE = "J308"
FULL = "J310"


class Session(NamedTuple):
    date: date
    note: str = ""


# The file as read: its top-level object, and each session with the object it came from.
_Entry = tuple[Session, dict[str, Any]]


def journal_path() -> Path:
    return data_dir() / FILENAME


def load(path: Path | None = None) -> list[Session]:
    """The saved sessions, oldest first; an absent file is an empty journal."""
    return [session for session, _ in _read(path or journal_path())[1]]


def saved_session_dates() -> list[date]:
    return [s.date for s in load()]


def add(day: date, note: str = "") -> tuple[list[Session], str]:
    """Save a session; returns (sessions, what was done: "saved", "noted" or "unchanged").
    An existing date keeps its place and takes the new note if one is given ("noted")."""
    with _locked() as path:
        top, entries = _read(path)
        for i, (session, raw) in enumerate(entries):
            if session.date == day:
                if note and note != session.note:
                    entries[i] = (Session(day, note), {**raw, "note": note})
                    _save(path, top, entries)
                    return [s for s, _ in entries], "noted"
                return [s for s, _ in entries], "unchanged"
        entries.append((Session(day, note), {"date": day.isoformat(), "note": note}))
        entries.sort(key=lambda e: e[0].date)
        _save(path, top, entries)
        return [s for s, _ in entries], "saved"


def remove(day: date) -> list[Session]:
    with _locked() as path:
        top, entries = _read(path)
        if all(s.date != day for s, _ in entries):
            saved = ", ".join(s.date.isoformat() for s, _ in entries) or "none"
            raise SmpcareError(
                NOT_SAVED,
                f"no session on {day.isoformat()} is saved.",
                f"Saved sessions: {saved}.",
                exit_code=EXIT_DATA,
            )
        entries = [e for e in entries if e[0].date != day]
        _save(path, top, entries)
        return [s for s, _ in entries]


def _read(path: Path) -> tuple[dict[str, Any], list[_Entry]]:
    from smpcare.paths import FileTooLarge, read_regular

    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return {}, []
    except FileTooLarge:
        raise _corrupt(
            path, f"it is larger than {MAX_BYTES:,} bytes, far more than smpcare writes"
        ) from None
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _corrupt(path, f"it is not UTF-8 text (byte {exc.start + 1})") from None
    return _parse(path, text)


def _parse(path: Path, text: str) -> tuple[dict[str, Any], list[_Entry]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _corrupt(path, f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except ValueError:  # an integer beyond Python's digit limit for conversions
        raise _corrupt(path, "it holds a number with thousands of digits") from None
    except RecursionError:
        raise _corrupt(path, "it is nested too deeply") from None
    if not isinstance(data, dict):
        raise _corrupt(path, "it is not a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _corrupt(path, "it has no version number")
    if version > VERSION:
        shown = str(version) if version < 10**9 else "a larger one"
        raise SmpcareError(
            NEWER,
            f"the journal {path} was written by a newer smpcare (format version "
            f"{shown}; this one reads up to {VERSION}).",
            "Upgrade smpcare; the file was left as it is.",
            exit_code=EXIT_DATA,
        )
    items = data.get("sessions")
    if not isinstance(items, list):
        raise _corrupt(path, "'sessions' is not a list")
    entries = [(_session(path, i, item), item) for i, item in enumerate(items, 1)]
    return data, sorted(entries, key=lambda e: e[0].date)


def note_problem(note: str) -> str | None:
    """What in ``note`` smpcare never saves or shows, named for a message (``a tab \\x09``),
    or None: a note is one line of plain text, printed in a table row."""
    from smpcare.safe import first_control

    found = first_control(note)
    if found is not None:
        what = "a lone surrogate" if found.startswith("\\ud") else "the control character"
        return f"{what} {found}"
    return next((name for char, name in _BREAKS if char in note), None)


_BREAKS = (
    ("\n", "a line break \\x0a"),
    ("\u2028", "a line separator \\u2028"),
    ("\u2029", "a paragraph separator \\u2029"),
    ("\t", "a tab \\x09"),
)


def _session(path: Path, number: int, item: Any) -> Session:
    try:
        day = date.fromisoformat(item["date"])
    except (TypeError, KeyError, ValueError):
        raise _corrupt(path, f"session {number} has no valid 'date'") from None
    if not FIRST <= day <= LAST:
        raise SmpcareError(
            OUT_OF_RANGE,
            f"the journal {path} has session {number} on {day.isoformat()}, "
            f"outside the years smpcare accepts ({FIRST.year}-{LAST.year}).",
            "Correct that date in the file; it was left as it is.",
            exit_code=EXIT_DATA,
        )
    note = item.get("note", "")
    if not isinstance(note, str):
        raise _corrupt(path, f"session {number} has a 'note' that is not text")
    found = note_problem(note)
    if found is not None:
        raise SmpcareError(
            CONTROL_CHARACTER,
            f"the journal {path} has a note in session {number} that holds {found}.",
            "Correct that note in the file; it was left as it is.",
            exit_code=EXIT_DATA,
        )
    return Session(day, note)


def _corrupt(path: Path, what: str) -> SmpcareError:
    return SmpcareError(
        CORRUPT,
        f"the journal {path} is corrupt: {what}.",
        "It was left as it is; correct it in a text editor (it is plain JSON).",
        exit_code=EXIT_DATA,
    )


def _save(path: Path, top: dict[str, Any], entries: list[_Entry]) -> None:
    """Validate, then atomically replace the journal; first remove temp files that a killed
    writer left behind (the lock is held, so no other writer is using them)."""
    data = {**top, "version": VERSION, "sessions": [raw for _, raw in entries]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a field smpcare does not use: keep it
        text = json.dumps(data, indent=2) + "\n"
        encoded = text.encode("utf-8")
    _parse(path, text)  # validate before it can replace anything
    if len(encoded) > MAX_BYTES:  # a file this size would be refused as corrupt when read
        raise SmpcareError(
            FULL,
            f"the journal {path} would grow past {MAX_BYTES:,} bytes, the most smpcare reads; "
            "nothing was saved.",
            "Remove sessions you no longer need, or shorten long notes or fields in the file.",
            exit_code=EXIT_DATA,
        )
    try:
        for stale in path.parent.glob(f".{FILENAME}.*.tmp"):
            stale.unlink(missing_ok=True)
        atomic_write(path, encoded, private=True)
    except OSError as exc:
        raise unwritable(path.parent, exc) from None


@contextmanager
def _locked() -> Iterator[Path]:
    """An exclusive lock on the journal, held across read-modify-write."""
    path = journal_path()
    with locked(path.parent, f".{FILENAME}.lock"):
        yield path
