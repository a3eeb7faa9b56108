"""Run a submission's cells in a sandbox and call its functions, surviving hostile cells.

How long-running notebooks stay fast to grade: every cell runs under a soft limit
(`cell_seconds`; the cell is interrupted, recorded as timed out, and the next cell runs) and
the whole notebook under a hard limit (`notebook_seconds`, enforced from outside). A cell
that kills or wedges the sandbox (`os._exit`, a segfault, an uncatchable loop) is recorded and
skipped on an automatic rerun, so the functions defined elsewhere are still graded. Helper
modules that course notebooks load data from (`lr_utils`) are provided with small stand-in
data, so training cells in the notebook itself finish in moments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from grader.report import CellResult, CellStatus
from grader.sandbox import Sandbox, SandboxConfig, SandboxDied, SandboxTimeout, wire
from grader.submission import Cell

MAX_BOOTS = 4
GRACE_SECONDS = 2.0
# A cell may overrun its soft limit by this much (unwinding, cleanup) before it is killed.
CELL_GRACE_SECONDS = 5.0


class CallStatus(StrEnum):
    """How a call into the sandbox ended (mapped to case statuses later)."""

    RETURNED = "returned"
    RAISED = "raised"
    TIMEOUT = "timeout"
    MISSING = "missing"
    NOT_CALLABLE = "not_callable"
    CRASHED = "crashed"


@dataclass(frozen=True)
class CallOutcome:
    """What one call of a student's function produced."""

    status: CallStatus
    value: Any = None
    message: str = ""
    traceback: str | None = None
    mutated: tuple[int, ...] = ()
    output: str = ""
    seconds: float = 0.0


@dataclass
class NotebookSession:
    """A submission loaded into a sandbox: cells run once, then functions are called.

    If the sandbox dies, the next call boots a fresh one (rerunning the cells, skipping any
    cell that killed it), up to `MAX_BOOTS` times per submission.
    """

    cells: tuple[Cell, ...]
    config: SandboxConfig
    cell_seconds: float
    notebook_seconds: float
    cell_results: list[CellResult] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    protections: tuple[str, ...] = ()
    boots: int = 0
    _killers: dict[int, CellResult] = field(default_factory=dict)
    # Cells that failed and were left out after a graded call crashed the sandbox (e.g. a cell
    # that ran out of memory but left gigabytes allocated): their first result is kept.
    _left_out: dict[int, CellResult] = field(default_factory=dict)
    _sandbox: Sandbox | None = None

    def __enter__(self) -> NotebookSession:
        self.boot()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the sandbox, if one is running."""
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def boot(self) -> bool:
        """Start a sandbox and run the cells; retry without cells that kill it."""
        while self.boots < MAX_BOOTS:
            self.boots += 1
            self.close()
            sandbox = Sandbox(self.config)
            try:
                sandbox.start()
                self.protections = sandbox.protections
                reply = sandbox.request(
                    self._run_request(),
                    self.notebook_seconds + GRACE_SECONDS,
                    step_timeout=self.cell_seconds + CELL_GRACE_SECONDS,
                )
            except SandboxDied as died:
                self._record_killer(sandbox, died)
                sandbox.close()
                continue
            self._sandbox = sandbox
            self._record_cells(reply)
            return True
        return False

    def _run_request(self) -> dict[str, Any]:
        return {
            "op": "run_cells",
            "cell_seconds": self.cell_seconds,
            "skip": [*self._killers, *self._left_out],
            "cells": [{"index": c.index, "source": c.source} for c in self.cells],
        }

    def _record_killer(self, sandbox: Sandbox, died: SandboxDied) -> None:
        event = sandbox.last_event
        if not event or event.get("event") != "cell_start":
            return  # died before any cell ran: nothing to skip, the next boot will tell
        index = int(event["index"])
        timed_out = isinstance(died, SandboxTimeout)
        self._killers[index] = CellResult(
            index=index,
            status=CellStatus.TIMEOUT if timed_out else CellStatus.KILLED,
            message=(
                "the cell was still running when a time limit ran out (its own, at which it "
                "did not stop, or the notebook's), so it was stopped from outside; it was "
                "skipped when the notebook was run again"
                if timed_out
                else f"the cell ended the sandbox process{died.how}; it was skipped "
                "when the notebook was run again"
            ),
            output=sandbox.output.decode(errors="replace")[-2000:],
        )

    def _record_cells(self, reply: dict[str, Any]) -> None:
        self.stubbed = [str(name) for name in reply.get("stubbed", [])]
        results = []
        for cell in reply.get("cells", []):
            index = int(cell["index"])
            if index in self._killers or index in self._left_out:
                results.append(self._killers.get(index) or self._left_out[index])
                continue
            results.append(
                CellResult(
                    index=index,
                    status=CellStatus(cell["status"]),
                    seconds=float(cell.get("seconds", 0.0)),
                    message=str(cell.get("message", "")),
                    traceback=cell.get("traceback"),
                    output=str(cell.get("output", ""))[:4000],
                )
            )
        self.cell_results = results

    def call(
        self,
        function: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        seconds: float,
        *,
        track_mutation: bool = True,
    ) -> CallOutcome:
        """Call `function(*args, **kwargs)` in the sandbox with a time limit. With
        `track_mutation=False` (the grader calling a student's helper on its own behalf), the
        sandbox does not check whether the arguments were changed in place (faster)."""
        request = {
            "op": "call",
            "function": function,
            "args": wire.encode(tuple(args)),
            "kwargs": wire.encode(dict(kwargs)),
            "seconds": seconds,
            "track_mutation": track_mutation,
        }
        outcome = self._request(request, seconds)
        if outcome.status == CallStatus.CRASHED and self._leave_out_failed_cells():
            outcome = self._request(request, seconds)  # a fresh sandbox, without those cells
        return outcome

    def probe(
        self,
        function: str,
        action: str,
        args: tuple[Any, ...],
        options: dict[str, Any],
        seconds: float,
    ) -> CallOutcome:
        """Call `function(*args)` and run a Keras probe `action` on what it returns (see
        `sandbox/keras_probe.py`); the value is the probe's plain-data description."""
        request = {
            "op": "call",
            "function": function,
            "args": wire.encode(tuple(args)),
            "kwargs": wire.encode({}),
            "seconds": seconds,
            "probe": {"action": action, "options": wire.encode(options)},
        }
        return self._request(request, seconds)

    def _leave_out_failed_cells(self) -> bool:
        """After a crash during a call, leave out the cells that had failed (once)."""
        failed = {
            c.index: c
            for c in self.cell_results
            if c.status in (CellStatus.ERROR, CellStatus.TIMEOUT)
            and c.index not in self._killers
            and c.index not in self._left_out
        }
        self._left_out.update(failed)
        return bool(failed)

    def value(self, name: str, seconds: float = 5.0) -> CallOutcome:
        """The value of the notebook's variable `name` (answers given as variables)."""
        return self._request({"op": "value", "name": name}, seconds)

    def _request(self, request: dict[str, Any], seconds: float) -> CallOutcome:
        if self._sandbox is None and not self.boot():
            return CallOutcome(CallStatus.CRASHED, message="the notebook could not be run")
        assert self._sandbox is not None
        try:
            reply = self._sandbox.request(request, seconds + GRACE_SECONDS)
        except SandboxTimeout:
            self.close()
            return CallOutcome(CallStatus.TIMEOUT, seconds=seconds)
        except SandboxDied as died:
            self.close()
            return CallOutcome(CallStatus.CRASHED, message=died.reason)
        return _outcome_from_reply(reply, seconds)


def _outcome_from_reply(reply: dict[str, Any], seconds: float) -> CallOutcome:
    output = str(reply.get("output", ""))
    if reply.get("missing"):
        return CallOutcome(CallStatus.MISSING)
    if "not_callable" in reply:
        return CallOutcome(CallStatus.NOT_CALLABLE, message=str(reply["not_callable"]))
    if reply.get("timeout"):
        return CallOutcome(CallStatus.TIMEOUT, output=output, seconds=seconds)
    if "error" in reply:
        error = reply["error"]
        return CallOutcome(
            CallStatus.RAISED,
            message=str(error.get("message", "")),
            traceback=error.get("traceback"),
            output=output,
        )
    try:
        value = wire.decode(reply["value"])
    except (wire.WireError, KeyError) as exc:
        return CallOutcome(CallStatus.CRASHED, message=f"the sandbox sent malformed data ({exc})")
    mutated = tuple(int(i) for i in reply.get("mutated", []) if isinstance(i, int))
    return CallOutcome(
        CallStatus.RETURNED,
        value=value,
        mutated=mutated,
        output=output,
        seconds=float(reply.get("seconds", 0.0)),
    )
