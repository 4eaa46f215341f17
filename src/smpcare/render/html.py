"""The printable handout: one self-contained HTML page a clinic prints or emails to a client.

The page is built in two steps. ``handout_view`` turns the plan into plain values in reading
order (key dates, the calendar strip, the days one by one, what to expect, when to contact
the clinic), collecting every quote it cites; footnote numbers are then given source by
source, so that each source's title is printed once above its own words. The Jinja2
template (``templates/handout.html``, autoescaping on) only lays those values out: no text
from a guideline file can become markup.

The page has inline CSS only: no JavaScript, no web fonts, nothing fetched from a network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from smpcare.dates import format_day
from smpcare.engine import (
    Day,
    FineAgain,
    Plan,
    Policy,
    SessionDates,
    SourceLift,
    TopicAdvice,
    expect_and_contact,
    key_dates,
)
from smpcare.model import STRICTEST_FIRST, Guidelines, Info, Level, Rule, topic_label
from smpcare.render import (
    LEVEL_LABEL,
    POLICY_TEXT,
    condition_head,
    lead_note,
    note_text,
    unverified_text,
)
from smpcare.words import plural


class Cite(NamedTuple):
    """A source's verbatim words: one footnote."""

    source: str
    quote: str


CiteFn = Callable[[Rule], Cite]  # records a quote the page cites


class Advice(NamedTuple):
    """One piece of advice as the handout shows it: a level, a topic (or several, where the
    same words say the same for each) and the source's note."""

    level: str  # avoid, limit, do, fine (``LEVEL_LABEL``)
    topic: str  # the words a client uses: ``showering and washing, shampoo``
    note: str
    cites: tuple[Cite, ...]
    conflict: bool = False


class Conditional(NamedTuple):
    """Advice a source gives only under a condition, once, where it starts: ``If you live in
    a warm, sunny climate (from day 30): limit sun exposure: ... do sunscreen: ...``."""

    condition: str  # as a sentence opens: ``If it is needed``
    days: str  # ``days 8–14``, ``from day 30``
    items: tuple[Advice, ...]


class Said(NamedTuple):
    """One source's word on a key date: its date, or no date given, or still restricted."""

    source: str
    cite: Cite | None  # its words; None for a source that gives no date (that is silence)
    minimum: str | None  # "at the earliest": its restriction lasts "at least" that long


class SaidGroup(NamedTuple):
    when: str  # ``7 May``, ``no date given`` or ``still restricted``
    said: tuple[Said, ...]


class KeyRow(NamedTuple):
    """When one restricted topic is fine again, under the policy and per source."""

    topic: str
    level: str  # the restriction it starts with: avoid or limit
    since: str | None  # when it starts, if not on the session day
    fine: str  # ``Wed 15 May``, or why there is no date
    day: str | None  # ``day 14``
    agree: tuple[Said, ...]  # the sources that give that date (or that reason)
    ask: bool  # the sources give different dates (or some give none): ask your artist
    others: tuple[SaidGroup, ...]  # the sources that say otherwise


class Column(NamedTuple):
    day: str  # ``-3`` (with a real minus sign), ``0``, ``1–2``, ``31+``
    dates: str  # ``28 Apr``, ``29``, ``2–4``, ``31–1 Jun``, ``2 Jun+``: months where they change
    session: bool  # the session day itself


class Cell(NamedTuple):
    level: str | None  # None: no source speaks
    conflict: bool


class StripRow(NamedTuple):
    topic: str
    cells: tuple[Cell, ...]


class Strip(NamedTuple):
    columns: tuple[Column, ...]
    rows: tuple[StripRow, ...]


class PhaseView(NamedTuple):
    """A stretch of days with the same levels, and the advice that starts there."""

    title: str
    new: tuple[Advice, ...]  # strictest first
    conditions: tuple[Conditional, ...] = ()  # conditional advice that starts there

    @property
    def repeats(self) -> bool:
        """Whether some of its advice is named only, its words printed above."""
        return any(not a.note for a in (*self.new, *(a for c in self.conditions for a in c.items)))

    def by_level(self) -> list[tuple[str, list[Advice]]]:
        out: dict[str, list[Advice]] = {}
        for a in self.new:
            out.setdefault(a.level, []).append(a)
        return list(out.items())


class InfoNote(NamedTuple):
    source: str
    note: str


class InfoGroup(NamedTuple):
    """What to expect (or when to contact the clinic) over the same days, with the source of
    each note: information, not advice, shown as every other output shows it."""

    when: str  # ``Days 0–3 (1–4 May)``
    notes: tuple[InfoNote, ...]


class SourceView(NamedTuple):
    id: str
    title: str
    publisher: str
    own: bool  # a clinic's own sheet, not one of the bundled articles
    verified: bool
    notes: tuple[tuple[int, str], ...]  # (footnote number, verbatim quote)


class KeyDate(NamedTuple):
    """The topics fine again on one date (or with no date given, or no end date)."""

    when: str  # ``Thu 16 May``, ``No date given``, ``No end date``
    day: str | None  # ``day 15``
    rows: tuple[KeyRow, ...]


class SessionView(NamedTuple):
    """One session's key dates, in date order, and its calendar strip."""

    name: str  # "" for a single session, else ``Session 2 · Wed 15 May 2024``
    keys: tuple[KeyDate, ...]
    strip: Strip


class Handout(NamedTuple):
    title: str
    sources: tuple[SourceView, ...]
    policy: str
    notices: tuple[str, ...]
    sessions: tuple[SessionView, ...]
    phases: tuple[PhaseView, ...]  # a note printed in full once, then empty (the topic and
    # its footnote say which words they are)
    expect: tuple[InfoGroup, ...]
    contact: tuple[InfoGroup, ...]
    numbers: dict[Cite, int]


def handout(plan: Plan, guidelines: Guidelines) -> str:
    """The plan as one self-contained HTML page."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("smpcare.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    view = handout_view(plan, guidelines)
    env.filters["number"] = view.numbers.__getitem__  # a cited quote's footnote number
    return env.get_template("handout.html").render(h=view)


def handout_view(plan: Plan, guidelines: Guidelines) -> Handout:
    """Everything the handout shows, in reading order, with its footnotes numbered."""
    cited: dict[Cite, None] = {}  # in the order the page first cites them

    def cite(rule: Rule) -> Cite:
        c = Cite(rule.source, rule.quote)
        cited.setdefault(c)
        return c

    episodes = _episodes(plan)
    views = tuple(
        SessionView(
            ""
            if len(plan.sessions) == 1
            else f"Session {s.number} · {format_day(s.date, year=True)}",
            _key_dates(s, plan, cite),
            _strip(days, plan),
        )
        for s, days in zip(key_dates(plan, policy=_policy(plan.policy)), episodes, strict=True)
    )
    phase_views = _phases(episodes, plan, cite)
    expect, contact = _infos(plan, guidelines.ids())
    numbers = _number(_within(cited), guidelines.ids())
    return Handout(
        title=_title(plan.sessions),
        sources=_sources(guidelines, plan, numbers),
        policy=_policy_text(plan),
        notices=tuple(w.message() for w in plan.warnings)
        + tuple(filter(None, [unverified_text(plan.unverified)])),
        sessions=views,
        phases=phase_views,
        expect=expect,
        contact=contact,
        numbers=numbers,
    )


def _policy(policy: str) -> Policy:
    """The merge policy the plan was made with (one source only: nothing to merge)."""
    return Policy(policy) if policy in {p.value for p in Policy} else Policy.CAUTIOUS


def _title(sessions: tuple[date, ...]) -> str:
    if len(sessions) == 1:
        return f"Session on {format_day(sessions[0], year=True)}"
    return (
        f"{len(sessions)} sessions, {format_day(sessions[0])} to "
        f"{format_day(sessions[-1], year=True)}"
    )


def _policy_text(plan: Plan) -> str:
    """How the sheet combines the sources, in a client's words (see ``POLICY_TEXT``)."""
    if len(plan.source_ids) == 1:
        return ""  # one source (or --source): nothing to combine
    follows = {
        "cautious": "the most cautious advice",
        "majority": "the advice most of them give (on a tie, the more cautious)",
    }.get(plan.policy, POLICY_TEXT.get(plan.policy, plan.policy))
    if plan.prefer:
        follows = f"{plan.prefer} (otherwise {follows})"
    return (
        f"Where they disagree (≠), it follows {follows} and shows who says what: "
        "ask your artist which to follow."
    )


def _within(cited: dict[Cite, None]) -> dict[Cite, Cite]:
    """Each cited quote, and the footnote that prints it: its own, or a longer quote of the
    same source that holds it word for word ("If you live in a warm, sunny climate, take
    adequate precautions." is in "... precautions. A quality non-greasy sunscreen is best.")."""
    by_source: dict[str, list[Cite]] = {}
    for c in cited:
        by_source.setdefault(c.source, []).append(c)
    return {
        c: max(
            (d for d in by_source[c.source] if c.quote in d.quote), key=lambda d: len(d.quote)
        )  # c itself at least
        for c in cited
    }


def _number(cited: dict[Cite, Cite], order: list[str]) -> dict[Cite, int]:
    """Footnote numbers source by source (in the guidelines' order), each source's quotes in
    the order the page first cites them; a quote held by a longer one gets that one's."""
    rank = {sid: i for i, sid in enumerate(order)}
    printed = dict.fromkeys(cited.values())
    ordered = sorted(printed, key=lambda c: rank.get(c.source, len(rank)))  # stable
    numbers = {c: n for n, c in enumerate(ordered, 1)}
    return {c: numbers[shown] for c, shown in cited.items()}


def _sources(
    guidelines: Guidelines, plan: Plan, numbers: dict[Cite, int]
) -> tuple[SourceView, ...]:
    from smpcare.loader import is_bundled

    out = []
    for s in guidelines.sources:
        if s.id not in plan.source_ids:
            continue
        own = bool(s.path) and not is_bundled(Path(s.path))
        printed: dict[int, str] = {}  # a footnote prints the longest quote it stands for
        for c, n in numbers.items():
            if c.source == s.id and len(c.quote) > len(printed.get(n, "")):
                printed[n] = c.quote
        notes = tuple(sorted(printed.items()))
        out.append(SourceView(s.id, s.title, s.publisher, own, s.verified, notes))
    return tuple(out)


def _key_dates(s: SessionDates, plan: Plan, cite: CiteFn) -> tuple[KeyDate, ...]:
    """The session's restrictions grouped by the day they are fine again: dated ones first, in
    date order, then those still restricted at the next session, with no date, with no end."""
    groups: dict[tuple[int, date, str], list[KeyRow]] = {}
    for f in s.after:
        row = _key_row(f, s, plan, cite)
        rank = 0 if f.date is not None else 1 if f.until_next else 2 if not f.open_ended else 3
        groups.setdefault((rank, f.date or date.min, row.fine), []).append(row)
    return tuple(
        KeyDate(fine[0].upper() + fine[1:], rows[0].day, tuple(rows))
        for (_, _, fine), rows in sorted(groups.items(), key=lambda kv: kv[0][:2])
    )


def _key_row(f: FineAgain, s: SessionDates, plan: Plan, cite: CiteFn) -> KeyRow:
    session = s.date
    if f.date is not None:
        fine, day = _day(f.date, plan), f"day {(f.date - session).days}"
    elif f.open_ended:
        fine, day = "no end date", None  # long-term advice: the strip's last column
    elif f.until_next:
        fine, day = f"not before session {s.number + 1}", None
    else:
        fine, day = "no date given", None
    groups: dict[str, list[Said]] = {}
    for lift in f.sources:
        groups.setdefault(_said_when(lift, plan), []).append(_said(lift, plan, cite))
    own = (
        _short(f.date, plan)
        if f.date is not None
        else "still restricted"
        if f.open_ended or f.until_next
        else "no date given"
    )
    agree = groups.pop(own, [])
    return KeyRow(
        topic=topic_label(f.topic, plan.labels),
        level=LEVEL_LABEL[f.level],
        since=None if f.start == session else _short(f.start, plan),
        fine=fine,
        day=day,
        agree=tuple(agree),
        ask=f.disagree or (f.date is None and not f.open_ended) or any(a.minimum for a in agree),
        others=tuple(SaidGroup(when, tuple(said)) for when, said in groups.items()),
    )


def _said_when(s: SourceLift, plan: Plan) -> str:
    if s.date is not None:
        return _short(s.date, plan)
    return "still restricted" if s.ends is None else "no date given"


def _said(s: SourceLift, plan: Plan, cite: CiteFn) -> Said:
    """A source's word; a restriction it gives as a minimum ("at least 5 days") says so."""
    silent = s.date is None and s.ends is not None
    if not s.at_least:
        minimum = None
    elif s.date is not None:
        minimum = "at the earliest"
    else:
        minimum = "at least until " + _short(s.ends, plan) if s.ends else "at least"
    return Said(s.source, None if silent else cite(s.rule), minimum)


def _episodes(plan: Plan) -> list[list[Day]]:
    """The plan's days session by session (before-care belongs to the first session)."""
    out: list[list[Day]] = []
    for d in plan.days:
        if out and out[-1][-1].session == d.session:
            out[-1].append(d)
        else:
            out.append([d])
    return out


def _groups(days: list[Day]) -> list[list[Day]]:
    """Consecutive days whose merged levels and disagreements are the same: the calendar
    strip's columns and the day-by-day sections. The session day stands alone. Conditional
    advice does not split them: the strip does not show it, and the sections date it."""
    out: list[list[Day]] = []
    key: object = None
    for d in days:
        k = (d.day < 0, d.day == 0, tuple((t.topic, t.advice, t.conflict) for t in d.topics))
        if out and k == key:
            out[-1].append(d)
        else:
            out.append([d])
            key = k
    return out


def _open(group: list[Day], plan: Plan) -> bool:
    return plan.continues and group[-1] is plan.days[-1]


def _columns(groups: list[list[Day]], plan: Plan) -> tuple[Column, ...]:
    """Day numbers and dates as a calendar shows them: a month where it changes, both months
    of a stretch that starts in a month not shown yet and ends in another, and always the
    month of the open-ended last column."""
    out = []
    month: tuple[int, int] | None = None
    for group in groups:
        first, last = group[0].date, group[-1].date
        a, b = group[0].day, group[-1].day
        if _open(group, plan):
            dates = f"{_short(first, plan)}+"
        elif (first.year, first.month) == month and (last - first).days < 31:
            # within the month last shown, or just into the next: ``30–1 Jun``
            days = str(first.day) if first == last else f"{first.day}–{last.day}"
            dates = (
                days
                if (last.year, last.month) == month
                else f"{days} {last.strftime('%b')}{_year(last, plan)}"
            )
        elif (first.year, first.month) == (last.year, last.month):
            days = str(first.day) if first == last else f"{first.day}–{last.day}"
            dates = f"{days} {last.strftime('%b')}{_year(last, plan)}"
        else:
            dates = f"{_short(first, plan)}–{_short(last, plan)}"
        month = (last.year, last.month)
        day = _signed(a) if a == b else f"{_signed(a)}–{_signed(b)}"
        out.append(Column(f"{a}+" if _open(group, plan) else day, dates, a == b == 0))
    return tuple(out)


def _signed(n: int) -> str:
    return f"\N{MINUS SIGN}{-n}" if n < 0 else str(n)


def _year(d: date, plan: Plan) -> str:
    """`` 2025`` for a date in another year than the first session's, else nothing."""
    return f" {d.year}" if d.year != plan.sessions[0].year else ""


def _short(d: date, plan: Plan) -> str:
    """``7 May`` (``1 May 2025`` in another year than the first session's)."""
    return f"{d.day} {d.strftime('%b')}{_year(d, plan)}"


def _day(d: date, plan: Plan) -> str:
    """``Tue 7 May`` (``Thu 1 May 2025`` in another year than the first session's)."""
    return format_day(d) + _year(d, plan)


def _strip(days: list[Day], plan: Plan) -> Strip:
    """Topics down, stretches of days with the same levels across (see ``_groups``)."""
    groups = _groups(days)
    spoken = {t.topic for d in days for t in d.topics}
    rows = []
    for topic in [t for t in plan.labels if t in spoken] + sorted(spoken - plan.labels.keys()):
        cells = []
        for g in groups:
            t = g[0].topic(topic)
            cells.append(Cell(LEVEL_LABEL[t.advice] if t else None, bool(t and t.conflict)))
        rows.append(StripRow(topic_label(topic, plan.labels), tuple(cells)))
    return Strip(_columns(groups, plan), tuple(rows))


def _phase_title(group: list[Day], plan: Plan) -> str:
    """``Sat 4 May (day 3)``, ``Thu 2 – Fri 3 May (days 1–2)``, ``Wed 1 May, session day``."""
    first, last = group[0], group[-1]
    if first.day == 0 and first is last:
        return f"{_day(first.date, plan)}, " + (
            "the session day" if len(plan.sessions) == 1 else f"session {first.session}"
        )
    if _open(group, plan):
        return f"From {_day(first.date, plan)} (day {first.day} on)"
    if first.day < 0:
        n = -first.day
        when = f"{n} {plural(n, 'day')} before" if first is last else f"{n}–{-last.day} days before"
        if len(plan.sessions) > 1:
            when += f" session {first.session}"
    else:
        when = f"day {first.day}" if first is last else f"days {first.day}–{last.day}"
    return f"{_span(first.date, last.date, plan)} ({when})"


def _span(first: date, last: date, plan: Plan) -> str:
    """``Sat 4 May``, ``Thu 2 – Fri 3 May``, ``Tue 30 Apr – Thu 2 May``."""
    if first == last:
        return _day(first, plan)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.strftime('%a')} {first.day} – {_day(last, plan)}"
    return f"{_day(first, plan)} – {_day(last, plan)}"


def _advice(t: TopicAdvice, plan: Plan, cite: CiteFn) -> Advice:
    """The merged advice in the words of the source it shows (``TopicAdvice.lead``, with that
    source's further instructions that day), citing each of those rules."""
    rules = [t.lead, *(r for r in t.more if r.source == t.lead.source)]
    return Advice(
        LEVEL_LABEL[t.advice],
        topic_label(t.topic, plan.labels),
        lead_note(t),
        tuple(cite(r) for r in rules),
        t.conflict,
    )


def _phases(episodes: list[list[Day]], plan: Plan, cite: CiteFn) -> tuple[PhaseView, ...]:
    """For each stretch of days: the advice to avoid, limit or do that starts (or changes
    level) there, and the conditional advice that starts there, dated once with its own days.
    What stays the same is in the calendar strip; what is fine again, and who says so, is in
    the key dates."""
    out = []
    prev: dict[str, Level] = {}
    starts = _condition_starts(plan)
    said: set[tuple[str, str, str]] = set()  # (level, topic, note) printed in full

    def once(a: Advice) -> Advice:
        """Words already printed in full above are not printed again (a course repeats
        them after every session): the topic and its footnote say which they are."""
        key = (a.level, a.topic, a.note)
        if key in said:
            return a._replace(note="")
        said.add(key)
        return a

    for days in episodes:
        for group in _groups(days):
            day = group[0]
            new = [
                _advice(t, plan, cite)
                for level in STRICTEST_FIRST
                if level is not Level.ALLOWED
                for t in day.topics
                if t.advice is level and prev.get(t.topic) is not level
            ]
            conditions = [
                _conditional(rules, days_text, plan, cite)
                for d in group
                for days_text, rules in starts.get(d.date, ())
            ]
            out.append(
                PhaseView(
                    _phase_title(group, plan),
                    tuple(once(a) for a in _joined(new)),
                    tuple(c._replace(items=tuple(once(a) for a in c.items)) for c in conditions),
                )
            )
            prev = {t.topic: t.advice for t in day.topics}
    return tuple(out)


def _joined(items: list[Advice]) -> tuple[Advice, ...]:
    """Topics with the same advice in the same words, said once: ``do showering and washing,
    shampoo: Keep washing your scalp with clean water and soap.`` (what to avoid is listed by
    topic alone, so it stays as it is)."""
    alike: dict[tuple[str, str, bool], list[Advice]] = {}
    for a in items:
        key = (a.level, a.note if a.level != LEVEL_LABEL[Level.AVOID] else a.topic, a.conflict)
        alike.setdefault(key, []).append(a)
    return tuple(
        same[0]._replace(
            topic=", ".join(a.topic for a in same),
            cites=tuple(dict.fromkeys(c for a in same for c in a.cites)),
        )
        for same in alike.values()
    )


def _condition_starts(plan: Plan) -> dict[date, list[tuple[str, list[Rule]]]]:
    """The first day of each run of days a conditional rule covers, with the run's days in
    words; rules under one condition from one source over the same days share an entry."""
    runs: dict[Rule, list[list[Day]]] = {}
    for prev, d in zip((None, *plan.days), plan.days, strict=False):
        for r in d.conditions:
            spans = runs.setdefault(r, [])
            if spans and prev is not None and r in prev.conditions:
                spans[-1].append(d)
            else:
                spans.append([d])
    entries: dict[tuple[date, str, str | None, str], list[Rule]] = {}
    for r, spans in runs.items():
        for run in spans:
            first, last = run[0], run[-1]
            if _open(run, plan) and r.window.end is None:
                days = f"from day {first.day}"
            elif first is last:
                days = f"day {first.day}"
            elif first.session == last.session:
                days = f"days {first.day}–{last.day}"
            else:
                days = f"day {first.day} to {_day(last.date, plan)}"
            entries.setdefault((first.date, days, r.condition, r.source), []).append(r)
    out: dict[date, list[tuple[str, list[Rule]]]] = {}
    for (start, days, _, _), rules in entries.items():
        out.setdefault(start, []).append((days, rules))
    return out


def _conditional(rules: list[Rule], days: str, plan: Plan, cite: CiteFn) -> Conditional:
    return Conditional(
        condition_head(rules[0]),
        days,
        tuple(
            Advice(
                LEVEL_LABEL[r.advice], topic_label(r.topic, plan.labels), note_text(r), (cite(r),)
            )
            for r in rules
        ),
    )


def _infos(plan: Plan, order: list[str]) -> tuple[tuple[InfoGroup, ...], tuple[InfoGroup, ...]]:
    """What to expect, and when to contact the clinic: each note under the stretches of days
    it covers, grouped by those days, earliest first."""
    runs: dict[Info, list[list[Day]]] = {}
    for prev, d in zip((None, *plan.days), plan.days, strict=False):
        for info in d.infos:
            stretches = runs.setdefault(info, [])
            if stretches and prev is not None and info in prev.infos:
                stretches[-1].append(d)
            else:
                stretches.append([d])
    rank = {sid: i for i, sid in enumerate(order)}
    ordered = sorted(
        runs, key=lambda i: (runs[i][0][0].date, runs[i][0][-1].date, rank.get(i.source, len(rank)))
    )
    expect, contact = expect_and_contact(ordered)
    return _info_groups(expect, runs, plan), _info_groups(contact, runs, plan)


def _info_groups(
    infos: list[Info], runs: dict[Info, list[list[Day]]], plan: Plan
) -> tuple[InfoGroup, ...]:
    groups: dict[str, list[InfoNote]] = {}
    for info in infos:
        when = _stretches(runs[info], plan)
        groups.setdefault(when, []).append(InfoNote(info.source, info.note))
    return tuple(
        InfoGroup(when[0].upper() + when[1:], tuple(notes)) for when, notes in groups.items()
    )


def _stretches(runs: list[list[Day]], plan: Plan) -> str:
    """``days 0–4 (1–5 May)``; the same days after several sessions are named once, with
    each stretch's dates: ``days 0–4 (1–5 May, 15–19 May, 29 May – 2 Jun)``."""
    alike: dict[str, list[str]] = {}
    for run in runs:
        days, dates = _stretch(run, plan)
        alike.setdefault(days, []).append(dates)
    return "; ".join(f"{days} ({', '.join(dates)})" for days, dates in alike.items())


def _stretch(run: list[Day], plan: Plan) -> tuple[str, str]:
    """A run of days by number and by date: (``days 0–4``, ``1–5 May``)."""
    first, last = run[0], run[-1]
    if _open(run, plan):
        return f"from day {first.day}", _short(first.date, plan)
    if first is last:
        return f"day {first.day}", _short(first.date, plan)
    same = (first.date.year, first.date.month) == (last.date.year, last.date.month)
    dates = (
        f"{first.date.day}–{_short(last.date, plan)}"
        if same
        else f"{_short(first.date, plan)} – {_short(last.date, plan)}"
    )
    return f"days {first.day}–{last.day}", dates
