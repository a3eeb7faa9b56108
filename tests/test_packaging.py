"""Does a plain (non-editable) install carry the specs, reference solutions and templates?"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("grader-*.whl"))


def test_wheel_contains_the_data(wheel: Path) -> None:
    """Are the specs, hidden answers and templates inside the wheel?"""
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "grader/_data/assignments/logistic_regression/assignment.toml",
        "grader/_data/assignments/logistic_regression/cases.py",
        "grader/_data/assignments/logistic_regression/helpers/lr_utils.py",
        "grader/_data/reference_solutions/logistic_regression.py",
        "grader/_data/templates/feedback.html.j2",
        "grader/sandbox/child.py",
    ):
        assert expected in names


def test_installed_package_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    """Does the unpacked wheel, away from the source tree, list and load its assignments?"""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        "from grader.resources import data_root; from grader.spec.load import "
        "list_assignments; print(data_root()); print([a.id for a in list_assignments()])"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    root, ids = result.stdout.splitlines()
    assert Path(root) == tmp_path / "grader" / "_data"
    assert "logistic_regression" in ids
