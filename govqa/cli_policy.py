"""`govqa policy …`: policy analysis over the live index (clause types and attributes).

Each command parses, calls one PolicyAnalysis method and renders.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from govqa.cli_render import handled
from govqa.policy.diff import body_offset

if TYPE_CHECKING:
    from govqa.bootstrap import Container
    from govqa.policy.diff import ClausePair, PairStatus
    from govqa.policy.review import ClauseReview
    from govqa.policy.service import PolicyAnalysis

policy_app = typer.Typer(
    help="Policy analysis: clause types and attributes, topic brief, version comparison, draft review.",
    no_args_is_help=True,
)
console = Console()


def _policy() -> PolicyAnalysis:
    from govqa.cli import _container

    return _container().policy


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
    from govqa.service import parse_day

    found = _policy().find(parse_clause_type(clause_type), beneficiary, parse_day(on))
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


# ---- topic brief


@policy_app.command("brief")
@handled
def brief(
    # Chinese kept here: the help shows a topic as users type it.
    topic: Annotated[str, typer.Argument(help="the topic, e.g. 专精特新")],
    on: Annotated[str | None, typer.Option("--date", "--on", help="policies in force on this day (YYYY-MM-DD)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the brief as JSON")] = False,
) -> None:
    """The key clauses of the policies in force on a topic (conditions, support with amounts,
    procedure and periods, departments), each sentence quoted from its article and cited."""
    from govqa import messages
    from govqa.api.policy_brief_schemas import TopicBriefOut
    from govqa.service import parse_day

    result = _policy().brief(topic, parse_day(on))
    if as_json:
        typer.echo(TopicBriefOut.of(result).model_dump_json(indent=2))
        return
    console.print(escape(result.message))
    for p in result.policies:
        doc = p.document
        console.print(f"\n[bold]{escape(messages.display_name(doc))}[/bold] [dim]({doc.id})[/dim]")
        for section in p.sections:
            console.print(f"  [bold]{messages.BRIEF_SECTIONS[section.key]}[/bold]")
            for _, group in itertools.groupby(section.sentences, key=lambda s: s.article):
                quoted = list(group)
                for s in quoted:
                    console.print(f"    {escape(s.text)}")
                console.print(f"      [dim]—— {escape(p.citation(quoted[0]))}[/dim]")
    if result.set_aside:
        console.print("\n" + escape(messages.BRIEF_SET_ASIDE.format(day=result.day)))
        for a in result.set_aside:
            name = messages.display_name(a.document)
            console.print(f"  [red]{messages.BRIEF_STANDING[a.standing]}[/red] {escape(name)} ({a.document.id})")
    console.print(
        f"[dim]{result.sentence_count} sentence(s) from {len(result.policies)} policy(ies), "
        f"{result.dropped} dropped by verification[/dim]"
    )


# ---- end of topic brief


# ---- comparison of two documents and draft review


def _compare_container() -> Container:
    from govqa.cli import _container

    return _container()


_STATUSES: tuple[PairStatus, ...] = ("unchanged", "changed", "added", "removed")
_MARKS = {"unchanged": "=", "changed": "~", "added": "+", "removed": "-"}
_STYLES = {"unchanged": "dim", "changed": "yellow", "added": "green", "removed": "red"}


def _pair_line(p: ClausePair) -> str:
    old = p.old.article if p.old else "—"
    new = p.new.article if p.new else "—"
    style = _STYLES[p.status]
    line = f"[{style}]{_MARKS[p.status]} {old:<6} → {new:<6} {p.status}[/{style}]"
    if p.status in ("changed", "unchanged"):
        line += f"  [dim]{p.similarity:.2f}[/dim]"
    figures = "; ".join(f"{f.old or '∅'} → {f.new or '∅'}" for f in p.figures)
    return line + (f"  [bold]{escape(figures)}[/bold]" if figures else "")


def _inline(p: ClausePair) -> str:
    """The new text with deletions struck through in red and insertions underlined in green."""
    assert p.old is not None and p.new is not None  # only changed pairs are drawn inline
    out: list[str] = []
    new_text = p.new.text
    at = 0
    for e in p.edits:
        out.append(escape(new_text[at : e.new_start]))
        if e.old_text:
            out.append(f"[red strike]{escape(e.old_text)}[/red strike]")
        if e.new_text:
            out.append(f"[green underline]{escape(e.new_text)}[/green underline]")
        at = e.new_end
    out.append(escape(new_text[at:]))
    return "".join(out)


@policy_app.command("diff")
@handled
def diff(
    old: Annotated[str, typer.Argument(help="document id, number or title (alone: compared with its successor)")],
    new: Annotated[str, typer.Argument(help="document id, number or title")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="print the comparison as JSON")] = False,
    full: Annotated[bool, typer.Option("--full", help="show every changed clause's text with its edits")] = False,
) -> None:
    """What changed between two documents: clauses aligned, classified, changed figures listed."""
    result = _compare_container().policy_comparer.diff(old, new)
    if as_json:
        from govqa.api.policy_compare_schemas import PolicyDiffOut

        typer.echo(PolicyDiffOut.of(result).model_dump_json(indent=2))
        return
    for doc, side in ((result.old, "old"), (result.new, "new")):
        console.print(f"[bold]{side}[/bold] {escape(doc.title)} {escape(doc.doc_number)} ({doc.id})")
    console.print("  ".join(f"{s} {result.count(s)}" for s in _STATUSES))
    for p in result.pairs:
        console.print(_pair_line(p))
        if full and p.status == "changed":
            console.print("    " + _inline(p).replace("\n", "\n    "))


def _review_lines(r: ClauseReview, show_all: bool) -> list[str]:
    first = r.clause.text[body_offset(r.clause.text) :].replace("\n", " ")
    lines = [f"[bold]{escape(r.clause.article)}[/bold] {escape(first[:50])}"]
    for m in r.matches if show_all else r.flags:
        style = {"conflict": "red", "overlap": "yellow"}.get(m.flag or "", "dim")
        evidence = "; ".join(f"{d.old or '∅'} → {d.new or '∅'}" for d in m.differences if m.flag == "conflict")
        if m.grants_differ and m.flag == "conflict":
            evidence = "; ".join(x for x in (evidence, "grants vs denies") if x)
        flag = m.flag or "near"
        lines.append(
            f"  [{style}]{flag:<8}[/{style}] {escape(m.citation)} [dim]{m.similarity:.2f}[/dim]"
            + (f"  {escape(evidence)}" if evidence else "")
        )
    return lines


@policy_app.command("review")
@handled
def review(
    draft: Annotated[Path, typer.Argument(help="the draft: a .md, .txt or .docx file", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="print the review as JSON")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="also list the near clauses that raised no flag")] = False,
) -> None:
    """Each clause of a draft beside the closest clauses of the policies in force, with overlaps
    and likely conflicts flagged (and the values that differ)."""
    c = _compare_container()
    result = c.draft_reviewer.review(c.draft_text(draft))
    if as_json:
        from govqa.api.policy_compare_schemas import DraftReviewOut

        typer.echo(DraftReviewOut.of(result).model_dump_json(indent=2))
        return
    console.print(
        f"{len(result.clauses)} clauses reviewed against the policies in force on {result.day}: "
        f"{result.count('overlap')} overlap, {result.count('conflict')} likely conflict "
        "(differing values: in force → draft)"
    )
    for r in result.clauses:
        if r.flags or show_all:
            for line in _review_lines(r, show_all):
                console.print(line)


# ---- end of comparison and draft review
