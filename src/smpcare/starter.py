"""`smpcare sources new ID`: a commented starter sheet and an empty text file beside it.

The starter is a schema-2 guideline file whose comments say what each field means; its first
line points editors that speak the YAML language server (VS Code and others) to the JSON Schema
shipped with smpcare, so that they complete and check the file as the clinic types.
"""

import re
from pathlib import Path

from smpcare.errors import EXIT_DATA, SmpcareError

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,23}"  # as source.id (loader.ID_PATTERN)

STARTER = """\
# yaml-language-server: $schema={schema}
# A clinic's aftercare sheet for smpcare.
# 1. Paste the sheet's text, word for word, into {id}.txt.
# 2. Write one rule per instruction below (replace the two examples), quoting the sheet.
# 3. Check it: smpcare check {id}.yaml
# 4. Add it:   smpcare sources add {id}.yaml   (after an edit: --replace)
# Every field is explained in smpcare's guidelines/README.md.
schema: 2

source:
  id: {id}                   # used on the command line: smpcare plan --prefer {id}
  title: Aftercare instructions          # the sheet's title
  publisher: Your clinic's name
  text: {id}.txt             # the sheet's text, word for word: every quote is checked in it
  session_day: 1             # the number the sheet gives the treatment day: 1 ("day 1 is the
                             # day of your treatment") or 0

# Your own topics, for advice none of smpcare's topics covers ('smpcare when --list' lists
# them: wetting, shampoo, sweating, sun-exposure, shaving, swimming, moisturize, ...).
topics:
  - id: hair-dye
    label: hair colour and dye                  # what outputs print
    covers: dyeing or colouring the hair or scalp
    words: [dye, hair dye]                      # what 'smpcare when' accepts for it

rules:
  # "For the first 72 hours following your treatment, do not get your scalp wet."
  - topic: wetting
    advice: avoid            # avoid | limit | allowed (printed "fine") | recommended ("do")
    from_hours: 0            # a window in hours: a restriction covers every day they touch
    to_hours: 72
    then: allowed            # the sheet gives a duration: fine again once it is over
    note: Do not get your scalp wet.   # plain words for the client, no more than the quote
    quote: "For the first 72 hours following your treatment, do not get your scalp wet"

  # "Do not use any hair color or dyes for 14 days."
  - topic: hair-dye
    advice: avoid
    from: 1                  # days in the sheet's own numbering (see session_day)
    to: 14                   # to: null is open-ended
    then: allowed
    note: Do not colour or dye your hair.
    quote: "Do not use any hair color or dyes for 14 days."

  # More that a rule can say:
  #   anchor: next-session   "until your next session" (with to: null)
  #   anchor: course-end     counted from the last session ("after your final session")
  #   care: before           before-care: from/to count days (from_hours/to_hours hours)
  #                          before the session
  #   condition: if you see flaking or scabbing    shown as written beside the day's advice
  #   at_least: true         "at least 5 days": shown as "at least until ..., ask your artist"
  #   interpretation: ...    how vague words became days: "3-4 weeks" is read as 4 weeks

expect:                      # what to expect, by day (optional)
  []
contact:                     # when to call the clinic, by day (optional)
  []
"""


def check_id(source_id: str) -> str:
    """``source_id`` if it can be a source id, else a coded error saying what is accepted."""
    if not re.fullmatch(ID_PATTERN, source_id):
        from smpcare.safe import visible

        raise SmpcareError(
            "E216",
            f"'{visible(source_id)[:40]}' cannot be a source id.",
            "Use 1-24 lowercase letters, digits or '-', starting with a letter or digit, "
            "e.g. 'my-clinic'.",
        )
    return source_id


def write_starter(source_id: str, folder: Path, schema: Path) -> tuple[Path, Path]:
    """Write ``ID.yaml`` (the starter sheet) and an empty ``ID.txt`` in ``folder``; refuse to
    overwrite either."""
    from smpcare.paths import unwritable

    check_id(source_id)
    from smpcare.loader import bundled_dir

    if (bundled_dir() / f"{source_id}.yaml").exists():  # each bundled sheet is named by its id
        raise SmpcareError(
            "E216",
            f"'{source_id}' is the id of a bundled source; a clinic's sheet needs its own.",
            "Choose another id, e.g. 'my-clinic'.",
        )
    sheet, text = folder / f"{source_id}.yaml", folder / f"{source_id}.txt"
    for path in (sheet, text):
        if path.exists() or path.is_symlink():
            raise SmpcareError(
                "E217",
                f"'{path}' already exists; it was left as it is.",
                "Choose another id, or move the file away first.",
                exit_code=EXIT_DATA,
            )
    body = STARTER.format(id=source_id, schema=schema.resolve().as_uri())
    written: list[Path] = []
    try:
        for path, content in ((sheet, body), (text, "")):
            with path.open("x", encoding="utf-8") as f:  # "x": never replaces a file
                written.append(path)
                f.write(content)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise unwritable(folder, exc) from None
    return sheet, text
