"""A cache of parsed guidelines, so that everyday commands skip YAML parsing and validation.

The cache records every file the guidelines were read from (the YAML files and the texts
their quotes were checked against) with a BLAKE2b hash of its bytes. It is used only when the
same YAML files are present and every recorded file still has the same hash, so an edited,
added or removed guideline file is reflected in the very next run. The cache file itself
starts with a hash of its payload, checked before the payload is unmarshalled: a cache that
was changed on disk (a flipped byte, a truncated write) could otherwise crash ``marshal`` or
silently change the advice. A cache that is missing, unreadable, damaged, from another
smpcare version or stale is rebuilt; failing to write it is not an error. It is stored with
``marshal`` as plain tuples: faster to import and load than pickle, and it never runs code
from the file.
"""

import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smpcare import __version__
from smpcare.model import (
    Anchor,
    Care,
    Guidelines,
    Info,
    InfoKind,
    Level,
    Rule,
    SessionGap,
    Source,
    Topic,
    Window,
)
from smpcare.paths import atomic_write, cache_dir, read_regular

try:  # where hashlib's blake2b comes from; importing hashlib loads OpenSSL too (~2.5 ms)
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

FORMAT = 5
MAGIC = b"smpcare guideline cache\n"
DIGEST_SIZE = 32
MAX_INPUT_BYTES = 1_000_000  # as the loader: a larger file is refused there
MAX_CACHE_BYTES = 64_000_000


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=DIGEST_SIZE).digest()


def fingerprint(path: Path) -> bytes | None:
    """The hash of the file's bytes; None if it is missing, not a regular file or too large."""
    try:
        return digest(read_regular(path, MAX_INPUT_BYTES))
    except OSError:
        return None


def cached(roots: list[Path], build: Callable[[], Guidelines]) -> Guidelines:
    """``build()``'s guidelines for the YAML files ``roots``, from the cache when fresh."""
    # realpath, not resolve(): a symlink loop among the roots is reported by the loader, while
    # Path.resolve raises RuntimeError on it.
    names = tuple(os.path.realpath(p) for p in roots)
    key = digest("\n".join(names).encode("utf-8", "surrogateescape"))[:8].hex()
    path = cache_dir() / f"guidelines-{key}.marshal"
    found = _read(path, names)
    if found is not None:
        return found
    guidelines = build()
    inputs = list(names)
    for source in guidelines.sources:
        if source.text:
            inputs.append(os.path.realpath(Path(source.path).parent / source.text))
    entry = (
        FORMAT,
        __version__,
        names,
        tuple((p, fingerprint(Path(p))) for p in dict.fromkeys(inputs)),
        _encode(guidelines),
    )
    try:
        payload = marshal.dumps(entry)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, MAGIC + digest(payload) + payload, private=True)
    except (OSError, ValueError):
        pass  # no cache this time; the answer is the same
    return guidelines


def _read(path: Path, names: tuple[str, ...]) -> Guidelines | None:
    """The cached guidelines if the cache is intact and every input is unchanged, else None."""
    try:
        blob = read_regular(path, MAX_CACHE_BYTES)
    except OSError:
        return None
    start = len(MAGIC) + DIGEST_SIZE
    payload = blob[start:]
    if blob[:start] != MAGIC + digest(payload):
        return None
    try:
        fmt, version, cached_names, inputs, data = marshal.loads(payload)
        if (fmt, version, cached_names) != (FORMAT, __version__, names):
            return None
        if not all(fingerprint(Path(p)) == fp for p, fp in inputs):
            return None
        return _decode(data)
    except Exception:  # an entry of an unexpected shape is simply rebuilt
        return None


def _window(w: Window) -> tuple[int, int | None]:
    return (w.start, w.end)


def _encode(g: Guidelines) -> tuple[Any, ...]:
    return tuple(
        (
            s.id,
            s.title,
            s.publisher,
            s.session_day,
            tuple(
                (
                    r.source,
                    r.topic,
                    r.advice.value,
                    _window(r.window),
                    r.note,
                    r.quote,
                    r.care.value,
                    r.anchor.value,
                    r.interpretation,
                    r.line,
                    r.condition,
                    r.at_least,
                    r.hours,
                )
                for r in s.rules
            ),
            tuple(
                (
                    i.source,
                    i.kind.value,
                    _window(i.window),
                    i.note,
                    i.quote,
                    i.anchor.value,
                    i.interpretation,
                    i.line,
                )
                for i in s.infos
            ),
            tuple(s.min_gap) if s.min_gap else None,
            s.text,
            s.path,
            s.verified,
            tuple(tuple(t) for t in s.topics),
        )
        for s in g.sources
    )


def _decode(data: tuple[Any, ...]) -> Guidelines:
    levels = {e.value: e for e in Level}
    cares = {e.value: e for e in Care}
    anchors = {e.value: e for e in Anchor}
    kinds = {e.value: e for e in InfoKind}
    return Guidelines(
        tuple(
            Source(
                sid,
                title,
                publisher,
                session_day,
                tuple(
                    Rule(
                        src,
                        topic,
                        levels[adv],
                        Window(*win),
                        note,
                        quote,
                        cares[care],
                        anchors[anchor],
                        interp,
                        line,
                        condition,
                        at_least,
                        hours,
                    )
                    for (
                        src,
                        topic,
                        adv,
                        win,
                        note,
                        quote,
                        care,
                        anchor,
                        interp,
                        line,
                        condition,
                        at_least,
                        hours,
                    ) in rules
                ),
                tuple(
                    Info(src, kinds[kind], Window(*win), note, quote, anchors[anchor], interp, line)
                    for src, kind, win, note, quote, anchor, interp, line in infos
                ),
                SessionGap(*gap) if gap else None,
                text,
                path,
                verified,
                tuple(Topic(*t) for t in topics),
            )
            for (
                sid,
                title,
                publisher,
                session_day,
                rules,
                infos,
                gap,
                text,
                path,
                verified,
                topics,
            ) in data
        )
    )
