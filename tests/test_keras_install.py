"""A lighter install: `pip install grader` has no TensorFlow, `grader[keras]` adds it, and a Keras
assignment graded without it is a grader fault that says how to install it.

TensorFlow's absence is simulated by hiding it from `find_spec` (what the grader looks up before
asking the sandbox for a probe); the metadata test reads what `pip install .` would install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from email.parser import Parser
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from grader.grading import grade_in_session
from grader.notebook.submission import Cell, Submission, SubmissionKind
from grader.report.model import Status, SubmissionStatus
from grader.spec.load import load_for_grading
from grader.tasks import keras_probes
from grader.tasks.context import GradingContext, GradingOptions
from grader.tasks.keras_architecture import grade_architecture_task
from grader.tasks.keras_compile import grade_augmenter_task, grade_compile_task
from grader.tasks.keras_training import grade_training_task
from grader.tasks.messages import GRADER_FAULT

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "pip install 'grader[keras]'"
FAULT_PREFIX = GRADER_FAULT.format(error="")
KERAS_GRADERS = {
    "build_model": grade_architecture_task,
    "build_model_training": grade_training_task,
    "compile_model": grade_compile_task,
    "data_augmenter": grade_augmenter_task,
}


class ProbeRefusingSession:
    """A notebook session that fails the test if any probe or call reaches it."""

    cells = (Cell(0, "import keras\n\ndef build_model(input_shape, num_classes):\n    pass\n"),)
    cell_results: list[Any] = []  # noqa: RUF012  # the Session protocol's attribute
    stubbed: list[str] = []  # noqa: RUF012
    protections: tuple[str, ...] = ()
    peak_memory_mb = 0.0

    def probe(self, *args: Any) -> Any:
        raise AssertionError("no probe may be asked for without TensorFlow")

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no call may be made without TensorFlow")

    def value(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no value may be read without TensorFlow")


def hide_modules(monkeypatch: pytest.MonkeyPatch, *hidden: str) -> None:
    """Make `find_spec` (as the Keras task graders use it) report `hidden` as not installed."""

    def find_spec(name: str) -> ModuleSpec | None:
        return None if name in hidden else ModuleSpec(name, None)

    monkeypatch.setattr(keras_probes, "find_spec", find_spec)


def keras_context(train: bool = True) -> GradingContext:
    spec = load_for_grading("keras_cnn")
    session = ProbeRefusingSession()
    return GradingContext(spec, session, GradingOptions(train=train))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(KERAS_GRADERS))
def test_every_keras_task_without_tensorflow_is_a_grader_fault(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Without TensorFlow, is each Keras task a grader fault naming the install command, left
    out of the total, found before any probe reaches the sandbox?"""
    hide_modules(monkeypatch, "tensorflow")
    context = keras_context()
    task = next(t for t in context.assignment.tasks if t.name == name)
    result = KERAS_GRADERS[name](task, context)
    (case,) = result.cases
    assert case.status is Status.GRADER_ERROR
    assert case.message.startswith(FAULT_PREFIX)
    assert INSTALL in case.message and "missing: tensorflow" in case.message
    assert "Your `" not in case.message  # never worded as the student's error
    assert (result.points, result.max_points) == (0.0, 0.0)


def test_the_message_names_only_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """With TensorFlow present but no `keras` package, does the message name `keras` only?"""
    hide_modules(monkeypatch, "keras")
    assert keras_probes.missing_keras_modules() == ("keras",)
    task = keras_context().assignment.tasks[0]
    result = keras_probes.keras_unavailable(task)
    assert result is not None and "missing: keras)" in result.cases[0].message


def test_with_tensorflow_installed_nothing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """When both modules can be found, is no Keras task turned into a fault?"""
    hide_modules(monkeypatch)
    assert keras_probes.missing_keras_modules() == ()
    assert keras_probes.keras_unavailable(keras_context().assignment.tasks[0]) is None


def test_without_training_the_training_check_is_skipped_not_faulted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With `--no-train`, is the training check still skipped (not a fault) without
    TensorFlow?"""
    hide_modules(monkeypatch, "tensorflow", "keras")
    context = keras_context(train=False)
    task = next(t for t in context.assignment.tasks if t.name == "build_model_training")
    assert grade_training_task(task, context).cases[0].status is Status.SKIPPED


def test_a_keras_submission_without_tensorflow_is_a_grader_fault(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Is the whole submission a grader fault (so `grade submit` exits 3) whose one-line
    message, printed for the instructor, holds the install command?"""
    hide_modules(monkeypatch, "tensorflow", "keras")
    session = ProbeRefusingSession()
    submission = Submission(
        Path("cnn.ipynb"), "0" * 64, session.cells, "keras_cnn", None, SubmissionKind.IPYNB
    )
    spec = load_for_grading("keras_cnn")
    options = GradingOptions()
    report = grade_in_session(submission, spec, session, options, time.perf_counter())  # type: ignore[arg-type]
    assert report.status is SubmissionStatus.GRADER_ERROR
    assert INSTALL in report.message
    assert report.max_score == 0.0 and report.score == 0.0
    assert {case.status for task in report.tasks for case in task.cases} == {Status.GRADER_ERROR}


# --- what `pip install .` installs ----------------------------------------------------------


def core_metadata(tmp_path: Path) -> Any:
    """The METADATA a wheel of this checkout would carry (hatchling's PEP 517 hook, no build)."""
    code = (
        "import sys; from hatchling.build import prepare_metadata_for_build_wheel as prepare; "
        "print(prepare(sys.argv[1]))"
    )
    env = {key: value for key, value in os.environ.items() if key != "PIP_BUILD_TRACKER"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    folder = tmp_path / done.stdout.strip()
    return Parser().parsestr((folder / "METADATA").read_text(encoding="utf-8"))


def test_a_plain_install_pulls_no_tensorflow(tmp_path: Path) -> None:
    """Does `pip install .` (no extras) require no TensorFlow or Keras, while `[keras]`, `[gpu]`
    and `[dev]` (the README's test command) each bring it?"""
    metadata = core_metadata(tmp_path)
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist")]
    plain = {r.name.lower() for r in requirements if r.marker is None}
    assert "numpy" in plain and not plain & {"tensorflow", "keras", "tensorflow-cpu"}

    def brings_tensorflow(extra: str) -> bool:
        return any(
            r.name.lower() == "tensorflow" and r.marker and r.marker.evaluate({"extra": extra})
            for r in requirements
        )

    assert all(brings_tensorflow(extra) for extra in ("keras", "gpu", "dev"))
    assert not brings_tensorflow("dask")
    assert {"keras", "gpu", "dask", "dev"} <= set(metadata.get_all("Provides-Extra"))
