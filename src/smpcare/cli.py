"""The command line: parse, call one core function, hand the result to a renderer.

Only this module knows the real clock, the terminal, the environment and exit codes. Heavy
imports (rich, the YAML loader, icalendar) happen inside the commands that need them, so that
start-up and shell completion stay fast.

Everything this module prints goes through ``_print`` (standard output, guarded by
``output.GuardedStdout`` when run as a program) or ``_say`` (standard error: one line, with
control characters from the command line or a file escaped visibly).
"""

import functools
import sys
from collections.abc import Callable
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from smpcare.errors import SmpcareError

if TYPE_CHECKING:
    from smpcare.engine import Plan, Policy, TodayReport, WhenReport
    from smpcare.model import Guidelines

Result = TypeVar("Result", "Plan", "TodayReport", "WhenReport")

app = typer.Typer(
    name="smpcare",
    help="Aftercare planner for scalp micropigmentation (SMP): what to avoid, limit and do on "
    "each day after a session, traced to the published sources, with their "
    "disagreements shown.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: formatting help with rich cost ~70 ms per call
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMATS = ("table", "json", "markdown")


def _version(value: bool) -> None:
    """``--version``: print the installed version and stop, before anything else loads."""
    if value:
        from smpcare import installed_version

        _print(f"smpcare {installed_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print smpcare's version and exit.",
        ),
    ] = False,
) -> None:
    """Aftercare planner for scalp micropigmentation (SMP): what to avoid, limit and do on
    each day after a session, traced to the published sources, with their disagreements
    shown."""
    _bound_columns()


# The widest table laid out: COLUMNS=99999999 padded every line to that width (24 GB, then
# killed); a real terminal is at most a few hundred columns.
MAX_COLUMNS = 1000


def _bound_columns() -> None:
    """COLUMNS, which sets the width of tables, is read by the renderers: one that is not a
    plain number (COLUMNS=²) is dropped, one wider than MAX_COLUMNS is capped."""
    import os

    value = os.environ.get("COLUMNS")
    if value is None:
        return
    if not (value.isascii() and value.isdigit()):
        del os.environ["COLUMNS"]
    elif len(value) > 4 or int(value) > MAX_COLUMNS:
        os.environ["COLUMNS"] = str(MAX_COLUMNS)


COLORS = ("auto", "always", "never")
POLICIES = ("cautious", "majority")


# Shell completion: each callback gets what was typed so far and returns (value, help) pairs.
# They run in a fresh process on every Tab, so they import little and never raise.


def _offer(items: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    return [(v, h) for v, h in items if v.startswith(incomplete)]


def _complete_format(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    allowed = {
        "plan": (*FORMATS, "ics", "html"),
        "sources": ("table", "json"),
        "list": ("table", "json"),
    }.get(ctx.info_name or "", FORMATS)
    return _offer([(f, "") for f in allowed], incomplete)


def _complete_policy(incomplete: str) -> list[tuple[str, str]]:
    return _offer(
        [
            ("cautious", "the strictest advice wins"),
            ("majority", "the advice most sources give; ties go cautious"),
        ],
        incomplete,
    )


def _complete_color(incomplete: str) -> list[tuple[str, str]]:
    return _offer(
        [
            ("auto", "colour on a terminal"),
            ("always", "colour even when piped"),
            ("never", "no colour"),
        ],
        incomplete,
    )


def _complete_source(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        g = _load(ctx.params.get("guidelines"))
    except Exception:
        return []
    return _offer([(s.id, s.title) for s in g.sources], incomplete)


def _complete_custom_source(incomplete: str) -> list[tuple[str, str]]:
    from smpcare.catalog import custom_dir

    try:
        ids = sorted(p.stem for p in custom_dir().glob("*.yaml"))
    except OSError:
        return []
    return _offer([(i, "custom source") for i in ids], incomplete)


def _complete_topic(incomplete: str) -> list[tuple[str, str]]:
    from smpcare.model import TOPICS

    items = [(t.id, t.label) for t in TOPICS.values()]
    items += [(w, t.label) for t in TOPICS.values() for w in t.words if " " not in w]
    return _offer(list(dict.fromkeys(items)), incomplete.lower())


def _saved() -> list[tuple[str, str]]:
    try:
        from smpcare import journal
        from smpcare.dates import format_day

        return [(s.date.isoformat(), format_day(s.date, year=True)) for s in journal.load()]
    except Exception:
        return []


def _complete_saved(incomplete: str) -> list[tuple[str, str]]:
    return _offer(_saved(), incomplete)


def _complete_session(incomplete: str) -> list[tuple[str, str]]:
    return _offer([*_saved(), ("today", "")], incomplete)


def _complete_day(incomplete: str) -> list[tuple[str, str]]:
    words = [("today", ""), ("tomorrow", ""), ("yesterday", ""), ("in 1 week", "")]
    return _offer(words + _saved(), incomplete)


def _complete_time(incomplete: str) -> list[tuple[str, str]]:
    return _offer([(f"{h:02d}:00", "") for h in (7, 8, 9, 12, 18, 20)], incomplete)


SessionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--session",
        "-s",
        metavar="DATE",
        autocompletion=_complete_session,
        help="A session date (repeat for each session). Default: the saved sessions.",
    ),
]
PolicyOpt = Annotated[
    str,
    typer.Option(
        "--policy",
        metavar="POLICY",
        autocompletion=_complete_policy,
        help="How disagreeing sources combine: cautious (strictest wins) or majority.",
    ),
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--source", metavar="ID", autocompletion=_complete_source, help="Follow one source only."
    ),
]
PreferOpt = Annotated[
    str | None,
    typer.Option(
        "--prefer",
        metavar="ID",
        autocompletion=_complete_source,
        help="This source wins every disagreement (disagreements are still shown).",
    ),
]
GuidelinesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--guidelines",
        metavar="PATH",
        help="Extra guideline files or folders for this run (a clinic's own sheet).",
    ),
]
ColorOpt = Annotated[
    str,
    typer.Option(
        "--color",
        metavar="WHEN",
        autocompletion=_complete_color,
        help="Colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
        "always (e.g. for 'less -R') or never.",
    ),
]
QuotesOpt = Annotated[
    bool,
    typer.Option("--quotes", help="Add each source's own words (and how vague ones were read)."),
]
OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        autocompletion=_complete_day,
        help="The date to look at (default: today).",
    ),
]


def _format_opt(help_text: str) -> Any:
    return typer.Option(
        "--format", "-f", metavar="FORMAT", help=help_text, autocompletion=_complete_format
    )


# Sources describe a course of 2-5 sessions weeks apart. Fifty sessions within ten years leave
# room for years of touch-ups, and keep a plan (one entry per day of the course) a size that a
# person can read and a machine builds in moments; two sessions 300 years apart made a plan of
# 110,000 days that took 42 s and 6.8 GB.
MAX_SESSIONS = 50
MAX_COURSE_DAYS = 3650


def handles_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a SmpcareError as one line on stderr and exit with its code; no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SmpcareError as exc:
            _report(exc)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _report(exc: SmpcareError) -> None:
    from smpcare.errors import GuidelineError

    if isinstance(exc, GuidelineError):
        for line in exc.lines():
            _say(line)
    _say(f"smpcare: {exc.line()}")


def _say(line: str) -> None:
    """One line on stderr. Text from outside is shown, never obeyed: control characters
    (escape sequences, bidi overrides, undecodable bytes), tabs and newlines are escaped."""
    from smpcare.safe import visible

    if sys.stderr is None:  # closed: the exit status is all that is left
        return
    try:
        sys.stderr.write(visible(line).replace("\t", "\\x09").replace("\n", "\\x0a") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _print(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise SmpcareError(
            "E208", f"{option} '{value}' is not accepted.", f"Use one of: {', '.join(allowed)}."
        )
    return value


def _path(value: str, what: str) -> Path:
    """A path from the command line; an empty one names nothing (Path('') would be '.')."""
    return Path(_named(value, what))


def _named(value: str, what: str) -> str:
    if not value:
        raise SmpcareError(
            "E208",
            f"{what} '' names no file.",
            f"Give {what} a file name, e.g. {_EXAMPLE.get(what, 'clinic.yaml')}.",
        )
    return value


_EXAMPLE = {"--output": "plan.ics"}


def _today() -> date:
    return date.today()


def _load(extra: list[str] | None = None) -> "Guidelines":
    from smpcare.catalog import load_all

    return load_all([_path(p, "--guidelines") for p in extra or []])


def _sessions(values: list[str] | None) -> list[date]:
    from smpcare.dates import parse_date

    today = _today()
    if values:
        return _course_limits(
            [parse_date(v, today=today, what="--session") for v in values], saved=False
        )
    from smpcare.journal import saved_session_dates

    saved = saved_session_dates()
    if not saved:
        raise SmpcareError(
            "E206",
            "no session date given and none saved.",
            "Pass --session YYYY-MM-DD (repeat it for each session), or save them once with "
            "'smpcare session add YYYY-MM-DD'.",
        )
    return _course_limits(saved, saved=True)


def _course_limits(sessions: list[date], *, saved: bool) -> list[date]:
    """At most MAX_SESSIONS sessions, within MAX_COURSE_DAYS of each other (E213).

    Each date is already in range: parse_date checks typed ones, the journal saved ones (J308).
    """
    mend = (
        "Remove sessions with 'smpcare session remove DATE'."
        if saved
        else "Plan each course on its own."
    )
    distinct = sorted(set(sessions))
    if len(distinct) > MAX_SESSIONS:
        raise SmpcareError(
            "E213",
            f"a course has at most {MAX_SESSIONS} sessions; "
            f"{'the saved ones are' if saved else 'you gave'} {len(distinct)}.",
            mend,
        )
    span = (distinct[-1] - distinct[0]).days
    if span > MAX_COURSE_DAYS:
        raise SmpcareError(
            "E213",
            f"the sessions {distinct[0].isoformat()} and "
            f"{distinct[-1].isoformat()} are {span:,} days apart; a course spans "
            f"at most {MAX_COURSE_DAYS:,} days (ten years).",
            mend,
        )
    return sessions


def _print_json(data: Any) -> None:
    import json

    _print(json.dumps(data, indent=2, ensure_ascii=False))


@app.command()
@handles_errors
def plan(
    session: SessionOpt = None,
    policy: PolicyOpt = "cautious",
    source: SourceOpt = None,
    prefer: PreferOpt = None,
    fmt: Annotated[
        str, _format_opt("table, json, markdown, ics, or html (a printable handout).")
    ] = "table",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of the screen."),
    ] = None,
    remind: Annotated[
        str | None,
        typer.Option(
            "--remind",
            metavar="HH:MM",
            autocompletion=_complete_time,
            help="With --format ics: a reminder at this time on each milestone day.",
        ),
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Every phase of identical advice, what changed first.")
    ] = False,
    quotes: QuotesOpt = False,
    color: ColorOpt = "auto",
    guidelines: GuidelinesOpt = None,
) -> None:
    """The plan at a glance: when each thing is fine again, a day-by-day strip, what to expect
    (--detail: every phase)."""
    from smpcare.engine import build_plan

    _choice(fmt, (*FORMATS, "ics", "html"), "--format")
    _choice(color, COLORS, "--color")
    if remind is not None and fmt != "ics":
        raise SmpcareError(
            "E208", "--remind only works with --format ics.", "Add --format ics --output plan.ics."
        )
    target = _named(output, "--output") if output is not None else None
    g, policy_, sessions = _course(guidelines, policy, source, prefer, session, output=target)
    result = _labelled(build_plan(g, sessions, policy=policy_, prefer=prefer), source)
    if fmt == "ics":
        _calendar(result, target, remind)
        return
    if fmt == "json":
        import json

        from smpcare.render import json as render_json

        text = json.dumps(render_json.plan(result), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        from smpcare.render import markdown

        text = markdown.plan(result, detail=detail, quotes=quotes)
    elif fmt == "html":
        from smpcare.render import html

        text = html.handout(result, g)
    else:
        from smpcare.render import table

        def render(out: "table.Out") -> None:
            table.plan(out, result, detail=detail, quotes=quotes)

        if target is None:
            _show(render, color)
            return
        text = table.to_text(render, table.width_for(sys.stdout))
    _write(text, target)


def _show(render: Callable[[Any], None], color: str) -> None:
    """Lay out through rich, then print to standard output."""
    from smpcare.render import table

    out = table.Out(table.console(sys.stdout, color))
    render(out)
    out.close(sys.stdout)


def _calendar(result: "Plan", output: str | None, remind: str | None) -> None:
    """Write the calendar; with --output, numbered against the last export to that file (so
    changed events are updated and dropped ones cancelled) and recorded for the next one."""
    from datetime import datetime

    from smpcare import exports
    from smpcare.render import ics

    when = ics.parse_remind(remind) if remind is not None else None
    kept = output if output is not None and exports.recordable(output) else None
    loaded = exports.load(kept) if kept is not None else exports.Loaded({}, None)
    if loaded.warning:
        _say(f"smpcare: warning: {loaded.warning}")
    cal = ics.calendar(
        result, stamp=datetime.now(UTC).replace(microsecond=0), remind=when, previous=loaded.events
    )
    _write(cal.text, output)
    if kept is None:
        return
    if loaded.events:
        _say(
            f"Events: {cal.new} new, {cal.changed} changed, {cal.unchanged} unchanged, "
            f"{cal.cancelled} cancelled since the last export to this file."
        )
    else:
        _say(f"Events: {cal.new}, all new (no earlier export to this file is recorded).")
    warning = exports.save(kept, cal.record)
    if warning:
        _say(f"smpcare: warning: {warning}")


def _course(
    guidelines: list[str] | None,
    policy: str,
    source: str | None,
    prefer: str | None,
    session: list[str] | None,
    loaded: "Guidelines | None" = None,
    output: str | None = None,
) -> "tuple[Guidelines, Policy, list[date]]":
    """What plan, today and when share: the guidelines (one source with --source; ``loaded``
    when already read), the policy and the sessions, each checked; with ``output``, that the
    file to write is neither smpcare's own data nor a guideline file the plan is read from."""
    from smpcare.engine import Policy, source_or_error

    if source is not None and prefer is not None and source != prefer:
        raise SmpcareError(
            "E214",
            f"--prefer '{prefer}' contradicts --source '{source}': with "
            "one source there is no disagreement for another to win.",
            "Give one of the two.",
        )
    g = loaded if loaded is not None else _load(guidelines)
    if output is not None:
        from smpcare.output import refuse_own_files

        refuse_own_files(output, g)
    policy_ = Policy(_choice(policy, tuple(p.value for p in Policy), "--policy"))
    if prefer is not None:
        source_or_error(g, prefer, "--prefer")
    if source is not None:
        source_or_error(g, source)
        g = g.only(source)
    return g, policy_, _sessions(session)


def _labelled(result: Result, source: str | None) -> Result:
    """With --source the policy is one source, whatever merge rule ran over it."""
    return result._replace(policy=f"source:{source}") if source else result


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from smpcare.output import write_file

    write_file(output, text)
    _say(f"Wrote {output}")


@app.command()
@handles_errors
def today(
    on: OnOpt = None,
    session: SessionOpt = None,
    policy: PolicyOpt = "cautious",
    source: SourceOpt = None,
    prefer: PreferOpt = None,
    fmt: Annotated[str, _format_opt("table, json or markdown.")] = "table",
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="Add who says what, what to expect and when to call the clinic, and "
            "every source's date.",
        ),
    ] = False,
    quotes: QuotesOpt = False,
    color: ColorOpt = "auto",
    guidelines: GuidelinesOpt = None,
) -> None:
    """What applies today: what to avoid, limit and do, what changes tomorrow, what lifts when."""
    from smpcare.dates import parse_date
    from smpcare.engine import today_report

    _choice(fmt, FORMATS, "--format")
    _choice(color, COLORS, "--color")
    when_ = parse_date(on, today=_today(), what="--on") if on is not None else _today()
    g, policy_, sessions = _course(guidelines, policy, source, prefer, session)
    result = _labelled(today_report(g, sessions, when_, policy=policy_, prefer=prefer), source)
    if fmt == "json":
        from smpcare.render import json as render_json

        _print_json(render_json.today(result))
    elif fmt == "markdown":
        from smpcare.render import markdown

        sys.stdout.write(markdown.today(result, detail=detail, quotes=quotes))
    else:
        from smpcare.render import table

        _show(lambda out: table.today(out, result, detail=detail, quotes=quotes), color)


@app.command()
@handles_errors
def when(
    topics: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TOPIC...",
            autocompletion=_complete_topic,
            show_default=False,
            help="Topic ids or plain words: shampoo, gym, swim, shower, sun, sauna...",
        ),
    ] = None,
    on: OnOpt = None,
    session: SessionOpt = None,
    policy: PolicyOpt = "cautious",
    source: SourceOpt = None,
    prefer: PreferOpt = None,
    fmt: Annotated[str, _format_opt("table, json or markdown.")] = "table",
    quotes: QuotesOpt = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List every topic and the words that name it.")
    ] = False,
    color: ColorOpt = "auto",
    guidelines: GuidelinesOpt = None,
) -> None:
    """When is it fine again? The date for each topic under the policy, and each source's."""
    from smpcare.engine import topic_or_error, when_report

    _choice(fmt, FORMATS, "--format")
    _choice(color, COLORS, "--color")
    if list_:
        words = _load(guidelines).topic_words()
        if fmt == "json":
            from smpcare.render import json as render_json

            _print_json(render_json.topic_words(words))
        elif fmt == "markdown":
            from smpcare.render import markdown

            sys.stdout.write(markdown.topic_words(words))
        else:
            from smpcare.render import table

            _show(lambda out: table.topic_words(out, words), color)
        return
    if not topics:
        raise SmpcareError(
            "E205",
            "no topic given.",
            "Name one or more, e.g. 'smpcare when shampoo gym'; "
            "'smpcare when --list' lists them all.",
        )
    from smpcare.dates import parse_date

    g0 = _load(guidelines)
    wanted = list(dict.fromkeys(topic_or_error(g0, t) for t in topics))
    day = parse_date(on, today=_today(), what="--on") if on is not None else _today()
    g, policy_, sessions = _course(guidelines, policy, source, prefer, session, loaded=g0)
    result = _labelled(when_report(g, sessions, day, wanted, policy=policy_, prefer=prefer), source)
    if fmt == "json":
        from smpcare.render import json as render_json

        _print_json(render_json.when(result))
    elif fmt == "markdown":
        from smpcare.render import markdown

        sys.stdout.write(markdown.when(result, quotes=quotes))
    else:
        from smpcare.render import table

        _show(lambda out: table.when(out, result, quotes=quotes), color)


@app.command("compare-sources")
@handles_errors
def compare_sources(
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            "-t",
            metavar="TOPIC",
            autocompletion=_complete_topic,
            help="Only this topic: an id, a label or a plain word (repeatable).",
        ),
    ] = None,
    fmt: Annotated[str, _format_opt("table, json or markdown.")] = "table",
    quotes: Annotated[
        bool, typer.Option("--quotes", help="Add each source's own wording.")
    ] = False,
    color: ColorOpt = "auto",
    guidelines: GuidelinesOpt = None,
) -> None:
    """Where the sources agree and disagree: windows per source, timelines, ranked conflicts."""
    from smpcare.conflicts import compare

    _choice(fmt, FORMATS, "--format")
    _choice(color, COLORS, "--color")
    g = _load(guidelines)
    result = compare(g, topic)
    if fmt == "json":
        from smpcare.render import json as render_json

        _print_json(render_json.compare(result, g, quotes))
    elif fmt == "markdown":
        from smpcare.render import markdown

        sys.stdout.write(markdown.compare(result, quotes))
    else:
        from smpcare.render import table

        _show(lambda out: table.compare(out, result, quotes=quotes), color)


sources_app = typer.Typer(
    help="The guideline sources: list them, or add a clinic's own.", rich_markup_mode=None
)
app.add_typer(sources_app, name="sources")


@sources_app.callback(invoke_without_command=True)
@handles_errors
def sources(
    ctx: typer.Context,
    fmt: Annotated[str, _format_opt("table or json.")] = "table",
    color: ColorOpt = "auto",
    guidelines: GuidelinesOpt = None,
) -> None:
    """List the guideline sources: id, title, day convention, number of rules."""
    if ctx.invoked_subcommand is not None:
        return
    _choice(fmt, ("table", "json"), "--format")
    _choice(color, COLORS, "--color")
    g = _load(guidelines)
    if fmt == "json":
        from smpcare.render import json as render_json

        _print_json(render_json.sources(g))
    else:
        from smpcare.render import table

        _show(lambda out: table.sources(out, g), color)


@sources_app.command("add")
@handles_errors
def sources_add(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A guideline YAML file.")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Take this (edited) sheet in place of the one added before."
        ),
    ] = False,
) -> None:
    """Validate a clinic's own guideline file and add it to every plan and comparison."""
    from smpcare.catalog import add_source

    warnings: list[Any] = []
    try:
        source, replaced = add_source(_path(file, "FILE"), replace=replace, warnings=warnings)
    finally:
        _print_warnings(warnings)
    note = "" if source.verified else " Its quotes are unverified: it names no text file."
    verb = "Replaced" if replaced else "Added"
    from smpcare.words import plural

    rules = len(source.rules)
    _print(f"{verb} source '{source.id}' ({source.title}), {rules} {plural(rules, 'rule')}.{note}")


@sources_app.command("new")
@handles_errors
def sources_new(
    source_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new source's id, e.g. my-clinic.")
    ],
) -> None:
    """Start a clinic's own sheet: ID.yaml (commented, schema 2) and an empty ID.txt here."""
    from smpcare.loader import schema_path
    from smpcare.starter import write_starter

    sheet, text = write_starter(source_id, Path.cwd(), schema_path())
    _print(
        f"Wrote {sheet.name} and {text.name}. Paste the sheet's text into {text.name}, write "
        f"its rules in {sheet.name}, then run 'smpcare check {sheet.name}'."
    )


@sources_app.command("remove")
@handles_errors
def sources_remove(
    source_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", autocompletion=_complete_custom_source, help="A custom source's id."
        ),
    ],
) -> None:
    """Remove a custom source added with 'sources add'."""
    from smpcare.catalog import remove_source
    from smpcare.safe import visible

    path = remove_source(source_id)
    _print(visible(f"Removed source '{source_id}' ({path})."))


session_app = typer.Typer(
    help="Your saved session dates: plan and today use them by default.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(session_app, name="session")


@session_app.command("add")
@handles_errors
def session_add(
    when: Annotated[
        str, typer.Argument(metavar="DATE", autocompletion=_complete_day, help="The session date.")
    ],
    note: Annotated[
        str, typer.Option("--note", metavar="TEXT", help="A note, e.g. the clinic or artist.")
    ] = "",
) -> None:
    """Save a session date."""
    from smpcare import journal
    from smpcare.dates import format_day, parse_date
    from smpcare.words import plural

    bad = journal.note_problem(note)
    if bad:
        raise SmpcareError(
            "E208",
            f"--note holds {bad}, which smpcare does not save.",
            "Write the note as one line of plain text.",
        )
    day = parse_date(when, today=_today(), what="DATE")
    try:
        saved = journal.saved_session_dates()
    except SmpcareError:  # an unreadable journal: journal.add reports it in its own words
        saved = None
    if saved is not None:
        _course_limits([*saved, day], saved=True)
    sessions, done = journal.add(day, note)
    verb = {"saved": "Saved", "noted": "Already saved, note updated", "unchanged": "Already saved"}[
        done
    ]
    _print(
        f"{verb}: session on {format_day(day, year=True)} ({day.isoformat()}). "
        f"{len(sessions)} {plural(len(sessions), 'session')} saved."
    )


@session_app.command("list")
@handles_errors
def session_list(
    fmt: Annotated[str, _format_opt("table or json.")] = "table",
    color: ColorOpt = "auto",
) -> None:
    """List the saved sessions."""
    from smpcare import journal

    _choice(fmt, ("table", "json"), "--format")
    _choice(color, COLORS, "--color")
    sessions = journal.load()
    if fmt == "json":
        from smpcare.render import json as render_json

        _print_json(render_json.sessions(sessions, str(journal.journal_path())))
        return
    from smpcare.render import table

    _show(lambda out: table.sessions(out, sessions), color)


@session_app.command("remove")
@handles_errors
def session_remove(
    when: Annotated[
        str,
        typer.Argument(metavar="DATE", autocompletion=_complete_saved, help="The session date."),
    ],
) -> None:
    """Remove a saved session date."""
    from smpcare import journal
    from smpcare.dates import format_day, parse_date
    from smpcare.words import plural

    day = parse_date(when, today=_today(), what="DATE")
    sessions = journal.remove(day)
    _print(
        f"Removed: session on {format_day(day, year=True)}. {len(sessions)} "
        f"{plural(len(sessions), 'session')} saved."
    )


@app.command()
@handles_errors
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Guideline files or folders (default: the bundled ones).",
            show_default=False,
        ),
    ] = None,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema", help="Print the JSON Schema of guideline files (for editors) and exit."
        ),
    ] = False,
) -> None:
    """Validate guideline files: every problem as path:line: CODE message, then warnings."""
    from smpcare.loader import bundled_dir, guideline_files, is_bundled, load_paths, schema_path
    from smpcare.words import plural

    if schema:
        _print(schema_path().read_text(encoding="utf-8").rstrip("\n"))
        return
    targets = [_path(p, "PATH") for p in paths] if paths else [bundled_dir()]
    files = guideline_files(targets)
    # A clinic's sheet is checked as 'sources add' and --guidelines will read it: beside the
    # bundled sources, whose ids it cannot take.
    known = None if any(is_bundled(f) for f in files) else load_paths([bundled_dir()])
    warnings: list[Any] = []
    try:
        g = load_paths(targets, known=known, warnings=warnings)
    finally:
        _print_warnings(warnings)
    rules = sum(len(s.rules) for s in g.sources)
    note = f", {len(warnings)} {plural(len(warnings), 'warning')}" if warnings else ""
    _print(
        f"OK: {len(files)} {plural(len(files), 'file')}, {len(g.sources)} "
        f"{plural(len(g.sources), 'source')}, {rules} {plural(rules, 'rule')}{note}."
    )


def _print_warnings(warnings: list[Any]) -> None:
    """Warnings on stderr, as problems are: ``path:line: W201 message``."""
    from smpcare.errors import one_line

    for w in sorted(warnings):
        typer.echo(one_line(str(w)), err=True)


def main() -> None:
    """Run the app as a program: every error is one line on stderr and an exit status.

    Standard output is guarded (see output.py): a closed pipe ends the run silently with the
    status a shell gives a program stopped by SIGPIPE (141); a stream that cannot take the
    output ends it with E215. The last flush happens here, so it is reported like the rest.
    """
    from smpcare.output import GuardedStdout, PipeClosed

    sys.stdout = GuardedStdout(sys.stdout)
    try:
        code = _run()
        sys.stdout.flush()
    except PipeClosed:
        code = 141
    except SmpcareError as exc:  # standard output failed outside a command (help, last flush)
        _report(exc)
        code = exc.exit_code
    sys.exit(code)


def _run() -> int:
    """The app, with click's usage errors (unknown option, missing value) as one E200 line."""
    click_error: type[Any] = next(
        c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
    )
    try:
        result = app(standalone_mode=False, prog_name="smpcare")
    except click_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'smpcare': show the help
            _print(exc.format_message())
            return 0
        ctx = getattr(exc, "ctx", None)
        hint = f" See '{ctx.command_path} --help'." if ctx is not None else ""
        message = exc.format_message().rstrip(".")
        _say(f"smpcare: error E200: {message}.{hint}")
        return int(exc.exit_code)
    except typer.Abort:
        _say("Aborted.")
        return 1
    return int(result) if isinstance(result, int) else 0
