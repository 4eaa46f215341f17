"""Where guideline files come from: the bundled sources, then extra files for one run."""

from __future__ import annotations

from pathlib import Path

from smpcare.model import Guidelines


def load_all(extra: list[Path]) -> Guidelines:
    from smpcare.loader import bundled_dir, load_paths

    bundled = load_paths([bundled_dir()])
    if not extra:
        return bundled
    more = load_paths(extra, known=bundled)
    return Guidelines(bundled.sources + more.sources)
