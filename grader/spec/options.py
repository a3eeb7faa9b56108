"""Each task kind's options, as a dataclass that owns its defaults, and the strict reading of a
spec's keys: an unknown key (`hiden_cases = 5`) is an error with a "did you mean" hint, never
silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

MutationPolicy = Literal["warn", "allow", "fail", "arrays"]
MUTATION_POLICIES = ("warn", "allow", "fail", "arrays")


class SpecKeyError(ValueError):
    """A spec has a key it should not, or a value of the wrong kind."""


@dataclass(frozen=True)
class CompareOptions:
    """`compare` (and `variable`) tasks: the student's value against the reference's.

    Attributes:
        mutation: what changing an input in place means: "warn" (a notice), "allow"
            (nothing), "fail" (right values keep `1 - mutation_penalty` of each case),
            "arrays" (as "fail", but only writes into the caller's arrays count: new entries
            in a dict it was given are the course's own idiom before 2021).
        mutation_penalty: the part of a case that changing an input costs.
        legacy_signature: an older signature of the course for this function, whose extra
            parameters are filled in from `legacy_args`.
        legacy_args: {parameter: name of a function in cases.py giving its value from the
            case's inputs}.
    """

    mutation: MutationPolicy = "warn"
    mutation_penalty: float = 0.5
    legacy_signature: str = ""
    legacy_args: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mutation not in MUTATION_POLICIES:
            raise SpecKeyError(f"mutation must be one of {', '.join(MUTATION_POLICIES)}")
        if not 0.0 <= self.mutation_penalty <= 1.0:
            raise SpecKeyError("mutation_penalty must be between 0 and 1")


@dataclass(frozen=True)
class PropertyOptions(CompareOptions):
    """`property` tasks: a check in cases.py judges the answer (`check_<task name>` unless
    `check` names another)."""

    check: str = ""


@dataclass(frozen=True)
class AccuracyOptions:
    """`accuracy` tasks: the student's training function end to end on real data.

    Attributes:
        dataset: a table data set of `grader.data.tables` (breast_cancer, flower, ...).
        threshold: the test accuracy to reach.
        args: the call's arguments: placeholders (X_train, Y_train, X_test, Y_test) or values.
        kwargs: keyword arguments of the call.
        predictions: "key:NAME" (an entry of the returned dict), "student:FUNCTION" or
            "reference:FUNCTION" (FUNCTION(result, X_test)).
        result_index: take this element of a returned tuple first.
        alternatives: options used instead when the instructor gives the course's files
            (`--data`), by data set name.
    """

    dataset: str = ""
    threshold: float = 0.0
    args: tuple[Any, ...] = ("X_train", "Y_train", "X_test", "Y_test")
    kwargs: dict[str, Any] = field(default_factory=dict)
    predictions: str = "key:Y_prediction_test"
    result_index: int | None = None
    alternatives: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class KerasArchitectureOptions:
    """`keras_architecture` tasks: the model follows the lecture's pattern.

    Attributes:
        output: the output layer's activation ("softmax" over the classes, or "sigmoid").
        num_outputs: a fixed number of outputs; else the argument `classes_arg` gives it.
        classes_arg: which argument of the function is the number of classes.
        max_params: the parameter budget.
    """

    output: str = "softmax"
    num_outputs: int | None = None
    classes_arg: int = 1
    max_params: int = 1_000_000


@dataclass(frozen=True)
class KerasTrainingOptions:
    """`keras_training` tasks: the model, trained by the grader, reaches `threshold`.

    Attributes:
        dataset: an image data set of `grader.data.images`.
        threshold: the held-out accuracy to reach.
        output, labels, loss: the output activation, the label format ("one_hot" or
            "binary") and the loss the grader compiles with.
        compile: "reference" (the grader's Adam) or "student:FUNCTION".
        learning_rate, epochs, batch_size, seed, train_seconds: the training budget.
        max_params: the parameter budget (larger models are not trained).
        retries: more starts (new seeds) for a run that falls short.
        extra_seconds: the outer wall clock beyond `train_seconds`.
        alternatives: options for the course's files (`--data`), by name; each has `file`.
    """

    dataset: str = ""
    threshold: float = 0.0
    output: str = "softmax"
    labels: str = "one_hot"
    loss: str = "categorical_crossentropy"
    compile: str = "reference"
    learning_rate: float = 0.001
    epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    train_seconds: float = 120.0
    max_params: int = 1_000_000
    retries: int = 1
    extra_seconds: float = 90.0
    alternatives: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class KerasCompileOptions:
    """`keras_compile` tasks: the compile step suits the labels (losses and metrics accepted:
    the defaults of `checks.keras_compile` for the label format when empty)."""

    labels: str = "one_hot"
    num_classes: int = 10
    input_shape: tuple[int, ...] = (8, 8, 1)
    loss: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class KerasAugmenterOptions:
    """`keras_augmenter` tasks: the pipeline, run on `images` random images of
    `image_shape`."""

    image_shape: tuple[int, ...] = (32, 32, 3)
    images: int = 8


TaskOptions = (
    CompareOptions
    | PropertyOptions
    | AccuracyOptions
    | KerasArchitectureOptions
    | KerasTrainingOptions
    | KerasCompileOptions
    | KerasAugmenterOptions
)

OPTIONS_BY_KIND: dict[str, type[Any]] = {
    "compare": CompareOptions,
    "variable": CompareOptions,
    "property": PropertyOptions,
    "accuracy": AccuracyOptions,
    "keras_architecture": KerasArchitectureOptions,
    "keras_training": KerasTrainingOptions,
    "keras_compile": KerasCompileOptions,
    "keras_augmenter": KerasAugmenterOptions,
}
# Options that must be given (no default means anything).
REQUIRED: dict[str, tuple[str, ...]] = {
    "accuracy": ("dataset", "threshold"),
    "keras_training": ("dataset", "threshold", "epochs"),
}
# An alternative (for the course's files) may also name its file.
ALTERNATIVE_KEYS = ("file",)


def unknown_key(key: str, known: list[str] | tuple[str, ...], where: str) -> SpecKeyError:
    """The error for a key a spec should not have, with the closest known key as a hint."""
    return SpecKeyError(f"{where}: unknown key {key!r}{_hint(key, tuple(known))}")


def option_names(kind: str) -> tuple[str, ...]:
    """The option keys a task of `kind` accepts."""
    return tuple(f.name for f in dataclasses.fields(OPTIONS_BY_KIND[kind]))


def build_options(kind: str, raw: dict[str, Any], where: str) -> TaskOptions:
    """The options of a task of `kind` from its spec keys (the task's own fields removed).

    Raises:
        SpecKeyError: an unknown kind or key, a missing required option, or a bad value.
    """
    if kind not in OPTIONS_BY_KIND:
        known = tuple(OPTIONS_BY_KIND)
        raise SpecKeyError(
            f"{where}: unknown task kind {kind!r}{_hint(kind, known)} (known: {', '.join(known)})"
        )
    names = option_names(kind)
    for key in raw:
        if key not in names:
            raise unknown_key(key, names, where)
    missing = [name for name in REQUIRED.get(kind, ()) if name not in raw]
    if missing:
        raise SpecKeyError(f"{where}: a {kind} task needs {', '.join(missing)}")
    for name, alternative in dict(raw.get("alternatives", {})).items():
        for key in alternative:
            if key not in names and key not in ALTERNATIVE_KEYS:
                raise unknown_key(key, (*names, *ALTERNATIVE_KEYS), f"{where}: alternative {name}")
    values = {key: _as_field_type(value) for key, value in raw.items()}
    try:
        options: TaskOptions = OPTIONS_BY_KIND[kind](**values)
    except (TypeError, SpecKeyError) as exc:
        raise SpecKeyError(f"{where}: {exc}") from exc
    return options


def _hint(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _as_field_type(value: Any) -> Any:
    """TOML arrays become tuples (options are frozen)."""
    return tuple(value) if isinstance(value, list) else value
