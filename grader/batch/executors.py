"""Where submissions are graded: this machine's cores, or an existing Dask cluster.

Both run `grade_job` on a `Job` (the notebook's bytes, its file name and the grading
settings) and return its `GradeReport`, so a worker needs no shared filesystem with the
instructor's machine (except for `--data`). Every worker grades in its own sandbox exactly as
`grade submit` does; the results are stored by the process that started the batch.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from grader.batch.jobs import Job, fault_report
from grader.grading import grade_submission
from grader.report.model import GradeReport
from grader.sandbox.confine import die_with_parent
from grader.sandbox.zygote import use_warm_zygotes

Result = GradeReport


def grade_job(job: Job) -> Result:
    """Grade one submission from its bytes; never raises (a failure is a grader-fault report)."""
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as directory:
            path = Path(directory) / job.file_name
            path.write_bytes(job.content)
            report = grade_submission(
                path,
                job.assignment,
                hidden_seed=job.hidden_seed,
                data_dir=job.data_dir,
                train=job.train,
                gpu=job.gpu,
                all_cells=job.all_cells,
            )
    except Exception as exc:  # our fault, never the student's: record it and go on
        message = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        return fault_report(job.assignment, job.source, message, time.perf_counter() - start)
    return dataclasses.replace(report, submission=job.source)


class LocalExecutor:
    """`jobs` worker processes on this machine (each with its own sandbox zygote); with one
    job, grading runs in this process. If a worker process dies (it never runs student code,
    so this would be the grader's fault), the pool is replaced and the submissions it was
    grading are graded again at the end, one at a time; one that kills its worker again gets a
    grader-fault result."""

    def __init__(self, jobs: int, work: Callable[[Job], Result] = grade_job) -> None:
        self.jobs = max(1, jobs)
        self.work = work
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0

    def __enter__(self) -> LocalExecutor:
        if self.jobs > 1:
            self._pool = self._new_pool()
        else:
            use_warm_zygotes()  # grading in this process: its zygote grades the whole class
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: the workers start clean (no inherited threads or zygote of this process)
        self._generation += 1
        return _worker_pool(self.jobs)

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Result]]:
        """Grade every job; yield (job, result) as each finishes."""
        if self._pool is None:
            for job in jobs:
                yield job, self.work(job)
            return
        yield from self._pooled(iter(jobs))

    def _pooled(self, jobs: Iterator[Job]) -> Iterator[tuple[Job, Result]]:
        """Keep at most two jobs per worker in flight (notebooks are read lazily)."""
        pending: dict[Future[Result], tuple[Job, int]] = {}
        suspects: list[Job] = []
        more = True
        while more or pending:
            while more and len(pending) < 2 * self.jobs:
                job = next(jobs, None)
                if job is None:
                    more = False
                    break
                assert self._pool is not None
                pending[self._pool.submit(self.work, job)] = (job, self._generation)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job, generation = pending.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    if generation == self._generation:  # replace the dead pool (once)
                        assert self._pool is not None
                        self._pool.shutdown(wait=False, cancel_futures=True)
                        self._pool = self._new_pool()
                    suspects.append(job)
                except Exception as exc:  # our fault: record it and go on
                    yield job, _lost(job, exc)
        for job in suspects:  # graded again one at a time, so only a culprit is lost
            yield job, self._alone(job)

    def _alone(self, job: Job) -> Result:
        with _worker_pool(1) as pool:
            try:
                return pool.submit(self.work, job).result()
            except Exception as exc:  # it killed its worker again: the grader's fault
                return _lost(job, exc)


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that die with this one: if `grade batch` is killed (SIGKILL, the OOM
    killer), its workers follow at once, their zygotes with them, and the sandboxes with those
    (each process asks the kernel to kill it when its parent dies)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _start_worker(parent: int) -> None:
    """Worker initializer: be killed when the batch process dies (and if it already has), and
    let this worker's zygote preload what many notebooks use (it grades many)."""
    die_with_parent()
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)
    use_warm_zygotes()


class DaskExecutor:
    """Submissions sent to an existing Dask distributed scheduler (`grader[dask]`)."""

    def __init__(self, scheduler: str, window: int = 64) -> None:
        self.scheduler = scheduler
        self.window = window
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client
        except ImportError as exc:  # the optional extra is not installed
            raise RuntimeError("the Dask executor needs `pip install 'grader[dask]'`") from exc
        self._client = Client(self.scheduler, timeout="30s")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Result]]:
        """Grade every job on the cluster; yield (job, result) as each finishes."""
        from distributed import as_completed

        pending: dict[Any, Job] = {}
        completed = as_completed()
        for job in jobs:
            future = self._client.submit(grade_job, job, pure=False)
            pending[future] = job
            completed.add(future)
            while len(pending) >= self.window:
                yield self._collect(next(completed), pending)
        for future in completed:
            yield self._collect(future, pending)

    @staticmethod
    def _collect(future: Any, pending: dict[Any, Job]) -> tuple[Job, Result]:
        job = pending.pop(future)
        try:
            return job, future.result()
        except Exception as exc:  # a worker died: the submission gets a grader-fault result
            return job, _lost(job, exc)


def _lost(job: Job, exc: BaseException) -> Result:
    message = f"the grading worker failed: {type(exc).__name__}: {exc}"
    return fault_report(job.assignment, job.source, message)
