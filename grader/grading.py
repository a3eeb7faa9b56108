"""Grade one submission: load -> execute -> check -> score -> report.

`grade_submission` is the front door and reads as that recipe; the task graders live in
`tasks/` (`registry.TASK_GRADERS`), the comparators in `checks/`, the sandbox in `sandbox/`.
"""

from __future__ import annotations

import dataclasses
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

from grader.notebook.calls import Session
from grader.notebook.cell_plan import CellPlan, plan_cells
from grader.notebook.guess import candidates, clear_match
from grader.notebook.session import NotebookSession
from grader.notebook.submission import Submission, load_submission
from grader.report.model import (
    CaseResult,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    Visibility,
    now,
    ungraded_report,
)
from grader.resources import secret_paths, source_checkout
from grader.sandbox import SandboxConfig
from grader.spec.load import LoadedAssignment, load_assignment, load_for_grading
from grader.spec.model import Assignment, Case, CaseInput, Task, UnknownAssignment
from grader.tasks import scoring
from grader.tasks.context import GradingContext, GradingOptions, grader_fault_case, task_result
from grader.tasks.messages import (
    ADAPTED,
    GRADER_FAULT,
    GRADER_FAULT_SUMMARY,
    GUESSED_ASSIGNMENT,
    MUTATED,
    NO_ASSIGNMENT,
    NO_CLEAR_ASSIGNMENT,
    PROVIDED,
    STUBBED,
)
from grader.tasks.registry import TASK_GRADERS


def grade_submission(
    path: Path,
    assignment_id: str | None = None,
    *,
    hidden_seed: int | None = None,
    data_dir: Path | None = None,
    public_only: bool = False,
    train: bool = True,
    gpu: bool = False,
    progress: Callable[[str], None] | None = None,
    all_cells: bool = False,
) -> GradeReport:
    """Grade one notebook or script and return its report. Never raises for student faults.

    Args:
        path: the submission (.ipynb or .py).
        assignment_id: overrides the id found in the notebook's metadata.
        hidden_seed: seed of the hidden cases (default: GRADER_HIDDEN_SEED or the spec's).
        data_dir: directory of course data files for application checks (e.g. cat HDF5).
        public_only: grade public cases only (what `grade check` does).
        train: run training checks (Keras); False grades architecture only (`--no-train`).
        gpu: let TensorFlow use a GPU the machine has (training checks say which device).
        progress: called with a line of text before steps that take a while.
        all_cells: run every cell; by default only the cells grading needs run (the cell
            plan: training, plotting and printing cells after the definitions are skipped).

    Raises:
        UnknownAssignment: no such assignment, or none could be told from the notebook.
        AssignmentError: the spec or reference is broken (a grader fault).
    """
    options = GradingOptions(hidden_seed, data_dir, public_only, train, gpu, progress, all_cells)
    start = time.perf_counter()
    submission = load_submission(Path(path), defer_format_check=True)
    chosen = assignment_id or submission.assignment_id
    if not chosen and not submission.error:
        chosen, note = _guess_assignment(submission)
        submission = dataclasses.replace(submission, notes=(*submission.notes, note))
    if not chosen or submission.error:
        assignment = load_assignment(chosen, hidden_seed=hidden_seed) if chosen else None
        submission = submission.with_format_notes()
        return _invalid_report(submission, assignment, submission.error or NO_ASSIGNMENT, start)
    spec = load_for_grading(chosen, hidden_seed)
    with open_session_for(submission, spec.assignment, options) as session:
        submission = submission.with_format_notes()
        return grade_in_session(submission, spec, session, options, start)


def grade_in_session(
    submission: Submission,
    spec: LoadedAssignment,
    session: Session,
    options: GradingOptions,
    start: float | None = None,
) -> GradeReport:
    """Grade every task of `spec` on a notebook already loaded into `session` (a sandboxed
    `NotebookSession`, or a fake one in tests) and build the report."""
    start = time.perf_counter() if start is None else start
    context = GradingContext(spec, session, options, submission.notes)
    tasks = tuple(_grade_task(task, context) for task in spec.assignment.tasks)
    notices = _notices(context, tasks)
    return _graded_report(submission, spec.assignment, session, tasks, notices, start)


# The course's own test modules (and the release's `public_checks`): their checks are replaced
# by the grader's, so a stand-in for them is expected and not worth a notice.
COURSE_TEST_MODULES = re.compile(
    r"^(public_tests|public_checks|test_utils|test_cases|testCases(_v\d+a?)?)$"
)


def _grade_task(task: Task, context: GradingContext) -> TaskResult:
    """Run the task's grader; an exception here is the grader's fault and is reported so."""
    try:
        result = TASK_GRADERS[task.kind](task, context)
    except Exception as exc:
        case = Case("grader", Visibility.PUBLIC, CaseInput(()))
        result = task_result(task, [grader_fault_case(case, task.points, exc, None)])
    result = dataclasses.replace(result, function=task.function)
    context.finished[task.name] = result
    return result


def _guess_assignment(submission: Submission) -> tuple[str, str]:
    """The assignment the notebook's graded functions clearly belong to, and a notice saying so.

    Raises:
        UnknownAssignment: no assignment matches clearly (the candidates are listed).
    """
    ranked = candidates(cell.source for cell in submission.cells)
    best = clear_match(ranked)
    if best is None:
        listed = "; ".join(c.describe() for c in ranked[:4]) or "none"
        raise UnknownAssignment(NO_CLEAR_ASSIGNMENT.format(candidates=listed))
    return best.assignment, GUESSED_ASSIGNMENT.format(match=best.describe())


def open_session_for(
    submission: Submission, assignment: Assignment, options: GradingOptions
) -> NotebookSession:
    """The sandboxed session for `submission` under the assignment's limits, planned to run
    only the cells grading needs unless `options.all_cells` (tests swap in a fake)."""
    limits = assignment.limits
    config = SandboxConfig(
        memory_mb=limits.memory_mb,
        cpu_seconds=int(limits.notebook_seconds + 20 * limits.call_seconds + 60),
        output_chars=limits.output_chars,
        helper_files=tuple(assignment.helper_files()),
        hide=(*secret_paths(), submission.path.resolve().parent),
        source_root=source_checkout(),
        gpu=options.gpu,
    )
    plan: tuple[CellPlan, ...] = ()
    if not options.all_cells:
        plan = plan_cells([cell.source for cell in submission.cells], *assignment.graded_names())
    return NotebookSession(
        submission.cells,
        config,
        limits.cell_seconds,
        limits.notebook_seconds,
        limits.clock,
        plan=plan,
    )


def _notices(context: GradingContext, tasks: tuple[TaskResult, ...]) -> tuple[str, ...]:
    session = context.session
    assignment = context.assignment
    provided = {*assignment.helper_modules, *assignment.provided_modules}
    notices = list(context.submission_notes)
    notices += [
        STUBBED.format(name=name)
        for name in session.stubbed
        if name not in provided and not COURSE_TEST_MODULES.match(name)
    ]
    sources = "\n".join(cell.source for cell in session.cells)
    notices += [PROVIDED.format(name=name) for name in sorted(provided) if _imports(sources, name)]
    notices += [
        MUTATED.format(name=name, which=", ".join(f"`{arg}`" for arg in sorted(args)))
        for name, args in context.mutated.items()
    ]
    signatures = {task.function: task.signature for task in context.assignment.tasks}
    notices += [
        ADAPTED.format(
            name=name,
            filled=", ".join(f"`{arg}`" for arg in sorted(args)),
            signature=signatures.get(name) or name,
        )
        for name, args in context.adapted.items()
    ]
    return tuple(notices)


def _imports(source: str, module: str) -> bool:
    """Does the code import `module` by its exact name (`opt_utils` is not `opt_utils_v1a`)?"""
    name = re.escape(module)
    pattern = rf"^\s*(from\s+{name}\s+import|import\s+([\w.]+\s*,\s*)*{name}\b)"
    return re.search(pattern, source, re.MULTILINE) is not None


def _graded_report(
    submission: Submission,
    assignment: Assignment,
    session: Session,
    tasks: tuple[TaskResult, ...],
    notices: tuple[str, ...],
    start: float,
) -> GradeReport:
    faults = [
        (task, case) for task in tasks for case in task.cases if case.status is Status.GRADER_ERROR
    ]
    return GradeReport(
        assignment=assignment.id,
        assignment_title=assignment.title,
        assignment_version=assignment.version,
        submission=str(submission.path),
        submission_sha256=submission.sha256,
        status=SubmissionStatus.GRADER_ERROR if faults else SubmissionStatus.GRADED,
        message=_fault_summary(faults),
        score=scoring.total(tasks),
        max_score=sum(task.max_points for task in tasks),  # skipped checks count for nothing
        tasks=tasks,
        cells=tuple(session.cell_results),
        notices=notices,
        protections=session.protections,
        seconds=time.perf_counter() - start,
        graded_at=now(),
        hidden_seed=assignment.hidden_seed,
        code=kept_code(submission),
        sandbox_peak_mb=session.peak_memory_mb,
        grader_peak_mb=_grader_peak_mb(),
    )


def _grader_peak_mb() -> float:
    """This grading process's peak resident memory, in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# How much of a notebook's code a stored report keeps (for the instructor's similarity check).
MAX_KEPT_CODE = 200_000


def kept_code(submission: Submission) -> tuple[str, ...]:
    """The submission's code cells, at most MAX_KEPT_CODE characters in all."""
    kept, room = [], MAX_KEPT_CODE
    for cell in submission.cells:
        kept.append(cell.source[: max(room, 0)])
        room -= len(cell.source)
    return tuple(kept)


def _fault_summary(faults: list[tuple[TaskResult, CaseResult]]) -> str:
    """One line for the instructor: how many cases the grader failed on, where, and why."""
    if not faults:
        return ""
    names = ", ".join(dict.fromkeys(task.name for task, _ in faults))
    cause = faults[0][1].message.removeprefix(GRADER_FAULT.format(error="")).splitlines()[0]
    return GRADER_FAULT_SUMMARY.format(count=len(faults), tasks=names, cause=cause)


def _invalid_report(
    submission: Submission, assignment: Assignment | None, message: str, start: float
) -> GradeReport:
    return ungraded_report(
        SubmissionStatus.INVALID,
        message,
        assignment=assignment.id if assignment else "",
        title=assignment.title if assignment else "",
        version=assignment.version if assignment else "",
        submission=str(submission.path),
        sha256=submission.sha256,
        max_score=assignment.max_score if assignment else 0.0,
        seconds=time.perf_counter() - start,
        hidden_seed=assignment.hidden_seed if assignment else None,
    )
