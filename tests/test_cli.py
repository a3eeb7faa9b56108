"""The `grade` command as instructors and students type it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader import cli
from grader.cli import grading as cli_grading
from grader.report.model import GradeReport, SubmissionStatus

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "examples" / "logistic_regression_correct.ipynb"
FLAWED = ROOT / "examples" / "logistic_regression_flawed.ipynb"


def fake_report(score: float, status: SubmissionStatus = SubmissionStatus.GRADED) -> GradeReport:
    return GradeReport(
        assignment="logistic_regression",
        assignment_title="LR",
        assignment_version="1",
        submission="nb.ipynb",
        submission_sha256="",
        status=status,
        score=score,
        max_score=12.0,
    )


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    recorded: list[dict[str, Any]] = []

    def fake_grade(path: Path, assignment: str | None, **kwargs: Any) -> GradeReport:
        assert callable(kwargs.pop("progress"))
        recorded.append({"path": path, "assignment": assignment, **kwargs})
        return fake_report(12.0)

    monkeypatch.setattr(cli_grading, "grade_submission", fake_grade)
    return recorded


def test_submit_passes_options_to_the_library(calls: list[dict[str, Any]]) -> None:
    """Does `grade submit` hand the assignment, seed and data directory to grade_submission?"""
    result = CliRunner().invoke(
        cli.main,
        [
            "submit",
            str(CORRECT),
            "-a",
            "logistic_regression",
            "--hidden-seed",
            "99",
            "--data",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    assert calls == [
        {
            "path": CORRECT,
            "assignment": "logistic_regression",
            "hidden_seed": 99,
            "data_dir": ROOT,
            "public_only": False,
            "train": True,
            "gpu": False,
            "all_cells": False,
        }
    ]


def test_training_options_reach_the_library(calls: list[dict[str, Any]]) -> None:
    """`--no-train` and `--gpu` are handed on to grade_submission."""
    result = CliRunner().invoke(
        cli.main, ["submit", str(CORRECT), "-a", "keras_cnn", "--no-train", "--gpu"]
    )
    assert result.exit_code == 0, result.output
    assert calls[0]["train"] is False
    assert calls[0]["gpu"] is True


def test_all_cells_reaches_the_library(calls: list[dict[str, Any]]) -> None:
    """`--all-cells` turns the cell plan off."""
    result = CliRunner().invoke(cli.main, ["check", str(CORRECT), "--all-cells"])
    assert result.exit_code == 0, result.output
    assert calls[0]["all_cells"] is True


def test_hidden_seed_comes_from_the_environment(calls: list[dict[str, Any]]) -> None:
    """Is GRADER_HIDDEN_SEED used when no --hidden-seed is given?"""
    CliRunner().invoke(cli.main, ["submit", str(CORRECT)], env={"GRADER_HIDDEN_SEED": "7"})
    assert calls[0]["hidden_seed"] == 7


def test_check_grades_public_cases_only(calls: list[dict[str, Any]]) -> None:
    """Does `grade check` ask for public cases only?"""
    CliRunner().invoke(cli.main, ["check", str(CORRECT)])
    assert calls[0]["public_only"] is True and calls[0]["hidden_seed"] is None


@pytest.mark.parametrize(
    ("score", "status", "code"),
    [
        (12.0, SubmissionStatus.GRADED, 0),
        (5.0, SubmissionStatus.GRADED, 1),
        (0.0, SubmissionStatus.INVALID, 1),
        (0.0, SubmissionStatus.GRADER_ERROR, 3),
    ],
)
def test_exit_codes(
    monkeypatch: pytest.MonkeyPatch, score: float, status: SubmissionStatus, code: int
) -> None:
    """Do the documented exit codes follow the outcome?"""
    monkeypatch.setattr(cli_grading, "grade_submission", lambda *a, **k: fake_report(score, status))
    assert CliRunner().invoke(cli.main, ["submit", str(CORRECT)]).exit_code == code


def test_missing_file_is_a_usage_error() -> None:
    """Does a path that does not exist give exit code 2 and say so?"""
    result = CliRunner().invoke(cli.main, ["submit", "no-such-notebook.ipynb"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_unknown_assignment_is_a_usage_error() -> None:
    """Does an unknown --assignment give exit code 2 and list the known ones?"""
    result = CliRunner().invoke(cli.main, ["submit", str(CORRECT), "-a", "nope"])
    assert result.exit_code == 2 and "logistic_regression" in result.output


def test_assignments_lists_points() -> None:
    """Does `grade assignments` list each assignment with its functions and points?"""
    result = CliRunner().invoke(cli.main, ["assignments"])
    assert result.exit_code == 0
    assert "logistic_regression" in result.output and "propagate(w, b, X, Y)" in result.output


def test_help_has_examples() -> None:
    """Does every command's --help show an example?"""
    for command in (["--help"], ["submit", "--help"], ["check", "--help"]):
        result = CliRunner().invoke(cli.main, command)
        assert result.exit_code == 0 and "grade " in result.output and "Example" in result.output


@pytest.mark.usefixtures("fake_sandbox")
def test_submit_correct_example_gets_full_marks(tmp_path: Path) -> None:
    """Does the bundled correct example earn every point, written as JSON to a file?"""
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli.main, ["submit", str(CORRECT), "--format", "json", "--output", str(out)]
    )
    report = json.loads(out.read_text())
    assert result.exit_code == 0, report
    assert report["score"] == report["max_score"] == 12


@pytest.mark.usefixtures("fake_sandbox")
def test_submit_flawed_example_names_its_mistakes() -> None:
    """Does the flawed example lose points and get told, in plain words, what is wrong?"""
    result = CliRunner().invoke(cli.main, ["submit", str(FLAWED), "--format", "md"])
    assert result.exit_code == 1
    assert "Likely mistake" in result.output and "m times" in result.output


@pytest.mark.usefixtures("fake_sandbox")
def test_check_shows_public_inputs_and_no_hidden_cases() -> None:
    """Does `grade check` show public cases in full and run no hidden case?"""
    result = CliRunner().invoke(cli.main, ["check", str(FLAWED)])
    assert "public-1" in result.output and "hidden-" not in result.output


@pytest.mark.slow
def test_doctor_lists_protections() -> None:
    """Does `grade doctor` start a sandbox and say which protections are in force?"""
    result = CliRunner().invoke(cli.main, ["doctor"])
    assert result.exit_code in (0, 1), result.output
    assert "no network" in result.output and "[" in result.output


def test_doctor_explains_missing_protections() -> None:
    """Is a missing protection marked NO, with advice on how to enable it?"""
    from grader.sandbox.doctor import Finding, render_findings

    text = render_findings([Finding("no network", False, "Needs network namespaces.")])
    assert "[NO ] no network" in text and "Needs network namespaces." in text
    assert "1 protection(s) missing" in text
