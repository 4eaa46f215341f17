"""Terminal output: pages of styled lines, laid out here.

Layout is done by this module, not by rich, so that output piped to a file or another
program is plain text produced without importing rich at all; on a terminal each line is
handed to rich only to be coloured (rich also honours NO_COLOR). Text from guideline files is
only ever placed in ``Text`` segments, never parsed as markup.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import date
from typing import TextIO

from smpcare.conflicts import HORIZON, Comparison, TopicComparison, ranges, spread
from smpcare.dates import format_day
from smpcare.engine import (
    Phase,
    Plan,
    TodayReport,
    TopicAdvice,
    expect_and_contact,
    phases,
)
from smpcare.model import STRICTEST_FIRST, TOPICS, Guidelines, Info, Level, Rule
from smpcare.render import (
    CONFLICT_MARK,
    LEGEND,
    LEVEL_LABEL,
    change_text,
    condition_text,
    lift_text,
    lead_note,
    next_session_text,
    phase_title,
    policy_text,
    today_title,
    unverified_text,
    who_says,
)

Seg = tuple[str, str]  # (text, rich style; "" for none)
Cell = str | list[Seg]  # text to wrap, or styled segments kept on one line

STYLE = {Level.AVOID: "bold red", Level.LIMIT: "bold yellow", Level.RECOMMENDED: "bold green",
         Level.ALLOWED: "bold cyan"}
MARK = "bold magenta"
GLYPH = {Level.AVOID: "█", Level.LIMIT: "▓", Level.RECOMMENDED: "▒", Level.ALLOWED: "░"}
PLAIN_GLYPH = {Level.AVOID: "#", Level.LIMIT: "=", Level.RECOMMENDED: "+", Level.ALLOWED: "-"}


class Page:
    """Styled lines laid out for one width."""

    def __init__(self, width: int = 80, color: bool = False):
        self.width = max(width, 40)
        self.color = color  # whether colour will be shown: picks the timeline glyphs
        self.lines: list[list[Seg]] = []

    def line(self, *segs: Seg) -> None:
        self.lines.append(list(segs))

    def blank(self) -> None:
        self.lines.append([])

    def text(self, text: str, style: str = "", indent: int = 0) -> None:
        for chunk in _wrap(text, self.width - indent):
            self.lines.append([(" " * indent, ""), (chunk, style)])

    def grid(self, rows: list[list[tuple[Cell, str]]], widths: list[int],
             indent: int = 0) -> None:
        """Rows of (cell, style); ``widths`` are fixed, except 0s, which share the rest."""
        flex = [i for i, w in enumerate(widths) if w == 0]
        rest = self.width - indent - sum(widths) - (len(widths) - 1)
        sizes = list(widths)
        for n, i in enumerate(flex):
            share = rest // len(flex) if n < len(flex) - 1 else rest - rest // len(flex) * n
            sizes[i] = max(share, 8)
        last = len(sizes) - 1
        lead = [(" " * indent, "")] if indent else []
        for row in rows:
            # Each cell as its lines, each line as (segments, length).
            cells = []
            for (cell, style), size in zip(row, sizes):
                if isinstance(cell, list):  # already styled: one line, kept whole
                    cells.append(((cell, sum(len(t) for t, _ in cell)),))
                else:
                    cells.append(tuple(([(chunk, style)], len(chunk))
                                       for chunk in _wrap(cell, size)))
            for n in range(max(len(c) for c in cells)):
                segs = list(lead)
                for i, lines in enumerate(cells):
                    part, length = lines[n] if n < len(lines) else ((), 0)
                    segs.extend(part)
                    if i < last:
                        segs.append((" " * (sizes[i] - length + 1), ""))
                self.lines.append(segs)

    def plain(self) -> str:
        return "".join("".join(t for t, _ in line).rstrip() + "\n" for line in self.lines)


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Greedy word wrap (cached: a plan repeats the same notes in many phases)."""
    width = max(width, 8)
    lines: list[str] = []
    current = ""
    words = text.split()
    if words and text[0] == " ":  # keep the first line's indent (" 1. shampoo")
        words[0] = text[: len(text) - len(text.lstrip(" "))] + words[0]
    for word in words:
        while len(word) > width:  # a word longer than the column is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return tuple(lines)


def topic_name(topic: str, labels: Mapping[str, str] | None = None) -> str:
    """Topic ids with spaces: this layout's fixed columns predate the client labels. A
    sheet's own topic is shown by the label it gives (``labels``, the result's own)."""
    if labels and topic in labels and topic not in TOPICS:
        return labels[topic]
    return topic.replace("-", " ")


def width_for(file: TextIO) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    if _isatty(file):
        import shutil

        return shutil.get_terminal_size((80, 24)).columns
    return 80


def colored(file: TextIO) -> bool:
    return _isatty(file) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def new_page(file: TextIO) -> Page:
    return Page(width_for(file), color=colored(file))


def emit(page: Page, file: TextIO) -> None:
    """Plain text off a terminal or with NO_COLOR; coloured by rich otherwise."""
    if not colored(file):
        file.write(page.plain())
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=file, highlight=False, width=page.width)
    for line in page.lines:
        console.print(Text.assemble(*line), no_wrap=True, overflow="ignore", crop=False)


def _isatty(file: TextIO) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):
        return False


# --- plan and today -----------------------------------------------------------------------

NAME_WIDTH = 18  # the topic column of plan and today


def _advice_rows(page: Page, topics: tuple[TopicAdvice, ...], total: int,
                 labels: Mapping[str, str]) -> None:
    rows = []
    for level in STRICTEST_FIRST:
        for t in (t for t in topics if t.advice is level):
            label = topic_name(t.topic, labels)
            segs: list[Seg] = [(label, "")]
            if t.conflict:
                segs.append((f" {CONFLICT_MARK}", MARK))
            # a sheet's own long label is wrapped, not run into the next column
            name: Cell = segs if len(label) + 2 <= NAME_WIDTH else \
                label + (f" {CONFLICT_MARK}" if t.conflict else "")
            rows.append([(LEVEL_LABEL[level], STYLE[level]), (name, ""), (lead_note(t), ""),
                         (who_says(t, total), "magenta" if t.conflict else "dim")])
    wide = page.width >= 100
    page.grid(rows, [5, NAME_WIDTH, 0, 0 if wide else 24])


def _conditions(page: Page, rules: tuple[Rule, ...], labels: Mapping[str, str]) -> None:
    """Conditional advice, beside the day's and never merged into it."""
    for r in rules:
        page.text(condition_text(r, labels), "italic", indent=2)


def _infos(page: Page, infos: list[Info]) -> None:
    expect, contact = expect_and_contact(infos)
    rows = [[("expect", "italic"), (f"{i.note} ({i.source})", "")] for i in expect]
    rows += [[("contact", "bold italic"), (f"{i.note} ({i.source})", "")] for i in contact]
    page.grid(rows, [8, 0], indent=2)


def _header(page: Page, title: str, policy: str, prefer: str | None, warnings: list[str],
            unverified: tuple[str, ...]) -> None:
    page.text(title, "bold")
    page.text(f"Policy: {policy_text(policy, prefer)}", "dim")
    for w in warnings:
        page.text(f"warning: {w}", "yellow")
    if notice := unverified_text(unverified):
        page.text(notice, "yellow")


def plan(page: Page, p: Plan) -> Page:
    sessions = ", ".join(format_day(s, year=True) for s in p.sessions)
    label = "session" if len(p.sessions) == 1 else "sessions"
    _header(page, f"Aftercare plan · {label} {sessions} · {len(p.source_ids)} sources",
            p.policy, p.prefer, [w.message() for w in p.warnings], p.unverified)
    page.text(LEGEND, "dim")
    for phase in phases(p):
        _phase(page, phase, len(p.sessions), len(p.source_ids), p.labels)
    return page


def _phase(page: Page, phase: Phase, sessions: int, total: int,
           labels: Mapping[str, str]) -> None:
    page.blank()
    page.text(phase_title(phase, sessions), "bold underline")
    if phase.topics:
        _advice_rows(page, phase.topics, total, labels)
    elif not phase.first.conditions:
        page.text("No source gives advice for these days.", "dim", indent=2)
    _conditions(page, phase.first.conditions, labels)
    _infos(page, phase.infos())


def today(page: Page, r: TodayReport, quotes: bool = False) -> Page:
    d = r.day
    total = len(r.source_ids)
    _header(page, today_title(r), r.policy, r.prefer, [w.message() for w in r.warnings],
            r.unverified)
    if nxt := next_session_text(r):
        page.text(nxt)
    page.blank()
    if r.status == "before":
        page.text(f"No advice applies yet: before-care starts on "
                  f"{format_day(r.first_day, year=True)}.")
        return page
    if r.status == "long-term":
        page.text("Every dated window has closed; only the long-term advice below still "
                  "applies." if d.topics else
                  "No advice applies on this date: every window has closed.")
    if d.topics:
        _advice_rows(page, d.topics, total, r.labels)
        if any(t.conflict for t in d.topics):
            page.text(LEGEND, "dim")
    _conditions(page, d.conditions, r.labels)
    _infos(page, list(d.infos))
    if quotes and d.topics:
        page.blank()
        page.text("In the sources' own words", "bold")
        for t in d.topics:
            page.text(topic_name(t.topic, r.labels), "bold", indent=2)
            page.grid([[(f"{s.source} {LEVEL_LABEL[s.advice]}", STYLE[s.advice]),
                        (f"“{s.quote}”" + (f" ({s.interpretation})" if s.interpretation else ""),
                         "italic")] for s in (*t.sources, *t.more)], [16, 0], indent=4)
    page.blank()
    tomorrow = f"Tomorrow ({format_day(date.fromordinal(d.date.toordinal() + 1))})"
    if r.tomorrow:
        page.text(tomorrow, "bold")
        page.grid([[(topic_name(c.topic, r.labels), ""), (change_text(c), "")]
                   for c in r.tomorrow], [14, 0], indent=2)
    else:
        page.line((tomorrow, "bold"), (": no change.", ""))
    if r.lifts and r.status == "active":
        page.blank()
        page.text("When restrictions lift", "bold")
        page.grid([[(topic_name(c.topic, r.labels), ""), (lift_text(c, d.date), "")]
                   for c in r.lifts], [14, 0], indent=2)
    return page


def sources(page: Page, g: Guidelines) -> Page:
    rows = []
    for s in g.sources:
        rows.append([(s.id, ""), (s.title + ("" if s.verified else " (quotes unverified)"),
                                  "" if s.verified else "yellow"),
                     (s.day_convention, ""), (str(len(s.rules)), "")])
    idw = max([len(s.id) for s in g.sources] + [2])
    page.grid([[("id", "bold"), ("title", "bold"), ("day convention", "bold"),
                ("rules", "bold")]], [idw, 0, 24, 5])
    page.line(("─" * page.width, "dim"))
    page.grid(rows, [idw, 0, 24, 5])
    return page


# --- compare-sources ----------------------------------------------------------------------

def compare(page: Page, c: Comparison, *, quotes: bool = False) -> Page:
    page.text(f"How the {len(c.source_ids)} sources compare · one session on day 0 "
              f"(before-care is negative)", "bold")
    ranked = c.ranked()
    page.blank()
    page.text("Where they disagree, most important first", "bold underline")
    if ranked:
        page.grid([[(f"{i:>2}. {topic_name(t.topic, c.labels)}", "bold"),
                    (f"days {ranges(t.conflict_days, t.conflict_continues)}: {spread(t)}", "")]
                   for i, t in enumerate(ranked, 1)], [16, 0])
        page.text("Opposite advice (avoid vs fine) first, then the longest spans. Ask your "
                  "artist which to follow.", "dim")
    else:
        page.text("The sources agree on every day they speak.", indent=2)
    page.blank()
    page.text("What each source says (days from the session; 7+ is day 7 onward; · is "
              "silence)", "bold underline")
    _matrix(page, c)
    if quotes:
        _quotes(page, c)
    page.blank()
    page.text("Timelines (days -3 to 35; blank is silence; → continues)", "bold underline")
    _legend(page)
    for t in ranked + [t for t in c.topics if not t.conflict]:
        _timeline(page, c, t)
    return page


def _matrix(page: Page, c: Comparison) -> None:
    cells: dict[tuple[str, str], list[list[Seg]]] = {}
    for t in c.topics:
        for sid in c.source_ids:
            spans = t.spans.get(sid)
            cells[(t.topic, sid)] = (
                [[(LEVEL_LABEL[s.advice], STYLE[s.advice]), (f" {s.days(compact=True)}", "")]
                 for s in spans] if spans else [[("·", "dim")]])
    names = {t.topic: topic_name(t.topic, c.labels) + (f" {CONFLICT_MARK}" if t.conflict else "")
             for t in c.topics}
    widths = [max(len(n) for n in names.values())] + [
        max([len(sid)] + [sum(len(x) for x, _ in line)
                          for t in c.topics for line in cells[(t.topic, sid)]])
        for sid in c.source_ids]
    header: list[Seg] = [("topic".ljust(widths[0] + 2), "bold")]
    header += [(sid.ljust(w + 2), "bold") for sid, w in zip(c.source_ids, widths[1:])]
    page.line(*header)
    page.line(("─" * min(sum(widths) + 2 * (len(widths) - 1), page.width), "dim"))
    for t in c.topics:
        height = max(len(cells[(t.topic, sid)]) for sid in c.source_ids)
        for n in range(height):
            name = names[t.topic] if n == 0 else ""
            segs: list[Seg] = [(topic_name(t.topic, c.labels) if n == 0 else "", "")]
            if n == 0 and t.conflict:
                segs.append((f" {CONFLICT_MARK}", MARK))
            segs.append((" " * (widths[0] - len(name) + 2), ""))
            for sid, w in zip(c.source_ids, widths[1:]):
                lines = cells[(t.topic, sid)]
                part = lines[n] if n < len(lines) else []
                segs += part + [(" " * (w - sum(len(x) for x, _ in part) + 2), "")]
            page.line(*segs)


def _quotes(page: Page, c: Comparison) -> None:
    page.blank()
    page.text("In their own words", "bold underline")
    for t in c.topics:
        page.text(topic_name(t.topic, c.labels), "bold")
        page.grid([[(f"{sid} {LEVEL_LABEL[s.advice]} {s.days()}", ""), (f"“{s.quote}”", "italic")]
                   for sid, spans in t.spans.items() for s in spans], [22, 0], indent=2)


def _legend(page: Page) -> None:
    glyphs = GLYPH if page.color else PLAIN_GLYPH
    segs: list[Seg] = [("  ", "")]
    for level in STRICTEST_FIRST:
        segs += [(glyphs[level], STYLE[level].replace("bold ", "")), (f" {level.value}  ", "")]
    segs += [("^", MARK), (" sources differ", "")]
    page.line(*segs)


def _timeline(page: Page, c: Comparison, t: TopicComparison) -> None:
    glyphs = GLYPH if page.color else PLAIN_GLYPH
    first, last = c.first_day, HORIZON
    width = max(len(s) for s in c.source_ids)
    pad = " " * (width + 3)
    page.blank()
    title: list[Seg] = [(topic_name(t.topic, c.labels), "bold")]
    if t.conflict:
        title.append((f" {CONFLICT_MARK}", MARK))
    page.line(*title)
    ruler = [" "] * (last - first + 3)
    for d in range(0, last + 1, 7):
        for i, ch in enumerate(str(d)):
            ruler[d - first + i] = ch
    page.line((pad + "".join(ruler).rstrip(), "dim"))
    for sid in c.source_ids:
        if sid not in t.spans:
            continue
        segs: list[Seg] = [(f"  {sid:<{width}} ", "")]
        for d in range(first, last + 1):
            level = t.level_on(sid, d)
            segs.append((" ", "") if level is None else
                        (glyphs[level], STYLE[level].replace("bold ", "")))
        later = [s for s in t.spans[sid] if s.start > last]
        if later:
            segs.append((" » " + ", ".join(f"{LEVEL_LABEL[s.advice]} {s.days()}"
                                           for s in later), "dim"))
        elif t.spans[sid][-1].end is None:
            segs.append((" →", "dim"))
        page.line(*segs)
    if t.conflict:
        marks = "".join("^" if d in t.conflict_days or (t.conflict_continues and
                                                         d > t.conflict_days[-1]) else " "
                        for d in range(first, last + 1))
        page.line((pad, ""), (marks.rstrip(), MARK))
