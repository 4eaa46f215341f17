"""Parse the dates people type, relative to a ``today`` the caller passes in.

Pure: never reads the clock. Accepted forms: ISO ``2024-05-01``; ``today``, ``yesterday``,
``tomorrow``; ``N days ago`` / ``in N days`` (also weeks); ``last friday`` / ``next friday``;
month names, ``1 May 2024`` / ``May 1 2024`` / ``May 1, 2024`` (the year may be left out for the
current one). Numeric forms such as ``05/06/2024`` are refused: they read differently in
different countries.

Only dates from ``FIRST`` to ``LAST`` are accepted (see README: a plan runs years past its last
session, and every date it shows must stay one that calendars hold). Decimal digits of any
script (Arabic-Indic, fullwidth) are read as the digits they are; anything else that merely
looks like a digit (``²``) is refused, because every pattern matches ASCII only.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

from smpcare.errors import SmpcareError

ACCEPTED = (
    "YYYY-MM-DD (2024-05-01), today, yesterday, tomorrow, '3 days ago', 'in 2 weeks', "
    "'last friday', 'next friday', '1 May 2024' or 'May 1 2024'"
)

FIRST = date(1900, 1, 1)
LAST = date(2200, 12, 31)

# Patterns are compiled on first use (re caches them): an ISO date never needs one. All are
# matched with re.ASCII, so that \d is 0-9 and nothing int() would choke on.
_NUMERIC = r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$"
_AGO = r"^(\d+) (day|days|week|weeks) ago$"
_IN = r"^in (\d+) (day|days|week|weeks)$"
_WEEKDAY = r"^(last|next) ([a-z]+)$"
_DAY_MONTH = r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,?(?: (\d{4}))?$"
_MONTH_DAY = r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,?(?: (\d{4}))?$"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MAX_SPAN = (LAST - FIRST).days  # no relative date further away than this can be in range
_SHOWN = 60  # characters of a refused input quoted back; the rest is elided


def parse_date(text: str, *, today: date, what: str = "date") -> date:
    """Turn ``text`` into a date from FIRST to LAST; raise SmpcareError (E201 unreadable,
    E202 ambiguous, E212 out of range) naming the text."""
    raw = _shown(text)
    day = _parse(raw, " ".join(_ascii_digits(text).strip().lower().split()), what, today)
    if not FIRST <= day <= LAST:
        raise out_of_range(raw, what)
    return day


def out_of_range(raw: str, what: str) -> SmpcareError:
    """The error for a date smpcare does not plan for (also used for saved dates)."""
    return SmpcareError(
        "E212",
        f"{what} '{raw}' is outside the dates smpcare plans for "
        f"({FIRST.isoformat()} to {LAST.isoformat()}).",
        "Give a date from 1900 to 2200.",
    )


def _parse(raw: str, text: str, what: str, today: date) -> date:
    if len(text) == 10 and text[4] == text[7] == "-" and _digits(text[:4] + text[5:7] + text[8:]):
        return _make(raw, what, int(text[:4]), int(text[5:7]), int(text[8:]))
    if text in ("today", "yesterday", "tomorrow"):
        return today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[text])
    if m := re.match(_AGO, text, re.ASCII):
        return _shift(raw, what, today, -_days(raw, what, m.group(1), m.group(2)))
    if m := re.match(_IN, text, re.ASCII):
        return _shift(raw, what, today, _days(raw, what, m.group(1), m.group(2)))
    if m := re.match(_WEEKDAY, text, re.ASCII):
        return _weekday(raw, what, m.group(1), m.group(2), today)
    if m := re.match(_NUMERIC, text, re.ASCII):
        raise _ambiguous(raw, what, m.groups())
    if m := re.match(_DAY_MONTH, text, re.ASCII):
        day, month, year = m.groups()
        return _named(raw, what, day, month, year, today)
    if m := re.match(_MONTH_DAY, text, re.ASCII):
        month, day, year = m.groups()
        return _named(raw, what, day, month, year, today)
    raise SmpcareError(
        "E201", f"{what} '{raw}' is not a date smpcare understands.", f"Use {ACCEPTED}."
    )


def format_day(d: date, *, year: bool = False) -> str:
    """``Wed 1 May`` (or ``Wed 1 May 2024``), the way every output shows a date."""
    text = f"{d.strftime('%a')} {d.day} {d.strftime('%b')}"
    return f"{text} {d.year}" if year else text


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 3]}..."


def _ascii_digits(text: str) -> str:
    """Decimal digits of any script as 0-9; everything else as it is."""
    if text.isascii():
        return text
    import unicodedata

    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _days(raw: str, what: str, count: str, unit: str) -> int:
    """``3 weeks`` as 21; a count too large for any date in range is refused before int()
    (which would refuse a 5,000-digit string with a ValueError of its own)."""
    days = int(count) * (7 if unit.startswith("week") else 1) if len(count) <= 6 else None
    if days is None or days > _MAX_SPAN:
        raise out_of_range(raw, what)
    return days


def _shift(raw: str, what: str, today: date, days: int) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:  # past year 9999 or before year 1: out of range either way
        raise out_of_range(raw, what) from None


def _make(raw: str, what: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise SmpcareError(
            "E201",
            f"{what} '{raw}' is not a real calendar date.",
            "Check the day and month, e.g. 2024-05-01.",
        ) from None


def _weekday(raw: str, what: str, direction: str, name: str, today: date) -> date:
    matches = [i for i, w in enumerate(_WEEKDAYS) if len(name) >= 3 and w.startswith(name)]
    if len(matches) != 1:
        raise SmpcareError(
            "E201", f"{what} '{raw}' names no weekday.", "Use e.g. 'last friday' or 'next monday'."
        )
    from dateutil.relativedelta import relativedelta, weekday

    if direction == "last":  # the most recent such weekday before today
        day: date = today + relativedelta(days=-1, weekday=weekday(matches[0])(-1))
    else:
        day = today + relativedelta(days=+1, weekday=weekday(matches[0])(+1))
    return day


def _named(raw: str, what: str, day: str, month: str, year: str | None, today: date) -> date:
    matches = [i for i, m in enumerate(_MONTHS, 1) if len(month) >= 3 and m.startswith(month)]
    if month == "sept":
        matches = [9]
    if len(matches) != 1:
        raise SmpcareError(
            "E201", f"{what} '{raw}': '{_shown(month)}' is not a month name.", f"Use {ACCEPTED}."
        )
    return _make(raw, what, int(year) if year else today.year, matches[0], int(day))


def _ambiguous(raw: str, what: str, parts: tuple[str, ...]) -> SmpcareError:
    a, b, c = (int(p) for p in parts)
    # 2024/05/06: year first, most likely ISO with other separators; else day-month-year or
    # month-day-year.
    readings = [(a, b, c)] if len(parts[0]) == 4 else [(c, b, a), (c, a, b)]
    found = []
    for y, m, d in readings:
        with contextlib.suppress(ValueError):
            found.append(date(y if y >= 100 else 2000 + y, m, d))
    valid = sorted({d for d in found if FIRST <= d <= LAST})
    if len(valid) > 1:
        options = " or ".join(f"{format_day(d, year=True)} ({d.isoformat()})" for d in valid)
        return SmpcareError(
            "E202", f"{what} '{raw}' is ambiguous: {options}?", "Write it as YYYY-MM-DD."
        )
    hint = (
        f"Write it as YYYY-MM-DD, e.g. {valid[0].isoformat()}."
        if valid
        else "Write it as YYYY-MM-DD."
    )
    return SmpcareError(
        "E202", f"{what} '{raw}' uses a numeric form smpcare does not guess at.", hint
    )


def hours_to_days(
    start: int, end: int | None, *, restricts: bool, before: bool = False
) -> tuple[int, int | None] | None:
    """The day offsets a window given in hours covers, read cautiously; None if it covers none.

    The session may be at any time of day 0. A restriction covers every day its hours touch
    (the first 72 hours reach day 3 for a session late on day 0; the first 36 reach day 2). A
    permission covers only the days wholly inside its hours: from hour 72 it starts on day 4,
    the first day past hour 72 whatever the session's time. Hour 0 is the session itself, so a
    permission from hour 0 covers the rest of day 0. Before-care counts hours back from the
    session (``start`` >= ``end`` >= 0); its day 0 is the part of the day before the session.
    """
    if before:
        assert end is not None  # before-care always ends (at the session at the latest)
        if restricts:  # from the earliest hour touched to the latest
            return -start // 24, -((end - 24) // 24) - 1
        first = 1 - start // 24
        last = 0 if end == 0 else -end // 24 - 1
    else:
        if restricts:
            return start // 24, None if end is None else -(-end // 24)
        first = 0 if start == 0 else 1 - (-start // 24)  # 1 + ceil(start / 24)
        if end is None:
            return first, None
        last = end // 24 - 1  # day d is wholly inside when 24 (d + 1) <= end
    return (first, last) if last >= first else None
