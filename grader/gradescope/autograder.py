"""What runs on Gradescope for each submission: grade the notebook in `<root>/submission/` and
write Gradescope's `<root>/results/results.json`.

`run_autograder(root)` reads the bundle's configuration from `<root>/source/` (the assignment,
the hidden seed), picks the file to grade the way `grade batch` picks one of a student's files
(`grader.batch.discover.choose_file`: a file named like the assignment, then a notebook before a
script, then the newest), grades it in the sandbox and writes results.json in Gradescope's
documented format (`grader.report.render.gradescope_results`: one test per graded function,
the student view only). Every submission gets a results.json: nothing to grade is scored 0
with the reason, and a failure of the grader's own is scored 0 with a message saying it is not
the student's fault (the cause goes to the log, which only instructors see: `stdout_visibility`
is "hidden").

The bundle's folder `<root>/source/` is searched for assignments (an instructor's own travels
there), which also puts it on the list of paths hidden from the sandbox.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from grader.batch.discover import Choice, choose_file
from grader.batch.files import atomic_write
from grader.batch.intake import DiscoveryError, walk_folder
from grader.gradescope.config import BundleConfig, read_config
from grader.grading import grade_submission
from grader.report.model import GradeReport, SubmissionStatus, ungraded_report
from grader.report.render import format_points, gradescope_results
from grader.resources import add_assignment_dirs
from grader.spec.load import load_assignment

SOURCE = "source"
SUBMISSION = "submission"
RESULTS = Path("results") / "results.json"
# The log names the grader's paths and the sandbox's protections: for instructors only.
STDOUT_VISIBILITY = "hidden"

AUTOGRADER_FAULT = "the autograder could not grade this submission: {error}"
LOG_START = "grader {version}: assignment {assignment}"
LOG_GRADED = "graded {file}: {score} / {max_score} ({status})"
LOG_NOT_GRADED = "nothing graded: {reason}"
LOG_FAULT = "grader fault (not the student's): {message}"
LOG_PROTECTIONS = "sandbox protections: {protections}"
LOG_WRITTEN = "results written to {path}"


def run_autograder(root: Path) -> dict[str, Any]:
    """Grade the submission under `root` and write `root/results/results.json`.

    Args:
        root: Gradescope's folder (`/autograder`), holding `source/` (the unpacked bundle) and
            `submission/` (the student's files).

    Returns:
        The results as written.
    """
    start = time.perf_counter()
    try:
        report = grade_on_gradescope(root)
    except Exception as exc:  # any failure of ours still gives the student a result
        error = AUTOGRADER_FAULT.format(error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        report = ungraded_report(SubmissionStatus.GRADER_ERROR, error, seconds=seconds)
    results = {**gradescope_results(report), "stdout_visibility": STDOUT_VISIBILITY}
    path = root / RESULTS
    atomic_write(path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    _log(report, root)
    print(LOG_WRITTEN.format(path=path), flush=True)
    return results


def grade_on_gradescope(root: Path) -> GradeReport:
    """Grade the one submission under `root` with the bundle's settings.

    Raises:
        ConfigError: the bundle's configuration is missing or malformed.
        AssignmentError: the assignment is unknown or broken (a grader fault).
    """
    source = root / SOURCE
    config = read_config(source)
    add_assignment_dirs([source])
    print(LOG_START.format(version=config.grader_version, assignment=config.assignment))
    choice = find_submission(root / SUBMISSION, config.assignment)
    if choice.chosen is None or choice.chosen.path is None:
        return _nothing_to_grade(config, choice.refused)
    report = grade_submission(
        choice.chosen.path,
        config.assignment,
        hidden_seed=config.hidden_seed,
        data_dir=source / config.data if config.data else None,
        train=config.train,
        progress=lambda line: print(line, flush=True),
    )
    if choice.note:  # which of several files was graded: the student should know
        report = replace(report, notices=(choice.note, *report.notices))
    return report


def find_submission(folder: Path, assignment_id: str) -> Choice:
    """The file to grade among a student's files (links, hidden and oversized files are
    refused, as in `grade batch`), or why there is none."""
    try:
        items = walk_folder(folder)
    except DiscoveryError:  # no submission folder at all
        items = []
    return choose_file(items, assignment_id)


def _nothing_to_grade(config: BundleConfig, reason: str) -> GradeReport:
    """An invalid submission, scored 0 out of the assignment's points, with the reason."""
    assignment = load_assignment(config.assignment, hidden_seed=config.hidden_seed)
    return ungraded_report(
        SubmissionStatus.INVALID,
        reason,
        assignment=assignment.id,
        title=assignment.title,
        version=assignment.version,
        max_score=assignment.max_score,
        hidden_seed=assignment.hidden_seed,
    )


def _log(report: GradeReport, root: Path) -> None:
    """What happened, for the instructor's eyes only (never the hidden seed)."""
    if report.status is SubmissionStatus.INVALID:
        print(LOG_NOT_GRADED.format(reason=report.message))
    elif report.submission:
        shown = Path(report.submission)
        print(
            LOG_GRADED.format(
                file=shown.relative_to(root) if shown.is_relative_to(root) else shown,
                score=format_points(report.score),
                max_score=format_points(report.max_score),
                status=report.status.value,
            )
        )
    if report.status is SubmissionStatus.GRADER_ERROR:
        print(LOG_FAULT.format(message=report.message))
    if report.protections:
        print(LOG_PROTECTIONS.format(protections="; ".join(report.protections)))
