"""Background admin runs (ingest, reindex, delete): one at a time, each with a job id whose
progress and ingest report can be read while and after it runs.

One worker thread, because the ingest pipeline allows one writer per data directory: a second
request queues instead of failing on the ingest lock. Job states are kept in memory; each
finished report is also saved as DATA_DIR/reports/job-ID.json, so it can be read after a restart.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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

    def __init__(self, reports: Path) -> None:
        self._reports = reports
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
        future: Future[T] = self._worker().submit(run)
        return future.result()

    def get(self, job_id: str) -> Job | None:
        """A job of this process, or a finished one's saved report."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
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

    def _put(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = dataclasses.replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
        return job

    def _run(self, job_id: str, run: Callable[[Progress], IngestReport]) -> None:
        self._update(job_id, status="running")

        def progress(path: str, done: int, total: int) -> None:
            self._update(job_id, current=path, done_files=done, total_files=total)

        try:
            report = run(progress)
        except GovQAError as exc:
            job = self._update(job_id, status="failed", error=str(exc), finished_at=now_iso())
        except Exception as exc:  # noqa: BLE001 - a job's failure is reported to its client, not lost in a thread
            job = self._update(job_id, status="failed", error=f"{type(exc).__name__}: {exc}", finished_at=now_iso())
        else:
            report.save(self._reports, "last-ingest.json")
            data = json.loads(report.to_json())
            done = len(report.files)
            job = self._update(
                job_id, status="done", report=data, finished_at=now_iso(), done_files=done, total_files=done
            )
        self._reports.mkdir(parents=True, exist_ok=True)
        (self._reports / f"job-{job_id}.json").write_text(
            json.dumps(dataclasses.asdict(job), ensure_ascii=False, indent=2), encoding="utf-8"
        )
