"""What a terminal shows: colour on a TTY, none with NO_COLOR or off a terminal, no markup."""

import io

import pytest

from smpcare.render import table


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(page_lines, monkeypatch, no_color: bool) -> str:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = FakeTTY()
    page = table.new_page(out)
    page.line(("avoid", "bold red"), (" Keep [/bold] dry [link=x]now", ""))
    table.emit(page, out)
    return out.getvalue()


def test_a_terminal_gets_colour(monkeypatch):
    text = render(None, monkeypatch, no_color=False)
    assert "\x1b[" in text
    assert "Keep [/bold] dry [link=x]now" in text  # printed as written, not as markup


def test_no_color_is_honoured_on_a_terminal(monkeypatch):
    text = render(None, monkeypatch, no_color=True)
    assert "\x1b[" not in text
    assert text == "avoid Keep [/bold] dry [link=x]now\n"


def test_no_color_switches_timelines_to_plain_characters(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert table.colored(FakeTTY()) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm")
    assert table.colored(FakeTTY()) is True
    assert table.colored(io.StringIO()) is False


@pytest.mark.parametrize("width", [80, 120])
def test_today_fits_the_width(run, width):
    result = run("today", "-s", "2024-05-01", "--on", "2024-05-06", "--quotes", columns=width)
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= width


def test_today_quotes_show_each_sources_words(run):
    result = run("today", "-s", "2024-05-01", "--on", "2024-05-06", "--quotes")
    text = " ".join(result.stdout.split())
    assert "In the sources' own words" in text
    assert "elka limit “You can now take a bath, but apply baby shampoo (or fragrance free " \
           "shampoo) only for a while.”" in text
