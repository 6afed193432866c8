"""CSV and JSON Lines renderings of feedback and the conversation log (for operators' spreadsheets
and scripts). CSV starts with a byte-order mark so spreadsheet programs read the Chinese as UTF-8."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from govqa.core.records import Feedback, LoggedTurn

FEEDBACK_COLUMNS = (
    "id", "at", "session_id", "turn", "rating", "comment", "handled", "handled_at", "curated_id",
    "question", "answer", "mode", "citations",
)  # fmt: skip
TURN_COLUMNS = ("session_id", "turn", "at", "question", "kind", "mode", "reply", "citations", "item_codes")


def as_row(record: Feedback | LoggedTurn) -> dict[str, Any]:
    """A record as a flat dict; citations as a list of objects."""
    return dataclasses.asdict(record)


def jsonl(records: Iterable[Feedback | LoggedTurn]) -> Iterator[str]:
    """One JSON object per line."""
    for record in records:
        yield json.dumps(as_row(record), ensure_ascii=False) + "\n"


def csv_text(records: Iterable[Feedback | LoggedTurn], columns: tuple[str, ...]) -> Iterator[str]:
    """CSV with a header row; list-valued columns (citations, item codes) as JSON text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()
    for record in records:
        row = as_row(record)
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], (list, tuple)) else row[c] for c in columns
        )
        yield buffer.getvalue()
