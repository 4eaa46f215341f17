"""The code checks itself: ruff (lint and format) and mypy --strict are part of the test command.

Each check runs as its own process, as a contributor or the pre-commit hook runs it, with the
versions the test extra installs and the settings in pyproject.toml; a finding fails the suite
like a failing test, with the tool's own report as the failure message.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

CHECKS = {
    "ruff check": ("ruff", "check", "--no-cache", "."),
    "ruff format --check": ("ruff", "format", "--check", "--no-cache", "."),
    "mypy --strict": ("mypy",),
}


def check(name: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *CHECKS[name]], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("name", CHECKS)
def test_the_code_passes(name):
    result = check(name, ROOT)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}{result.stderr}"


# A mistake added to a copy of the package, the check that must refuse it, and what it says.
MISTAKES = [
    ("import os\n", "ruff check", "F401 [*] `os` imported but unused"),
    (
        "def day() -> int:\n    return 'day 0'\n",
        "mypy --strict",
        'Incompatible return value type (got "str", expected "int")  [return-value]',
    ),
    (
        "def day(n):\n    return n\n",
        "mypy --strict",
        "Function is missing a type annotation  [no-untyped-def]",
    ),
    (
        "days = [ 0,1 ]\n",
        "ruff format --check",
        "unformatted: File would be reformatted\n --> src/smpcare/mistake.py",
    ),
]


@pytest.mark.parametrize("code,name,report", MISTAKES)
def test_a_mistake_fails_the_check(tmp_path, code, name, report):
    shutil.copytree(
        ROOT / "src" / "smpcare",
        tmp_path / "src" / "smpcare",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "src" / "smpcare" / "mistake.py").write_text(f'"""A mistake."""\n\n{code}')
    result = check(name, tmp_path)
    assert result.returncode == 1
    assert report in result.stdout
