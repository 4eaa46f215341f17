"""What `smpcare check` warns about in a sheet that loads: advice that cannot come out as the
sheet means it. Pure: reads a Source, returns (line, code, message) for each warning.

- A restriction that nothing lifts: after its last day the sheet falls silent, so smpcare says
  "no date given" (or, open-ended, that it never ends). A sheet that gives a duration ("for 14
  days") says the thing is fine after it: ``then: allowed``.
- A rule that is never shown: a stricter rule of the same sheet holds on every day it covers.
"""

from typing import NamedTuple

from smpcare.engine import source_days
from smpcare.model import STRICTNESS, Anchor, Care, Guidelines, Rule, Source, topic_label

NEVER_LIFTED = "W201"
SHADOWED = "W202"


class Warning_(NamedTuple):
    line: int
    code: str
    message: str


def lint(source: Source) -> list[Warning_]:
    """Every warning for one loaded source, in line order."""
    first, last, cells = source_days(Guidelines((source,)))
    labels = {t.id: t.label for t in source.topics}
    out = _never_lifted(source, first, last, cells, labels)
    out += _shadowed(source, last, cells, labels)
    return sorted(out)


def _own(
    cells: dict[int, dict[str, dict[str, Rule]]], day: int, topic: str, sid: str
) -> Rule | None:
    """The sheet's rule holding on ``day`` for ``topic`` (its own, not a broader topic's)."""
    rule = cells.get(day, {}).get(topic, {}).get(sid)
    return rule if rule is not None and rule.topic == topic else None


def _never_lifted(
    source: Source,
    first: int,
    last: int,
    cells: dict[int, dict[str, dict[str, Rule]]],
    labels: dict[str, str],
) -> list[Warning_]:
    out = []
    topics = dict.fromkeys(r.topic for r in source.rules if r.condition is None)
    for topic in topics:
        name = topic_label(topic, labels)
        for day in range(max(first, 0), last + 2):
            rule = _own(cells, day, topic, source.id)
            if rule is None or rule.care is not Care.AFTER or not rule.advice.restricts:
                continue
            after = _own(cells, day + 1, topic, source.id)
            if day == last + 1:  # still restricting where only long-term advice is left
                if rule.anchor is not Anchor.NEXT_SESSION:
                    out.append(
                        Warning_(
                            rule.line,
                            NEVER_LIFTED,
                            (
                                f"{name}: {rule.advice.value} never ends (no 'to') and nothing "
                                "lifts it; if the sheet gives it a duration, set 'to' and add "
                                "then: allowed"
                            ),
                        )
                    )
            elif after is None:
                out.append(
                    Warning_(
                        rule.line,
                        NEVER_LIFTED,
                        (
                            f"{name}: {rule.advice.value} ends after day {day} and no rule of this "
                            "sheet says it is fine after, so smpcare will say 'no date given'; if "
                            "the sheet means it is fine once that time is over, add then: allowed"
                        ),
                    )
                )
    return out


def _shadowed(
    source: Source, last: int, cells: dict[int, dict[str, dict[str, Rule]]], labels: dict[str, str]
) -> list[Warning_]:
    out = []
    lines = [r.line for r in source.rules]
    for rule in source.rules:
        if rule.condition is not None:
            continue  # shown beside the day's advice, never merged
        w = rule.window
        end = last + 1 if w.end is None or rule.anchor is Anchor.NEXT_SESSION else w.end
        holders = [_own(cells, d, rule.topic, source.id) for d in range(w.start, end + 1)]
        if holders and all(
            h is not None and STRICTNESS[h.advice] > STRICTNESS[rule.advice] for h in holders
        ):
            stricter = next(h for h in holders if h is not None)
            what = (
                "the permission its then: allowed adds"
                if lines.count(rule.line) > 1 and not rule.advice.restricts
                else f"{rule.advice.value} advice"
            )
            out.append(
                Warning_(
                    rule.line,
                    SHADOWED,
                    (
                        f"{topic_label(rule.topic, labels)}: {what} on days {w.label()} is never "
                        f"shown: the stricter {stricter.advice.value} advice on line "
                        f"{stricter.line} holds on every one of those days; shorten one of the "
                        "windows, or remove the rule"
                    ),
                )
            )
    return out
