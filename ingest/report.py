"""What an ingest run did, per file and in total; rendered by the CLI and saved as JSON."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FileStatus = Literal["indexed", "unchanged", "partial", "failed", "removed"]


@dataclass(frozen=True, slots=True)
class FileReport:
    """Outcome for one source file."""

    path: str
    status: FileStatus
    documents: int = 0
    chunks: int = 0
    reason: str = ""
    record_errors: tuple[tuple[str, str], ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class IngestReport:
    """Outcome of one run. `generation` is empty when nothing changed and no index was written."""

    files: tuple[FileReport, ...] = ()
    generation: str = ""
    embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    chunks_written: int = 0
    documents_total: int = 0
    chunks_total: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def failed(self) -> list[FileReport]:
        """Files that failed entirely or lost records."""
        return [f for f in self.files if f.status in ("failed", "partial")]

    def to_json(self) -> str:
        """Machine-readable form (for --json and the saved report)."""
        data = dataclasses.asdict(self)
        data["failed"] = len(self.failed)
        return json.dumps(data, ensure_ascii=False, indent=2)

    def save(self, folder: Path, name: str) -> Path:
        """Write the report under the data directory's reports folder."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(self.to_json(), encoding="utf-8")
        return path
