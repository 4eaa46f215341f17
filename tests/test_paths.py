"""Paths smpcare cannot use (a data directory or a guideline file named beyond what the system
takes, a link loop) end in one coded line, run as a user would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import as_user, without_root_powers

LONG = "a" * 300  # a file name is at most 255 bytes


def smpcare(*args: str, home: str, cwd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smpcare", *args],
        env={**os.environ, "SMPCARE_HOME": home},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


HOME_HINT = "Point SMPCARE_HOME at an ordinary folder (it is created when needed).\n"


@pytest.mark.parametrize(
    ("home", "reason"),
    [
        (LONG, "File name too long"),
        ("/".join(["d"] * 2000), "it is more than 100 folders deep"),
    ],
    ids=["a 300-character name", "2,000 folders deep"],
)
@pytest.mark.parametrize(
    "args", [("plan", "-s", "2024-05-01"), ("sources",), ("session", "add", "2024-05-01")]
)
def test_a_data_directory_that_cannot_be_a_folder_is_one_line(tmp_path, home, reason, args):
    out = smpcare(*args, home=str(tmp_path / home), cwd=str(tmp_path))
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr == (
        f"smpcare: error J311: SMPCARE_HOME cannot be used as smpcare's data folder: {reason}. "
        + HOME_HINT
    )


@pytest.mark.parametrize(
    "args",
    [("check",), ("sources", "add"), ("plan", "-s", "2024-05-01", "--guidelines")],
)
def test_a_guideline_file_name_too_long_is_one_line(tmp_path, args):
    name = str(tmp_path / f"{LONG}.yaml")
    out = smpcare(*args, name, home=str(tmp_path / "home"), cwd=str(tmp_path))
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        f"smpcare: error E207: cannot read '{name[:57]}...': File name too long. Give a "
        "guideline .yaml file or a folder of them that you can read.\n"
    )


@pytest.mark.parametrize(
    "args",
    [("check", "l1"), ("sources", "add", "l1"), ("plan", "-s", "2024-05-01", "--guidelines", "l1")],
)
def test_a_symlink_loop_is_a_problem_of_the_file(tmp_path, args):
    os.symlink("l2", tmp_path / "l1")
    os.symlink("l1", tmp_path / "l2")
    out = smpcare(*args, home=str(tmp_path / "home"), cwd=str(tmp_path))
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr == (
        "l1:1: G100 cannot be read: Too many levels of symbolic links\n"
        "smpcare: error G000: 1 problem in guideline files.\n"
    )


# As an ordinary user (root through setpriv, without the powers that override permissions).

SHEET = Path(__file__).parent / "fixtures" / "clinics" / "northside"


@pytest.mark.skipif(without_root_powers() is None, reason="no way to make permissions apply")
def test_a_saved_source_shut_to_its_user_names_the_mend_and_the_mend_works(tmp_path):
    home = tmp_path / "home"
    assert as_user("sources", "add", f"{SHEET}.yaml", home=home, cwd=tmp_path).returncode == 0
    saved = home / "sources" / "northside"
    saved.chmod(0)
    try:
        for args in (("plan", "-s", "2024-05-01"), ("sources",)):
            out = as_user(*args, home=home, cwd=tmp_path)
            assert (out.returncode, out.stdout) == (1, "")
            assert out.stderr == (
                f"smpcare: error J306: cannot read the saved custom source 'northside' "
                f"({saved}): Permission denied. Give your user access to it (chmod u+rwX), "
                "or remove it with 'smpcare sources remove northside'.\n"
            )
        out = as_user("sources", "remove", "northside", home=home, cwd=tmp_path)
        assert (out.returncode, out.stderr) == (0, "")
    finally:
        if saved.exists():
            saved.chmod(0o700)
    assert not saved.exists()
    assert as_user("plan", "-s", "2024-05-01", home=home, cwd=tmp_path).returncode == 0


@pytest.mark.skipif(without_root_powers() is None, reason="no way to make permissions apply")
@pytest.mark.parametrize(
    "args", [("check",), ("sources", "add"), ("plan", "-s", "2024-05-01", "--guidelines")]
)
def test_a_guideline_file_in_a_folder_shut_to_its_user_is_one_line(tmp_path, args):
    shut = tmp_path / "d"
    shut.mkdir()
    shut.chmod(0)
    try:
        out = as_user(*args, "d/x.yaml", home=tmp_path / "home", cwd=tmp_path)
    finally:
        shut.chmod(0o700)
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr == (
        "smpcare: error E207: cannot read 'd/x.yaml': Permission denied. Give a guideline "
        ".yaml file or a folder of them that you can read.\n"
    )
