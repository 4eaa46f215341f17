"""The handout printed by a real browser: headless Chromium prints `plan --format html` to PDF.

Pages are counted on A4 and on Letter (the page size is added to a copy of the handout, as a
print dialog would choose it), the PDF's text must carry the key dates, and text from a clinic's
sheet must print as text. Each test keeps a screenshot of the first screenful (page1.png) in its
temporary folder, for a person to look at.

Without Chromium the tests are skipped, except under CI (CI=true), where they must run:
.ci/run installs Debian's `chromium` package when it is missing.
"""

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import SESSION
from handout import write_sheet
from smpcare.dates import format_day
from smpcare.engine import build_plan, key_dates

COURSE = [SESSION, date(2024, 5, 15), date(2024, 5, 29)]
SIZES = {"A4": (794, 1123), "letter": (816, 1056)}  # CSS pixels, for the screenshot


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            "CI=true but Chromium is not installed: .ci/run installs the Debian "
            "package 'chromium'; the handout must be checked in a real browser."
        )
    pytest.skip(
        "Chromium is not installed (Debian: apt-get install chromium); the handout's "
        "print is checked only in a real browser."
    )


def browser(chromium: str, work: Path, *args: str) -> None:
    profile = work / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def print_pdf(chromium: str, handout: Path, size: str) -> tuple[int, str]:
    """Print the handout on ``size`` paper; return the page count and the text."""
    from pypdf import PdfReader

    page = handout.with_name(f"{handout.stem}-{size}.html")
    page.write_text(
        handout.read_text(encoding="utf-8").replace(
            "</head>", f"<style>@page {{ size: {size}; }}</style>\n</head>"
        ),
        encoding="utf-8",
    )
    pdf = page.with_suffix(".pdf")
    browser(
        chromium, handout.parent, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()
    )
    reader = PdfReader(pdf)
    text = " ".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def screenshot(chromium: str, handout: Path) -> Path:
    png = handout.with_name("page1.png")
    width, height = SIZES["A4"]
    browser(
        chromium,
        handout.parent,
        f"--screenshot={png}",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
        handout.as_uri(),
    )
    return png


def make_handout(run, folder: Path, sessions: list[date], *extra: str) -> Path:
    out = folder / "handout.html"
    args = [a for s in sessions for a in ("--session", s.isoformat())]
    result = run("plan", *args, "--format", "html", "--output", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return out


def key_date_words(guidelines, sessions: list[date]) -> list[str]:
    """What the key dates must say: each date something is fine again, or why there is none."""
    words = []
    for s in key_dates(build_plan(guidelines, sessions)):
        for lift in s.after:
            if lift.date is not None:
                words.append(f"{format_day(lift.date)} (day {(lift.date - s.date).days})")
            elif lift.until_next:
                words.append(f"Not before session {s.number + 1}")
            else:
                words.append("No end date" if lift.open_ended else "No date given")
    return words


@pytest.mark.parametrize(
    "sessions,most", [([SESSION], 2), (COURSE, 4)], ids=["one session", "three sessions"]
)
def test_the_printed_handout_fits_and_carries_the_key_dates(
    run, chromium, guidelines, tmp_path, sessions, most
):
    handout = make_handout(run, tmp_path, sessions)
    png = screenshot(chromium, handout)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for size in ("A4", "letter"):
        pages, text = print_pdf(chromium, handout, size)
        assert pages <= most, f"{pages} {size} pages"
        for words in key_date_words(guidelines, sessions):
            assert words in text, (size, words)


def test_a_clinic_note_prints_as_text(run, chromium, tmp_path):
    sheet = write_sheet(
        tmp_path,
        "clinic",
        [
            (
                "wetting",
                "limit",
                0,
                5,
                "Rinse with salt & water <script>alert(1)</script>",
                "Rinse with salt & water, no soap.",
            ),
        ],
        title="Smith & Jones",
    )
    handout = make_handout(
        run, tmp_path, [SESSION], "--guidelines", str(sheet), "--prefer", "clinic"
    )  # so that its words are the ones shown
    screenshot(chromium, handout)
    _, text = print_pdf(chromium, handout, "A4")
    # Where the line wraps, the PDF's text has a space: compare without spaces.
    assert "Rinsewithsalt&water<script>alert(1)</script>" in text.replace(" ", "")
    assert "Smith & Jones" in text
