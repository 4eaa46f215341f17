"""A clinic's own instructions: sources add, --guidelines, --prefer."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, as_user, without_root_powers
from smpcare import catalog
from smpcare.errors import cut

CLINIC = FIXTURES / "valid" / "clinic.yaml"


def visible_entries(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_sources_add_copies_a_valid_file_and_it_joins_everything(run, smpcare_home):
    result = run("sources", "add", str(CLINIC))
    assert result.exit_code == 0
    assert result.stdout == "Added source 'clinic' (Our Clinic's Aftercare Sheet), 4 rules.\n"
    saved = smpcare_home / "sources" / "clinic"
    assert (saved / "clinic.yaml").read_bytes() == CLINIC.read_bytes()
    assert (saved / "clinic.txt").read_bytes() == (FIXTURES / "valid" / "clinic.txt").read_bytes()
    ids = [s["id"] for s in json.loads(run("sources", "-f", "json").stdout)["sources"]]
    assert ids == ["aftercare", "beforecare", "elka", "process", "smusa", "clinic"]
    # It takes part in today, plan and compare-sources.
    today = json.loads(run("today", "-s", "2024-05-01", "--on", "2024-05-05", "-f", "json").stdout)
    wetting = next(t for t in today["topics"] if t["topic"] == "wetting")
    assert {s["source"]: s["advice"] for s in wetting["sources"]}["clinic"] == "avoid"
    plan = json.loads(run("plan", "-s", "2024-05-01", "-f", "json").stdout)
    assert "clinic" in plan["sources"]
    cmp = json.loads(run("compare-sources", "-f", "json", "-t", "sweating").stdout)
    assert cmp["topics"][0]["sources"]["clinic"] == [
        {"from": 0, "to": 6, "advice": "avoid"},
        {"from": 7, "to": None, "advice": "allowed"},
    ]


def test_sources_add_refuses_an_invalid_file_and_copies_nothing(run, smpcare_home):
    bad = FIXTURES / "invalid" / "unknown_topic.yaml"
    result = run("sources", "add", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{bad}:9: G106 rules[0].topic 'hairdye'")
    assert not (smpcare_home / "sources").exists()


def test_sources_add_refuses_an_id_clash_naming_both(run, tmp_path, smpcare_home):
    shutil.copy(CLINIC, tmp_path / "elka.yaml")
    (tmp_path / "clinic.txt").write_text((FIXTURES / "valid" / "clinic.txt").read_text())
    text = (tmp_path / "elka.yaml").read_text().replace("id: clinic", "id: elka")
    (tmp_path / "elka.yaml").write_text(text)
    result = run("sources", "add", str(tmp_path / "elka.yaml"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'elka.yaml'}:2: G110 source id 'elka' is already used by " in result.stderr
    assert "guidelines/elka.yaml" in result.stderr
    assert not (smpcare_home / "sources").exists()


def test_sources_add_twice_is_a_clash_that_names_replace(run, smpcare_home):
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    again = run("sources", "add", str(CLINIC))
    assert again.exit_code == 1
    assert again.stderr == (
        f"smpcare: error E210: a custom source 'clinic' is already added "
        f"({smpcare_home / 'sources' / 'clinic'}). To take this edited sheet in its place: "
        f"smpcare sources add --replace {CLINIC}\n"
    )


def test_sources_add_replace_takes_the_edited_sheet(run, tmp_path, smpcare_home):
    for name in ("clinic.yaml", "clinic.txt"):
        (tmp_path / name).write_text((CLINIC.parent / name).read_text())
    edited = tmp_path / "clinic.yaml"
    assert run("sources", "add", str(edited)).exit_code == 0
    text = (tmp_path / "clinic.txt").read_text().replace("No gym for a week", "No gym for ten days")
    (tmp_path / "clinic2.txt").write_text(text)
    edited.write_text(
        edited.read_text()
        .replace("No gym for a week", "No gym for ten days")
        .replace("text: clinic.txt", "text: clinic2.txt")
    )
    result = run("sources", "add", "--replace", str(edited))
    assert result.exit_code == 0 and result.stdout.startswith("Replaced source 'clinic'")
    assert visible_entries(smpcare_home / "sources") == ["clinic"]
    assert sorted(p.name for p in (smpcare_home / "sources" / "clinic").iterdir()) == [
        "clinic.yaml",
        "clinic2.txt",
    ]  # the old text went with the old sheet
    quotes = run(
        "today",
        "--session",
        "2024-05-01",
        "--on",
        "2024-05-02",
        "--source",
        "clinic",
        "--quotes",
        columns=200,
    ).stdout
    assert "No gym for ten days" in quotes
    assert run("sources", "add", "--replace", str(CLINIC.parent / "clinic.yaml")).exit_code == 0


def test_replace_never_takes_a_bundled_source(run, tmp_path):
    (tmp_path / "t.txt").write_text("q")
    (tmp_path / "smusa.yaml").write_text(
        "source:\n  id: smusa\n  title: T\n  publisher: P\n  text: t.txt\n  session_day: 0\n"
        "rules: []\n"
    )
    result = run("sources", "add", "--replace", str(tmp_path / "smusa.yaml"))
    assert result.exit_code == 1 and "G110 source id 'smusa' is already used by" in result.stderr


def test_sources_remove(run, smpcare_home):
    run("sources", "add", str(CLINIC))
    result = run("sources", "remove", "clinic")
    assert result.exit_code == 0
    assert result.stdout == f"Removed source 'clinic' ({smpcare_home / 'sources' / 'clinic'}).\n"
    assert visible_entries(smpcare_home / "sources") == []


def test_a_custom_source_that_no_longer_validates_can_still_be_removed(run, smpcare_home):
    run("sources", "add", str(CLINIC))
    copy = smpcare_home / "sources" / "clinic" / "clinic.yaml"
    copy.write_text(copy.read_text().replace("advice: avoid", "advice: never", 1))
    broken = run("sources")
    assert broken.exit_code == 1
    assert broken.stderr.splitlines() == [
        f"{copy}:9: G107 rules[0].advice 'never' is not one of: avoid, limit, allowed, recommended",
        f"smpcare: error G000: 1 problem in guideline files. A saved custom source in "
        f"{smpcare_home / 'sources'} has problems: remove it with 'smpcare sources remove "
        "clinic', then add the corrected file again.",
    ]
    removed = run("sources", "remove", "clinic")
    assert removed.exit_code == 0, removed.stderr
    assert visible_entries(smpcare_home / "sources") == []
    assert run("sources").exit_code == 0


def test_a_file_without_text_is_shown_as_unverified(run, tmp_path):
    text = CLINIC.read_text().replace("  text: clinic.txt\n", "")
    (tmp_path / "loose.yaml").write_text(text.replace("id: clinic", "id: loose"))
    added = run("sources", "add", str(tmp_path / "loose.yaml"))
    assert added.stdout.endswith("Its quotes are unverified: it names no text file.\n")
    listing = run("sources")
    assert "(quotes unverified)" in listing.stdout
    data = json.loads(run("sources", "-f", "json").stdout)["sources"]
    assert next(s for s in data if s["id"] == "loose")["verified"] is False


def test_guidelines_option_adds_a_file_for_one_run(run, smpcare_home):
    result = run(
        "today", "-s", "2024-05-01", "--on", "2024-05-08", "-f", "json", "--guidelines", str(CLINIC)
    )
    sweating = next(t for t in json.loads(result.stdout)["topics"] if t["topic"] == "sweating")
    assert {s["source"]: s["advice"] for s in sweating["sources"]} == {
        "beforecare": "allowed",
        "clinic": "allowed",
        "elka": "allowed",
        "process": "limit",
        "smusa": "limit",
    }  # aftercare: silent
    assert not (smpcare_home / "sources").exists()
    assert "clinic" not in run("sources").stdout


def test_prefer_wins_disagreements_which_are_still_shown(run):
    args = (
        "today",
        "-s",
        "2024-05-01",
        "--on",
        "2024-05-05",
        "-f",
        "json",
        "--guidelines",
        str(CLINIC),
    )
    default = json.loads(run(*args).stdout)
    preferred = json.loads(run(*args, "--prefer", "elka").stdout)

    def get(data, topic):
        return next(t for t in data["topics"] if t["topic"] == topic)

    assert get(default, "wetting")["advice"] == "avoid"
    assert get(preferred, "wetting")["advice"] == "limit"  # elka: a bath, not yet a shower
    assert get(preferred, "wetting")["conflict"] is True
    assert preferred["prefer"] == "elka"
    table = run("today", "-s", "2024-05-01", "--on", "2024-05-05", "--prefer", "elka")
    assert "elka wins disagreements" in table.stdout


# -- the store under attack and after accidents ---------------------------------------------

INSTALLED_HINT = "Bundled sources cannot be removed; 'smpcare sources' lists them all."


def test_sources_add_of_a_folder_is_one_line_exit_2(run, smpcare_home):
    result = run("sources", "add", str(FIXTURES / "valid"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"smpcare: error E220: '{FIXTURES / 'valid'}' is a folder; 'sources "
        "add' takes one guideline file. Add each .yaml file in it on its "
        "own.\n"
    )
    assert not smpcare_home.exists()


@pytest.mark.parametrize(
    "given",
    [
        "elka",
        "nope",
        "../clinic",
        "clinic/",
        "sources/clinic",
        ".lock",
        "clinic.yaml",
        "",
        "CLINIC",
    ],
)
def test_sources_remove_takes_only_an_installed_id(run, smpcare_home, tmp_path, given):
    run("sources", "add", str(CLINIC))
    result = run("sources", "remove", given)
    assert result.exit_code == 2
    assert result.stderr == (
        f"smpcare: error E203: '{given}' is not an installed custom "
        f"source. Custom sources: clinic. {INSTALLED_HINT}\n"
    )
    assert (smpcare_home / "sources" / "clinic" / "clinic.yaml").is_file()


def test_sources_remove_never_treats_its_argument_as_a_path(run, tmp_path, smpcare_home):
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (victim / "x.yaml").write_text("mine")
    (victim / "x.txt").write_text("mine too")
    result = run("sources", "remove", str(victim / "x"))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"smpcare: error E203: '{cut(str(victim / 'x'))}' is not an installed "
        "custom source. Custom sources: none."
    )
    assert sorted(p.name for p in victim.iterdir()) == ["x.txt", "x.yaml"]


def test_two_sheets_with_the_same_text_name_both_install(run, tmp_path, smpcare_home):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(FIXTURES / "valid" / "clinic.txt", other / "clinic.txt")
    (other / "second.yaml").write_text(CLINIC.read_text().replace("id: clinic", "id: second"))
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    assert run("sources", "add", str(other / "second.yaml")).exit_code == 0
    assert visible_entries(smpcare_home / "sources") == ["clinic", "second"]
    assert run("sources", "remove", "clinic").exit_code == 0
    assert (smpcare_home / "sources" / "second" / "clinic.txt").is_file()


def test_an_interrupted_add_leaves_the_store_as_it_was(run, smpcare_home, monkeypatch):
    synced = []

    def interrupted(fd):  # the second copied file, the text, is being written: Ctrl-C
        synced.append(fd)
        if len(synced) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        catalog.add_source(CLINIC)
    assert [p.name for p in (smpcare_home / "sources").iterdir()] == [".lock"]
    assert run("sources", "add", str(CLINIC)).exit_code == 0


KILLED_WHILE_COPYING = """
import os, sys
from pathlib import Path
synced = []
def killed(fd):  # the second copied file, the text, is being written: SIGKILL
    synced.append(fd)
    if len(synced) == 2:
        os._exit(9)
os.fsync = killed
from smpcare import catalog
catalog.add_source(Path(sys.argv[1]), replace=sys.argv[2] == "replace")
"""


def killed_add(path, how: str = "add") -> int:
    return subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_COPYING, str(path), how],
        env={**os.environ},
        check=False,
    ).returncode


def test_a_killed_add_leaves_nothing_that_breaks_later_commands(run, smpcare_home):
    assert killed_add(CLINIC) == 9
    [partial] = [p.name for p in (smpcare_home / "sources").iterdir() if p.name != ".lock"]
    assert partial.startswith(".partial-")
    listing = run("sources", "-f", "json")
    assert listing.exit_code == 0
    assert [s["id"] for s in json.loads(listing.stdout)["sources"]] == [
        "aftercare",
        "beforecare",
        "elka",
        "process",
        "smusa",
    ]
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    assert sorted(p.name for p in (smpcare_home / "sources").iterdir()) == [".lock", "clinic"]


KILLED_AFTER_MOVING_ASIDE = """
import os, sys
from pathlib import Path
real = os.rename
def killed(src, dst):  # the old sheet is moved aside, then SIGKILL before the new one
    real(src, dst)
    if ".replaced-" in str(dst):
        os._exit(9)
os.rename = killed
from smpcare import catalog
catalog.add_source(Path(sys.argv[1]), replace=True)
"""


def test_a_replace_killed_after_moving_the_old_sheet_aside_puts_it_back(run, smpcare_home):
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    saved = smpcare_home / "sources" / "clinic"
    before = {p.name: p.read_bytes() for p in saved.iterdir()}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_MOVING_ASIDE, str(CLINIC)],
        env={**os.environ},
        check=False,
    )
    assert killed.returncode == 9 and not saved.exists()
    assert run("sources", "remove", "nope").exit_code == 2  # reads only: nothing mended yet
    assert run("sources", "add", "--replace", str(CLINIC)).exit_code == 0
    assert {p.name: p.read_bytes() for p in saved.iterdir()} == before
    assert sorted(p.name for p in (smpcare_home / "sources").iterdir()) == [".lock", "clinic"]


def test_an_interrupted_replace_keeps_the_old_sheet(run, smpcare_home, tmp_path):
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    saved = smpcare_home / "sources" / "clinic"
    before = {p.name: p.read_bytes() for p in saved.iterdir()}
    (tmp_path / "clinic.txt").write_text(
        "Keep your scalp completely dry for five days. "
        "No gym for a week. you may train again from day eight"
    )
    (tmp_path / "clinic.yaml").write_text(
        CLINIC.read_text().replace(
            "From day six, a gentle rinse with lukewarm water is fine.",
            "Keep your scalp completely dry for five days.",
        )
    )
    assert killed_add(tmp_path / "clinic.yaml", "replace") == 9
    assert {p.name: p.read_bytes() for p in saved.iterdir()} == before
    assert run("sources").exit_code == 0


def legacy_store(home, text: str | None = "clinic.txt"):
    """A custom source as older versions saved it: sources/<id>.yaml beside its text."""
    store = home / "sources"
    store.mkdir(parents=True)
    shutil.copy(CLINIC, store / "clinic.yaml")
    if text:
        (store / text).write_text((FIXTURES / "valid" / "clinic.txt").read_text())
    return store


def test_an_older_store_still_works_and_removes_cleanly(run, smpcare_home):
    store = legacy_store(smpcare_home)
    listed = json.loads(run("sources", "-f", "json").stdout)["sources"]
    assert "clinic" in [s["id"] for s in listed]
    result = run("sources", "remove", "clinic")
    assert result.exit_code == 0
    assert visible_entries(store) == []


def test_an_older_store_with_a_missing_text_says_how_to_mend_it(run, smpcare_home):
    store = legacy_store(smpcare_home, text=None)  # an older add killed between two copies
    broken = run("plan", "-s", "2024-05-01")
    assert broken.exit_code == 1
    assert broken.stderr.splitlines() == [
        f"{store / 'clinic.yaml'}:5: G112 source.text 'clinic.txt' not found beside the file "
        f"(looked for {store / 'clinic.txt'})",
        f"smpcare: error G000: 1 problem in guideline files. A saved custom source in {store} "
        "has problems: remove it with 'smpcare sources remove clinic', then add the corrected "
        "file again.",
    ]
    assert run("sources", "remove", "clinic").exit_code == 0
    assert run("plan", "-s", "2024-05-01").exit_code == 0


def test_removing_an_older_source_never_follows_its_text_out_of_the_store(
    run, smpcare_home, tmp_path
):
    store = legacy_store(smpcare_home, text=None)
    outside = smpcare_home / "precious.txt"
    outside.write_text("keep me")
    yaml_path = store / "clinic.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("text: clinic.txt", "text: ../precious.txt"))
    assert run("sources", "remove", "clinic").exit_code == 0
    assert outside.read_text() == "keep me"
    assert visible_entries(store) == []


def test_an_unreadable_sources_folder_is_its_own_error(run, smpcare_home, monkeypatch):
    run("sources", "add", str(CLINIC))
    store = smpcare_home / "sources"
    real = os.scandir

    def denied(path="."):  # as chmod 000 does for anyone but root
        if str(path) == str(store):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    for args in (["sources"], ["plan", "-s", "2024-05-01"], ["sources", "remove", "clinic"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            f"smpcare: error J306: cannot read {store}: Permission denied. "
            "Give your user access to it (chmod u+rwX), or set "
            "SMPCARE_HOME to another folder.\n"
        )


@pytest.mark.skipif(without_root_powers() is None, reason="no way to make permissions apply")
@pytest.mark.parametrize("args", [["sources"], ["plan", "-s", "2024-05-01"]])
def test_a_sources_folder_without_permissions_is_its_own_error(run, smpcare_home, args):
    run("sources", "add", str(CLINIC))
    store = smpcare_home / "sources"
    store.chmod(0)
    try:
        result = as_user(*args, home=smpcare_home)
    finally:
        store.chmod(0o700)
    assert result.returncode == 1
    assert result.stderr == (
        f"smpcare: error J306: cannot read {store}: Permission denied. Give "
        "your user access to it (chmod u+rwX), or set SMPCARE_HOME to "
        "another folder.\n"
    )


def test_smpcare_home_naming_a_file_is_its_own_error(run, tmp_path, monkeypatch):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("SMPCARE_HOME", str(home))
    for args in (
        ["sources"],
        ["plan", "-s", "2024-05-01"],
        ["sources", "add", str(CLINIC)],
        ["session", "list"],
        ["today", "-s", "2024-05-01"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            f"smpcare: error J305: SMPCARE_HOME must name a folder, but "
            f"{home} is a file. Point SMPCARE_HOME at a folder (it is "
            "created when needed), or move the file elsewhere.\n"
        ), args
    assert home.read_text() == "not a folder"


def _sheet_renamed(sources):
    (sources / "clinic" / "clinic.yaml").rename(sources / "clinic" / "clinic-old.yaml")


def _folder_made_fifo(sources):
    shutil.rmtree(sources / "clinic")
    os.mkfifo(sources / "clinic")


def _store_made_fifo(sources):
    shutil.rmtree(sources)
    os.mkfifo(sources)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (
            _sheet_renamed,
            "J306: the saved custom source 'clinic' has lost its sheet: {s}/clinic/clinic.yaml "
            "is missing. Remove it with 'smpcare sources remove clinic', then add the sheet "
            "again.",
        ),
        (
            _folder_made_fifo,
            "J306: cannot read {s}/clinic: it is not a regular file. Move it away; smpcare "
            "keeps only plain files there.",
        ),
        (
            _store_made_fifo,
            "J306: cannot read the custom sources in {s}: it is not a folder. Move it away; "
            "smpcare keeps the sources added with 'smpcare sources add' there.",
        ),
    ],
)
def test_a_damaged_saved_source_is_reported_never_dropped(run, smpcare_home, damage, error):
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    damage(smpcare_home / "sources")
    line = f"smpcare: error {error.format(s=smpcare_home / 'sources')}\n"
    commands = [("plan", "-s", "2024-05-01"), ("sources",), ("sources", "add", str(CLINIC))]
    if damage is _sheet_renamed:  # adding it again is E210, which names --replace
        commands.pop()
    for command in commands:
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, line), command
    if damage is _sheet_renamed:  # the command the hint gives repairs it
        assert run("sources", "remove", "clinic").exit_code == 0
        assert run("plan", "-s", "2024-05-01").exit_code == 0


def test_two_adds_at_once_cannot_give_one_topic_two_meanings(tmp_path, smpcare_home):
    """While one add waits for the lock, another installs a sheet that defines hair-dye
    otherwise: the waiting add must check against that sheet, not the sources it saw first."""
    from smpcare.paths import locked

    clinics = FIXTURES / "clinics"
    for name in ("halo.yaml", "halo.txt"):
        shutil.copy(clinics / name, tmp_path / name)
    store = catalog.custom_dir()
    with locked(store, catalog.LOCK):
        proc = subprocess.Popen(
            [sys.executable, "-m", "smpcare", "sources", "add", str(tmp_path / "halo.yaml")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        waiting = proc.stderr.readline()  # said once it has waited a moment for the lock
        assert waiting == (
            f"smpcare: waiting for another smpcare process to release {store / catalog.LOCK}\n"
        )
        # The other add, finished while this one waited: hair-dye with another label.
        other = store / "northside"
        other.mkdir()
        sheet = (clinics / "northside.yaml").read_text()
        (other / "northside.yaml").write_text(
            sheet.replace("label: hair colour and dye", "label: dye")
        )
        shutil.copy(clinics / "northside.txt", other / "northside.txt")
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out) == (1, "")
    assert err.splitlines() == [
        f"{tmp_path / 'halo.yaml'}:13: G122 topic 'hair-dye' means something else in "
        f"{other / 'northside.yaml'} ('dye': 'dyeing or colouring the hair or scalp'); give "
        "this one another id, or the same label, covers and kind_of in both sheets",
        "smpcare: error G000: 1 problem in guideline files.",
    ]
    assert sorted(p.name for p in store.iterdir() if not p.name.startswith(".")) == ["northside"]
