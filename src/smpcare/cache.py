"""A cache of parsed guidelines, so that everyday commands skip YAML parsing and validation.

The cache records every file the guidelines were read from (the YAML files and the texts
their quotes were checked against) with its size and CRC-32. It is used only when the same
YAML files are present and every recorded file still has the same size and checksum, so an
edited, added or removed guideline file is reflected in the very next run. A cache that is
missing, unreadable, from another smpcare version or stale is rebuilt; failing to write it is
not an error. It is stored with ``marshal`` as plain tuples: faster to import and load than
pickle, and it never runs code from the file.
"""

import marshal
import zlib
from pathlib import Path
from typing import Callable

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
from smpcare.paths import atomic_write, cache_dir

FORMAT = 4


def fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return len(data), zlib.crc32(data)


def cached(roots: list[Path], build: Callable[[], Guidelines]) -> Guidelines:
    """``build()``'s guidelines for the YAML files ``roots``, from the cache when fresh."""
    names = tuple(str(p.resolve()) for p in roots)
    key = zlib.crc32("\n".join(names).encode("utf-8"))
    path = cache_dir() / f"guidelines-{key:08x}.marshal"
    try:
        entry = marshal.loads(path.read_bytes())
        fmt, version, cached_names, inputs, data = entry
        if (fmt, version, cached_names) == (FORMAT, __version__, names) \
                and all(fingerprint(Path(p)) == fp for p, fp in inputs):
            return _decode(data)
    except Exception:  # noqa: BLE001 - any unreadable or stale cache is simply rebuilt
        pass
    guidelines = build()
    inputs = list(names)
    for source in guidelines.sources:
        if source.text:
            inputs.append(str((Path(source.path).parent / source.text).resolve()))
    entry = (FORMAT, __version__, names,
             tuple((p, fingerprint(Path(p))) for p in dict.fromkeys(inputs)),
             _encode(guidelines))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, marshal.dumps(entry), private=True)
    except (OSError, ValueError):
        pass  # no cache this time; the answer is the same
    return guidelines


def _window(w: Window) -> tuple:
    return (w.start, w.end)


def _encode(g: Guidelines) -> tuple:
    return tuple(
        (s.id, s.title, s.publisher, s.session_day,
         tuple((r.source, r.topic, r.advice.value, _window(r.window), r.note, r.quote,
                r.care.value, r.anchor.value, r.interpretation, r.line, r.condition,
                r.at_least, r.hours) for r in s.rules),
         tuple((i.source, i.kind.value, _window(i.window), i.note, i.quote, i.anchor.value,
                i.interpretation, i.line) for i in s.infos),
         tuple(s.min_gap) if s.min_gap else None, s.text, s.path, s.verified,
         tuple(tuple(t) for t in s.topics))
        for s in g.sources
    )


def _decode(data: tuple) -> Guidelines:
    levels, cares, anchors, kinds = ({e.value: e for e in enum}
                                     for enum in (Level, Care, Anchor, InfoKind))
    return Guidelines(tuple(
        Source(sid, title, publisher, session_day,
               tuple(Rule(src, topic, levels[adv], Window(*win), note, quote, cares[care],
                          anchors[anchor], interp, line, condition, at_least, hours)
                     for src, topic, adv, win, note, quote, care, anchor, interp, line,
                     condition, at_least, hours in rules),
               tuple(Info(src, kinds[kind], Window(*win), note, quote, anchors[anchor], interp,
                          line)
                     for src, kind, win, note, quote, anchor, interp, line in infos),
               SessionGap(*gap) if gap else None, text, path, verified,
               tuple(Topic(*t) for t in topics))
        for sid, title, publisher, session_day, rules, infos, gap, text, path, verified, topics
        in data
    ))
