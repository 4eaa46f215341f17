"""Renderers: pure functions from core results to text (or JSON-ready dicts).

Each is imported only when its format is chosen, so ``--format json`` never loads rich.
"""

from __future__ import annotations

from datetime import date

from smpcare.dates import format_day
from smpcare.engine import Change, Countdown, Day, Phase, TodayReport, TopicAdvice
from smpcare.model import Level
from smpcare.words import plural

LEVEL_LABEL = {Level.AVOID: "avoid", Level.LIMIT: "limit", Level.RECOMMENDED: "do",
               Level.ALLOWED: "fine"}
POLICY_TEXT = {"cautious": "cautious: the strictest advice wins",
               "majority": "majority: the advice most sources give; ties go cautious"}
CONFLICT_MARK = "≠"
LEGEND = (f"{CONFLICT_MARK} = the sources disagree; the merged advice is shown and who says "
          "what is listed. Ask your artist which to follow.")


def policy_text(policy: str, prefer: str | None = None) -> str:
    if policy.startswith("source:"):
        text = f"one source only: {policy.split(':', 1)[1]}"
    else:
        text = POLICY_TEXT.get(policy, policy)
    return f"{text}; {prefer} wins disagreements" if prefer else text


def today_title(r: TodayReport) -> str:
    """``Mon 6 May 2024 · Day 5 after session 1 (Wed 1 May 2024)``."""
    d, first = r.day, r.sessions[0]
    if d.date < first:
        return (f"{format_day(d.date, year=True)} · {-d.day} {plural(-d.day, 'day')} "
                f"before session 1 ({format_day(first, year=True)})")
    return (f"{format_day(d.date, year=True)} · Day {d.day} after session {d.session} "
            f"({format_day(r.sessions[d.session - 1], year=True)})")


def next_session_text(r: TodayReport) -> str | None:
    if r.next_session is None or r.day.date < r.sessions[0]:
        return None
    days = (r.next_session - r.day.date).days
    return (f"Next session: {format_day(r.next_session, year=True)} "
            f"(in {days} {plural(days, 'day')})")


def unverified_text(ids: tuple[str, ...]) -> str | None:
    if not ids:
        return None
    return f"Unverified quotes (no source text given): {', '.join(ids)}"


def day_range(first: Day, last: Day, open_ended: bool = False) -> str:
    """``Day 0–2 · Wed 1 May – Fri 3 May 2024``."""
    if open_ended:
        return f"Day {first.day} onward · from {format_day(first.date, year=True)}"
    if first.date == last.date:
        return f"Day {first.day} · {format_day(first.date, year=True)}"
    return (f"Day {first.day}–{last.day} · {format_day(first.date)} – "
            f"{format_day(last.date, year=True)}")


def phase_title(phase: Phase, sessions: int) -> str:
    text = day_range(phase.first, phase.last, phase.open_ended)
    if phase.before_care:
        text = f"Before session {phase.first.session} · {text}"
    elif sessions > 1:
        text = f"Session {phase.first.session} · {text}"
    return text


def lead_note(t: TopicAdvice) -> str:
    """The note of the first source whose level is the merged one."""
    for s in t.sources:
        if s.advice is t.advice:
            return s.note
    return t.sources[0].note


MAX_NAMES = 8  # beyond this many speaking sources, tables give counts (JSON lists them all)


def who_says(t: TopicAdvice, total: int | None = None) -> str:
    """``smusa, process`` or, where they disagree, ``avoid: smusa, process · limit: elka``."""
    groups = t.by_level()
    named = len(t.sources) <= MAX_NAMES
    if not t.conflict:
        ids = next(iter(groups.values()))
        if total and len(ids) == total and total > 1:
            return f"all {total} sources"
        return ", ".join(ids) if named else f"{len(ids)} sources"
    if named:
        return " · ".join(f"{LEVEL_LABEL[lvl]}: {', '.join(ids)}" for lvl, ids in groups.items())
    return " · ".join(f"{LEVEL_LABEL[lvl]}: {len(ids)}" for lvl, ids in groups.items()) + \
        " sources"


def topic_name(topic: str) -> str:
    return topic.replace("-", " ")


def change_text(c: Change) -> str:
    """``avoid → limit (...)``, or ``still limit; fine per beforecare``."""
    if c.after is None:
        return "no source gives advice any more"
    if c.before is None:
        return f"{LEVEL_LABEL[c.after.advice]} ({who_says(c.after)})"
    if c.before.advice is not c.after.advice:
        return (f"{LEVEL_LABEL[c.before.advice]} → {LEVEL_LABEL[c.after.advice]} "
                f"({who_says(c.after)})")
    old = {s.source: s.advice for s in c.before.sources}
    moved: dict[str, list[str]] = {}
    for s in c.after.sources:
        if s.source in old and old[s.source] is not s.advice:
            moved.setdefault(LEVEL_LABEL[s.advice], []).append(s.source)
    parts = [f"{level} per {', '.join(ids)}" for level, ids in moved.items()]
    return "; ".join([f"still {LEVEL_LABEL[c.after.advice]}"] + parts)


def countdown_text(c: Countdown, on: date) -> str:
    """``fine from Tue 7 May (in 1 day) per beforecare, elka; ... ; no date from smusa``."""
    groups: dict[tuple[date, str], list[str]] = {}
    for source, when, level in c.dates:
        word = "recommended" if level is Level.RECOMMENDED else "fine"
        groups.setdefault((when, word), []).append(source)
    parts = []
    for (when, word), ids in groups.items():
        days = (when - on).days
        parts.append(f"{word} from {format_day(when)} (in {days} {plural(days, 'day')})"
                     f" per {', '.join(ids)}")
    if c.no_date:
        parts.append(f"{', '.join(c.no_date)} {plural(len(c.no_date), 'gives', 'give')} "
                     "no date")
    return "; ".join(parts)
