"""The task kinds a spec may name (`kind = ...` in assignment.toml) and their graders."""

from __future__ import annotations

from collections.abc import Callable

from grader.report.model import TaskResult
from grader.spec.model import Task
from grader.tasks.accuracy import grade_accuracy_task
from grader.tasks.compare import grade_compare_task, grade_property_task
from grader.tasks.context import GradingContext
from grader.tasks.keras_architecture import grade_architecture_task
from grader.tasks.keras_compile import grade_augmenter_task, grade_compile_task
from grader.tasks.keras_training import grade_training_task

TaskGrader = Callable[[Task, GradingContext], TaskResult]

TASK_GRADERS: dict[str, TaskGrader] = {
    "compare": grade_compare_task,
    "variable": grade_compare_task,  # a named answer: the notebook variable against the reference
    "property": grade_property_task,
    "accuracy": grade_accuracy_task,
    "keras_architecture": grade_architecture_task,
    "keras_training": grade_training_task,
    "keras_compile": grade_compile_task,
    "keras_augmenter": grade_augmenter_task,
}
