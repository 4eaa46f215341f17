"""The printable handout (`plan --format html`): what it says, that it cites, that it is one
safe, self-contained, printable page. The browser's print of it is in test_handout_browser.py."""

import html as htmllib
import re
from datetime import date
from itertools import pairwise

import pytest

from conftest import SESSION
from handout import footnotes, page_text, references, write_sheet
from smpcare.dates import format_day
from smpcare.engine import build_plan, key_dates
from smpcare.loader import load_paths
from smpcare.render.html import handout

SECOND = date(2024, 5, 8)


@pytest.fixture
def two_sheets(tmp_path):
    """Two small sheets that disagree: a allows showers from day 4, b from day 7; b says
    nothing about sweat after day 2."""
    write_sheet(
        tmp_path,
        "a",
        [
            ("wetting", "avoid", 0, 3, "Keep it dry.", "Keep your scalp dry for four days."),
            (
                "wetting",
                "allowed",
                4,
                None,
                "Showers are fine again.",
                "Showers are fine from day four.",
            ),
            ("sweating", "avoid", 0, 6, "No gym.", "No gym for a week."),
            ("sweating", "allowed", 7, None, "Back to the gym.", "Back to the gym on day seven."),
            (
                "moisturize",
                "recommended",
                1,
                10,
                "Moisturize once a day.",
                "Use a light moisturizer once a day.",
            ),
        ],
        expect=[(0, 2, "Redness is normal.", "Some redness is normal.")],
        contact=[(0, 10, "Call us if it weeps.", "Call us if the scalp weeps.")],
    )
    write_sheet(
        tmp_path,
        "b",
        [
            ("wetting", "avoid", 0, 6, "No showers.", "No showers for a week."),
            ("wetting", "allowed", 7, None, "You may shower.", "From day seven you may shower."),
            ("sweating", "avoid", 0, 2, "Do not sweat.", "Do not sweat for three days."),
        ],
    )
    return load_paths([tmp_path])


def render(g, sessions=(SESSION,), **kw) -> str:
    return handout(build_plan(g, list(sessions), **kw), g)


def number(page: str, source: str, quote: str) -> str:
    """The footnote number the page gives this source's quote."""
    [n] = [
        n
        for n, (sid, q) in footnotes(page).items()
        if sid == source and htmllib.unescape(q) == quote
    ]
    return n


def test_key_dates_give_the_cautious_date_who_says_so_and_who_says_otherwise(two_sheets):
    page = render(two_sheets)
    shower_b = number(page, "b", "From day seven you may shower.")
    shower_a = number(page, "a", "Showers are fine from day four.")
    gym_a = number(page, "a", "Back to the gym on day seven.")
    assert (
        f"Wed 8 May (day 7) showering and washing: b^{shower_b} · ≠ ask your artist: "
        f"5 May: a^{shower_a} exercise and sweat: a^{gym_a} · ≠ ask your artist: "
        "no date given: b At a glance"
    ) in page_text(page)


def test_the_strip_shows_each_level_by_word_over_stretches_of_days(two_sheets):
    text = page_text(render(two_sheets))
    assert (
        "Date (day) 1 May 0 2–4 1–3 5–7 4–6 8–11 7–10 12 May+ 11+ "
        "showering and washing avoid avoid avoid ≠ fine fine "
        "exercise and sweat avoid avoid avoid fine fine "
        "moisturizer do do do What to avoid"
    ) in text


def test_what_starts_when_names_each_change_with_the_words_of_its_source(two_sheets):
    page = render(two_sheets)
    dry = number(page, "a", "Keep your scalp dry for four days.")
    gym = number(page, "a", "No gym for a week.")
    cream = number(page, "a", "Use a light moisturizer once a day.")
    assert (
        f"Wed 1 May, the session day: avoid showering and washing^{dry}, exercise and "
        f"sweat^{gym} Thu 2 – Sat 4 May (days 1–3): do moisturizer: Moisturize once a "
        f"day.^{cream} What to expect"
    ) in page_text(page)


def test_what_to_expect_and_when_to_contact_the_clinic_are_dated(two_sheets):
    text = page_text(render(two_sheets))
    assert "What to expect Days 0–2 (1–3 May): Redness is normal. (a)" in text
    assert "When to contact your clinic Days 0–10 (1–11 May): Call us if it weeps. (a)" in text


def test_a_clinic_sheets_minimums_conditions_own_topics_and_a_year_later(tmp_path):
    write_sheet(
        tmp_path,
        "clinic",
        [
            (
                "shaving",
                "avoid",
                0,
                4,
                "Do not shave.",
                "Do not shave for at least 5 days.",
                {"at_least": True},
            ),
            ("shaving", "allowed", 5, None, "Shaving is fine.", "After that you may shave."),
            (
                "shaving",
                "avoid",
                5,
                6,
                "Do not shave for two more days.",
                "If you see flaking, wait two more days.",
                {"condition": "if you see flaking"},
            ),
            ("hair-dye", "avoid", 0, 364, "No hair dye for a year.", "No hair dye for a year."),
            ("hair-dye", "allowed", 365, None, "Hair dye is fine.", "Dye is fine after a year."),
        ],
        topics=[("hair-dye", "hair colour and dye")],
    )
    page = render(load_paths([tmp_path]))
    n = {q: number(page, "clinic", q) for _, q in footnotes(page).values()}
    text = page_text(page)
    assert (
        f"Mon 6 May (day 5) shaving and haircuts: clinic^{n['After that you may shave.']} "
        "(at the earliest) · ask your artist Thu 1 May 2025 (day 365) hair colour and dye: "
        f"clinic^{n['Dye is fine after a year.']} At a glance"
    ) in text
    # A condition does not split the strip (it does not show there): its days are its own.
    assert (
        "Date (day) 1 May 0 2–5 1–4 6 May–30 Apr 2025 5–364 1 May 2025+ 365+ "
        "shaving and haircuts avoid avoid fine fine "
        "hair colour and dye avoid avoid avoid fine"
    ) in text
    assert (
        "Mon 6 May – Wed 30 Apr 2025 (days 5–364): If you see flaking (days 5–6): avoid "
        "shaving and haircuts: Do not shave for two more days."
        f"^{n['If you see flaking, wait two more days.']}"
    ) in text


def test_every_reference_is_a_verbatim_quote_of_its_source_under_its_title(guidelines):
    page = render(guidelines)
    notes = footnotes(page)
    assert set(references(page)) == set(notes)  # every footnote is used, every ref resolves
    assert list(notes) == [str(n) for n in range(1, len(notes) + 1)]
    for sid, quote in notes.values():
        source = guidelines.get(sid)
        assert htmllib.unescape(quote) in {r.quote for r in source.rules}
        assert (
            f'<p class="source"><b>{sid}</b>: <cite>{htmllib.escape(source.title)}</cite>' in page
        )


def test_key_dates_are_the_engines_for_every_session(guidelines):
    sessions = [SESSION, date(2024, 5, 15), date(2024, 5, 29)]
    text = page_text(render(guidelines, sessions))
    for s in key_dates(build_plan(guidelines, sessions)):
        head = f"Session {s.number} · {format_day(s.date, year=True)}: key dates"
        section = text[text.index(head) :]
        for lift in s.after:
            if lift.date is not None:
                day = (lift.date - s.date).days
                assert f"{format_day(lift.date)} (day {day})" in section
            elif lift.until_next:
                assert f"Not before session {s.number + 1}" in section


def test_guideline_text_is_never_markup(tmp_path):
    write_sheet(
        tmp_path,
        "clinic",
        [
            (
                "wetting",
                "limit",
                0,
                5,
                "Rinse with salt & water <script>alert(1)</script>",
                "Rinse with salt & water <script>alert(1)</script> only.",
            ),
        ],
        title="Smith & Jones <b>Clinic</b>",
    )
    page = render(load_paths([tmp_path]))
    assert "<script" not in page.lower() and "<b>Clinic" not in page
    assert "salt &amp; water &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Rinse with salt & water <script>alert(1)</script> only." in page_text(page)
    assert "Smith & Jones <b>Clinic</b>" in page_text(page)


def test_the_page_is_self_contained(guidelines):
    page = render(guidelines).lower()
    for outside in (
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        " src=",
        "url(",
        "@import",
        "@font-face",
        "http:",
        "https:",
        "//",
    ):
        assert outside not in page, outside


def test_the_page_is_semantic_html(guidelines):
    page = render(guidelines, [SESSION, SECOND])
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels))  # no level skipped
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        head, body = table.split("</thead>")
        assert '<th scope="col"' in head
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        assert rows and all(r.lstrip().startswith('<th scope="row"') for r in rows)


def test_print_css_keeps_text_large_rows_whole_and_colours_printed(guidelines):
    css = re.search(r"<style>(.*)</style>", render(guidelines), flags=re.S).group(1)
    sizes = re.findall(r"font(?:-size)?:\s*([\d.]+)(\w+)", css)
    assert sizes and all(unit == "pt" and float(n) >= 10 for n, unit in sizes)
    assert re.search(r"\btr \{ break-inside: avoid; \}", css)
    assert "print-color-adjust: exact" in css and "@page" in css


def test_plan_html_writes_one_file(run, tmp_path):
    out = tmp_path / "handout.html"
    result = run("plan", "-s", "2024-05-01", "--format", "html", "--output", str(out))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "args,code,line",
    [
        (
            ["--remind", "08:00"],
            2,
            "smpcare: error E208: --remind only works with --format ics. "
            "Add --format ics --output plan.ics.\n",
        ),
        (
            ["--output", "{tmp}/missing/handout.html"],
            1,
            "smpcare: error E209: cannot write '{tmp}/missing/handout.html': the folder "
            "'{tmp}/missing' does not exist. Create the folder first, or choose another path.\n",
        ),
    ],
)
def test_bad_html_input_is_one_coded_line(run, tmp_path, args, code, line):
    args = [a.format(tmp=tmp_path) for a in args]
    result = run("plan", "-s", "2024-05-01", "--format", "html", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (code, line.format(tmp=tmp_path), "")


SUNNY = (
    "If you live in a warm, sunny climate, take adequate precautions. A quality non-greasy "
    "sunscreen is best."
)


def test_conditional_advice_is_dated_once_where_it_starts(guidelines):
    page = render(guidelines)
    text = page_text(page)
    sunny = number(page, "beforecare", SUNNY)  # the shorter quote is inside it: one footnote
    assert (
        "Fri 31 May – Sat 1 Jun (days 30–31): If you live in a warm, sunny climate (from "
        "day 30): limit sun exposure: Take adequate precautions against the sun."
        f"^{sunny} do sunscreen: A quality non-greasy sunscreen is best.^{sunny}"
    ) in text
    scabs = number(page, "elka", "If the scabs continue to show up, use shampoos for greasy hair.")
    assert (
        text.count(
            "If the scabs continue to show up (days 4–10): do shampoo: Use a shampoo "
            f"for greasy hair.^{scabs}"
        )
        == 1
    )


def test_the_same_words_are_printed_once(guidelines):
    page = render(guidelines)
    wash = number(page, "process", "Keep washing your scalp with clean water and soap.")
    assert (
        "do showering and washing, shampoo: Keep washing your scalp with clean water and "
        f"soap.^{wash}"
    ) in page_text(page)


def test_a_course_names_what_it_said_after_the_first_session(guidelines):
    page = render(guidelines, [SESSION, date(2024, 5, 15), date(2024, 5, 29)])
    text = page_text(page)
    rinse = number(
        page,
        "beforecare",
        "Now is also a good time to get some water on your "
        "head. A light shower will do the trick but avoid shampoo.",
    )
    first = "limit showering and washing: Now is a good time to get some water on your head"
    assert text.count(first) == 1
    assert f"Mon 20 May (day 5): limit showering and washing^{rinse} " in text
    assert "Words given above are not printed again: the footnote number shows them." in text
    assert "Days 0–4 (1–5 May, 15–19 May, 29 May – 2 Jun): You may have some redness" in text
