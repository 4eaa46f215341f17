"""Paths smpcare cannot use (a data directory or a guideline file named beyond what the system
takes, a link loop) end in one coded line, run as a user would."""

import os
import subprocess
import sys

import pytest

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
        "guideline .yaml file or a folder of them.\n"
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
