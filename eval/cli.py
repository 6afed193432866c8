"""`govqa eval …`: run a runner, write JSON + Markdown (+ PNG) under --out, print a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from govqa.cli_render import handled

if TYPE_CHECKING:
    from govqa.bootstrap import Container

app = typer.Typer(help="Evaluate retrieval, linking, dialogue and answers; reports go to --out.", no_args_is_help=True)
console = Console(stderr=True)
OUT = Annotated[Path, typer.Option("--out", help="folder for the JSON, Markdown and PNG results")]
DATA_DIR = Annotated[
    Path | None,
    typer.Option("--data-dir", help="the index to measure (default: GOVQA_DATA_DIR); never changed unless asked"),
]
DEFAULT_OUT = Path("eval/results")


def _prepare(
    data_dir: Path | None,
    corpus: list[Path] | None,
    untitled: tuple[str, ...],
    committed: bool,
    types: tuple[str, ...] = (),
    generator: object | None = None,
    extra: tuple[Path, ...] = (),
) -> Container:
    """The container an evaluation measures, after ingesting only what it was told to.

    `--corpus` files are ingested (incrementally) into the data directory. The committed sets are
    about the bundled sample corpus, so for them the sample corpus is ingested, but only into a data
    directory that is empty or already holds nothing else: an evaluation never mixes the sample
    guides into an operator's index. A dataset file given without `--corpus` is measured on the
    index as it is. `extra` (committed sets only) are eval-only sources ingested beside the
    sample. Either way the index measured is printed.
    """
    # Imported here so that `govqa --help` and `govqa serve` start without loading numpy first.
    from eval.datasets import INJECTION_CORPUS
    from govqa.bootstrap import SAMPLE_CORPUS, SAMPLE_PATHS, Container
    from govqa.config import Settings
    from govqa.core.errors import InvalidInputError
    from ingest.pipeline import IngestOptions, parse_collection_types

    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    c = Container(settings, generator=generator)  # type: ignore[arg-type]
    paths = list(corpus or [])
    if not paths and committed:
        sources = c.admin.source_paths() if c.layout.current() is not None else []
        ours = (SAMPLE_CORPUS.resolve(), INJECTION_CORPUS.resolve())
        others = [p for p in sources if not any(p.is_relative_to(root) for root in ours)]
        if others:
            raise InvalidInputError(
                f"the committed evaluation sets are about the sample corpus, but {c.layout.root} also holds "
                f"{len(others)} other source(s) (e.g. {others[0]}): give --data-dir an empty directory "
                "(the sample corpus is ingested there) or pass your own dataset file"
            )
        paths = [*SAMPLE_PATHS, *extra]
    if paths:
        options = IngestOptions(untitled_collections=untitled, collection_types=parse_collection_types(types))
        report = c.ingest_pipeline().run(paths, options)
        if report.failed:
            console.print(
                f"[yellow]{len(report.failed)} source file(s) failed to ingest; see the ingest report[/yellow]"
            )
    status = c.admin.status()
    if not status["indexed"]:
        raise InvalidInputError(f"nothing is indexed in {c.layout.root}: pass --corpus FILE or --data-dir")
    console.print(
        f"measuring {c.layout.root} ({status['generation']}): {status['documents']} documents, "
        f"{status['chunks']} chunks from {status['sources']} source file(s)"
        + (f"; titles not indexed for {', '.join(untitled)}" if untitled else "")
    )
    return c


def _finish(
    data: dict[str, Any], out: Path, name: str, markdown: str, as_json: bool, summary: Any, compare_with: Path | None
) -> None:
    from eval.report import compare, write

    path = write(out, name, data, markdown)
    if compare_with is not None:
        for line in compare(data, json.loads(compare_with.read_text(encoding="utf-8"))):
            console.print(line)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        console.print_json(json.dumps(summary, ensure_ascii=False))
        console.print(f"report: {path.with_suffix('.md')}")


@app.command()
@handled
def retrieval(
    qa: Annotated[Path | None, typer.Option(help="QA JSONL (question, source_ids); default: the sample set")] = None,
    corpus: Annotated[list[Path] | None, typer.Option(help="ingest these first (incremental)")] = None,
    k: Annotated[int, typer.Option(min=1, max=50)] = 10,
    legs: Annotated[
        str, typer.Option(help="systems: dense,bm25,graph,hybrid,rerank (hybrid + LLM reranker),llamaindex")
    ] = "dense,bm25,hybrid",
    dataset: Annotated[list[str] | None, typer.Option(help="only these datasets (repeatable)")] = None,
    limit: Annotated[int | None, typer.Option(help="first N questions per dataset")] = None,
    sample: Annotated[int | None, typer.Option(min=1, help="a seeded random N questions per dataset")] = None,
    seed: Annotated[int, typer.Option(help="seed of --sample")] = 0,
    untitled: Annotated[list[str] | None, typer.Option("--untitled-collection")] = None,
    types: Annotated[list[str] | None, typer.Option("--collection-type", help="NAME=TYPE, as for ingest")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Document- and clause-level hit@k, MRR@10, nDCG@10 and latency per system."""
    from eval.datasets import SAMPLE_RETRIEVAL, load_retrieval
    from eval.report import envelope, plot_retrieval, retrieval_markdown
    from eval.runners import SYSTEMS, run_retrieval

    systems = [s.strip() for s in legs.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise typer.BadParameter(f"unknown systems {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    untitled_t = tuple(untitled or ())
    c = _prepare(data_dir, corpus, untitled_t, committed=qa is None, types=tuple(types or ()))
    if limit is not None and sample is not None:
        raise typer.BadParameter("give --limit or --sample, not both")
    cases = load_retrieval(qa or SAMPLE_RETRIEVAL, tuple(dataset or ()), limit, sample, seed)
    result = run_retrieval(c, cases, systems, k)
    params = {
        "qa": str(qa or SAMPLE_RETRIEVAL),
        "k": k,
        "systems": systems,
        "datasets": dataset,
        "limit": limit,
        "sample": sample,
        "seed": seed,
        "questions": len(cases),
        "untitled_collections": list(untitled_t),
    }
    data = envelope("retrieval", c, params, result)
    out.mkdir(parents=True, exist_ok=True)
    plot_retrieval(data, out)
    summary = {
        name: {
            ds: {m: v for m, v in row.items() if m in ("hit@1", "hit@5", "hit@10", "mrr@10", "n", "clause")}
            for ds, row in per.items()
            if isinstance(row, dict) and "n" in row
        }
        | {"latency_ms": per["latency_ms"]}
        for name, per in data["systems"].items()
    }
    _finish(data, out, "retrieval", retrieval_markdown(data), as_json, summary, compare_with)


@app.command()
@handled
def linking(
    mentions: Annotated[Path | None, typer.Option(help="mentions JSONL; default: the sample set")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Top-1 / top-3 accuracy of mention -> service item."""
    from eval.datasets import SAMPLE_MENTIONS, load_mentions
    from eval.report import envelope, generic_markdown
    from eval.runners import run_linking

    c = _prepare(data_dir, None, (), committed=mentions is None)
    data = envelope(
        "linking",
        c,
        {"mentions": str(mentions or SAMPLE_MENTIONS)},
        run_linking(c, load_mentions(mentions or SAMPLE_MENTIONS)),
    )
    _finish(data, out, "linking", generic_markdown("Entity linking", data), as_json, data["summary"], compare_with)


@app.command()
@handled
def dialogue(
    cases: Annotated[Path | None, typer.Option(help="dialogue JSONL; default: the sample set")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Every turn scored: ask precision/recall, over-asking, lock accuracy, topic resolution and turns
    to an answer, next to a never-ask run of the same cases.

    Only decisions are scored, so open answers come from a scripted generator (no LLM time).
    """
    from eval.datasets import SAMPLE_DIALOGUES, load_dialogues
    from eval.report import envelope, generic_markdown
    from eval.runners import run_dialogue
    from govqa.config import DialogueSettings
    from govqa.testing.fakes import ScriptedGenerator

    c = _prepare(data_dir, None, (), committed=cases is None, generator=ScriptedGenerator())
    data = envelope(
        "dialogue",
        c,
        {"cases": str(cases or SAMPLE_DIALOGUES)},
        run_dialogue(
            c.answer_service,
            load_dialogues(cases or SAMPLE_DIALOGUES),
            never_ask=c.build_answer_service(DialogueSettings(max_questions=0)),
        ),
    )
    _finish(data, out, "dialogue", generic_markdown("Dialogue", data), as_json, data["summary"], compare_with)


@app.command()
@handled
def answers(
    qa: Annotated[Path | None, typer.Option(help="answer checks JSONL; default: the sample set")] = None,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Key-fact recall, refusal accuracy, citation precision with the configured (real) LLM."""
    from eval.datasets import INJECTION_CORPUS, SAMPLE_ANSWERS, load_answer_checks
    from eval.report import envelope, generic_markdown
    from eval.runners import run_answers

    # The committed checks of kind injection_document read the eval-only injected documents too.
    c = _prepare(data_dir, None, (), committed=qa is None, extra=(INJECTION_CORPUS,))
    checks = load_answer_checks(qa or SAMPLE_ANSWERS)[:limit]

    def chunk_text(chunk_id: str) -> str:
        chunk = c.snapshot().catalog.chunks([chunk_id]).get(chunk_id)
        return chunk.text if chunk else ""

    data = envelope(
        "answers",
        c,
        {"qa": str(qa or SAMPLE_ANSWERS), "limit": limit},
        run_answers(c.answer_service, checks, chunk_text),
    )
    _finish(data, out, "answers", generic_markdown("Answers", data), as_json, data["summary"], compare_with)


@app.command()
@handled
def clauses(
    labels: Annotated[
        Path | None, typer.Option(help="clause labels JSONL (or dev_qa.jsonl); default: the sample set")
    ] = None,
    corpus: Annotated[list[Path] | None, typer.Option(help="ingest these first (incremental)")] = None,
    untitled: Annotated[list[str] | None, typer.Option("--untitled-collection")] = None,
    types: Annotated[list[str] | None, typer.Option("--collection-type", help="NAME=TYPE, as for ingest")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Clause-aware chunking: is each labelled article one chunk, labelled with its article?"""
    from eval.datasets import SAMPLE_CLAUSES, load_clause_labels
    from eval.report import envelope, generic_markdown
    from eval.runners import run_clauses

    c = _prepare(data_dir, corpus, tuple(untitled or ()), committed=labels is None, types=tuple(types or ()))
    data = envelope(
        "clauses",
        c,
        {"labels": str(labels or SAMPLE_CLAUSES)},
        run_clauses(c, load_clause_labels(labels or SAMPLE_CLAUSES)),
    )
    _finish(data, out, "clauses", generic_markdown("Clause labels", data), as_json, data["summary"], compare_with)


@app.command("clause-types")
@handled
def clause_types(
    labelled: Annotated[
        Path | None, typer.Option("--set", help="labelled clauses JSONL; default: eval/data/clause_types.jsonl")
    ] = None,
    labellers: Annotated[
        list[str] | None, typer.Option("--labeller", help="rules, llm or combined (repeatable; default all three)")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="JSONL corpus for documents not in the sample corpus (real-world laws)")
    ] = None,
    show_mistakes: Annotated[
        bool, typer.Option("--mistakes", help="print the dev split's mistakes (never the test split's)")
    ] = False,
    llm_sample: Annotated[
        int,
        typer.Option(
            "--llm-sample", min=0, help="LLM-only labeller: at most N clauses per split, evenly spread (0 = all)"
        ),
    ] = 0,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Clause typing and attributes: type accuracy, attribute exact match and confusion, per labeller
    and split (the LLM's decisions are cached in the data directory, so a rerun is quick)."""
    from eval.clause_labels import evaluate, locate, mistakes, spread
    from eval.clause_set import CLAUSE_SET, REALWORLD_CORPUS, load_clause_set
    from govqa.bootstrap import Container
    from govqa.config import Settings
    from govqa.core.errors import InvalidInputError

    names = labellers or ["rules", "llm", "combined"]
    if bad := [n for n in names if n not in ("rules", "llm", "combined")]:
        raise InvalidInputError(f"unknown labeller {bad[0]!r}: use rules, llm or combined")
    gold = load_clause_set(labelled or CLAUSE_SET)
    located = locate(gold, corpus or REALWORLD_CORPUS)
    c = Container(Settings(data_dir=data_dir) if data_dir is not None else Settings())
    results: dict[str, Any] = {}
    for name in names:
        labeller = c.clause_labeller(name)  # type: ignore[arg-type]
        measured = spread(located, llm_sample) if name == "llm" and llm_sample else located
        results[name] = evaluate(measured, labeller)
        if show_mistakes:
            for line in mistakes(located, c.clause_labeller(name), "dev"):  # type: ignore[arg-type]
                console.print(line)
    summary = {
        "set": str(labelled or CLAUSE_SET),
        "clauses": len(gold),
        "measured": len(located),
        "labellers": results,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "clause_types.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    for name, splits in results.items():
        for split, r in splits.items():
            console.print(
                f"{name:9s} {split:5s} n={r['clauses']:4d} type={r['type_accuracy']} "
                f"attr_em={r['attribute_exact_match']} (pairs {r['attribute_pairs']}) llm={r['typed_by_llm']} "
                f"rules_unsure={r['rules_unsure']}"
            )
    console.print(f"report: {out / 'clause_types.json'}")


@app.command()
@handled
def review(
    draft: Annotated[Path | None, typer.Option(help="draft (.md/.txt/.docx); default: the sample draft")] = None,
    expected: Annotated[Path | None, typer.Option(help="planted flags JSON; default: the sample's")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Draft review against planted flags: recall, precision, false flags per 10 clauses."""
    from eval.policy_review import SAMPLE_DRAFT, SAMPLE_EXPECTED, load_expected, score
    from eval.report import envelope, generic_markdown

    if (draft is None) != (expected is None):
        raise typer.BadParameter("give --draft and --expected together, or neither for the sample set")
    c = _prepare(data_dir, None, (), committed=draft is None)
    result = c.draft_reviewer.review(c.draft_text(draft or SAMPLE_DRAFT))
    scored = score(result, load_expected(expected or SAMPLE_EXPECTED))
    data = envelope(
        "review",
        c,
        {"draft": str(draft or SAMPLE_DRAFT), "expected": str(expected or SAMPLE_EXPECTED), "day": str(result.day)},
        {"summary": scored.summary()},
    )
    _finish(data, out, "review", generic_markdown("Draft review", data), as_json, data["summary"], compare_with)


@app.command()
@handled
def brief(
    topics: Annotated[Path | None, typer.Option(help="topic checks JSON; default: the sample's")] = None,
    out: OUT = DEFAULT_OUT,
    data_dir: DATA_DIR = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare_with: Annotated[Path | None, typer.Option("--compare")] = None,
) -> None:
    """Topic briefs against what they must hold: policies, figures, documents set apart, verbatim
    sentences, latency (first call on an open index, then the median of the others)."""
    import datetime as dt
    import functools

    from eval.policy_brief import SAMPLE_TOPICS, check, failures, load_topics, summary, timed
    from eval.report import envelope, generic_markdown
    from govqa.policy.clauses import clauses_from_chunks
    from govqa.policy.types import Clause

    c = _prepare(data_dir, None, (), committed=topics is None)
    snap = c.snapshot()

    def clauses(doc_id: str) -> dict[str, Clause]:
        doc = snap.documents[doc_id]
        return {cl.article: cl for cl in clauses_from_chunks(doc_id, snap.catalog.chunks_of(doc_id), doc.text)}

    rows = []
    for t in load_topics(topics or SAMPLE_TOPICS):
        result, ms = timed(functools.partial(c.policy.brief, t.topic, dt.date.fromisoformat(t.on)))
        rows.append(check(result, t, clauses, ms))
    data = envelope(
        "brief",
        c,
        {"topics": str(topics or SAMPLE_TOPICS)},
        {"summary": summary(rows), "rows": rows, "failures": failures(rows)},
    )
    _finish(data, out, "brief", generic_markdown("Topic brief", data), as_json, data["summary"], compare_with)
