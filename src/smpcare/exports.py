"""What smpcare last wrote to each calendar file, so that the next export can update and cancel.

One small JSON file per output path in the data directory (``exports/<hash of the path>.json``),
written atomically like the journal. It is read as untrusted input: anything unexpected in it
means starting afresh with a warning, never a crash. Exporting to a new path starts afresh.
"""

import hashlib
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from smpcare.paths import FileTooLarge, NotRegularFile, atomic_write, data_dir, read_regular
from smpcare.safe import first_control

VERSION = 1
FOLDER = "exports"
MAX_BYTES = 4_000_000  # far above any real course; a bigger file is not read at all
MAX_EVENTS = 10_000
MAX_SEQUENCE = 1_000_000
MAX_SUMMARY = 500
_UID = re.compile(r"[0-9a-f]{24}@smpcare")
_DIGEST = re.compile(r"[0-9a-f]{64}")


class Recorded(NamedTuple):
    """What the last export to a file said about one event."""

    sequence: int
    digest: str  # of the event's content (see ``render.ics.Entry.digest``)
    modified: datetime  # LAST-MODIFIED: when its content last changed
    start: date
    end: date  # exclusive
    summary: str
    cancelled: bool = False  # sent as STATUS:CANCELLED (the plan no longer has it)


class Loaded(NamedTuple):
    events: dict[str, Recorded]
    warning: str | None  # why the record was not used, when it exists but is unusable


def recordable(output: str | Path) -> bool:
    """Whether exports to ``output`` are recorded: a regular file (or one still to be made),
    not a device or pipe such as /dev/stdout, which no calendar imports twice."""
    target = os.path.realpath(os.fspath(output))
    return not os.path.exists(target) or os.path.isfile(target)


def record_path(output: str | Path) -> Path:
    return data_dir() / FOLDER / f"{_key(output)}.json"


def load(output: str | Path) -> Loaded:
    """The record of the last export to ``output``; empty (with a warning) if unusable."""
    path = record_path(output)
    try:  # never blocks: a FIFO in the record's place is refused, not opened for reading
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return Loaded({}, None)
    except NotRegularFile:
        return _afresh(output, path, "it is not a regular file")
    except FileTooLarge:
        return _afresh(output, path, f"it is larger than {MAX_BYTES} bytes")
    except OSError as exc:
        return _afresh(output, path, f"it cannot be read ({exc.strerror or exc})")
    try:
        return Loaded(parse(raw, _target(output)), None)
    except ValueError as exc:
        return _afresh(output, path, str(exc))


def save(output: str | Path, events: dict[str, Recorded]) -> str | None:
    """Keep the record of this export; a warning (not an error) when it cannot be written:
    the calendar file itself was written."""
    import json

    path = record_path(output)
    data = {
        "version": VERSION,
        "path": _target(output),
        "events": {uid: _encode(r) for uid, r in sorted(events.items())},
    }
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text, private=True)
    except OSError as exc:
        return (
            f"cannot keep the record of this export in {path.parent} "
            f"({exc.strerror or exc}); the next export to {output} starts afresh."
        )
    return None


def parse(raw: bytes, target: str) -> dict[str, Recorded]:
    """The events of a record for the output path ``target``; ValueError says what is wrong."""
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError("it is not valid JSON") from None
    if not isinstance(data, dict) or type(data.get("version")) is not int:
        raise ValueError("it has no version number")
    if data["version"] != VERSION:
        raise ValueError(f"it has format version {data['version']}; this smpcare reads {VERSION}")
    if data.get("path") != target:
        raise ValueError("it records another file")
    events = data.get("events")
    if not isinstance(events, dict) or len(events) > MAX_EVENTS:
        raise ValueError(f"'events' is not a table of at most {MAX_EVENTS} events")
    out = {}
    for uid, item in events.items():
        if not _UID.fullmatch(uid):
            raise ValueError("an event has a malformed UID")
        out[uid] = _decode(item)
    return out


def _decode(item: Any) -> Recorded:
    if not isinstance(item, dict):
        raise ValueError("an event is not a table")
    seq, digest, summary = item.get("sequence"), item.get("digest"), item.get("summary")
    cancelled = item.get("cancelled", False)
    if type(seq) is not int or not 0 <= seq < MAX_SEQUENCE:
        raise ValueError("an event has no valid sequence number")
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise ValueError("an event has no valid digest")
    if (
        not isinstance(summary, str)
        or len(summary) > MAX_SUMMARY
        or first_control(summary) is not None
    ):
        raise ValueError("an event has no valid summary")
    if type(cancelled) is not bool:
        raise ValueError("an event's 'cancelled' is not true or false")
    try:
        modified = datetime.fromisoformat(item["modified"])
        start, end = date.fromisoformat(item["start"]), date.fromisoformat(item["end"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("an event has no valid dates") from None
    if modified.tzinfo is None or modified.utcoffset() is None or end <= start:
        raise ValueError("an event has no valid dates")
    return Recorded(seq, digest, modified, start, end, summary, cancelled)


def _encode(r: Recorded) -> dict[str, Any]:
    return {
        "sequence": r.sequence,
        "digest": r.digest,
        "modified": r.modified.isoformat(),
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "summary": r.summary,
        "cancelled": r.cancelled,
    }


def _target(output: str | Path) -> str:
    """The output file as recorded: absolute, symlinks resolved (undecodable bytes escaped)."""
    real = os.path.realpath(os.fspath(output))
    return real.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _key(output: str | Path) -> str:
    return hashlib.sha256(_target(output).encode("utf-8")).hexdigest()[:32]


def _afresh(output: str | Path, path: Path, why: str) -> Loaded:
    return Loaded(
        {},
        f"the record of the last export to {output} ({path}) is unusable: "
        f"{why}; "
        "starting afresh, so events dropped since then are not cancelled in your "
        "calendar.",
    )
