"""The core stays pure: no typer, no rich, no clock."""

import subprocess
import sys
from pathlib import Path

CORE = [
    "smpcare.model",
    "smpcare.dates",
    "smpcare.engine",
    "smpcare.conflicts",
    "smpcare.loader",
    "smpcare.errors",
]


def test_core_imports_neither_typer_nor_rich():
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "from smpcare.loader import bundled_dir, load_paths\n"
        "from smpcare.engine import build_plan\n"
        "import datetime\n"
        "build_plan(load_paths([bundled_dir()]), [datetime.date(2024, 5, 1)])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_nothing_below_the_cli_reads_the_clock():
    src = Path(__file__).parents[1] / "src" / "smpcare"
    offenders = [
        p.name
        for p in src.rglob("*.py")
        if p.name != "cli.py"
        and ("date.today()" in p.read_text() or "datetime.now(" in p.read_text())
    ]
    assert offenders == []
