"""The conversation between the grader and a sandbox, message by message, as typed dicts.

Every message is one `wire` frame (a length, then JSON); values inside (`args`, `value`, probe
options and replies) are in the wire's tagged form and decoded with its caps. This module only
describes the shapes, for readers and for mypy; the grader side (`notebook/session.py`) builds
the requests and reads the replies, the sandbox side (`sandbox/runner.py`, `call_tools.py`,
`keras_probe.py`) answers them. The sandbox side does not import this module (it imports
nothing from the grader); keep the two in step.

Grader -> sandbox:
    RunCells     run the notebook's cells in order (those in `skip` are recorded as skipped)
    Call         call a function (or, with `probe`, describe what it returns: Keras)
    Value        read a variable
    {"op": "exit"}
    StandInReply the answer to a stand-in call the sandbox made during a Call

Sandbox -> grader:
    {"ready": true, "protections": [...]}   once, when it has confined itself
    {"event": "cell_start", "index": i}     before each cell (says which cell was running)
    StandInEvent                            during a Call: a failed helper is called
    {"reply": ...}                          the answer to the request: CellsReply, CallReply
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class Limit(TypedDict):
    """The time limit of a step: `seconds` on `clock` ("cpu": CPU time of the sandbox, with
    `wall_seconds` of wall clock as the outer bound; "wall")."""

    seconds: float
    clock: Literal["cpu", "wall"]
    wall_seconds: float


class CellSource(TypedDict):
    index: int
    source: str


class RunCells(TypedDict):
    op: Literal["run_cells"]
    cell_seconds: float
    wall_cell_seconds: float
    clock: Literal["cpu", "wall"]
    skip: list[int]
    cells: list[CellSource]


class Adapt(TypedDict):
    """Arguments a function written to an older signature may need (wire-encoded dicts)."""

    defaults: Any
    extra: Any


class Probe(TypedDict):
    """A Keras probe: `action` is summary, build, fit, compile or augment."""

    action: str
    options: Any  # wire-encoded dict


class Call(Limit):
    op: Literal["call"]
    function: str
    args: Any  # wire-encoded tuple
    kwargs: Any  # wire-encoded dict
    track_mutation: NotRequired[bool]
    stand_ins: NotRequired[list[str]]  # helpers answered by the grader during the call
    watch: NotRequired[list[str]]  # helpers whose calls are counted
    adapt: NotRequired[Adapt]
    probe: NotRequired[Probe]


class Value(TypedDict):
    op: Literal["value"]
    name: str


class StandInEvent(TypedDict):
    """The sandbox asks for the reference's result of a helper (large arrays travel once per
    call, then as {"r": digest}: `wire.ArrayMemo`)."""

    event: Literal["stand_in"]
    name: str
    args: Any
    kwargs: Any


class StandInReply(TypedDict):
    op: Literal["stand_in_reply"]
    value: NotRequired[Any]  # wire-encoded
    error: NotRequired[str]  # the grader could not answer: raised in the student's code


class CellReply(TypedDict):
    index: int
    status: Literal["ok", "error", "timeout", "skipped"]
    output: NotRequired[str]
    seconds: NotRequired[float]
    message: NotRequired[str]
    traceback: NotRequired[str | None]


class CellsReply(TypedDict):
    cells: list[CellReply]
    stubbed: list[str]  # modules replaced by stand-ins


class ErrorInfo(TypedDict):
    type: str
    message: str
    traceback: str | None


class CallReply(TypedDict, total=False):
    """Exactly one of: `value` (returned), `error` (raised), `timeout`, `missing`,
    `not_callable` (the name is bound to something else, its type given)."""

    value: Any  # wire-encoded
    mutated: list[list[Any]]  # [[argument index, "arrays" | "containers"], ...]
    adapted: list[str]  # parameters filled in for an older signature
    output: str  # what the call printed (capped)
    seconds: float
    error: ErrorInfo
    timeout: bool
    # after a timeout: helper -> [calls, CPU seconds, CPU seconds since the last call ended]
    progress: dict[str, list[float]]
    missing: bool
    not_callable: str


# --- Keras probe replies (the decoded `value` of a Call with `probe`) -----------------------


class LayerRow(TypedDict, total=False):
    name: str
    class_: str  # sent as "class"
    output_shape: list[int | None] | None
    params: int
    activation: str | None
    filters: int
    units: int
    kernel_size: list[int]
    strides: list[int]
    padding: str
    pool_size: list[int]
    rate: float
    momentum: float


class Summary(TypedDict, total=False):
    """action "summary": the model layer by layer, or `problem` ("not_model") and `type`."""

    input_shape: list[int | None] | None
    layers: list[LayerRow]
    params: int
    output_shape: list[int | None] | None
    problem: str
    type: str


class Built(TypedDict, total=False):
    """action "build": the student's model built with the seed, described, compiled by the
    grader; `too_big` when over the budget, `compile_problem` when the student's compile
    step (if the spec uses it) failed."""

    summary: Summary
    device: str
    too_big: bool
    compile_problem: str


class Fitted(TypedDict, total=False):
    """action "fit": training within the budget, then predictions on the test images (their
    labels never leave the grader)."""

    train_seconds: float
    epochs: int
    ran_out_of_time: bool
    loss: list[float]
    batch_size: int
    recalibrated: int
    predictions: Any  # float32 array, one row per test image


class LossInfo(TypedDict):
    name: str
    from_logits: bool
    builtin: bool
    value: float | None  # a student's own loss, evaluated on check data


class MetricInfo(TypedDict):
    name: str
    given: Literal["string", "object", "function"]


class Compiled(TypedDict, total=False):
    """action "compile": what the student's compile step set, and one training step."""

    compiled: bool
    returned: str
    loss: LossInfo
    metrics: list[MetricInfo]
    optimizer: str
    learning_rate: float | None
    fit_error: str | None


class Augmented(TypedDict, total=False):
    """action "augment": the pipeline's layers and its output in both modes."""

    layers: list[str]
    training: Any  # float32 array
    inference: Any
    problem: str
    type: str


class ProbeFault(TypedDict):
    """Any action: the probe's own code failed (a grader fault, never the student's)."""

    probe_fault: str
