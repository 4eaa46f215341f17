"""A cache of parsed guidelines, so that everyday commands skip YAML parsing and validation.

The cache records every file the guidelines were read from (the YAML files and the texts
their quotes were checked against) with its size and CRC-32. It is used only when the same
YAML files are present and every recorded file still has the same size and checksum, so an
edited, added or removed guideline file is reflected in the very next run. A cache that is
missing, unreadable, from another smpcare version or stale is rebuilt; failing to write it is
not an error.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import Callable

from smpcare import __version__
from smpcare.model import Guidelines

FORMAT = 1


def cache_dir() -> Path:
    home = os.environ.get("SMPCARE_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("smpcare", appauthor=False))


def fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return len(data), zlib.crc32(data)


def cached(roots: list[Path], build: Callable[[], Guidelines]) -> Guidelines:
    """``build()``'s guidelines for the YAML files ``roots``, from the cache when fresh."""
    roots = [p.resolve() for p in roots]
    key = zlib.crc32("\n".join(map(str, roots)).encode("utf-8"))
    path = cache_dir() / f"guidelines-{key:08x}.pickle"
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f)
        if (entry["format"], entry["version"], entry["roots"]) == (FORMAT, __version__, roots) \
                and all(fingerprint(Path(p)) == fp for p, fp in entry["inputs"]):
            return entry["guidelines"]
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        pass
    guidelines = build()
    inputs = list(roots)
    for source in guidelines.sources:
        if source.text:
            inputs.append((Path(source.path).parent / source.text).resolve())
    entry = {"format": FORMAT, "version": __version__, "roots": roots,
             "inputs": [(str(p), fingerprint(p)) for p in dict.fromkeys(inputs)],
             "guidelines": guidelines}
    try:
        from smpcare.journal import atomic_write_bytes

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # no cache this time; the answer is the same
    return guidelines
