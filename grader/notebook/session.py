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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.notebook.calls import CallOptions, CallOutcome, CallStatus, StandInAnswer
from grader.notebook.cell_plan import CellPlan, cells_to_add
from grader.notebook.submission import Cell
from grader.report.model import CellResult, CellStatus
from grader.sandbox import Sandbox, SandboxConfig, SandboxDied, SandboxTimeout, wire

MAX_BOOTS = 4
GRACE_SECONDS = 2.0
# A cell may overrun its soft limit by this much (unwinding, cleanup) before it is killed.
CELL_GRACE_SECONDS = 5.0
# Soft limits count CPU time, so a loaded machine does not change a verdict; wall clock is a
# generous outer bound (code that sleeps or waits uses no CPU): this many times the CPU limit,
# plus WALL_EXTRA seconds.
WALL_FACTOR = 2.0
WALL_EXTRA = 5.0
UNDEFINED_NAME = re.compile(r"name '(\w+)' is not defined")


def wall_bound(seconds: float, clock: str) -> float:
    """The wall-clock time a step limited to `seconds` on `clock` may take at most."""
    return WALL_FACTOR * seconds + WALL_EXTRA if clock == "cpu" else seconds


@dataclass
class NotebookSession:
    """A submission loaded into a sandbox: cells run once, then functions are called.

    If the sandbox dies, the next call boots a fresh one (rerunning the cells, skipping any
    cell that killed it), up to `MAX_BOOTS` times per submission.

    With a cell `plan` (one `CellPlan` per cell, see `notebook/cell_plan`), only the cells
    grading needs run; the others are recorded as not needed, with the plan's reason. When a
    graded call still finds a global name undefined (a dependency the plan missed), the
    skipped cells that provide it are added and the notebook is run again, once per name.
    """

    cells: tuple[Cell, ...]
    config: SandboxConfig
    cell_seconds: float
    notebook_seconds: float
    clock: str = "cpu"  # what the soft limits count: "cpu" time, or "wall" (TensorFlow)
    cell_results: list[CellResult] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    protections: tuple[str, ...] = ()
    plan: tuple[CellPlan, ...] = ()
    boots: int = 0
    _added: set[int] = field(default_factory=set)  # plan positions run after all
    _reruns: int = 0  # boots to run cells added back (not counted against MAX_BOOTS)
    _killers: dict[int, CellResult] = field(default_factory=dict)
    # Cells that failed and were left out after a graded call crashed the sandbox (e.g. a cell
    # that ran out of memory but left gigabytes allocated): their first result is kept.
    _left_out: dict[int, CellResult] = field(default_factory=dict)
    _sandbox: Sandbox | None = None
    _peak_kb: int = 0  # of the sandboxes closed so far

    @property
    def peak_memory_mb(self) -> float:
        """The peak resident memory of this submission's sandboxes, in MiB (0 if unknown)."""
        current = self._sandbox.peak_kb if self._sandbox is not None else 0
        return round(max(self._peak_kb, current) / 1024, 1)

    def __enter__(self) -> NotebookSession:
        self.boot()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the sandbox, if one is running."""
        if self._sandbox is not None:
            self._peak_kb = max(self._peak_kb, self._sandbox.peak_kb)
            self._sandbox.close()
            self._sandbox = None

    def boot(self) -> bool:
        """Start a sandbox and run the cells; retry without cells that kill it."""
        while self.boots < MAX_BOOTS + self._reruns:
            self.boots += 1
            self.close()
            sandbox = Sandbox(self.config)
            try:
                sandbox.start()
                self.protections = sandbox.protections
                reply = sandbox.request(
                    self._run_request(),
                    wall_bound(self.notebook_seconds, self.clock) + GRACE_SECONDS,
                    step_timeout=wall_bound(self.cell_seconds, self.clock) + CELL_GRACE_SECONDS,
                )
            except SandboxDied as died:
                self._record_killer(sandbox, died)
                self._peak_kb = max(self._peak_kb, sandbox.peak_kb)
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
            "wall_cell_seconds": wall_bound(self.cell_seconds, self.clock),
            "clock": self.clock,
            "skip": [*self._killers, *self._left_out, *self._not_needed()],
            "cells": [{"index": c.index, "source": c.source} for c in self.cells],
        }

    def _not_needed(self) -> dict[int, CellPlan]:
        """The cells the plan leaves out (by cell index), less those added back."""
        if not self.plan:
            return {}
        return {
            cell.index: planned
            for planned, cell in zip(self.plan, self.cells, strict=True)
            if not planned.run and planned.index not in self._added
        }

    def _add_cells_for(self, name: str) -> bool:
        """Add the skipped cells that provide `name`; whether there were any to add."""
        if not name or not self.plan:
            return False
        wanted = set(cells_to_add(self.plan, name)) - self._added
        self._added |= wanted
        return bool(wanted)

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
        not_needed = self._not_needed()
        results = []
        for cell in reply.get("cells", []):
            index = int(cell["index"])
            if index in self._killers or index in self._left_out:
                results.append(self._killers.get(index) or self._left_out[index])
                continue
            if index in not_needed:
                reason = not_needed[index].reason
                results.append(CellResult(index, CellStatus.NOT_NEEDED, message=reason))
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
        options: CallOptions | None = None,
    ) -> CallOutcome:
        """Call `function(*args, **kwargs)` in the sandbox with a time limit (see
        `CallOptions` for stand-ins, watched helpers and older signatures)."""
        options = options or CallOptions()
        request = {
            "op": "call",
            "function": function,
            "args": wire.encode(tuple(args)),
            "kwargs": wire.encode(dict(kwargs)),
            "track_mutation": options.track_mutation,
            "stand_ins": list(options.stand_ins),
            "watch": list(options.watch),
            **self._limit(seconds, self.clock),
        }
        if options.defaults or options.extra:
            request["adapt"] = {
                "defaults": wire.encode(dict(options.defaults)),
                "extra": wire.encode(dict(options.extra)),
            }
        answer = _stand_in_answerer(options.answer)
        outcome = self._planned_request(request, seconds, function, answer)
        if outcome.status == CallStatus.CRASHED and self._leave_out_failed_cells():
            outcome = self._request(request, seconds, answer)  # without those cells
        return outcome

    def _planned_request(
        self,
        request: dict[str, Any],
        seconds: float,
        name: str,
        answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> CallOutcome:
        """`_request`, and once more with the skipped cells that bind a name it found missing
        (the graded name itself, or a global its code reads) after running them."""
        outcome = self._request(request, seconds, answer)
        missing = ""
        if outcome.status == CallStatus.MISSING:
            missing = name
        elif outcome.status == CallStatus.RAISED and (
            found := UNDEFINED_NAME.search(outcome.message or "")
        ):
            missing = found.group(1)
        if self._add_cells_for(missing):
            self.close()
            self._reruns += 1
            outcome = self._request(request, seconds, answer)
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
        `sandbox/keras_probe.py`); the value is the probe's plain-data description. Timed on
        the wall clock: TensorFlow runs many threads."""
        request = {
            "op": "call",
            "function": function,
            "args": wire.encode(tuple(args)),
            "kwargs": wire.encode({}),
            "probe": {"action": action, "options": wire.encode(options)},
            **self._limit(seconds, "wall"),
        }
        return self._planned_request(request, seconds, function)

    @staticmethod
    def _limit(seconds: float, clock: str) -> dict[str, Any]:
        return {"seconds": seconds, "clock": clock, "wall_seconds": wall_bound(seconds, clock)}

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
        return self._planned_request({"op": "value", "name": name}, seconds, name)

    def _request(
        self,
        request: dict[str, Any],
        seconds: float,
        answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> CallOutcome:
        if self._sandbox is None and not self.boot():
            return CallOutcome(CallStatus.CRASHED, message="the notebook could not be run")
        assert self._sandbox is not None
        wall = float(request.get("wall_seconds", seconds))
        try:
            reply = self._sandbox.request(request, wall + GRACE_SECONDS, on_stand_in=answer)
        except SandboxTimeout:
            self.close()
            return CallOutcome(CallStatus.TIMEOUT, seconds=seconds)
        except SandboxDied as died:
            self.close()
            return CallOutcome(CallStatus.CRASHED, message=died.reason)
        return _outcome_from_reply(reply, seconds)


def _stand_in_answerer(
    answer: StandInAnswer | None,
) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """Turn a grader-side answer function into the handler of the sandbox's stand-in events:
    decode the arguments (with the wire format's caps), compute, encode the result."""
    if answer is None:
        return None
    memo = wire.ArrayMemo()  # kept in step with the sandbox's for this call

    def handle(event: dict[str, Any]) -> dict[str, Any]:
        try:
            args = wire.decode(event.get("args"), memo)
            kwargs = wire.decode(event.get("kwargs"), memo)
        except wire.WireError as exc:
            return {"error": f"the arguments could not be read ({exc})"}
        if not isinstance(args, tuple) or not isinstance(kwargs, dict):
            return {"error": "the arguments could not be read"}
        try:
            value = answer(str(event.get("name", "")), args, kwargs)
        except Exception as exc:  # the arguments the student's code passed do not fit
            return {"error": f"{type(exc).__name__}: {exc}"}
        return {"value": wire.encode(value, memo)}

    return handle


def _outcome_from_reply(reply: dict[str, Any], seconds: float) -> CallOutcome:
    output = str(reply.get("output", ""))
    if reply.get("missing"):
        return CallOutcome(CallStatus.MISSING)
    if "not_callable" in reply:
        return CallOutcome(CallStatus.NOT_CALLABLE, message=str(reply["not_callable"]))
    adapted = _names(reply.get("adapted"))
    if reply.get("timeout"):
        return CallOutcome(
            CallStatus.TIMEOUT, output=output, seconds=seconds, progress=_progress(reply)
        )
    if "error" in reply:
        error = reply["error"] if isinstance(reply["error"], dict) else {}
        return CallOutcome(
            CallStatus.RAISED,
            message=str(error.get("message", "")),
            traceback=error.get("traceback"),
            output=output,
            adapted=adapted,
        )
    try:
        value = wire.decode(reply["value"])
    except (wire.WireError, KeyError) as exc:
        return CallOutcome(CallStatus.CRASHED, message=f"the sandbox sent malformed data ({exc})")
    return CallOutcome(
        CallStatus.RETURNED,
        value=value,
        mutated=_mutations(reply.get("mutated")),
        output=output,
        seconds=float(reply.get("seconds", 0.0)),
        adapted=adapted,
    )


def _mutations(raw: Any) -> tuple[tuple[int, str], ...]:
    """[[index, kind], ...] from the sandbox; anything malformed is dropped."""
    found = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], int):
            kind = "containers" if item[1] == "containers" else "arrays"
            found.append((item[0], kind))
    return tuple(found)


def _progress(reply: dict[str, Any]) -> dict[str, tuple[int, float, float]]:
    raw = reply.get("progress")
    found = {}
    for name, item in raw.items() if isinstance(raw, dict) else ():
        if isinstance(name, str) and isinstance(item, list) and len(item) == 3:
            try:
                found[name] = (int(item[0]), float(item[1]), float(item[2]))
            except (TypeError, ValueError):
                continue
    return found


def _names(raw: Any) -> tuple[str, ...]:
    return tuple(str(n) for n in raw if isinstance(n, str)) if isinstance(raw, list) else ()
