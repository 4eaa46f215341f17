"""The guideline cache proves its content: a damaged or forged cache is rebuilt, never used."""

import json
import os
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES
from smpcare import cache
from smpcare.catalog import load_all
from smpcare.loader import bundled_dir, guideline_files, load_paths

CLINIC = FIXTURES / "valid" / "clinic.yaml"


def load(builds: list[int], roots: list[Path] | None = None):
    """Guidelines through the cache (the bundled ones by default), counting the parses."""
    roots = roots or guideline_files([bundled_dir()])

    def build():
        builds.append(1)
        return load_paths(roots)

    return cache.cached(roots, build)


def test_every_changed_byte_of_the_cache_means_a_rebuild_with_the_same_advice(smpcare_home):
    builds: list[int] = []
    fresh = load(builds, [CLINIC])  # one small source: a rebuild costs little
    [path] = (smpcare_home / "cache").iterdir()
    good = path.read_bytes()
    assert load(builds, [CLINIC]) == fresh and len(builds) == 1  # served from the cache
    step = max(1, len(good) // 500)
    for at in range(0, len(good), step):  # every byte, or 500 spread over header and payload
        damaged = bytearray(good)
        damaged[at] ^= 0x24
        path.write_bytes(bytes(damaged))
        before = len(builds)
        assert load(builds, [CLINIC]) == fresh, at
        assert len(builds) == before + 1, f"a cache changed at byte {at} was used"
    path.write_bytes(good[: len(good) // 2])  # a truncated write
    assert load(builds, [CLINIC]) == fresh


def forge_crc(data: bytes, at: int, target: int) -> bytes | None:
    """``data`` with the 4 bytes at ``at`` set so that its CRC-32 is ``target`` (CRC-32 is
    affine over GF(2), so 32 unknown bits solve 32 equations); None if those bytes are not
    printable ASCII."""

    def crc(x: int) -> int:
        return zlib.crc32(data[:at] + x.to_bytes(4, "little") + data[at + 4 :])

    base = crc(0)
    rows = [(crc(1 << i) ^ base, 1 << i) for i in range(32)]  # (effect, bit)
    want, solution = target ^ base, 0
    for bit in range(32):  # Gaussian elimination, one output bit at a time
        pivot = next((r for r in rows if r[0] >> bit & 1), None)
        if pivot is None:
            return None
        rows = [
            (e ^ pivot[0], v ^ pivot[1]) if e >> bit & 1 else (e, v)
            for e, v in rows
            if (e, v) != pivot
        ]
        if want >> bit & 1:
            want ^= pivot[0]
            solution ^= pivot[1]
    patch = solution.to_bytes(4, "little")
    if not all(0x20 <= b < 0x7F and b not in b'\\"' for b in patch):
        return None
    return data[:at] + patch + data[at + 4 :]


def test_a_same_size_edit_with_the_same_crc32_is_not_served_stale(run, tmp_path):
    (tmp_path / "clinic.txt").write_bytes((FIXTURES / "valid" / "clinic.txt").read_bytes())
    source = tmp_path / "clinic.yaml"
    original = CLINIC.read_bytes()
    args = (
        "today",
        "-s",
        "2024-05-01",
        "--on",
        "2024-05-03",
        "-f",
        "json",
        "--source",
        "clinic",
        "--guidelines",
        str(source),
    )

    def wetting() -> str:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        return next(t for t in json.loads(result.stdout)["topics"] if t["topic"] == "wetting")[
            "advice"
        ]

    before = original + b"# 0000....\n"
    source.write_bytes(before)
    assert wetting() == "avoid"
    edited = original.replace(b"advice: avoid", b"advice: limit", 1)
    for n in range(10_000):  # vary a comment until the patch is printable: about 1 in 50
        forged = forge_crc(
            edited + f"# {n:04d}....\n".encode(), len(edited) + 6, zlib.crc32(before)
        )
        if forged is not None:
            break
    else:
        pytest.fail("no printable CRC-32 collision found")
    assert len(forged) == len(before) and zlib.crc32(forged) == zlib.crc32(before)
    source.write_bytes(forged)
    assert wetting() == "limit"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_cache_file_replaced_by_a_fifo_is_rebuilt_without_hanging(smpcare_home):
    builds: list[int] = []
    fresh = load(builds)
    [path] = (smpcare_home / "cache").iterdir()
    path.unlink()
    os.mkfifo(path)
    assert load(builds) == fresh and len(builds) == 2


def test_a_cache_folder_that_is_a_file_only_costs_the_cache(smpcare_home):
    smpcare_home.mkdir()
    (smpcare_home / "cache").write_text("in the way")
    builds: list[int] = []
    assert load(builds) == load(builds) and len(builds) == 2
    assert (smpcare_home / "cache").read_text() == "in the way"


def test_a_cache_from_another_format_is_rebuilt(smpcare_home, monkeypatch):
    builds: list[int] = []
    fresh = load(builds)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert load(builds) == fresh and len(builds) == 2


def test_the_cache_serves_the_catalog_what_a_fresh_parse_gives(smpcare_home):
    assert load_all([CLINIC]) == load_all([CLINIC]) == load_all([CLINIC], use_cache=False)
