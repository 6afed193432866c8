"""`govqa policy …`: policy analysis over the live index (clause types and attributes).

Each command parses, calls one PolicyAnalysis method and renders.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from govqa import messages
from govqa.cli_render import handled
from govqa.core.errors import InvalidInputError

if TYPE_CHECKING:
    from govqa.policy.service import PolicyAnalysis

policy_app = typer.Typer(help="Policy analysis: clause types and attributes.", no_args_is_help=True)
console = Console()


def _policy() -> PolicyAnalysis:
    from govqa.cli import _container

    return _container().policy


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(messages.BAD_DATE.format(value=value)) from None


# --- clause labels: `labels` and `find` -------------------------------------------------------


@policy_app.command()
@handled
def labels(
    doc: Annotated[str, typer.Argument(help="document id or title (a title fragment only one title holds)")],
    as_json: Annotated[bool, typer.Option("--json", help="a JSON list of {article, type, attributes}")] = False,
) -> None:
    """Each clause of a policy: its article, type and attributes."""
    from govqa.policy.export import attributes_record, label_record

    result = _policy().labels(doc)
    if as_json:
        typer.echo(json.dumps([label_record(lb) for lb in result.labels], ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{result.document.title}[/bold]  {result.document.doc_number}  ({result.document.id})")
    table = Table()
    for col in ("article", "type", "attributes"):
        table.add_column(col)
    for lb in result.labels:
        attrs = attributes_record(lb.attributes)
        shown = "; ".join(f"{k}: {' / '.join(v)}" for k, v in attrs.items())
        table.add_row(lb.clause.article, lb.type + (" *" if lb.source == "llm" else ""), shown)
    console.print(table)
    console.print("* typed by the LLM (the rules were unsure)")


@policy_app.command()
@handled
def find(
    # Chinese kept here: the help shows a type and a beneficiary as users type them.
    clause_type: Annotated[str, typer.Option("--type", help="clause type, e.g. 支持措施")],
    # Chinese kept here: as above.
    beneficiary: Annotated[str, typer.Option("--beneficiary", help="part of a beneficiary, e.g. 中小企业")] = "",
    on: Annotated[str | None, typer.Option("--on", help="policies in force on this day (YYYY-MM-DD)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Clauses of one type (and beneficiary) in the policies in force on a day, each cited."""
    from govqa.policy.export import found_record
    from govqa.policy.service import parse_clause_type

    found = _policy().find(parse_clause_type(clause_type), beneficiary, _day(on))
    if as_json:
        typer.echo(json.dumps([found_record(f) for f in found], ensure_ascii=False, indent=2))
        return
    table = Table()
    for col in ("title", "doc_number", "article", "amount", "deadline", "conditions"):
        table.add_column(col)
    for f in found:
        attrs = f.label.attributes
        table.add_row(
            f"{f.document.title} ({f.document.id})",
            f.document.doc_number,
            f.label.clause.article,
            " / ".join(attrs.amount),
            " / ".join(attrs.deadline),
            " / ".join(f.conditions),
        )
    console.print(table)
    console.print(f"{len(found)} clause(s)")


# --- end of clause labels ---------------------------------------------------------------------
