"""Markdown a clinic shares: a sheet's words are shown as words, never as HTML or links."""

import pytest
from markdown_it import MarkdownIt

from conftest import FIXTURES

CLINICS = FIXTURES / "clinics"

# What a hostile (or careless) sheet puts in its label, condition, note and quote.
EDITS = [
    ("label: hair colour and dye", "label: <i>dye</i> ``` *x* _y_ & co"),
    ("condition: if you see flaking or scabbing", "condition: if <script>x</script> scabs"),
    ("note: Do not use any hair colour or dye.", "note: No dye, '[click](javascript:alert(3))'"),
    ("Do not shave for at least 5 days.", "Do not shave <img src=x onerror=alert(1)> 5 days."),
]
SHOWN = [
    "<i>dye</i> ``` *x* _y_ & co",
    "<script>x</script>",
    "[click](javascript:alert(3))",
    "<img src=x onerror=alert(1)>",
]


@pytest.fixture
def hostile(tmp_path):
    sheet = (CLINICS / "northside.yaml").read_text(encoding="utf-8")
    text = (CLINICS / "northside.txt").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in sheet
        sheet = sheet.replace(old, new)
        text = text.replace(old, new)
    (tmp_path / "northside.yaml").write_text(sheet, encoding="utf-8")
    (tmp_path / "northside.txt").write_text(text, encoding="utf-8")
    return tmp_path / "northside.yaml"


def as_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


LABEL, CONDITION, LINK, QUOTE = SHOWN


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (("plan", "-s", "2024-05-01", "--quotes"), [LABEL, QUOTE]),
        (("plan", "-s", "2024-05-01", "--detail", "--quotes"), SHOWN),
        (("today", "-s", "2024-05-01", "--on", "2024-05-07", "--detail", "--quotes"), SHOWN),
        (("when", "hair-dye", "shaving", "-s", "2024-05-01", "--quotes"), [LABEL, QUOTE]),
        (("compare-sources", "--quotes"), [LABEL, CONDITION, QUOTE]),
    ],
)
def test_a_sheets_words_render_as_text_not_html_or_links(run, hostile, command, words):
    result = run(*command, "--guidelines", str(hostile), "-f", "markdown")
    assert result.exit_code == 0, result.output
    html = as_html(result.stdout)
    for bad in ("<i>", "<script", "<img", "<a ", "<em>x", "<em>y"):
        assert bad not in html
    # Only the calendar strip is code, one block that the label's backticks did not close.
    assert html.count("<code>") == html.count("<pre><code>") <= 1
    # The words themselves are all there, as a viewer shows them.
    shown = html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for w in words:
        assert w in shown.replace("&quot;", '"')
