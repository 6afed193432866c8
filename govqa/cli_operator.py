"""Operator commands on the operator database: curated answers, feedback triage, log exports.

The same stores and the same audit trail as the admin API (`/api/v1/admin/…`): an action taken
here is recorded with the operating-system user as who (`cli:<user>`), so the trail covers both.
A running server sees a change at once (it reads the curated answers' revision on every question).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from govqa.cli_render import handled
from govqa.core.errors import InvalidInputError, SessionNotFoundError
from govqa.core.records import CuratedEntry, Feedback, FeedbackQuery, Rating
from govqa.exports import FEEDBACK_COLUMNS, TURN_COLUMNS, csv_text, jsonl
from govqa.feedback import clean_paraphrases

if TYPE_CHECKING:
    from govqa.bootstrap import Container

curated_app = typer.Typer(help="Curated answers: standard answers pinned to a question and its paraphrases.")
feedback_app = typer.Typer(help="Citizens' ratings of answers: list, export, mark handled, curate.")
conversations_app = typer.Typer(help="The conversation log (personal numbers masked).")
console = Console()

Format = Literal["csv", "jsonl"]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
Paraphrases = Annotated[list[str] | None, typer.Option("--paraphrase", "-p", help="another wording (repeatable)")]
Out = Annotated[Path | None, typer.Option("--out", help="file to write (default: standard output)")]


@contextmanager
def _opened() -> Iterator[Container]:
    """The container for one command, closed after it (the operator database is released)."""
    from govqa.cli import _container as build

    c = build()
    try:
        yield c
    finally:
        c.close()


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "cli:unknown"


def _audited(action: str, run: Callable[[Container], str]) -> None:
    """Run an operator action and record it in the audit log with its outcome."""
    with _opened() as c:
        try:
            detail = run(c)
        except Exception as exc:
            c.audit.record(_who(), action, type(exc).__name__, str(exc)[:200])
            raise
        c.audit.record(_who(), action, "ok", detail)


def _print_entries(entries: list[CuratedEntry], as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps([dataclasses.asdict(e) for e in entries], ensure_ascii=False))
        return
    table = Table("id", "question", "paraphrases", "answer", "updated")
    for e in entries:
        table.add_row(str(e.id), e.question, " / ".join(e.paraphrases), e.answer[:60], e.updated_at)
    console.print(table)


@curated_app.command("list")
@handled
def curated_list(as_json: AsJson = False) -> None:
    """Every curated answer."""
    with _opened() as c:
        _print_entries(c.curated.all(), as_json)


@curated_app.command("add")
@handled
def curated_add(
    question: Annotated[str, typer.Argument(help="the question as citizens ask it")],
    answer: Annotated[str, typer.Argument(help="the standard answer")],
    paraphrase: Paraphrases = None,
    as_json: AsJson = False,
) -> None:
    """Pin a standard answer to a question (and its paraphrases)."""
    if not question.strip() or not answer.strip():
        raise InvalidInputError("the question and the answer must not be empty")
    added: list[CuratedEntry] = []

    def run(c: Container) -> str:
        added.append(c.curated.add(question.strip(), answer.strip(), clean_paraphrases(paraphrase)))
        return f"curated={added[0].id}"

    _audited("curated.add", run)
    _print_entries(added, as_json)


@curated_app.command("update")
@handled
def curated_update(
    entry_id: Annotated[int, typer.Argument(help="the id shown by `govqa curated list`")],
    question: Annotated[str | None, typer.Option(help="new question (default: unchanged)")] = None,
    answer: Annotated[str | None, typer.Option(help="new answer (default: unchanged)")] = None,
    paraphrase: Paraphrases = None,
    as_json: AsJson = False,
) -> None:
    """Change a curated answer; paraphrases given replace the old ones."""
    updated: list[CuratedEntry] = []

    def run(c: Container) -> str:
        old = c.curated.get(entry_id)
        if old is None:
            raise SessionNotFoundError(f"no curated answer with id {entry_id}")
        new = c.curated.update(
            entry_id,
            (question or old.question).strip(),
            (answer or old.answer).strip(),
            clean_paraphrases(paraphrase) if paraphrase is not None else list(old.paraphrases),
        )
        assert new is not None  # read just above, under the same single writer
        updated.append(new)
        return f"curated={entry_id}"

    _audited("curated.update", run)
    _print_entries(updated, as_json)


@curated_app.command("delete")
@handled
def curated_delete(entry_id: Annotated[int, typer.Argument(help="the id shown by `govqa curated list`")]) -> None:
    """Remove a curated answer."""

    def run(c: Container) -> str:
        if not c.curated.delete(entry_id):
            raise SessionNotFoundError(f"no curated answer with id {entry_id}")
        return f"curated={entry_id}"

    _audited("curated.delete", run)
    console.print(f"deleted curated answer {entry_id}")


def read_curated_file(path: Path) -> list[tuple[str, str, list[str]]]:
    """(question, answer, paraphrases) of a JSON Lines file; every bad line is reported, none kept half."""
    entries: list[tuple[str, str, list[str]]] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            question, answer = str(record["question"]).strip(), str(record["answer"]).strip()
            paraphrases = record.get("paraphrases", [])
            if not question or not answer or not isinstance(paraphrases, list):
                raise ValueError("question and answer must be non-empty, paraphrases a list")
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        entries.append((question, answer, clean_paraphrases(str(p) for p in paraphrases)))
    if problems:
        raise InvalidInputError(f"{path}: nothing imported; fix these lines: " + "; ".join(problems[:10]))
    return entries


@curated_app.command("import")
@handled
def curated_import(
    path: Annotated[Path, typer.Argument(help='JSON Lines: {"question", "answer", "paraphrases": [...]}')],
) -> None:
    """Add the curated answers of a file (all or none: a bad line imports nothing)."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file")
    entries = read_curated_file(path)

    def run(c: Container) -> str:
        ids = [c.curated.add(q, a, p).id for q, a, p in entries]
        return f"curated={','.join(map(str, ids))}"

    _audited("curated.import", run)
    console.print(f"imported {len(entries)} curated answers from {path}")


def _query(
    rating: Rating | None, handled_only: bool | None, since: dt.datetime | None, until: dt.datetime | None, limit: int
) -> FeedbackQuery:
    return FeedbackQuery(
        rating=rating,
        handled=handled_only,
        since=since.date() if since else None,
        until=until.date() if until else None,
        limit=limit,
    )


RatingOpt = Annotated[Rating | None, typer.Option("--rating", help="up or down")]
HandledOpt = Annotated[bool | None, typer.Option("--handled/--unhandled", help="only handled or only open ones")]
SinceOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="from this day (UTC, inclusive)")]
UntilOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="to this day (UTC, inclusive)")]
LimitOpt = Annotated[int, typer.Option(min=1, max=100_000)]


def _print_feedback(found: list[Feedback], as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps([dataclasses.asdict(f) for f in found], ensure_ascii=False))
        return
    table = Table("id", "at", "rating", "handled", "question", "comment", "mode")
    for f in found:
        table.add_row(str(f.id), f.at, f.rating, "yes" if f.handled else "", f.question[:40], f.comment[:40], f.mode)
    console.print(table)


@feedback_app.command("list")
@handled
def feedback_list(
    rating: RatingOpt = None,
    handled_only: HandledOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 200,
    as_json: AsJson = False,
) -> None:
    """Ratings, newest first."""
    with _opened() as c:
        _print_feedback(c.feedback.find(_query(rating, handled_only, since, until, limit)), as_json)


def _write(rows: Iterator[str], out: Path | None) -> None:
    if out is None:
        for row in rows:
            sys.stdout.write(row)
        return
    with out.open("w", encoding="utf-8", newline="") as f:
        f.writelines(rows)
    console.print(f"wrote {out}")


@feedback_app.command("export")
@handled
def feedback_export(
    format: Annotated[Format, typer.Option("--format")] = "csv",
    rating: RatingOpt = None,
    handled_only: HandledOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 100_000,
    out: Out = None,
) -> None:
    """The filtered ratings with question, answer and citations, as CSV or JSON Lines."""
    with _opened() as c:
        found = c.feedback.find(_query(rating, handled_only, since, until, limit))
    _write(csv_text(found, FEEDBACK_COLUMNS) if format == "csv" else jsonl(found), out)


@feedback_app.command("handle")
@handled
def feedback_handle(feedback_id: Annotated[int, typer.Argument(help="the id shown by `govqa feedback list`")]) -> None:
    """Mark a rating as dealt with."""

    def run(c: Container) -> str:
        if c.feedback.mark_handled(feedback_id) is None:
            raise SessionNotFoundError(f"no feedback with id {feedback_id}")
        return f"feedback={feedback_id}"

    _audited("feedback.handled", run)
    console.print(f"feedback {feedback_id} marked handled")


@feedback_app.command("curate")
@handled
def feedback_curate(
    feedback_id: Annotated[int, typer.Argument(help="the id shown by `govqa feedback list`")],
    answer: Annotated[str, typer.Argument(help="the standard answer to the rated question")],
    paraphrase: Paraphrases = None,
    as_json: AsJson = False,
) -> None:
    """Turn a rating (usually a thumbs-down) into a curated answer; the rating is marked handled."""
    made: list[CuratedEntry] = []

    def run(c: Container) -> str:
        made.append(c.feedback_desk.curate(feedback_id, answer, clean_paraphrases(paraphrase)))
        return f"feedback={feedback_id} curated={made[0].id}"

    _audited("feedback.curate", run)
    _print_entries(made, as_json)


@conversations_app.command("export")
@handled
def conversations_export(
    format: Annotated[Format, typer.Option("--format")] = "csv",
    session_id: Annotated[str | None, typer.Option("--session", help="one conversation only")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    out: Out = None,
) -> None:
    """Every question and reply (personal numbers masked), as CSV or JSON Lines."""
    with _opened() as c:
        turns = list(c.turn_log.export(session_id, since.date() if since else None, until.date() if until else None))
    _write(csv_text(turns, TURN_COLUMNS) if format == "csv" else jsonl(turns), out)
