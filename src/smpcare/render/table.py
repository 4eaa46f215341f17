"""Terminal output with rich. Text from guideline files is always passed as ``Text``, never
as markup, so a note containing ``[bold]`` prints as written."""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from smpcare.dates import format_day
from datetime import date

from smpcare.engine import (
    Change,
    Countdown,
    Phase,
    Plan,
    TodayReport,
    TopicAdvice,
    expect_and_contact,
    phases,
)
from smpcare.conflicts import HORIZON, Comparison, ranges, spread
from smpcare.model import Guidelines, Info, Level
from smpcare.render import (
    CONFLICT_MARK,
    LEGEND,
    LEVEL_LABEL,
    LEVEL_ORDER,
    change_text,
    countdown_text,
    phase_title,
    policy_text,
    topic_name,
    who_says,
    lead_note,
)

STYLE = {Level.AVOID: "bold red", Level.LIMIT: "bold yellow", Level.RECOMMENDED: "bold green",
         Level.ALLOWED: "bold cyan"}


def _advice_table(topics: tuple[TopicAdvice, ...], total: int) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    table.add_column(width=5, no_wrap=True)
    table.add_column(ratio=2, min_width=12)
    table.add_column(ratio=5)
    table.add_column(ratio=3)
    for level in LEVEL_ORDER:
        for t in (t for t in topics if t.advice is level):
            name = Text(topic_name(t.topic))
            if t.conflict:
                name.append(f" {CONFLICT_MARK}", style="bold magenta")
            table.add_row(
                Text(LEVEL_LABEL[level], style=STYLE[level]), name, Text(lead_note(t)),
                Text(who_says(t, total), style="magenta" if t.conflict else "dim"),
            )
    return table


def _grid(rows: list[tuple[Text, Text]]) -> Table:
    """Two columns, so wrapped lines keep their indent."""
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for label, text in rows:
        table.add_row(label, text)
    return table


def _infos(infos: list[Info]) -> Table | None:
    expect, contact = expect_and_contact(infos)
    rows = [(Text("  expect", style="italic"), Text.assemble(i.note, (f" ({i.source})", "dim")))
            for i in expect]
    rows += [(Text("  contact", style="bold italic"),
              Text.assemble(i.note, (f" ({i.source})", "dim"))) for i in contact]
    return _grid(rows) if rows else None


def _header(title: str, plan_policy: str, prefer: str | None, warnings: list[str]) -> list:
    out: list = [Text(title, style="bold"), Text(f"Policy: {policy_text(plan_policy, prefer)}",
                                                 style="dim")]
    out += [Text(f"warning: {w}", style="yellow") for w in warnings]
    return out


def plan(console: Console, p: Plan, prefer: str | None = None) -> None:
    sessions = ", ".join(format_day(s, year=True) for s in p.sessions)
    label = "session" if len(p.sessions) == 1 else "sessions"
    for line in _header(f"Aftercare plan · {label} {sessions} · {len(p.source_ids)} sources",
                        p.policy, prefer, [w.message() for w in p.warnings]):
        console.print(line)
    console.print(Text(LEGEND, style="dim"))
    total = len(p.source_ids)
    for phase in phases(p):
        _phase(console, phase, len(p.sessions), total)


def _phase(console: Console, phase: Phase, sessions: int, total: int) -> None:
    console.print()
    console.print(Text(phase_title(phase, sessions), style="bold underline"))
    if phase.topics:
        console.print(_advice_table(phase.topics, total))
    else:
        console.print(Text("  No source gives advice for these days.", style="dim"))
    infos = _infos(phase.infos())
    if infos is not None:
        console.print(infos)


def today(console: Console, r: TodayReport, total: int, prefer: str | None = None) -> None:
    d = r.day
    title = f"{format_day(d.date, year=True)} · "
    first = r.sessions[0]
    if d.date < first:
        title += f"{-d.day} day{'s' if d.day != -1 else ''} before session 1 " \
                 f"({format_day(first, year=True)})"
    else:
        title += f"Day {d.day} after session {d.session} " \
                 f"({format_day(r.sessions[d.session - 1], year=True)})"
    for line in _header(title, r.policy, prefer, [w.message() for w in r.warnings]):
        console.print(line)
    if r.next_session and r.next_session != d.date and d.date >= first:
        console.print(Text(f"Next session: {format_day(r.next_session, year=True)} "
                           f"(in {(r.next_session - d.date).days} days)"))
    console.print()
    if r.status == "before":
        console.print(Text(f"No advice applies yet: before-care starts on "
                           f"{format_day(r.first_day, year=True)}."))
        return
    if r.status == "long-term":
        console.print(Text("Every dated window has closed; only the long-term advice below "
                           "still applies." if d.topics else
                           "No advice applies on this date: every window has closed."))
    if d.topics:
        console.print(_advice_table(d.topics, total))
        if any(t.conflict for t in d.topics):
            console.print(Text(LEGEND, style="dim"))
    infos = _infos(list(d.infos))
    if infos is not None:
        console.print(infos)
    if r.tomorrow:
        console.print()
        console.print(Text(f"Tomorrow ({format_day(d.date.fromordinal(d.date.toordinal() + 1))})",
                           style="bold"))
        console.print(_grid([_change_row(c) for c in r.tomorrow]))
    if r.countdowns and r.status == "active":
        console.print()
        console.print(Text("When restrictions lift", style="bold"))
        console.print(_grid([_countdown_row(c, d.date) for c in r.countdowns]))


def _change_row(c: Change) -> tuple[Text, Text]:
    name = Text(f"  {topic_name(c.topic)}")
    return name, Text(change_text(c))


def _countdown_row(c: Countdown, on: date) -> tuple[Text, Text]:
    return Text(f"  {topic_name(c.topic)}"), Text(countdown_text(c, on))


def sources(console: Console, g: Guidelines) -> None:
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("day convention")
    table.add_column("rules", justify="right")
    for s in g.sources:
        title = Text(s.title)
        if not s.verified:
            title.append(" (quotes unverified)", style="yellow")
        table.add_row(Text(s.id), title, Text(s.day_convention), Text(str(len(s.rules))))
    console.print(table)


def new_console(*, file=None, width: int | None = None) -> Console:
    # highlight=False: rich must not colour numbers or words inside guideline text.
    return Console(file=file, highlight=False, width=width, soft_wrap=False)


@contextmanager
def output(file: TextIO | None = None) -> Iterator[Console]:
    """A console for stdout (or ``file``). Off a terminal, lines lose rich's padding."""
    target = file or sys.stdout
    if target.isatty():
        yield new_console(file=target)
        return
    buffer = io.StringIO()
    yield new_console(file=buffer, width=None if file is None else 100)
    target.write("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n")


# --- compare-sources ----------------------------------------------------------------------

GLYPH = {Level.AVOID: "█", Level.LIMIT: "▓", Level.RECOMMENDED: "▒", Level.ALLOWED: "░"}
PLAIN_GLYPH = {Level.AVOID: "#", Level.LIMIT: "=", Level.RECOMMENDED: "+", Level.ALLOWED: "-"}


def compare(console: Console, c: Comparison, guidelines: Guidelines, *,
            quotes: bool = False) -> None:
    plain = console.no_color or console.color_system is None
    console.print(Text(f"How the {len(c.source_ids)} sources compare · one session on day 0 "
                       f"(before-care is negative)", style="bold"))
    ranked = c.ranked()
    console.print()
    console.print(Text("Where they disagree, most important first", style="bold underline"))
    if ranked:
        rows = []
        for i, t in enumerate(ranked, 1):
            rows.append((Text(f"{i:>2}. {topic_name(t.topic)}", style="bold"),
                         Text(f"days {ranges(t.conflict_days, t.conflict_continues)}: "
                              f"{spread(t)}")))
        console.print(_grid(rows))
        console.print(Text("Opposite advice (avoid vs fine) first, then the longest spans. "
                           "Ask your artist which to follow.", style="dim"))
    else:
        console.print(Text("  The sources agree on every day they speak."))
    console.print()
    console.print(Text("What each source says (days from the session; 7+ is day 7 onward; "
                       "· is silence)", style="bold underline"))
    console.print(_matrix(c))
    if quotes:
        _quotes(console, c)
    console.print()
    console.print(Text("Timelines (days -3 to 35; blank is silence; → continues)",
                       style="bold underline"))
    console.print(_legend(plain))
    for t in ranked + [t for t in c.topics if not t.conflict]:
        _timeline(console, c, t, plain)


def _matrix(c: Comparison) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column("topic", no_wrap=True)
    for sid in c.source_ids:
        table.add_column(sid, no_wrap=True, min_width=min(len(sid), 10))
    for t in c.topics:
        name = Text(topic_name(t.topic))
        if t.conflict:
            name.append(f" {CONFLICT_MARK}", style="bold magenta")
        cells = []
        for sid in c.source_ids:
            spans = t.spans.get(sid)
            if not spans:
                cells.append(Text("·", style="dim"))
                continue
            cell = Text()
            for i, s in enumerate(spans):
                if i:
                    cell.append("\n")
                cell.append(LEVEL_LABEL[s.advice], style=STYLE[s.advice])
                cell.append(f" {s.days(compact=True)}")
            cells.append(cell)
        table.add_row(name, *cells)
    return table


def _quotes(console: Console, c: Comparison) -> None:
    console.print()
    console.print(Text("In their own words", style="bold underline"))
    for t in c.topics:
        console.print(Text(topic_name(t.topic), style="bold"))
        rows = []
        for sid, spans in t.spans.items():
            for s in spans:
                rows.append((Text(f"  {sid} {LEVEL_LABEL[s.advice]} {s.days()}"),
                             Text(f"“{s.quote}”", style="italic")))
        console.print(_grid(rows))


def _legend(plain: bool) -> Text:
    glyphs = PLAIN_GLYPH if plain else GLYPH
    text = Text("  ")
    for level in LEVEL_ORDER:
        text.append(glyphs[level], style="" if plain else STYLE[level].replace("bold ", ""))
        text.append(f" {level.value}  ")
    text.append("^", style="bold magenta")
    text.append(" sources differ")
    return text


def _timeline(console: Console, c: Comparison, t, plain: bool) -> None:
    glyphs = PLAIN_GLYPH if plain else GLYPH
    first, last = c.first_day, HORIZON
    width = max(len(s) for s in c.source_ids)
    pad = " " * (width + 3)
    console.print()
    title = Text(topic_name(t.topic), style="bold")
    if t.conflict:
        title.append(f" {CONFLICT_MARK}", style="bold magenta")
    console.print(title)
    ruler = [" "] * (last - first + 3)
    for d in range(0, last + 1, 7):
        for i, ch in enumerate(str(d)):
            ruler[d - first + i] = ch
    console.print(Text(pad + "".join(ruler), style="dim"))
    for sid in c.source_ids:
        if sid not in t.spans:
            continue
        row = Text(f"  {sid:<{width}} ")
        for d in range(first, last + 1):
            level = t.level_on(sid, d)
            if level is None:
                row.append(" ")
            else:
                row.append(glyphs[level], style="" if plain else STYLE[level].replace("bold ", ""))
        later = [s for s in t.spans[sid] if s.start > last]
        if later:
            row.append(" » " + ", ".join(f"{LEVEL_LABEL[s.advice]} {s.days()}" for s in later),
                       style="dim")
        elif t.spans[sid][-1].end is None:
            row.append(" →", style="dim")
        console.print(row)
    if t.conflict:
        marks = "".join("^" if d in t.conflict_days or (t.conflict_continues and
                                                         d > t.conflict_days[-1]) else " "
                        for d in range(first, last + 1))
        console.print(Text(pad + marks.rstrip(), style="bold magenta"))
