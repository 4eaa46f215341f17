"""Helpers for the handout tests: small guideline sheets, and the page as a reader sees it."""

import re
from html.parser import HTMLParser
from pathlib import Path

# (topic, advice, from, to, note, quote[, {more schema-2 keys}]); days in the sheet's
# numbering (session_day 0)
RuleSpec = tuple
InfoSpec = tuple[int, int | None, str, str]  # (from, to, note, quote)


def write_sheet(
    folder: Path,
    sid: str,
    rules: list[RuleSpec],
    *,
    title: str = "",
    expect: list[InfoSpec] = (),
    contact: list[InfoSpec] = (),
    topics: list[tuple[str, str]] = (),
) -> Path:
    """A guideline file and its text (every quote on its own line), so quotes verify;
    ``topics`` are the sheet's own (id, label), which makes it a schema-2 sheet."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def value(v: object) -> str:
        return q(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)

    lines = ["schema: 2"] if topics else []
    lines += [
        "source:",
        f"  id: {sid}",
        f"  title: {q(title or sid.title() + ' sheet')}",
        f"  publisher: {q(sid.title() + ' Clinic')}",
        f"  text: {sid}.txt",
        "  session_day: 0",
    ]
    if topics:
        lines.append("topics:")
        for tid, label in topics:
            lines += [f"  - id: {tid}", f"    label: {q(label)}", f"    covers: {q(label)}"]
    lines.append("rules:")
    quotes = []
    for topic, advice, start, end, note, quote, *more in rules:
        lines += [
            f"  - topic: {topic}",
            f"    advice: {advice}",
            f"    from: {start}",
            f"    to: {'null' if end is None else end}",
            f"    note: {q(note)}",
            f"    quote: {q(quote)}",
        ]
        lines += [f"    {k}: {value(v)}" for extra in more for k, v in extra.items()]
        quotes.append(quote)
    for key, infos in (("expect", expect), ("contact", contact)):
        if infos:
            lines.append(f"{key}:")
        for start, end, note, quote in infos:
            lines += [
                f"  - from: {start}",
                f"    to: {'null' if end is None else end}",
                f"    note: {q(note)}",
                f"    quote: {q(quote)}",
            ]
            quotes.append(quote)
    (folder / f"{sid}.txt").write_text("\n".join(quotes) + "\n", encoding="utf-8")
    path = folder / f"{sid}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class _Text(HTMLParser):
    """The visible text, with each footnote reference written ``^3`` (``^3,7`` for two)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self.skip += 1
        elif tag == "sup":
            self.parts.append("^")
        elif tag in ("p", "li", "tr", "th", "td", "h1", "h2", "h3", "br", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """What a reader sees, whitespace collapsed (a narrow no-break space is a space)."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts).replace("\u202f", " ").replace("\u2009", " ").replace("\xa0", " ")
    return re.sub(r"\^\s+", "^", re.sub(r"\s+", " ", text)).strip()


def footnotes(html: str) -> dict[str, tuple[str, str]]:
    """Footnote number -> (source id, verbatim quote), from the sources section."""
    out = {}
    for block in html.split('<p class="source">')[1:]:
        sid = re.match(r"<b>([^<]*)</b>", block).group(1)
        for n, quote in re.findall(
            r'<span id="q(\d+)"><b>\d+</b>&nbsp;“(.*?)”</span>', block, flags=re.S
        ):
            out[n] = (sid, quote)
    return out


def references(html: str) -> list[str]:
    """Every footnote number the page refers to, in page order."""
    return re.findall(r'<a href="#q(\d+)">', html)
