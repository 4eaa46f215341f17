import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level

FIXTURES = Path(__file__).parent / "fixtures"
SESSION = date(2024, 5, 1)  # a Wednesday


@pytest.fixture(autouse=True)
def smpcare_home(tmp_path, monkeypatch):
    """Every test gets its own empty data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("SMPCARE_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(scope="session")
def guidelines():
    return load_paths([bundled_dir()])


@pytest.fixture
def run():
    """Run the CLI in-process; returns the click Result (stdout, stderr, exit_code)."""
    from smpcare.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, columns: int = 100):
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": str(columns)})

    return invoke


def day(n: int, session: date = SESSION) -> date:
    return date.fromordinal(session.toordinal() + n)


def without_root_powers() -> list[str] | None:
    """A command prefix under which file permissions apply, or None if there is none here:
    nothing for an ordinary user; for root, setpriv dropping the capabilities that override
    them."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else None


def as_user(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run smpcare in a fresh process under which file permissions apply (see above)."""
    return subprocess.run(
        [*(without_root_powers() or []), sys.executable, "-m", "smpcare", *args],
        env={**os.environ, "SMPCARE_HOME": str(home)},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def source_level(days, source: str, offset: int, topic: str) -> Level | None:
    """One source's level for a topic on a day offset, from ``engine.source_days``; None is
    silence. Past the last dated day only long-term advice remains."""
    first, last, cells = days
    if offset < first:
        return None
    rule = cells.get(min(offset, last + 1), {}).get(topic, {}).get(source)
    return None if rule is None else rule.advice
