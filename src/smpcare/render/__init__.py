"""Renderers: pure functions from core results to text (or JSON-ready dicts).

Each is imported only when its format is chosen, so ``--format json`` never loads rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from smpcare.dates import format_day
from smpcare.engine import Change, Day, FineAgain, Phase, TodayReport, TopicAdvice
from smpcare.model import Care, Level, Rule, Window, topic_label
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
    """The words of the advice shown: the preferred source's when it wins, else the first
    source whose level is the merged one; with that source's further instructions that day,
    and what its window in hours or its minimum means."""
    rules = [t.lead] + [r for r in t.more if r.source == t.lead.source]
    return " ".join(note_text(r) for r in rules)


def note_text(rule: Rule) -> str:
    """A rule's note with its context: ``Keep it dry. (first 72 hours: days 0–3)``."""
    context = rule_context(rule)
    return f"{rule.note} ({'; '.join(context)})" if context else rule.note


def rule_context(rule: Rule) -> list[str]:
    """What the days shown stand for: the hours the sheet gave, and a minimum."""
    out = []
    if rule.hours is not None:
        out.append(f"{hours_text(rule)}: {days_text(rule.window)}")
    if rule.at_least and rule.window.end is not None:
        out.append(f"at least until day {rule.window.end}, ask your artist")
    return out


def hours_text(rule: Rule) -> str:
    """The window as the sheet gave it: ``first 72 hours``, ``from 72 hours``."""
    assert rule.hours is not None
    start, end = rule.hours
    if rule.care is Care.BEFORE:
        return f"{start} hours before" if not end else f"{start} to {end} hours before"
    if end is None:
        return f"from {start} hours"
    return f"first {end} hours" if start == 0 else f"hours {start}–{end}"


def days_text(w: Window) -> str:
    """``days 0–3``, ``day 4``, ``from day 4``."""
    if w.end is None:
        return f"from day {w.start}"
    return f"day {w.start}" if w.start == w.end else f"days {w.start}–{w.end}"


def condition_text(rule: Rule, labels: Mapping[str, str] | None = None) -> str:
    """Conditional advice, beside the day's: ``If you see flaking or scabbing: avoid shaving
    and haircuts — Do not shave for another 24-48 hours. (northside)``."""
    assert rule.condition is not None
    return (f"{rule.condition[:1].upper()}{rule.condition[1:]}: {LEVEL_LABEL[rule.advice]} "
            f"{topic_name(rule.topic, labels)} — {note_text(rule)} ({rule.source})")


MAX_NAMES = 8  # beyond this many speaking sources, tables give counts (JSON lists them all)


def who_says(t: TopicAdvice, total: int | None = None) -> str:
    """``smusa, process`` or, where they disagree, ``avoid: smusa, process · limit: elka``."""
    groups = t.by_level()
    named = len(t.sources) <= MAX_NAMES
    if len(groups) == 1:
        ids = next(iter(groups.values()))
        if total and len(ids) == total and total > 1:
            return f"all {total} sources"
        return ", ".join(ids) if named else f"{len(ids)} sources"
    if named:
        return " · ".join(f"{LEVEL_LABEL[lvl]}: {', '.join(ids)}" for lvl, ids in groups.items())
    return " · ".join(f"{LEVEL_LABEL[lvl]}: {len(ids)}" for lvl, ids in groups.items()) + \
        " sources"


def topic_name(topic: str, labels: Mapping[str, str] | None = None) -> str:
    """The words a client uses for a topic ("exercise and sweat"), as every output prints it;
    ``labels`` is the result's own mapping, which knows the sheets' own topics."""
    return topic_label(topic, labels)


def change_text(c: Change) -> str:
    """``avoid → limit (...)``, or ``still limit; fine per beforecare``."""
    if c.after is None:
        assert c.before is not None
        ids = [s.source for s in c.before.sources if s.advice.restricts]
        if ids:  # silence is not permission
            return (f"no date given: {', '.join(ids)} {plural(len(ids), 'says', 'say')} no more "
                    "after today; ask your artist")
        return "the sources say no more about it"
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


def lift_text(f: FineAgain, on: date) -> str:
    """``fine from Tue 7 May (in 1 day); later per process (Wed 15 May); no date from smusa
    (its advice ends after Sat 11 May)`` — the policy's date first, then who says otherwise."""
    if f.date is not None:
        days = (f.date - on).days
        head = f"fine from {format_day(f.date)} (in {days} {plural(days, 'day')})"
    elif f.open_ended:
        head = "no end date: long-term advice"
    elif f.until_next:
        head = "still restricted when the next session starts"
    else:
        head = "no date given"
    parts = [head]
    others: dict[date, list[str]] = {}
    for s in f.sources:
        if s.date is not None and s.date != f.date:
            others.setdefault(s.date, []).append(s.source)
    for when, ids in sorted(others.items()):
        word = "earlier" if f.date is None or when < f.date else "later"
        parts.append(f"{word} per {', '.join(ids)} ({format_day(when)})")
    keep = [s.source for s in f.sources if s.date is None and s.ends is None]
    if keep and f.date is not None:
        parts.append(f"still restricted per {', '.join(keep)}")
    silent = [s for s in f.sources if s.date is None and s.ends is not None]
    if silent:
        parts.append("no date from " + ", ".join(
            f"{s.source} (its advice ends after {format_day(s.ends)})" for s in silent
            if s.ends is not None) + "; ask your artist")
    for s in f.sources:
        until = s.ends if s.date is None else s.date - timedelta(days=1)
        if s.at_least and until is not None:
            parts.append(f"{s.source}: at least until {format_day(until)}, ask your artist")
    return "; ".join(parts)
