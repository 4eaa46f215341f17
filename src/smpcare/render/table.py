"""Terminal output, laid out by rich: tables, colour by level plus a word or glyph.

Every piece of text from a guideline file, the journal or the command line reaches rich as a
``Text`` (never as markup), and the console is made with markup and emoji codes switched off
besides. Whether there is colour is decided once, in ``console``: ``--color always|never``
first, then NO_COLOR, then FORCE_COLOR, then whether the output is a terminal. When the
output's encoding is not UTF-8 (a Windows code page, ``LANG=C`` with a legacy Python,
``PYTHONIOENCODING=ascii``) rich draws ASCII boxes and ``Out.text`` turns smpcare's own glyphs
and typographic punctuation into ASCII; a sheet's own letters are never replaced (see
``Out.safe``). Everything is laid out into a buffer and printed once, through the guarded
standard output of output.py.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Literal

from rich import box
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from smpcare.dates import format_day
from smpcare.engine import (
    Day,
    FineAgain,
    Plan,
    TodayReport,
    TopicAdvice,
    WhenReport,
    expect_and_contact,
    phases,
)
from smpcare.model import STRICTEST_FIRST, Guidelines, Info, Level, Rule
from smpcare.render import (
    CONFLICT_MARK,
    LEVEL_LABEL,
    MAX_NAMES,
    BeforeDate,
    PlanSummary,
    SessionSummary,
    Strip,
    apart,
    care_text,
    change_text,
    condition_head,
    date_span,
    fine_date,
    lead_note,
    lead_rules,
    lift_text,
    next_session_text,
    others_text,
    phase_title,
    plan_summary,
    policy_text,
    rule_context,
    same_condition,
    source_date,
    source_words,
    today_title,
    topic_name,
    unverified_text,
    who_says,
)
from smpcare.words import plural

if TYPE_CHECKING:
    from smpcare.conflicts import Comparison, TopicComparison
    from smpcare.journal import Session

STYLE = {
    Level.AVOID: "bold red",
    Level.LIMIT: "bold yellow",
    Level.RECOMMENDED: "bold green",
    Level.ALLOWED: "cyan",
}
CELL_STYLE = {
    Level.AVOID: "red",
    Level.LIMIT: "yellow",
    Level.RECOMMENDED: "green",
    Level.ALLOWED: "cyan",
}
MARK = "bold magenta"
GLYPH = {Level.AVOID: "█", Level.LIMIT: "▒", Level.RECOMMENDED: "+", Level.ALLOWED: "·"}
ASCII_GLYPH = {Level.AVOID: "#", Level.LIMIT: "=", Level.RECOMMENDED: "+", Level.ALLOWED: "."}
# smpcare's own punctuation, for an output encoding that cannot hold it.
ASCII = str.maketrans(
    {
        "·": "-",
        "–": "-",
        "—": "-",
        "≠": "!=",
        "→": "->",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "…": "...",
        "█": "#",
        "▒": "=",
        "»": ">>",
        "─": "-",
        "│": "|",
        "•": "*",
    }
)
# box.SIMPLE_HEAD drawn with ASCII (rich would swap in its framed ASCII box otherwise).
ASCII_HEAD = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


# --- the console ----------------------------------------------------------------------------


def width_for(file: IO[str]) -> int:
    """COLUMNS when set, else the terminal's width, else 80 (a file or a pipe)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), 40)
    if _isatty(file):
        import shutil

        return max(shutil.get_terminal_size((80, 24)).columns, 40)
    return 80


def use_color(file: IO[str], choice: str = "auto") -> bool:
    """``--color`` first; then NO_COLOR, then FORCE_COLOR; then a terminal that is not dumb."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return _isatty(file) and os.environ.get("TERM") != "dumb"


ColorSystem = Literal["standard", "256", "truecolor"]


def _color_system(colored: bool) -> ColorSystem | None:
    if not colored:
        return None
    if os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256" in os.environ.get("TERM", "") else "standard"


class _Buffer(io.StringIO):
    """Where rich writes: the encoding is the real output's, so that rich picks ASCII boxes
    when that encoding is not UTF-8."""

    def __init__(self, encoding: str):
        super().__init__()
        self._encoding = encoding

    # typeshed declares ``encoding`` a writable attribute, but StringIO's is read-only at run
    # time: a read-only property is what the real class has.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def console(file: IO[str], color: str = "auto", width: int | None = None) -> Console:
    """A console for ``file``: colour as ``use_color`` decides, no markup, no emoji. It
    writes to a buffer; ``Out.close`` hands the text to ``file``."""
    colored = use_color(file, color)
    encoding = getattr(file, "encoding", None) or "utf-8"
    return Console(
        file=_Buffer(encoding),
        width=width or width_for(file),
        force_terminal=colored,
        color_system=_color_system(colored),
        no_color=not colored,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
        soft_wrap=False,
    )


def _isatty(file: IO[str]) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):
        return False


class Verbatim(str):
    """A sheet's own words (a note, a quote, a title, a label): never translated to ASCII."""


class Out:
    """What every renderer writes through: the console, the glyphs it can show, and ``text``,
    which makes a ``Text`` (never markup) in smpcare's glyphs for the output's encoding."""

    def __init__(self, con: Console):
        self.console = con
        self.colored = con.color_system is not None
        self.labels: Mapping[str, str] = {}  # the result's topic labels, the sheets' own too
        encoding = (con.encoding or "utf-8").lower().replace("_", "-")
        self.ascii = not encoding.startswith("utf")
        self.glyph = ASCII_GLYPH if self.ascii else GLYPH

    def name(self, topic: str) -> Verbatim:
        """The words a client uses for a topic, a sheet's own topics by their label."""
        return Verbatim(topic_name(topic, self.labels))

    def safe(self, text: str) -> str:
        """``text`` with smpcare's glyphs and typographic punctuation in ASCII when the output
        is not UTF-8. Nothing else is replaced: a sheet's words the output cannot hold end
        the run with E215 (output.py) rather than come out as a quote that is not one."""
        return text.translate(ASCII) if self.ascii and not isinstance(text, Verbatim) else text

    def text(self, *parts: str | tuple[str, str]) -> Text:
        """A Text of plain strings and (string, style) pairs."""
        out = Text()
        for part in parts:
            text, style = part if isinstance(part, tuple) else (part, "")
            out.append(text if isinstance(text, Verbatim) else self.safe(text), style=style)
        return out

    def print(self, *parts: str | tuple[str, str]) -> None:
        self.console.print(self.text(*parts))

    def blank(self) -> None:
        self.console.print()

    def show(self, renderable: RenderableType) -> None:
        self.console.print(renderable)

    def table(
        self,
        *headers: str | tuple[str, str],
        title: str | None = None,
        show_header: bool = True,
        rule: bool = True,
    ) -> Table:
        """A table in smpcare's look: no outer frame, a rule under the header (unless
        ``rule`` is False), one space between columns."""
        head = ASCII_HEAD if self.ascii else box.SIMPLE_HEAD
        t = Table(
            box=head if rule else None,
            show_edge=False,
            pad_edge=False,
            padding=0 if rule else (0, 1, 0, 0),
            show_header=show_header,
            header_style="bold",
            title=self.text((title, "bold")) if title else None,
            title_justify="left",
        )
        for h in headers:
            t.add_column(self.text(h if isinstance(h, str) else h[0]))
        return t

    def fits(self, renderable: RenderableType) -> bool:
        """Whether ``renderable`` fits the width without wrapping anything (measured as if
        there were room: rich caps a measurement at the width)."""
        roomy = self.console.options.update_width(10_000)
        return Measurement.get(self.console, roomy, renderable).maximum <= self.console.width

    def getvalue(self) -> str:
        """Everything printed so far; without colour, lines lose the padding rich adds."""
        buffer = self.console.file
        assert isinstance(buffer, io.StringIO)
        text = buffer.getvalue()
        if self.colored:
            return text
        return "".join(line.rstrip() + "\n" for line in text.splitlines())

    def close(self, file: IO[str]) -> None:
        file.write(self.getvalue())
        file.flush()


def to_text(render: Callable[[Out], None], width: int = 80) -> str:
    """What ``render`` prints, as plain UTF-8 text (for ``--output FILE``)."""
    out = Out(
        Console(
            file=_Buffer("utf-8"),
            width=width,
            color_system=None,
            no_color=True,
            markup=False,
            emoji=False,
            highlight=False,
            legacy_windows=False,
            force_terminal=False,
        )
    )
    render(out)
    return out.getvalue()


# --- pieces shared by plan, today and when --------------------------------------------------


def _level(out: Out, level: Level) -> Text:
    return out.text((LEVEL_LABEL[level], STYLE[level]))


def _topic(out: Out, topic: str, conflict: bool) -> Text:
    return out.text(out.name(topic), *([(f" {CONFLICT_MARK}", MARK)] if conflict else []))


def _header(
    out: Out,
    title: str,
    policy: str,
    prefer: str | None,
    warnings: list[str],
    unverified: tuple[str, ...],
) -> None:
    words = policy_text(policy, prefer)
    short = policy.replace("source:", "one source: ") + (
        f"; {prefer} wins disagreements" if prefer else ""
    )
    for text in (words, f"policy: {short}"):
        if len(f"{title} · {text}") <= out.console.width:
            out.print((title, "bold"), (f" · {text}", "dim"))
            break
    else:
        out.print((title, "bold"))
        out.print((f"Policy: {words}", "dim"))
    for w in warnings:
        out.print((f"warning: {w}", "yellow"))
    if notice := unverified_text(unverified):
        out.print((notice, "yellow"))


def _advice_table(
    out: Out,
    topics: Sequence[TopicAdvice],
    total: int,
    *,
    who: bool,
    care: bool,
    changed: set[str] | None = None,
    header: bool = True,
) -> Table:
    """Level (and ``≠`` where the sources disagree), topic, the lead source's words, and
    with ``who`` who says what: strictest first. With ``care`` (a session day) before-care
    rows come first under a label of their own; with ``changed`` changed topics first."""
    headers = ["", "topic", "what to do"] + (["who says"] if who else [])
    t = out.table(*headers, show_header=header)
    t.columns[0].no_wrap = True
    t.columns[1].max_width = 20
    rows = [x for lvl in STRICTEST_FIRST for x in topics if x.advice is lvl]
    if changed is not None:
        rows = [x for x in rows if x.topic in changed] + [x for x in rows if x.topic not in changed]
    groups: list[tuple[str, list[TopicAdvice]]] = [("", rows)]
    if care:
        groups = [
            (f"{name}:", [x for x in rows if care_text(x) == name])
            for name in ("before-care", "after-care")
        ]
    elif changed is not None and any(x.topic not in changed for x in rows):
        groups = [
            ("new or changed:", [x for x in rows if x.topic in changed]),
            ("as before:", [x for x in rows if x.topic not in changed]),
        ]
    for label, items in groups:
        if label and items:
            t.add_row(Text(), out.text((label, "bold italic")))
        # Topics with the same advice in the same words share a row ("limit showering and
        # washing, shampoo: Wash your scalp gently ..."): the note is printed once.
        alike: dict[tuple[object, ...], list[TopicAdvice]] = {}
        for x in items:
            key = (x.advice, x.conflict, lead_note(x), who_says(x, total) if who else None)
            alike.setdefault(key, []).append(x)
        for same in alike.values():
            x = same[0]
            level = _level(out, x.advice)
            if x.conflict:
                level.append_text(out.text((f" {CONFLICT_MARK}", MARK)))
            names = Verbatim(", ".join(out.name(y.topic) for y in same))
            cells = [level, out.text(names), _notes(out, lead_rules(x))]
            if who:
                cells.append(out.text((who_says(x, total), "magenta" if x.conflict else "dim")))
            t.add_row(*cells)
    return t


def _conditions(out: Out, rules: Sequence[Rule], *, source: bool = True) -> None:
    """Conditional advice, beside the day's and never merged into it: a line per condition
    and source (see ``_condition``), wrapped where it is long."""
    for group in same_condition(rules):
        out.show(_condition(out, group, source=source))


def _condition(
    out: Out, rules: Sequence[Rule], *, source: bool = True, width: int | None = None
) -> Text:
    """``If it is needed: fine shaving and haircuts (process) — You can shave or cut your
    hair.``: the condition, each rule's level and topic and the source, then the notes. The
    sheet's words are kept as written; smpcare's own punctuation is made ASCII where the
    output needs it. With ``width``, the notes are cut where the line ends (see ``_cut``)."""
    head = out.text((Verbatim(condition_head(rules[0])), "italic"), ": ")
    for k, r in enumerate(rules):
        head.append_text(
            out.text(
                ", " if k else "", (LEVEL_LABEL[r.advice], STYLE[r.advice]), " ", out.name(r.topic)
            )
        )
    if source:
        head.append_text(out.text((f" ({rules[0].source})", "dim")))
    notes = out.text(" — ")
    notes.append_text(_notes(out, rules))
    if width is not None:
        return _cut(out, head, notes, width)
    head.append_text(notes)
    return head


def _cut(out: Out, head: Text, rest: Text, width: int) -> Text:
    """``head`` whole (on two lines if it must), then as much of ``rest`` as fits on the
    head's last line, cut at a word with an ellipsis: what a summary line cuts short is never
    the advice itself, only the source's further words (``--detail`` has them whole)."""
    whole = head.copy()
    whole.append_text(rest)
    lines = whole.wrap(out.console, width)
    more = out.safe("…")
    own = head.wrap(out.console, width)
    keep = len(own)
    if own[-1].cell_len + len(more) + 2 > width:  # no room for its cut: one more line
        keep += 1
    if len(lines) <= keep:
        return Text("\n").join(lines)
    last = lines[keep - 1]
    last.rstrip()
    if last.cell_len + len(more) > width:
        last.truncate(width - len(more))
        last.rstrip()
    last.append(more, style="dim")
    return Text("\n").join(lines[:keep])


def _notes(out: Out, rules: Sequence[Rule]) -> Text:
    """The rules' notes as the sheets wrote them, each with what its days stand for in
    smpcare's words (``(48 hours before: days -2–0)``, see ``rule_context``), which alone are
    made ASCII where the output needs it."""
    text = Text()
    for k, r in enumerate(rules):
        context = rule_context(r)
        text.append_text(
            out.text(
                " " if k else "", Verbatim(r.note), f" ({'; '.join(context)})" if context else ""
            )
        )
    return text


def _plan_conditions(out: Out, p: Plan) -> None:
    """Each conditional rule of the plan once, with the days it covers: one line per
    condition and source on the same days, its notes cut to the width (``plan --detail`` has
    them whole); a course names the sessions, once for all where the days are alike."""
    runs: dict[Rule, list[list[Day]]] = {}
    prev: Day | None = None
    for d in p.days:
        for r in d.conditions:
            spans = runs.setdefault(r, [])
            if spans and prev is not None and r in prev.conditions:
                spans[-1].append(d)
            else:
                spans.append([d])
        prev = d
    if not runs:
        return
    last = p.days[-1]
    lines: dict[str, list[Rule]] = {}  # the days -> the rules on them, in plan order
    for r, spans in runs.items():
        alike: dict[tuple[int, int, bool], list[int]] = {}  # days -> sessions
        for x in spans:
            onward = p.continues and x[-1] is last and r.window.end is None
            alike.setdefault((x[0].day, x[-1].day, onward), []).append(x[0].session)
        when = "; ".join(
            (f"{_sessions_label(sessions, len(p.sessions))} " if len(p.sessions) > 1 else "")
            + (f"day {a} on" if onward else f"day {a}" if a == b else f"day {a}–{b}")
            for (a, b, onward), sessions in alike.items()
        )
        lines.setdefault(when, []).append(r)
    t = out.table("", "", show_header=False)
    for col in t.columns:
        col.no_wrap = True  # the notes are cut to the width by _condition
    t.columns[0].width = max(len(when) for when in lines)
    width = t.columns[1].width = max(out.console.width - t.columns[0].width - 1, 20)
    for when, rules in lines.items():
        for group in same_condition(rules):
            t.add_row(out.text((when, "dim")), _condition(out, group, width=width))
    out.show(t)


def _infos_table(out: Out, infos: Iterable[Info]) -> Table | None:
    expect, contact = expect_and_contact(list(infos))
    if not expect and not contact:
        return None
    t = out.table("", "", show_header=False)
    t.columns[0].no_wrap = True
    for i in expect:
        t.add_row(
            out.text(("expect", "italic")), out.text(Verbatim(i.note), (f" ({i.source})", "dim"))
        )
    for i in contact:
        t.add_row(
            out.text(("contact", "bold italic")),
            out.text(Verbatim(i.note), (f" ({i.source})", "dim")),
        )
    return t


Section = tuple[tuple[str, str] | None, date | None, Sequence[FineAgain]]


def _lifts_table(
    out: Out,
    sections: Sequence[Section],
    source_ids: Sequence[str],
    *,
    label: str = "Key dates",
    rule: bool = True,
) -> Table:
    """When each restriction is fine again: the policy's date, then each source's. One
    column per source when that fits the width, the day number and how far apart the dates
    are when those fit too; else who says otherwise in words. Each section (a session of a
    course) opens with its label row (``session 2``, ``Wed 15 May``) and counts day numbers
    from its date."""
    days = all(session is not None for _, session, _ in sections)
    if len(source_ids) <= MAX_NAMES:
        # Widest first; a long topic label may take two lines before anything is dropped.
        tries = [("full", None), ("full-short", None), ("full", 22), ("full-short", 22)]
        tries = [x for x in tries if days] + [
            ("mark", None),
            ("mark", 22),
            ("compact", None),
            ("compact", 22),
        ]
        for mode, label_width in tries:
            t = _lifts_wide(out, sections, source_ids, mode, label, rule)
            t.columns[0].max_width = label_width
            if out.fits(t):
                return t
    t = out.table(
        label, "fine again", "", *(["day"] if days else []), "who says otherwise", rule=rule
    )
    t.columns[0].max_width = 22
    t.columns[1].no_wrap = True
    for head, session, lifts in sections:
        _section_row(out, t, head)
        for f in lifts:
            t.add_row(
                out.text(out.name(f.topic)),
                _fine(out, f, short=True),
                out.text((CONFLICT_MARK if f.disagree else "", MARK)),
                *([out.text(_day(f, session))] if days else []),
                out.text((others_text(f), "magenta" if f.disagree else "dim")),
            )
    return t


def _section_row(out: Out, t: Table, head: tuple[str, str] | None) -> None:
    if head is not None:
        if t.row_count:
            t.add_section()
        t.add_row(
            out.text((head[0], "bold")),
            out.text((head[1], "bold")),
            *[Text() for _ in t.columns[2:]],
        )


def _lifts_wide(
    out: Out,
    sections: Sequence[Section],
    source_ids: Sequence[str],
    mode: str,
    label: str,
    rule: bool = True,
) -> Table:
    """One column per source. ``full``: the date, its day number and ``≠ 8 days`` where the
    sources' dates differ; ``mark``: the date and ``≠``; ``compact``: ``15 May ≠``."""
    extra = {
        "full": ["day", "differ"],
        "full-short": ["day", "differ"],
        "mark": [""],
        "compact": [],
    }[mode]
    t = out.table(label, "fine again", *extra, *source_ids, rule=rule)
    for col in t.columns[1:]:
        col.no_wrap = True
    for head, session, lifts in sections:
        _section_row(out, t, head)
        for f in lifts:
            by_source = {s.source: s for s in f.sources}
            cells = []
            for sid in source_ids:
                s = by_source.get(sid)
                if s is None:
                    cells.append(out.text(("·", "dim")))
                else:
                    style = "" if s.date == f.date else ("magenta" if s.date else "yellow")
                    cells.append(out.text((source_date(s, f.start), style)))
            if mode.startswith("full"):
                mark = f"{CONFLICT_MARK} {apart(f)}".strip() if f.disagree else ""
                more = [out.text(_day(f, session)), out.text((mark, MARK))]
                fine = _fine(out, f, short=mode == "full-short")
            elif mode == "mark":
                more = [out.text((CONFLICT_MARK if f.disagree else "", MARK))]
                fine = _fine(out, f, short=True)
            else:
                more = []
                fine = _fine(out, f, short=True, weekday=False)
                if f.disagree:
                    fine.append_text(out.text((f" {CONFLICT_MARK}", MARK)))
            t.add_row(out.text(out.name(f.topic)), fine, *more, *cells)
    return t


def _fine(out: Out, f: FineAgain, short: bool = False, weekday: bool = True) -> Text:
    """The policy's date (``Wed 15 May``; ``15 May`` without the weekday), or why there is
    none (``no date given``; short: ``no date``, ``no end``, ``next session``)."""
    text = fine_date(f)
    if f.date is not None and not weekday:
        text = f"{f.date.day} {f.date.strftime('%b')}"
    if short and f.date is None:
        text = "no end" if f.open_ended else "next session" if f.until_next else "no date"
    return out.text((text, "bold" if f.date else "yellow"))


def _day(f: FineAgain, session: date | None) -> str:
    return str((f.date - session).days) if f.date and session else ""


# --- plan -----------------------------------------------------------------------------------


def plan(out: Out, p: Plan, *, detail: bool = False, quotes: bool = False) -> None:
    """The plan at a glance (key dates, the calendar strip, what to expect), or with
    ``detail`` every phase of identical advice, what changed first."""
    out.labels = p.labels
    sessions = ", ".join(format_day(s, year=True) for s in p.sessions)
    n = len(p.source_ids)
    _header(
        out,
        f"Aftercare plan · {plural(len(p.sessions), 'session')} {sessions} · "
        f"{n} {plural(n, 'source')}",
        p.policy,
        p.prefer,
        [w.message() for w in p.warnings],
        p.unverified,
    )
    summary = plan_summary(p)
    if detail:
        _phases(out, p, quotes)
    else:
        _key_dates(out, summary)
        _plan_conditions(out, p)
        _strip(out, summary.strip, len(p.sessions))
        _dated_notes(out, summary)
    if quotes:
        _lift_quotes(out, (f for session in summary.sessions for f in session.dates.after))
    if detail:
        more = "The plan at a glance: smpcare plan"
    else:
        more = "Blank days: no source speaks. More: --detail"
    out.print((f"{more} · --quotes · smpcare when TOPIC", "dim"))


def _key_dates(out: Out, s: PlanSummary) -> None:
    """One table: per session (a label row each in a course) when each restriction is fine
    again; then what before-care restricts, one line for every session where it reads the
    same."""
    many = len(s.plan.sessions) > 1
    sections: list[Section] = [
        (
            (f"session {x.dates.number}", format_day(x.dates.date, year=True)) if many else None,
            x.dates.date,
            x.dates.after,
        )
        for x in s.sessions
        if x.dates.after or many
    ]
    out.blank()
    if any(lifts for _, _, lifts in sections):
        out.show(_lifts_table(out, sections, s.plan.source_ids, rule=False))
    befores: dict[tuple[str | None, str], list[int]] = {}
    lines: dict[tuple[str | None, str], Text] = {}
    for x in s.sessions:
        if x.before:
            per, line = _before_line(out, x, dated=not many)
            befores.setdefault((per, line.plain), []).append(x.dates.number)
            lines[per, line.plain] = line
    for (per, plain), numbers in befores.items():
        head = (
            "the session"
            if not many
            else "each session"
            if len(numbers) == len(s.sessions)
            else "session " + ", ".join(str(n) for n in numbers)
        )
        text = out.text(
            (f"Before {head}", "bold"), *([(f", per {per}", "dim")] if per else []), (": ", "bold")
        )
        text.append_text(lines[per, plain])
        out.show(text)
    lifts = [f for x in s.sessions for f in x.dates.after]
    if any(f.disagree for f in lifts):
        legend = (
            f"{CONFLICT_MARK} their dates differ · no date: a source stops without saying "
            "it is fine · no end: still restricted"
        )
        if len(legend) > out.console.width:
            legend = (
                f"{CONFLICT_MARK} dates differ · no date: stops without saying fine · "
                "no end: still restricts"
            )
        out.print((legend, "dim"))
    if any(f.until_next for f in lifts):
        out.print(("next session: still restricted when the next session starts", "dim"))
    if any(x.at_least and x.date is not None for f in lifts for x in f.sources):
        out.print(("a date with +: the source says at least until then; ask your artist", "dim"))


def _before_line(out: Out, session: SessionSummary, dated: bool = True) -> tuple[str | None, Text]:
    """``from Sun 28 Apr (day -3) avoid scratching and picking; ...`` (``from day -3 ...``
    when not ``dated``), naming the sources once when the same ones say it all (at the end),
    or when the same ones say all but what the sources disagree on (returned, for the line's
    head: "Before the session, per smusa:")."""
    by_start: dict[int, list[BeforeDate]] = {}
    for b in session.before:
        by_start.setdefault(b.day, []).append(b)
    whos = {who_says(b.advice) for b in session.before}
    once = len(whos) == 1 and not any(b.advice.conflict for b in session.before)
    agreed = [who_says(b.advice) for b in session.before if not b.advice.conflict]
    per = agreed[0] if not once and len(agreed) > 1 and len(set(agreed)) == 1 else None
    text = Text()
    level = None
    for n, items in enumerate(by_start.values()):
        if n:
            text.append("; ")
        start = items[0]
        text.append(
            out.safe(
                f"from {format_day(start.start)} (day {start.day}) "
                if dated
                else f"from day {start.day} "
            )
        )
        for k, b in enumerate(items):
            a = b.advice
            if k:
                text.append(", ")
            if a.advice is not level:
                text.append(out.safe(LEVEL_LABEL[a.advice] + " "), style=STYLE[a.advice])
                level = a.advice
            text.append(out.safe(out.name(a.topic)))
            if a.conflict:
                text.append(out.safe(f" {CONFLICT_MARK}"), style=MARK)
            if not once and (per is None or a.conflict):
                text.append(out.safe(f" ({who_says(a)})"), style="magenta" if a.conflict else "dim")
    if once:
        text.append(out.safe(f" ({whos.pop()})"), style="dim")
    return per, text


def _strip(out: Out, strip: Strip, sessions: int) -> None:
    """Topics down, days across, one glyph per day (coloured by level); a blank day is one
    on which no source speaks, which is not a permission. Topics only before-care speaks
    about are left to the key dates' before-the-session line."""
    days = strip.days
    rows = [r for r in strip.rows if not r.before_only]
    if not days or not rows:
        return
    weekly = sessions > 1
    dated = len(days) - 1 if strip.onward else len(days)
    # Room for days: the width less the labels (at least the legend's 23 columns; long ones
    # wrap when the days would get fewer than four weeks), the "≠" column and the gaps.
    label_width = max(23, *(len(out.name(r.topic)) for r in rows))
    reserve = 25 if weekly else 21  # the "≠" column, the gaps, the last day's label
    chunks = _chunks(dated, out.console.width - label_width - reserve, weekly)
    narrow = _chunks(dated, out.console.width - 23 - reserve, weekly)
    if len(narrow) < len(chunks):  # better two lines for a long label than a second strip
        label_width, chunks = 23, narrow
    out.blank()
    g = out.glyph
    legend = out.text(
        *[
            x
            for lvl in STRICTEST_FIRST
            for x in ((g[lvl], CELL_STYLE[lvl]), (f"{LEVEL_LABEL[lvl]} ", ""))
        ]
    )
    legend.rstrip()
    for n, (a, b) in enumerate(chunks):
        last = n == len(chunks) - 1
        onward = last and strip.onward
        t = out.table("", "", "", show_header=True)
        t.box = None
        t.padding = (0, 1, 0, 0)
        t.columns[0].header = legend
        t.columns[0].width = label_width + 1  # and its padding
        t.columns[2].header = out.text((f"{CONFLICT_MARK} disputed", MARK))
        t.columns[1].no_wrap = True
        t.columns[1].header_style = "dim"
        t.columns[2].no_wrap = True
        t.columns[1].header = _ruler(out, days[a:b], weekly, days[-1] if onward else None)
        for row in rows:
            glyphs: list[tuple[Level | None, int]] = []  # runs of one level (None: a gap)
            for i in range(a, b):
                if weekly and i > a and (i - a) % 7 == 0:
                    glyphs.append((None, 1))
                c = row.cells[i]
                glyphs.append((None if c is None else c.level, 1))
            if onward:
                c = row.cells[-1]
                glyphs += [(None, 1), (None if c is None else c.level, 3)]
            cells = _glyphs(out, glyphs)
            disputed = [
                i for i in row.disputed_days() if a <= i < b or (onward and i == len(days) - 1)
            ]
            t.add_row(
                out.text(out.name(row.topic)),
                cells,
                out.text((_disputed(disputed, days, weekly, strip.onward), MARK)),
            )
        out.show(t)


def _glyphs(out: Out, cells: Sequence[tuple[Level | None, int]]) -> Text:
    """One Text for a row of (level, count) cells, a span per run of one level: a strip of
    ten sessions has thousands of cells."""
    text = Text()
    run: Level | None = None
    count = 0
    for level, n in [*cells, (None, 0)]:
        if level is run and n:
            count += n
            continue
        if count:
            text.append(
                " " * count if run is None else out.glyph[run] * count,
                style=None if run is None else CELL_STYLE[run],
            )
        run, count = level, n
    return text


def _chunks(count: int, room: int, weekly: bool) -> list[tuple[int, int]]:
    """Day ranges of about equal length that fit ``room`` cells (whole weeks, each with a
    gap after it, when weekly)."""
    unit = 7 if weekly else 1
    per = max(room // 8 * 7 if weekly else room, 14) // unit  # units per range, at most
    units = -(-count // unit)
    pieces = max(1, -(-units // per))
    size = -(-units // pieces) * unit
    return [(a, min(a + size, count)) for a in range(0, count, size)] or [(0, 0)]


def _ruler(out: Out, days: Sequence[Day], weekly: bool, onward: Day | None) -> Text:
    """Day numbers over the strip (the first day, then every 7th), or with several sessions
    the date each week starts; then the first day of the long-term advice (``31+``)."""
    size = len(days) + (len(days) - 1) // 7 if weekly else len(days)
    marks: list[tuple[int, str]] = []
    for i, d in enumerate(days):
        pos = i + i // 7 if weekly else i
        if weekly and i % 7 == 0:
            marks.append((pos, f"{d.date.day} {d.date.strftime('%b')}"))
        elif not weekly and d.day % 7 == 0:
            marks.append((pos, str(d.day)))
    if not weekly and days and days[0].day % 7:  # the first day, where it leaves room
        label = str(days[0].day)
        if not marks or len(label) < marks[0][0]:
            marks.insert(0, (0, label))
    if onward is not None:
        marks.append(
            (
                size + 1,
                f"{onward.day}+"
                if not weekly
                else f"{onward.date.day} {onward.date.strftime('%b')}+",
            )
        )
    ruler = [" "] * (size + 16)
    taken = -1
    for pos, label in marks:
        if pos <= taken:
            continue
        for j, ch in enumerate(label):
            ruler[pos + j] = ch
        taken = pos + len(label)
    return out.text("".join(ruler).rstrip())


def _disputed(indexes: list[int], days: Sequence[Day], weekly: bool, onward: bool) -> str:
    """``≠ 0–13`` (day numbers), or with several sessions ``≠ 1–14 May``; ``N days`` when long."""
    if not indexes:
        return ""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    last = len(days) - 1
    words = []
    for a, b in runs:
        first, end = days[a], days[b]
        if onward and b == last:
            words.append(f"{first.day}+" if not weekly else f"{date_span(first.date, first.date)}+")
        elif weekly:
            words.append(date_span(first.date, end.date))
        else:
            words.append(str(first.day) if a == b else f"{first.day}–{end.day}")
    text = ", ".join(words)
    if len(text) > 18:
        text = f"{len(indexes)} {plural(len(indexes), 'day')}"
    return f"{CONFLICT_MARK} {text}"


def _dated_notes(out: Out, s: PlanSummary) -> None:
    """What to expect and when to call the clinic: one line per first day, its notes cut to
    the width (``plan --detail`` has them in full); a course names the sessions a line is
    for, once for all the sessions where it reads the same."""
    if not s.expect and not s.contact:
        return
    out.blank()
    many = len(s.plan.sessions) > 1
    t = out.table("", "", "", show_header=False)
    for col in t.columns:
        col.no_wrap = True
    t.columns[2].overflow = "ellipsis"
    if out.ascii:  # rich's ellipsis is not ASCII: the notes wrap instead
        t.columns[2].no_wrap, t.columns[2].overflow = False, "fold"
    rows: list[tuple[str, str, Text]] = []
    for kind, items in (("expect", s.expect), ("call", s.contact)):
        # (session, first day) -> the notes starting then, with the day they end
        starts: dict[tuple[int, int], list[tuple[Info, int, bool]]] = {}
        for i in items:
            starts.setdefault((i.first.session, i.first.day), []).append(
                (i.info, i.last.day, i.onward)
            )
        alike: dict[tuple[int, tuple[tuple[Info, int, bool], ...]], list[int]] = {}
        for (session, first), started in starts.items():
            alike.setdefault((first, tuple(started)), []).append(session)
        for (first, notes), sessions in sorted(alike.items(), key=lambda x: (x[1][0], x[0][0])):
            text = Text()
            for k, (info, _, _) in enumerate(notes):
                if k:
                    text.append(out.safe(" · "), style="dim")
                text.append_text(out.text(Verbatim(info.note), (f" ({info.source})", "dim")))
            if kind == "call":  # when to call the clinic is never cut short
                text.no_wrap, text.overflow = False, "fold"
            ends = {(last, onward) for _, last, onward in notes}
            if len(ends) > 1:
                when = f"from day {first}"
            else:
                [(last, onward)] = ends
                when = (
                    f"day {first} on"
                    if onward
                    else (f"day {first}" if last == first else f"day {first}–{last}")
                )
            if many:
                when = f"{_sessions_label(sessions, len(s.plan.sessions))} {when}"
            rows.append((kind, when, text))
    t.columns[1].min_width = max(len(when) for _, when, _ in rows)
    t.columns[2].max_width = max(out.console.width - t.columns[1].min_width - 8, 20)
    for kind, when, text in rows:
        t.add_row(
            out.text((kind, "italic" if kind == "expect" else "bold italic")),
            out.text((when, "dim")),
            text,
        )
    out.show(t)


def _sessions_label(sessions: list[int], total: int) -> str:
    """``each session``, ``s2``, ``s1–s3``, ``s1, s4``."""
    if len(sessions) == total:
        return "each session,"
    if len(sessions) > 2 and sessions[-1] - sessions[0] == len(sessions) - 1:
        return f"s{sessions[0]}–s{sessions[-1]}"
    return ", ".join(f"s{n}" for n in sessions)


def _lift_quotes(out: Out, lifts: Iterable[FineAgain]) -> None:
    """Each source's own words behind its date (or behind its last restriction)."""
    out.blank()
    t = out.table("topic", "source", "says", "in its own words", title="In the sources' own words")
    t.columns[1].no_wrap = True
    for f in lifts:
        for n, src in enumerate(f.sources):
            t.add_row(
                _topic(out, f.topic, f.disagree) if n == 0 else Text(),
                out.text(src.source),
                out.text((source_words(src), "dim")),
                _quote(out, src.rule.quote, src.rule.interpretation),
            )
        t.add_section()
    out.show(t)


def _quote(out: Out, quote: str, interpretation: str | None) -> Text:
    return out.text(
        ("“", "italic"),
        (Verbatim(quote), "italic"),
        ("”", "italic"),
        *([(Verbatim(f" ({interpretation})"), "dim")] if interpretation else []),
    )


def _phases(out: Out, p: Plan, quotes: bool) -> None:
    total = len(p.source_ids)
    previous: dict[str, TopicAdvice] = {}
    for phase in phases(p):
        out.blank()
        out.print((phase_title(phase, len(p.sessions)), "bold underline"))
        now = {t.topic: t for t in phase.topics}
        changed = {
            k
            for k, t in now.items()
            if k not in previous
            or (previous[k].advice, previous[k].sources) != (t.advice, t.sources)
        }
        if phase.topics:
            out.show(
                _advice_table(
                    out, phase.topics, total, who=True, care=phase.first.day == 0, changed=changed
                )
            )
        elif not phase.first.conditions:
            out.print(("  No source gives advice for these days.", "dim"))
        _conditions(out, phase.first.conditions)
        gone = [k for k in previous if k not in now]
        if gone:
            out.print(
                ("  no longer mentioned: ", "dim"), (", ".join(out.name(k) for k in gone), "dim")
            )
        infos = _infos_table(out, phase.infos())
        if infos is not None:
            out.show(Padding(infos, (0, 0, 0, 2)))
        previous = now


# --- today and when -------------------------------------------------------------------------


def today(out: Out, r: TodayReport, *, detail: bool = False, quotes: bool = False) -> None:
    """The day and its table first; then what changes tomorrow and when restrictions lift
    (the policy's date, then who says otherwise). ``detail`` adds who says what, what to
    expect and the full lift wording; ``quotes`` the sources' own words."""
    out.labels = r.labels
    d = r.day
    total = len(r.source_ids)
    _header(
        out, today_title(r), r.policy, r.prefer, [w.message() for w in r.warnings], r.unverified
    )
    if nxt := next_session_text(r):
        out.print(nxt)
    if r.status == "before":
        out.blank()
        out.print(
            f"No advice applies yet: before-care starts on {format_day(r.first_day, year=True)}."
        )
        return
    if r.status == "long-term":
        out.blank()
        out.print(
            "Every dated window has closed; only the long-term advice below still applies."
            if d.topics
            else "No advice applies on this date: every window has closed."
        )
    if d.topics or d.conditions:
        out.blank()
    if d.topics:
        out.show(_advice_table(out, d.topics, total, who=detail, care=d.day == 0, header=detail))
    # Right under the day's advice; who says it with --detail, as for the table's rows.
    _conditions(out, d.conditions, source=detail)
    if any(t.conflict for t in d.topics):
        shown = ", cautious shown" if r.policy == "cautious" and not r.prefer else ""
        out.print(
            (
                f"{CONFLICT_MARK} sources disagree{shown}: ask your artist"
                + ("" if detail else " · who says what: --detail"),
                "dim",
            )
        )
    if detail:
        infos = _infos_table(out, d.infos)
        if infos is not None:
            out.blank()
            out.show(infos)
    if quotes and (d.topics or d.conditions):
        _today_quotes(out, d.topics, d.conditions)
    _tomorrow(out, r, detail)
    if r.lifts and r.status == "active":
        if detail:  # tables with titles; the short view keeps the lifts under Tomorrow
            out.blank()
            t = out.table(
                "topic", "fine again, and who says otherwise", title="When restrictions lift"
            )
            for f in r.lifts:
                t.add_row(_topic(out, f.topic, f.disagree), out.text(lift_text(f, d.date)))
            out.show(t)
        else:
            out.show(
                _lifts_table(
                    out, [(None, None, r.lifts)], r.source_ids, label="When it lifts", rule=False
                )
            )
    if not detail:
        out.print(
            ("More: --detail (who says what, what to expect, when to call) · --quotes", "dim")
        )


def _tomorrow(out: Out, r: TodayReport, detail: bool) -> None:
    """What changes tomorrow. Short: only where the advice shown changes (or starts or
    ends), in one paragraph; a source changing its own level shows in the lift dates, and
    with ``detail`` as a row of its own."""
    out.blank()
    tomorrow = f"Tomorrow ({format_day(date.fromordinal(r.day.date.toordinal() + 1))})"
    changes = [
        c
        for c in r.tomorrow
        if detail or c.before is None or c.after is None or c.before.advice is not c.after.advice
    ]
    quiet = len(r.tomorrow) - len(changes)
    lifts = {f.topic: f for f in r.lifts}
    more = (
        f"; {quiet} more {plural(quiet, 'change')} in what a source says: --detail" if quiet else ""
    )
    if detail and changes:
        t = out.table("", "", show_header=False, title=tomorrow)
        t.columns[0].no_wrap = True
        for c in changes:
            t.add_row(
                _topic(out, c.topic, bool(c.after and c.after.conflict)),
                out.text(change_text(c, lifts.get(c.topic))),
            )
        out.show(t)
        return
    text = out.text((f"{tomorrow}: ", "bold"))
    alike: dict[str, list[str]] = {}  # topics whose change reads the same, named together
    for c in changes:
        alike.setdefault(change_text(c, lifts.get(c.topic)), []).append(out.name(c.topic))
    for n, (change, names) in enumerate(alike.items()):
        text.append_text(out.text("; " if n else "", (", ".join(names), "bold"), f" {change}"))
    if not changes:
        text.append("no change to the advice above.")
    text.append_text(out.text((more, "dim")))
    out.show(text)


def _today_quotes(out: Out, topics: Sequence[TopicAdvice], conditions: Sequence[Rule]) -> None:
    """Each source's words for the day's advice, then for each conditional rule (its topic
    cell says the condition)."""
    out.blank()
    t = out.table("topic", "source", "in its own words", title="In the sources' own words")
    t.columns[1].no_wrap = True
    for x in topics:
        for n, s in enumerate((*x.sources, *x.more)):
            t.add_row(
                _topic(out, x.topic, x.conflict) if n == 0 else Text(),
                out.text(f"{s.source} ", (LEVEL_LABEL[s.advice], CELL_STYLE[s.advice])),
                _quote(out, s.quote, s.interpretation),
            )
        t.add_section()
    for r in conditions:
        t.add_row(
            out.text(out.name(r.topic), (" ", "italic"), (Verbatim(r.condition or ""), "italic")),
            out.text(f"{r.source} ", (LEVEL_LABEL[r.advice], CELL_STYLE[r.advice])),
            _quote(out, r.quote, r.interpretation),
        )
        t.add_section()
    out.show(t)


def when(out: Out, r: WhenReport, *, quotes: bool = False) -> None:
    """For each topic asked about: its advice on the day, then when it is fine again under
    the policy and per source."""
    out.labels = r.labels
    d = r.day
    first = r.sessions[0]
    if d.date < first:
        where = f"{-d.day} {plural(-d.day, 'day')} before session 1"
    else:
        where = f"day {d.day} after session {d.session}"
    out.print((f"When is it fine again? · {format_day(d.date, year=True)} · {where}", "bold"))
    out.print((f"Policy: {policy_text(r.policy, r.prefer)}", "dim"))
    if notice := unverified_text(r.unverified):
        out.print((notice, "yellow"))
    out.blank()
    session = r.sessions[d.session - 1] if d.date >= first else first
    t = out.table("topic", "now", "fine again", "day", "who says otherwise")
    t.columns[1].no_wrap = True
    t.columns[2].no_wrap = True
    for a in r.answers:
        now = _now(out, a.now, d.day == 0)
        if a.lift is None:
            restricted_now = a.now is not None and a.now.advice.restricts
            t.add_row(
                _topic(out, a.topic, bool(a.now and a.now.conflict)),
                now,
                out.text(
                    (
                        "restricted only before the session"
                        if restricted_now
                        else "not restricted",
                        "dim",
                    )
                ),
                Text(),
                out.text((who_says(a.now), "dim"))
                if a.now
                else out.text(("no source speaks about it then", "dim")),
            )
            continue
        f = a.lift
        t.add_row(
            _topic(out, a.topic, f.disagree),
            now,
            _fine(out, f),
            out.text(str((f.date - session).days) if f.date else ""),
            out.text((others_text(f) or "all agree", "magenta" if f.disagree else "dim")),
        )
    out.show(t)
    lifts = [a.lift for a in r.answers if a.lift is not None]
    if any(s.date is None for f in lifts for s in f.sources):
        out.print(
            (
                "no date: the source stops without saying it is fine again; no end: it "
                "still restricts. Silence is not permission: ask your artist.",
                "dim",
            )
        )
    if quotes and lifts:
        _lift_quotes(out, lifts)


def _now(out: Out, t: TopicAdvice | None, session_day: bool) -> Text:
    if t is None:
        return out.text(("—", "dim"))
    text = _level(out, t.advice)
    if session_day:
        text.append(out.safe(f" ({care_text(t)})"), style="dim")
    return text


def topic_words(out: Out, words: dict[str, tuple[str, ...]]) -> None:
    """Every topic with the words that name it (``smpcare when --list``)."""
    t = out.table("topic", "also accepted")
    t.columns[0].no_wrap = True
    for topic_id, names in words.items():
        t.add_row(out.text(topic_id), out.text(", ".join(names)))
    out.show(t)


# --- compare-sources ------------------------------------------------------------------------


def compare(out: Out, c: Comparison, *, quotes: bool = False) -> None:
    from smpcare.conflicts import ranges, spread

    out.labels = c.labels
    n = len(c.source_ids)
    out.print(
        (
            f"How the {n} {plural(n, 'source')} compare · one session on day 0 "
            "(before-care is negative)",
            "bold",
        )
    )
    ranked = c.ranked()
    out.blank()
    if ranked:
        t = out.table(
            "",
            "topic",
            "days",
            "how they differ",
            title="Where they disagree, most important first",
        )
        t.columns[0].no_wrap = True
        for i, x in enumerate(ranked, 1):
            t.add_row(
                out.text(f"{i}."),
                out.text((out.name(x.topic), "bold")),
                out.text(ranges(x.conflict_days, x.conflict_continues)),
                out.text(spread(x)),
            )
        out.show(t)
        out.print(
            (
                "Opposite advice (avoid vs fine) first, then the longest spans. Ask your "
                "artist which to follow.",
                "dim",
            )
        )
    else:
        out.print("The sources agree on every day they speak.")
    out.blank()
    m = out.table(
        "topic",
        *c.source_ids,
        title="What each source says (days from the session; 7+ is day 7 onward; · is silence)",
    )
    for x in c.topics:
        cells = []
        for sid in c.source_ids:
            spans = x.spans.get(sid)
            cell = Text()
            for k, s in enumerate(spans or ()):
                if k:
                    cell.append("\n")
                cell.append_text(
                    out.text(
                        (LEVEL_LABEL[s.advice], CELL_STYLE[s.advice]), f" {s.days(compact=True)}"
                    )
                )
            cells.append(cell if spans else out.text(("·", "dim")))
        m.add_row(_topic(out, x.topic, x.conflict), *cells)
    out.show(m)
    if c.conditions:
        out.blank()
        only = out.table(
            "topic",
            "source",
            "days",
            "condition: advice",
            title="Only under a condition (shown beside the day's advice, never "
            "merged or compared)",
        )
        for col in only.columns[1:3]:
            col.no_wrap = True
        for cond in c.conditions:
            s = cond.span
            only.add_row(
                out.text(out.name(cond.topic)),
                out.text(cond.source),
                out.text((LEVEL_LABEL[s.advice], CELL_STYLE[s.advice]), f" {s.days(compact=True)}"),
                out.text((Verbatim(cond.condition), "italic"), ": ", Verbatim(cond.note)),
            )
        out.show(only)
    if quotes:
        out.blank()
        q = out.table("topic", "source", "in its own words", title="In their own words")
        q.columns[1].no_wrap = True
        for x in c.topics:
            first = True
            for sid, spans in x.spans.items():
                for s in spans:
                    q.add_row(
                        out.text((out.name(x.topic), "bold")) if first else Text(),
                        out.text(
                            f"{sid} ", (LEVEL_LABEL[s.advice], CELL_STYLE[s.advice]), f" {s.days()}"
                        ),
                        _quote(out, s.quote, None),
                    )
                    first = False
            for cond in (y for y in c.conditions if y.topic == x.topic):
                s = cond.span
                words = out.text((Verbatim(cond.condition), "dim italic"), ": ")
                words.append_text(_quote(out, s.quote, None))
                q.add_row(
                    out.text((out.name(x.topic), "bold")) if first else Text(),
                    out.text(
                        f"{cond.source} ",
                        (LEVEL_LABEL[s.advice], CELL_STYLE[s.advice]),
                        f" {s.days()}",
                    ),
                    words,
                )
                first = False
            q.add_section()
        out.show(q)
    _timelines(out, c, ranked + [x for x in c.topics if not x.conflict])


def _timelines(out: Out, c: Comparison, topics: Sequence[TopicComparison]) -> None:
    from smpcare.conflicts import HORIZON

    out.blank()
    g = out.glyph
    out.print(("Timelines", "bold"), (f" (days {c.first_day} to {HORIZON})", "dim"))
    out.show(
        out.text(
            *[
                x
                for lvl in STRICTEST_FIRST
                for x in ((g[lvl], CELL_STYLE[lvl]), (f" {LEVEL_LABEL[lvl]}  ", ""))
            ],
            ("blank", "dim"),
            (" silent  ", ""),
            ("^", MARK),
            (" disagree  ", ""),
            ("→", "dim"),
            (" continues", ""),
        )
    )
    first, last = c.first_day, HORIZON
    ruler = [" "] * (last - first + 3)
    for d in range(0, last + 1, 7):
        for i, ch in enumerate(str(d)):
            ruler[d - first + i] = ch
    t = out.table("", "", out.safe("".join(ruler).rstrip()), "")
    t.columns[2].no_wrap = True
    t.columns[2].header_style = "dim"
    for x in topics:
        ids = [sid for sid in c.source_ids if sid in x.spans]
        for n, sid in enumerate(ids):
            cells = _glyphs(out, [(x.level_on(sid, d), 1) for d in range(first, last + 1)])
            later = [s for s in x.spans[sid] if s.start > last]
            if later:
                tail = " » " + ", ".join(f"{LEVEL_LABEL[s.advice]} {s.days()}" for s in later)
            else:
                tail = " →" if x.spans[sid][-1].end is None else ""
            t.add_row(
                _topic(out, x.topic, x.conflict) if n == 0 else Text(),
                out.text(sid),
                cells,
                out.text((tail, "dim")),
            )
        if x.conflict:
            marks = "".join(
                "^"
                if d in x.conflict_days or (x.conflict_continues and d > x.conflict_days[-1])
                else " "
                for d in range(first, last + 1)
            )
            t.add_row(Text(), Text(), out.text((marks.rstrip(), MARK)), Text())
        t.add_section()
    out.show(t)


# --- sources and sessions -------------------------------------------------------------------


def sources(out: Out, g: Guidelines) -> None:
    t = out.table("id", "title", "day convention", "rules")
    t.columns[0].no_wrap = True
    t.columns[2].no_wrap = True
    t.columns[3].justify = "right"
    for s in g.sources:
        title = out.text(
            Verbatim(s.title), *([(" (quotes unverified)", "yellow")] if not s.verified else [])
        )
        t.add_row(out.text(s.id), title, out.text(s.day_convention), out.text(str(len(s.rules))))
    out.show(t)


def sessions(out: Out, saved: Sequence[Session]) -> None:
    if not saved:
        out.print("No sessions saved. Add one with 'smpcare session add YYYY-MM-DD'.")
        return
    t = out.table("", "date", "day", "note")
    t.columns[0].justify = "right"
    t.columns[1].no_wrap = True
    t.columns[2].no_wrap = True
    for i, s in enumerate(saved, 1):
        t.add_row(
            out.text(f"{i}."),
            out.text(s.date.isoformat()),
            out.text(format_day(s.date, year=True)),
            out.text(Verbatim(s.note)),
        )
    out.show(t)
