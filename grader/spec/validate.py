"""`grade validate`: an instructor's safety net for an assignment, before students see it.

For each assignment, five checks (each a `Finding` row):

1. **spec**: it loads strictly (unknown keys, kinds or options are errors), and everything it
   names exists: each task's generator and check in cases.py, its function in the reference,
   each known mistake's task.
2. **reference**: the reference, graded in this process (`in_process.InProcessSession`, no
   sandbox), gets full marks on the public and hidden cases, for several hidden seeds.
3. **float32**: a float32 copy of the reference gets full marks too (a student who computes in
   float32 must not lose points).
4. **mistakes**: each known mistake with a variant, put in place of the reference's function,
   loses points on its own task on the hidden cases alone (so the hidden cases detect it, not
   only the public ones), and the diagnosis is that mistake.
5. **release**: the student release, filled with the reference, graded in the sandbox as a
   student's notebook, gets full marks (Keras training checks only with `train`).

Keras tasks need TensorFlow in a sandbox: checks 2-4 leave them to check 5.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from grader.notebook.submission import Submission, SubmissionKind
from grader.report.model import GradeReport, Status, SubmissionStatus
from grader.spec.in_process import InProcessSession, in_float32
from grader.spec.load import LoadedAssignment, load_assignment, load_for_grading
from grader.spec.model import Assignment, AssignmentError, Mistake, Task
from grader.spec.release import build_release, filled_release
from grader.tasks.context import GradingOptions

# Kinds graded in process (the rest need the sandbox's Keras probes).
IN_PROCESS_KINDS = ("compare", "variable", "property", "accuracy")
SEEDS = 3  # hidden seeds the reference is graded with
KERAS_ONLY = "Keras tasks only: graded in the sandbox by the release check"


@dataclass(frozen=True)
class Finding:
    """One row of the table: an assignment, a check, whether it passed, and what failed."""

    assignment: str
    check: str
    ok: bool
    detail: str = ""


def validate(assignment_ids: Iterable[str], train: bool = False) -> list[Finding]:
    """Run every check on every assignment; a check that cannot run is a failing row."""
    findings: list[Finding] = []
    for assignment_id in assignment_ids:
        findings += validate_one(assignment_id, train)
    return findings


def validate_one(assignment_id: str, train: bool = False) -> list[Finding]:
    """The five checks of one assignment (see the module docstring)."""
    try:
        spec = load_for_grading(assignment_id)
    except AssignmentError as error:
        return [Finding(assignment_id, "spec", False, str(error))]
    problems = spec_problems(spec)
    findings = [Finding(assignment_id, "spec", not problems, "; ".join(problems))]
    if problems:
        return findings
    findings.append(_reference_check(spec))
    findings.append(_float32_check(spec))
    findings.append(_mistakes_check(spec))
    findings.append(_release_check(spec.assignment, train))
    return findings


def spec_problems(spec: LoadedAssignment) -> list[str]:
    """What the spec names that does not exist."""
    assignment, cases, reference = spec.assignment, spec.cases_module, spec.reference
    problems = []
    names = {task.name for task in assignment.tasks}
    for task in assignment.tasks:
        if task.kind in ("compare", "property") and not callable(
            getattr(cases, task.generator, None)
        ):
            problems.append(f"task {task.name!r}: no generator {task.generator!r} in cases.py")
        if task.kind == "property":
            check = getattr(task.options, "check", "") or f"check_{task.name}"
            if not callable(getattr(cases, check, None)):
                problems.append(f"task {task.name!r}: no check {check!r} in cases.py")
        if task.kind in ("compare", "property", "accuracy") and not callable(
            getattr(reference, task.function, None)
        ):
            problems.append(f"task {task.name!r}: no function {task.function!r} in the reference")
        if task.kind == "variable" and not hasattr(reference, task.function):
            problems.append(f"task {task.name!r}: no answer {task.function!r} in the reference")
    for mistake in spec.mistakes:
        if mistake.task not in names:
            problems.append(f"mistake {mistake.id!r}: no task {mistake.task!r}")
        elif mistake.variant is None and mistake.detect is None:
            problems.append(f"mistake {mistake.id!r}: neither a variant nor a detect function")
    return problems


def grade_functions(
    spec: LoadedAssignment, functions: dict[str, Any], hidden_seed: int | None = None
) -> GradeReport:
    """Grade `functions` (name -> function or answer) in this process, as a notebook."""
    from grader.grading import grade_in_session  # the recipe imports the spec package

    if hidden_seed is not None:
        assignment = load_assignment(spec.assignment.id, hidden_seed=hidden_seed)
        spec = LoadedAssignment(assignment, spec.cases_module, spec.reference, spec.mistakes)
    submission = Submission(Path("reference"), "", (), spec.assignment.id, None, SubmissionKind.PY)
    session = InProcessSession(functions)
    return grade_in_session(submission, spec, session, GradingOptions(train=False))


def reference_functions(spec: LoadedAssignment) -> dict[str, Any]:
    """The reference's graded functions and answers, by name."""
    return {
        task.function: getattr(spec.reference, task.function)
        for task in spec.assignment.tasks
        if hasattr(spec.reference, task.function)
    }


def _in_process_losses(report: GradeReport, spec: LoadedAssignment) -> list[str]:
    """The tasks graded in process that lost points, with their first message."""
    lost = []
    kinds = {task.name: task.kind for task in spec.assignment.tasks}
    for task in report.tasks:
        if kinds.get(task.name) in IN_PROCESS_KINDS and task.points < task.max_points - 1e-9:
            bad = next((c for c in task.cases if c.status is not Status.PASSED), None)
            if bad is None:
                lost.append(task.name)
                continue
            why = bad.message.splitlines()[0] if bad.message else bad.status.value
            lost.append(f"{task.name} ({bad.case_id}: {why})")
    if report.status is SubmissionStatus.GRADER_ERROR:
        lost.append(f"grader fault: {report.message}")
    return lost


def _keras_only(spec: LoadedAssignment) -> bool:
    return not any(task.kind in IN_PROCESS_KINDS for task in spec.assignment.tasks)


def _reference_check(spec: LoadedAssignment) -> Finding:
    if _keras_only(spec):
        return Finding(spec.assignment.id, "reference", True, KERAS_ONLY)
    seeds = [spec.assignment.hidden_seed + offset for offset in range(SEEDS)]
    functions = reference_functions(spec)
    for seed in seeds:
        lost = _in_process_losses(grade_functions(spec, functions, seed), spec)
        if lost:
            return Finding(
                spec.assignment.id, "reference", False, f"seed {seed}: " + "; ".join(lost)
            )
    return Finding(
        spec.assignment.id, "reference", True, f"full marks, seeds {seeds[0]}-{seeds[-1]}"
    )


def _float32_check(spec: LoadedAssignment) -> Finding:
    if _keras_only(spec):
        return Finding(spec.assignment.id, "float32", True, KERAS_ONLY)
    functions = {
        name: in_float32(value) if callable(value) else value
        for name, value in reference_functions(spec).items()
    }
    lost = _in_process_losses(grade_functions(spec, functions), spec)
    return Finding(spec.assignment.id, "float32", not lost, "; ".join(lost) or "full marks")


def _mistakes_check(spec: LoadedAssignment) -> Finding:
    functions = reference_functions(spec)
    tasks = {task.name: task for task in spec.assignment.tasks}
    failures, checked, by_property = [], 0, 0
    for mistake in spec.mistakes:
        task = tasks[mistake.task]
        if mistake.variant is None or task.kind not in IN_PROCESS_KINDS:
            by_property += 1
            continue
        checked += 1
        problem = _mistake_problem(spec, functions, task, mistake)
        if problem:
            failures.append(f"{mistake.task}:{mistake.id}: {problem}")
    detail = "; ".join(failures) or (
        f"{checked} caught on hidden cases and named"
        + (f"; {by_property} checked by property or Keras (not simulated)" if by_property else "")
    )
    return Finding(spec.assignment.id, "mistakes", not failures, detail)


def _mistake_problem(
    spec: LoadedAssignment, functions: dict[str, Any], task: Task, mistake: Mistake
) -> str:
    """Why the hidden cases do not catch and name `mistake` ("" when they do)."""
    assert mistake.variant is not None
    # A named answer's variant gives the wrong answer itself; a function's is the function.
    wrong = mistake.variant() if task.kind == "variable" else mistake.variant
    report = grade_functions(spec, {**functions, task.function: wrong})
    result = next(t for t in report.tasks if t.name == task.name)
    # A named answer has one case; a function's mistake must be caught by its hidden cases.
    graded = (
        result.cases
        if task.kind == "variable"
        else [c for c in result.cases if c.case_id.startswith("hidden")]
    )
    failing = [c for c in graded if c.status is not Status.PASSED]
    if not failing:
        return "no hidden case catches it"
    if not any(c.mistake == mistake.id for c in failing):
        named = sorted({c.mistake or "nothing" for c in failing})
        return f"caught but diagnosed as {', '.join(named)}"
    return ""


def _release_check(assignment: Assignment, train: bool) -> Finding:
    from grader.grading import grade_submission

    spec = load_for_grading(assignment.id)
    notebook = filled_release(build_release(assignment).notebook, spec.reference)
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as folder:
        path = Path(folder) / f"{assignment.id}.ipynb"
        nbformat.write(notebook, path)
        report = grade_submission(path, assignment.id, train=train)
    lost = [
        f"{task.name}: {next((c.message.splitlines()[0] for c in task.cases if c.message), '')}"
        for task in report.tasks
        if task.points < task.max_points - 1e-9
    ]
    if report.status is not SubmissionStatus.GRADED:
        lost.append(f"{report.status.value}: {report.message}")
    detail = "; ".join(lost) or f"full marks ({report.score:g}/{report.max_score:g})"
    return Finding(assignment.id, "release", not lost, detail)


def validation_table(findings: list[Finding]) -> str:
    """The findings as an aligned table: assignment, check, result, what failed."""
    rows = [("assignment", "check", "result", "details")]
    rows += [(f.assignment, f.check, "ok" if f.ok else "FAILED", f.detail) for f in findings]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3] for row in rows]
    failed = sum(not f.ok for f in findings)
    lines.append(f"{failed} check(s) failed" if failed else "every check passed")
    return "\n".join(line.rstrip() for line in lines)
