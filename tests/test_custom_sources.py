"""A clinic's own instructions: sources add, --guidelines, --prefer."""

import json
import shutil

from conftest import FIXTURES

CLINIC = FIXTURES / "valid" / "clinic.yaml"


def test_sources_add_copies_a_valid_file_and_it_joins_everything(run, smpcare_home):
    result = run("sources", "add", str(CLINIC))
    assert result.exit_code == 0
    assert result.stdout == "Added source 'clinic' (Our Clinic's Aftercare Sheet), 4 rules.\n"
    assert (smpcare_home / "sources" / "clinic.yaml").exists()
    assert (smpcare_home / "sources" / "clinic.txt").exists()
    ids = [s["id"] for s in json.loads(run("sources", "-f", "json").stdout)]
    assert ids == ["aftercare", "beforecare", "elka", "process", "smusa", "clinic"]
    # It takes part in today, plan and compare-sources.
    today = json.loads(run("today", "-s", "2024-05-01", "--on", "2024-05-05", "-f", "json").stdout)
    wetting = next(t for t in today["topics"] if t["topic"] == "wetting")
    assert {s["source"]: s["advice"] for s in wetting["sources"]}["clinic"] == "avoid"
    plan = json.loads(run("plan", "-s", "2024-05-01", "-f", "json").stdout)
    assert "clinic" in plan["sources"]
    cmp = json.loads(run("compare-sources", "-f", "json", "-t", "sweating").stdout)
    assert cmp["topics"][0]["sources"]["clinic"] == [
        {"from": 0, "to": 6, "advice": "avoid"}, {"from": 7, "to": None, "advice": "allowed"}]


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
    assert f"{tmp_path / 'elka.yaml'}:2: G110 source id 'elka' is already used by " in \
        result.stderr
    assert "guidelines/elka.yaml" in result.stderr
    assert not (smpcare_home / "sources").exists()


def test_sources_add_twice_is_a_clash_that_names_replace(run, smpcare_home):
    assert run("sources", "add", str(CLINIC)).exit_code == 0
    again = run("sources", "add", str(CLINIC))
    assert again.exit_code == 1
    assert again.stderr == (
        f"smpcare: error E210: a custom source 'clinic' is already added "
        f"({smpcare_home / 'sources' / 'clinic.yaml'}). To take this edited sheet in its place: "
        f"smpcare sources add --replace {CLINIC}\n")


def test_sources_add_replace_takes_the_edited_sheet(run, tmp_path, smpcare_home):
    for name in ("clinic.yaml", "clinic.txt"):
        (tmp_path / name).write_text((CLINIC.parent / name).read_text())
    edited = tmp_path / "clinic.yaml"
    assert run("sources", "add", str(edited)).exit_code == 0
    text = (tmp_path / "clinic.txt").read_text().replace("No gym for a week", "No gym for ten days")
    (tmp_path / "clinic2.txt").write_text(text)
    edited.write_text(edited.read_text().replace("No gym for a week", "No gym for ten days")
                      .replace("text: clinic.txt", "text: clinic2.txt"))
    result = run("sources", "add", "--replace", str(edited))
    assert result.exit_code == 0 and result.stdout.startswith("Replaced source 'clinic'")
    assert sorted(p.name for p in (smpcare_home / "sources").iterdir()) == [
        "clinic.yaml", "clinic2.txt"]  # the old text went with the old sheet
    quotes = run("today", "--session", "2024-05-01", "--on", "2024-05-02", "--source", "clinic",
                 "--quotes", columns=200).stdout
    assert "No gym for ten days" in quotes
    assert run("sources", "add", "--replace", str(CLINIC.parent / "clinic.yaml")).exit_code == 0


def test_replace_never_takes_a_bundled_source(run, tmp_path):
    (tmp_path / "t.txt").write_text("q")
    (tmp_path / "smusa.yaml").write_text(
        "source:\n  id: smusa\n  title: T\n  publisher: P\n  text: t.txt\n  session_day: 0\n"
        "rules: []\n")
    result = run("sources", "add", "--replace", str(tmp_path / "smusa.yaml"))
    assert result.exit_code == 1 and "G110 source id 'smusa' is already used by" in result.stderr


def test_sources_remove(run, smpcare_home):
    run("sources", "add", str(CLINIC))
    result = run("sources", "remove", "clinic")
    assert result.exit_code == 0
    assert not (smpcare_home / "sources" / "clinic.yaml").exists()
    assert run("sources", "remove", "elka").exit_code == 1


def test_a_custom_source_that_no_longer_validates_can_still_be_removed(run, smpcare_home):
    run("sources", "add", str(CLINIC))
    copy = smpcare_home / "sources" / "clinic.yaml"
    copy.write_text(copy.read_text().replace("advice: avoid", "advice: never", 1))
    broken = run("sources")
    assert broken.exit_code == 1 and f"{copy}:9: G107" in broken.stderr
    removed = run("sources", "remove", "clinic")
    assert removed.exit_code == 0, removed.stderr
    assert list((smpcare_home / "sources").iterdir()) == []
    assert run("sources").exit_code == 0


def test_a_file_without_text_is_shown_as_unverified(run, tmp_path):
    text = CLINIC.read_text().replace("  text: clinic.txt\n", "")
    (tmp_path / "loose.yaml").write_text(text.replace("id: clinic", "id: loose"))
    added = run("sources", "add", str(tmp_path / "loose.yaml"))
    assert added.stdout.endswith("Its quotes are unverified: it names no text file.\n")
    listing = run("sources")
    assert "(quotes unverified)" in listing.stdout
    data = json.loads(run("sources", "-f", "json").stdout)
    assert next(s for s in data if s["id"] == "loose")["verified"] is False


def test_guidelines_option_adds_a_file_for_one_run(run, smpcare_home):
    result = run("today", "-s", "2024-05-01", "--on", "2024-05-08", "-f", "json",
                 "--guidelines", str(CLINIC))
    sweating = next(t for t in json.loads(result.stdout)["topics"] if t["topic"] == "sweating")
    assert {s["source"]: s["advice"] for s in sweating["sources"]} == {
        "beforecare": "allowed", "clinic": "allowed", "elka": "allowed",
        "process": "limit", "smusa": "limit"}  # aftercare: silent
    assert not (smpcare_home / "sources").exists()
    assert "clinic" not in run("sources").stdout


def test_prefer_wins_disagreements_which_are_still_shown(run):
    args = ("today", "-s", "2024-05-01", "--on", "2024-05-05", "-f", "json",
            "--guidelines", str(CLINIC))
    default = json.loads(run(*args).stdout)
    preferred = json.loads(run(*args, "--prefer", "elka").stdout)
    get = lambda data, topic: next(t for t in data["topics"] if t["topic"] == topic)  # noqa: E731
    assert get(default, "wetting")["advice"] == "avoid"
    assert get(preferred, "wetting")["advice"] == "limit"  # elka: a bath, not yet a shower
    assert get(preferred, "wetting")["conflict"] is True
    assert preferred["prefer"] == "elka"
    table = run("today", "-s", "2024-05-01", "--on", "2024-05-05", "--prefer", "elka")
    assert "elka wins disagreements" in table.stdout
