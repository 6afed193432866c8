"""Background admin runs (ingest, reindex, delete): one at a time, each with a job id whose
progress and ingest report can be read while and after it runs.

One worker thread, because the ingest pipeline allows one writer per data directory: a second
request queues instead of failing on the ingest lock. With several API worker processes on one
data directory, each has its own thread, so a job also holds `DATA_DIR/jobs.lock` (a blocking
flock) while it runs: jobs from different workers queue on it too. Every change of a job's state
is written to DATA_DIR/reports/job-ID.json (atomically), so any worker, or a restarted one, reads
the same state as the worker running it.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from govqa.core.errors import GovQAError
from govqa.stores.generations import now_iso
from ingest.pipeline import Progress
from ingest.report import IngestReport

JobStatus = Literal["queued", "running", "done", "failed"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Job:
    """What a client sees of a run."""

    id: str
    kind: str
    status: JobStatus
    created_at: str
    finished_at: str = ""
    done_files: int = 0
    total_files: int = 0
    current: str = ""
    error: str = ""
    report: dict[str, Any] | None = None


class JobRunner:
    """Runs admin jobs one after another in a background thread."""

    def __init__(self, reports: Path, lock: Path) -> None:
        self._reports = reports
        self._lock_path = lock
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def submit(self, kind: str, run: Callable[[Progress], IngestReport]) -> Job:
        """Queue `run` (given a progress callback) and return its job at once."""
        job = Job(uuid.uuid4().hex[:16], kind, "queued", now_iso())
        self._put(job)
        self._worker().submit(self._run, job.id, run)
        return job

    def run_now(self, run: Callable[[], T]) -> T:
        """Run `run` in the worker after the queued jobs and wait for it (a short change such as a
        delete, which must not race a running ingest for the lock)."""
        future: Future[T] = self._worker().submit(self._exclusive, run)
        return future.result()

    def get(self, job_id: str) -> Job | None:
        """A job's state, whichever worker process runs or ran it."""
        saved = self._reports / f"job-{job_id}.json"
        if job_id.isalnum() and saved.is_file():
            return Job(**json.loads(saved.read_text(encoding="utf-8")))
        return None

    def close(self) -> None:
        """Wait for queued jobs and stop the worker (the next job starts a new one)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _worker(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govqa-admin")
            return self._pool

    def _exclusive(self, run: Callable[[], T]) -> T:
        with self._across_processes():
            return run()

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        """Hold the data directory's job lock, waiting for a job of another process to finish."""
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file closes
            yield

    def _put(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            self._save(job)

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = dataclasses.replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
            self._save(job)
        return job

    def _save(self, job: Job) -> None:
        """Write the job's state where every worker reads it (replaced atomically, never half written)."""
        self._reports.mkdir(parents=True, exist_ok=True)
        final = self._reports / f"job-{job.id}.json"
        tmp = final.with_name(f".{final.name}.{os.getpid()}")
        tmp.write_text(json.dumps(dataclasses.asdict(job), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, final)

    def _run(self, job_id: str, run: Callable[[Progress], IngestReport]) -> None:
        with self._across_processes():
            self._run_exclusive(job_id, run)

    def _run_exclusive(self, job_id: str, run: Callable[[Progress], IngestReport]) -> None:
        self._update(job_id, status="running")

        def progress(path: str, done: int, total: int) -> None:
            self._update(job_id, current=path, done_files=done, total_files=total)

        try:
            report = run(progress)
        except GovQAError as exc:
            self._update(job_id, status="failed", error=str(exc), finished_at=now_iso())
        except Exception as exc:  # noqa: BLE001 - a job's failure is reported to its client, not lost in a thread
            self._update(job_id, status="failed", error=f"{type(exc).__name__}: {exc}", finished_at=now_iso())
        else:
            report.save(self._reports, "last-ingest.json")
            data = json.loads(report.to_json())
            done = len(report.files)
            self._update(job_id, status="done", report=data, finished_at=now_iso(), done_files=done, total_files=done)
