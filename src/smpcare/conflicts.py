"""Where the sources agree and disagree, for one session on day 0.

Pure: no I/O, no clock. Each source's advice per topic is compressed into windows ("avoid 0–3 ·
limit 4–6 · allowed from 7"); a day is a conflict day when the speaking sources disagree as
``model.disagree`` defines it: a restriction against a permission, or avoid against limit
(recommended against allowed is agreement that the thing is fine).

Disagreements are ranked by what a client most needs to know. On each day the gap is how far
apart the speaking sources' levels are on the strictness scale avoid (3) > limit (2) >
recommended (1) > allowed (0): avoid vs allowed is 3, opposite advice; avoid vs limit is 1.
Topics are ordered by (1) their widest gap, so opposite advice comes first; (2) the number of
days with that widest gap, so longer spans come first; (3) the sum of the gaps over all days;
then topic order. Only days up to day 35 count, so an open-ended disagreement is not endless.
"""

from collections.abc import Mapping
from typing import NamedTuple

from smpcare.engine import source_days, topic_or_error
from smpcare.model import Anchor, Guidelines, Level, Rule, disagree
from smpcare.words import plural

HORIZON = 35  # the last day a timeline shows; later changes get a compact marker


class Span(NamedTuple):
    start: int
    end: int | None  # None: open-ended
    advice: Level
    quote: str  # the first rule's words
    quotes: tuple[str, ...] = ()  # every rule's words in the window, in order: a window joins
    # days of one level, which several of the source's sentences may cover

    def days(self, compact: bool = False) -> str:
        """``0–3``, ``from 7`` (``7+`` when compact)."""
        if self.end is None:
            return f"{self.start}+" if compact else f"from {self.start}"
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


class TopicComparison(NamedTuple):
    topic: str
    spans: dict[str, tuple[Span, ...]]  # source id -> windows, for the sources that speak
    conflict_days: tuple[int, ...]  # within the compared range
    conflict_continues: bool  # the sources still differ on the long-term advice
    score: tuple[int, int, int]  # (widest gap, days at that gap, sum of gaps) up to HORIZON

    @property
    def conflict(self) -> bool:
        return bool(self.conflict_days)

    def level_on(self, source: str, day: int) -> Level | None:
        for s in self.spans.get(source, ()):
            if s.start <= day and (s.end is None or day <= s.end):
                return s.advice
        return None


class Conditional(NamedTuple):
    """Advice a source gives only under a condition ("if it is needed"): listed beside the
    comparison, never compared, since it holds only for some clients."""

    topic: str
    source: str
    condition: str
    span: Span  # its days (from the session), level and words
    note: str


class Comparison(NamedTuple):
    source_ids: tuple[str, ...]
    first_day: int
    last_day: int  # the last day any dated window covers; after it only long-term advice
    topics: tuple[TopicComparison, ...]  # in display order
    labels: Mapping[str, str] = {}  # topic id -> the words to print, the sheets' own included
    conditions: tuple[Conditional, ...] = ()  # in topic order, then source order

    def ranked(self) -> list[TopicComparison]:
        """Topics on which the sources disagree, most important first."""
        order = {t.topic: i for i, t in enumerate(self.topics)}
        return sorted(
            (t for t in self.topics if t.conflict),
            key=lambda t: ([-x for x in t.score], order[t.topic]),
        )


def compare(guidelines: Guidelines, topics: list[str] | None = None) -> Comparison:
    """Windows per source per topic, conflict days and scores."""
    if topics:
        topics = [topic_or_error(guidelines, t, "--topic") for t in topics]
    first, last, cells = source_days(guidelines)
    end = last + 1  # the first day of long-term advice only
    chosen = topics or guidelines.topics()
    ids = tuple(guidelines.ids())
    out = []
    for topic in (t for t in guidelines.topics() if t in chosen):
        spans = {sid: _spans(cells, topic, sid, first, end) for sid in ids}
        spans = {sid: s for sid, s in spans.items() if s}
        conflict_days, gaps = [], []
        for d in range(first, end + 1):
            levels = {r.advice for r in cells[d].get(topic, {}).values()}
            if disagree(levels):
                conflict_days.append(d)
                strict = [lvl.strictness for lvl in levels]
                gaps.append(max(strict) - min(strict))
        # The long-term day stands for every day after it, up to the horizon.
        counted = [g for d, g in zip(conflict_days, gaps, strict=True) if d <= HORIZON]
        if conflict_days and conflict_days[-1] == end:
            counted += [gaps[-1]] * max(0, HORIZON - end)
        widest = max(counted, default=0)
        score = (widest, counted.count(widest), sum(counted))
        continues = bool(conflict_days) and conflict_days[-1] == end
        out.append(TopicComparison(topic, spans, tuple(conflict_days), continues, score))
    return Comparison(
        ids, first, last, tuple(out), guidelines.labels(), _conditionals(guidelines, chosen)
    )


def _conditionals(guidelines: Guidelines, topics: list[str]) -> tuple[Conditional, ...]:
    """Each source's conditional rules on ``topics``, with their days for one session (so a
    window to the next session, or from the end of the course, runs from that session)."""
    order = {t: i for i, t in enumerate(guidelines.topics())}
    found = [
        Conditional(
            r.topic,
            s.id,
            r.condition,
            Span(
                r.window.start,
                None if r.anchor is Anchor.NEXT_SESSION else r.window.end,
                r.advice,
                r.quote,
                (r.quote,),
            ),
            r.note,
        )
        for s in guidelines.sources
        for r in s.rules
        if r.condition is not None and r.topic in topics
    ]
    return tuple(sorted(found, key=lambda c: order.get(c.topic, len(order))))  # stable


def _spans(
    cells: dict[int, dict[str, dict[str, Rule]]], topic: str, source: str, first: int, end: int
) -> tuple[Span, ...]:
    spans: list[Span] = []
    for d in range(first, end + 1):
        rule = cells[d].get(topic, {}).get(source)
        if rule is None:
            continue
        if spans and spans[-1].advice is rule.advice and spans[-1].end == d - 1:
            last = spans[-1]
            quotes = last.quotes if rule.quote in last.quotes else (*last.quotes, rule.quote)
            spans[-1] = last._replace(end=d, quotes=quotes)
        else:
            spans.append(Span(d, d, rule.advice, rule.quote, (rule.quote,)))
    if spans and spans[-1].end == end:  # still in force on the long-term day: open-ended
        spans[-1] = spans[-1]._replace(end=None)
    return tuple(spans)


def lift_days(t: TopicComparison) -> tuple[list[tuple[int, str]], list[tuple[str, int | None]]]:
    """(day, source) where each source first rates the topic fine again after day 0 after
    restricting it; and (source, last restricted day or None if open) for those that never do."""
    lifts: list[tuple[int, str]] = []
    never: list[tuple[str, int | None]] = []
    for source, spans in t.spans.items():
        after = [s for s in spans if s.end is None or s.end >= 0]
        restricted = False
        lift = None
        for s in after:
            if s.advice.restricts:
                restricted = True
            elif restricted:
                lift = max(s.start, 0)
                break
        if lift is not None:
            lifts.append((lift, source))
        elif restricted:
            never.append((source, after[-1].end))
    return sorted(lifts), never


def ranges(days: tuple[int, ...], continues: bool = False) -> str:
    """``0–3, 6, 10 onward``."""
    if not days:
        return ""
    parts: list[list[int]] = []
    for d in days:
        if parts and d == parts[-1][1] + 1:
            parts[-1][1] = d
        else:
            parts.append([d, d])
    words = [str(a) if a == b else f"{a}–{b}" for a, b in parts]
    if continues:
        a = parts[-1][0]
        words[-1] = f"from {a} on"
    return ", ".join(words)


def spread(t: TopicComparison) -> str:
    """The disagreement in plain words."""
    lifts, never = lift_days(t)
    days = {d for d, _ in lifts}
    if len(days) > 1 or (days and never):
        first, last = lifts[0][0], lifts[-1][0]
        early = [s for d, s in lifts if d == first]
        late = [s for d, s in lifts if d == last]
        text = f"fine again from day {first} ({', '.join(early)})"
        if last != first:
            text += (
                f" to day {last} ({', '.join(late)}): {last - first} "
                f"{plural(last - first, 'day')} apart"
            )
        for source, until in never:
            text += (
                f"; {source} keeps it restricted"
                if until is None
                else f"; {source} gives no day (its advice ends after day {until})"
            )
        return text
    # They do not differ on when it lifts: say who says what, in runs of days alike.
    runs: list[tuple[list[int], str]] = []
    for d in t.conflict_days:
        said = who_says_on(t, d)
        if runs and runs[-1][1] == said and runs[-1][0][-1] == d - 1:
            runs[-1][0].append(d)
        else:
            runs.append(([d], said))
    if len(runs) == 1:
        return runs[0][1]
    last = len(runs) - 1
    return "; ".join(
        f"{plural(2 if i == last and t.conflict_continues else len(days), 'day')} "
        f"{ranges(tuple(days), t.conflict_continues and i == last)}: {said}"
        for i, (days, said) in enumerate(runs)
    )


def who_says_on(t: TopicComparison, day: int) -> str:
    """``avoid (process, smusa) vs limit (aftercare)``."""
    groups: dict[Level, list[str]] = {}
    for source in t.spans:
        level = t.level_on(source, day)
        if level is not None:
            groups.setdefault(level, []).append(source)
    return " vs ".join(
        f"{lvl.value} ({', '.join(ids)})"
        for lvl, ids in sorted(groups.items(), key=lambda x: -x[0].strictness)
    )
