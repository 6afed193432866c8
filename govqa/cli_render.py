"""Rendering helpers of the CLI: error exits, progress bars and the end-of-run ingest summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govqa.core.errors import GovQAError
from ingest.report import IngestReport

F = TypeVar("F", bound=Callable[..., Any])
_err = Console(stderr=True)


def handled(fn: F) -> F:
    """Map GovQAError to its exit code with a one-line message instead of a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GovQAError as exc:
            _err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(exc.exit_code) from exc

    return wrapper  # type: ignore[return-value]


@contextmanager
def ingest_progress(console: Console, quiet: bool = False) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback for the pipeline (None when quiet)."""
    if quiet:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None)

        def update(path: str, done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, description=Path(path).name[:40])

        yield update


def render_ingest(console: Console, report: IngestReport, saved: Path) -> None:
    """Summary table of an ingest run, failures listed with their reasons."""
    table = Table(title="ingest summary")
    for col in ("status", "files", "documents", "chunks"):
        table.add_column(col)
    by_status: dict[str, list[int]] = {}
    for f in report.files:
        row = by_status.setdefault(f.status, [0, 0, 0])
        row[0] += 1
        row[1] += f.documents
        row[2] += f.chunks
    for status, (n, docs, chunks) in sorted(by_status.items()):
        table.add_row(status, str(n), str(docs), str(chunks))
    console.print(table)
    for f in report.failed:
        console.print(f"[red]{f.status}[/red] {f.path}: {f.reason}")
        for where, reason in f.record_errors[:10]:
            console.print(f"    {where}: {reason}")
        if len(f.record_errors) > 10:
            console.print(f"    … {len(f.record_errors) - 10} more in the report")
    dupes = sum(len(f.duplicates) for f in report.files)
    if dupes:
        console.print(f"{dupes} duplicate document(s) recorded as aliases (see the report)")
    if report.generation:
        console.print(
            f"live index: {report.generation} — {report.documents_total} documents, {report.chunks_total} chunks; "
            f"embedded {report.embedded} new chunk(s) in {report.seconds:.1f}s"
        )
    else:
        console.print(f"nothing changed ({report.seconds:.2f}s)")
    console.print(f"report: {saved}")
