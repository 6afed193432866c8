"""Runners: retrieval, linking, dialogue and answers, each returning a JSON-able result."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.datasets import AnswerCheck, ClauseLabel, DialogueCase, Mention, RetrievalCase
from eval.metrics import dedupe, hit_at_k, key_fact_recall, percentile, prf, retrieval_summary
from govqa.bootstrap import Container
from govqa.core.types import Answer, ClarifyingQuestion, Filters
from govqa.dialogue.routes import Generate
from govqa.service import AnswerService

SYSTEMS = ("dense", "bm25", "graph", "hybrid", "rerank", "llamaindex")
_HYBRID = ("dense", "bm25", "graph", "exact")
_LEGS = {
    "dense": ("dense",),
    "bm25": ("bm25",),
    "graph": ("graph",),
    "hybrid": _HYBRID,
    "rerank": _HYBRID,  # the hybrid, then the LLM reranker
}


@dataclass
class SystemRun:
    """Per-question rankings and latencies of one system."""

    name: str
    doc_rankings: list[list[str]] = field(default_factory=list)
    clause_rankings: list[list[str]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    context_chars: list[int] = field(default_factory=list)


def _clause_key(doc_id: str, label: str) -> str:
    return f"{doc_id}#{label.split(' > ')[-1]}" if label else doc_id


def _search_fn(container: Container, system: str, depth: int) -> Callable[[str], list[tuple[str, str, str]]]:
    """A function question -> [(doc_id, clause label, text)] for the named system."""
    if system == "llamaindex":
        from eval.baselines.llamaindex import LlamaIndexBaseline

        baseline = LlamaIndexBaseline(container.snapshot().documents.values(), container.embedder)
        return lambda q: [(d, "", t) for d, t in baseline.retrieve(q, depth)]
    retriever = container.retriever(_LEGS[system], rerank=system == "rerank")
    return lambda q: [(h.document.id, h.chunk.label, h.chunk.text) for h in retriever.retrieve(q, depth, Filters())]


def run_retrieval(
    container: Container,
    cases: Sequence[RetrievalCase],
    systems: Sequence[str],
    k: int = 10,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Rank documents (and clauses) per system; summary metrics per dataset and per system."""
    # A gold document recorded as a (near-)duplicate alias is found through its canonical twin.
    canonical = container.snapshot().catalog.aliases()
    cases = [
        dataclasses.replace(c, gold_docs=tuple(dict.fromkeys(canonical.get(g, g) for g in c.gold_docs))) for c in cases
    ]
    runs: dict[str, SystemRun] = {}
    for system in systems:
        search = _search_fn(container, system, depth=k * 3)
        search("预热")  # first call loads lazily built helpers; not part of the latency
        container.embedder.clear_query_cache()  # each system embeds the questions afresh
        run = SystemRun(system)
        for i, case in enumerate(cases):
            t0 = time.perf_counter()
            hits = search(case.question)
            run.latencies_ms.append((time.perf_counter() - t0) * 1000)
            run.doc_rankings.append(dedupe(d for d, _, _ in hits)[:k])
            run.clause_rankings.append(dedupe(_clause_key(d, label) for d, label, _ in hits)[:k])
            run.context_chars.append(sum(len(t) for _, _, t in hits[:k]))
            if progress:
                progress(system, i + 1, len(cases))
        runs[system] = run
    return summarise_retrieval(cases, runs)


def summarise_retrieval(cases: Sequence[RetrievalCase], runs: dict[str, SystemRun]) -> dict[str, Any]:
    """Metrics per system and dataset, latency percentiles and per-question failures."""
    datasets = sorted({c.dataset for c in cases})
    out: dict[str, Any] = {"systems": {}, "failures": {}}
    for name, run in runs.items():
        per: dict[str, Any] = {}
        for ds in [*datasets, "all"]:
            idx = [i for i, c in enumerate(cases) if ds in ("all", c.dataset)]
            golds = [set(cases[i].gold_docs) for i in idx]
            per[ds] = retrieval_summary([run.doc_rankings[i] for i in idx], golds)
            per[ds]["n"] = len(idx)
            clause_idx = [i for i in idx if cases[i].article]
            if clause_idx and name != "llamaindex":  # its nodes carry no article labels
                per[ds]["clause"] = retrieval_summary(
                    [run.clause_rankings[i] for i in clause_idx],
                    [{f"{g}#{cases[i].article}" for g in cases[i].gold_docs} for i in clause_idx],
                )
        per["latency_ms"] = {
            "p50": percentile(run.latencies_ms, 50),
            "p95": percentile(run.latencies_ms, 95),
            "max": max(run.latencies_ms),
        }
        per["context_chars_top10_mean"] = sum(run.context_chars) / len(run.context_chars)
        golds = [set(c.gold_docs) for c in cases]
        per["hit_curve"] = [
            sum(hit_at_k(r, g, k) for r, g in zip(run.doc_rankings, golds)) / len(cases) for k in range(1, 11)
        ]
        out["systems"][name] = per
        out["failures"][name] = [
            {
                "id": c.id,
                "dataset": c.dataset,
                "question": c.question,
                "gold": list(c.gold_docs),
                "article": c.article,
                "got": run.doc_rankings[i][:3],
                "got_clause": run.clause_rankings[i][:3] if c.article else [],
            }
            for i, c in enumerate(cases)
            if not (set(run.doc_rankings[i][:1]) & set(c.gold_docs))
            or (c.article and not {f"{g}#{c.article}" for g in c.gold_docs} & set(run.clause_rankings[i][:1]))
        ]
    return out


def run_linking(container: Container, mentions: Sequence[Mention]) -> dict[str, Any]:
    """Top-1 and top-3 item accuracy of the alias linker."""
    linker = container.retriever().linker()
    top1 = top3 = 0
    failures = []
    for m in mentions:
        ranked = [c.code for c in linker.candidates(m.mention, k=3)]
        gold = set(m.item_codes)
        top1 += bool(set(ranked[:1]) & gold)
        top3 += bool(set(ranked[:3]) & gold)
        if not set(ranked[:1]) & gold:
            failures.append({"mention": m.mention, "gold": sorted(gold), "got": ranked})
    n = len(mentions)
    return {"summary": {"n": n, "top1": top1 / n, "top3": top3 / n}, "failures": failures}


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What the service did on one scripted turn."""

    case: str
    kind: str
    turn: int
    topic: int  # topics end with each turn expected to be answered
    user: str
    expected: str
    asked: bool
    slot: str
    gold: bool | None  # for an answer turn with a gold item or docs: whether the reply has them
    all_cited: bool | None  # for an all_docs turn: whether every gold doc is cited
    seconds: float
    reply: str


def _play(service: AnswerService, cases: Sequence[DialogueCase], prefix: str) -> list[TurnResult]:
    """Every turn of every case, in order, each case in its own session."""
    rows = []
    for case in cases:
        session = f"{prefix}-{case.id}-{time.time_ns()}"
        topic = 0
        for t, turn in enumerate(case.turns):
            route = service.route(session, turn.user)
            t0 = time.perf_counter()
            reply = service.handle(session, turn.user)
            seconds = time.perf_counter() - t0
            asked = isinstance(reply, ClarifyingQuestion)
            gold = all_cited = None
            if turn.has_gold:
                codes = set(reply.item_codes) if isinstance(reply, Answer) else set()
                cited = {c.doc_id for c in reply.citations} if isinstance(reply, Answer) else set()
                if isinstance(route, Generate) and route.evidence and not cited:
                    # Decisions are scored, not the scripted generator's text: a generated answer
                    # is credited with the best document it was given.
                    cited = {route.evidence[0].document.id}
                gold = not asked and bool(({turn.item} & (codes | cited)) if turn.item else set(turn.docs) & cited)
                if turn.all_docs:
                    all_cited = not asked and set(turn.docs) <= cited
            slot = str(reply.slot) if isinstance(reply, ClarifyingQuestion) else ""
            rows.append(
                TurnResult(
                    case.id,
                    case.kind,
                    t,
                    topic,
                    turn.user,
                    turn.expect,
                    asked,
                    slot,
                    gold,
                    all_cited,
                    seconds,
                    reply.text,
                )
            )
            if turn.expect != "ask":
                topic += 1
    return rows


def _dialogue_summary(rows: Sequence[TurnResult]) -> dict[str, Any]:
    """Per-turn ask precision/recall, over-asking, lock accuracy; per-topic resolution."""
    tp = sum(r.asked and r.expected == "ask" for r in rows)
    fp = sum(r.asked and r.expected != "ask" for r in rows)
    fn = sum(not r.asked and r.expected == "ask" for r in rows)
    answer_turns = [r for r in rows if r.expected != "ask"]
    golds = [r for r in rows if r.gold is not None]
    topics: dict[tuple[str, int], list[TurnResult]] = {}
    for r in rows:
        topics.setdefault((r.case, r.topic), []).append(r)
    resolved = []
    turns_to_answer = []
    for turns in topics.values():
        last = turns[-1]
        first_answer = next((r for r in turns if not r.asked), None)
        if first_answer is not None:
            turns_to_answer.append(first_answer.turn - turns[0].turn + 1)
        if last.expected != "ask" and last.gold is not None:
            # The topic's resolution: the first answer the service gave in it, wherever that was.
            ok = first_answer is not None and (first_answer.gold if first_answer is last else False)
            resolved.append(bool(ok))
    all_docs = [r.all_cited for r in rows if r.all_cited is not None]
    asks = [r.seconds for r in rows if r.asked]
    return {
        "cases": len({r.case for r in rows}),
        "turns": len(rows),
        "ask": prf(tp, fp, fn),
        "over_asking_rate": sum(r.asked for r in answer_turns) / len(answer_turns) if answer_turns else 0.0,
        "lock_accuracy": sum(bool(r.gold) for r in golds) / len(golds) if golds else None,
        "topic_resolution_accuracy": sum(resolved) / len(resolved) if resolved else None,
        "topics_scored": len(resolved),
        "mean_turns_to_answer": sum(turns_to_answer) / len(turns_to_answer) if turns_to_answer else 0.0,
        "all_docs_cited": sum(all_docs) / len(all_docs) if all_docs else None,
        "clarify_seconds_p50": percentile(asks, 50) if asks else None,
    }


def _turn_problem(r: TurnResult, slot: str) -> str:
    if r.asked != (r.expected == "ask"):
        return f"expected {r.expected}, got {'ask' if r.asked else 'answer'}"
    return "wrong lock or citation" if r.gold is False else f"asked about {r.slot}, expected {slot}"


def run_dialogue(
    service: AnswerService, cases: Sequence[DialogueCase], never_ask: AnswerService | None = None
) -> dict[str, Any]:
    """Every turn scored (follow-ups included), per kind, next to a never-ask run of the same cases.

    A topic ends with each turn expected to be answered; it is resolved when the first answer the
    service gives in it is that turn's and has its gold item or documents. For the never-ask run,
    that first answer is the reply to the topic's first message, as for a system that always
    guesses."""
    rows = _play(service, cases, "eval")
    slots = {(c.id, i): t.slot for c in cases for i, t in enumerate(c.turns)}
    out: dict[str, Any] = {
        "summary": _dialogue_summary(rows),
        "by_kind": {k: _dialogue_summary([r for r in rows if r.kind == k]) for k in sorted({r.kind for r in rows})},
    }
    if never_ask is not None:
        base = _play(never_ask, cases, "never-ask")
        out["never_ask"] = _dialogue_summary(base)
        out["never_ask_by_kind"] = {
            k: _dialogue_summary([r for r in base if r.kind == k]) for k in sorted({r.kind for r in base})
        }
    out["failures"] = [
        {
            "case": r.case,
            "kind": r.kind,
            "turn": r.turn,
            "user": r.user,
            "problem": _turn_problem(r, slots[r.case, r.turn]),
            "reply": r.reply[:160],
        }
        for r in rows
        if r.asked != (r.expected == "ask")
        or r.gold is False
        or (r.asked and slots[r.case, r.turn] and r.slot != slots[r.case, r.turn])
    ]
    return out


def unsupported_sentences(reply: Answer, chunk_text: Callable[[str], str]) -> list[str]:
    """Sentences of a reply, marked with [n], that the cited chunk does not support."""
    from govqa.generation.verify import MARKER, split_sentences, supports

    by_marker = {c.marker: chunk_text(c.chunk_id) for c in reply.citations}
    bad = []
    for sentence in split_sentences(reply.text):
        cited = [by_marker[int(m)] for m in MARKER.findall(sentence) if int(m) in by_marker]
        body = MARKER.sub("", sentence).strip()
        if cited and len(body) >= 4 and not any(supports(body, f"{text}") for text in cited):
            bad.append(sentence)
    return bad


def run_answers(
    service: AnswerService, checks: Sequence[AnswerCheck], chunk_text: Callable[[str], str] = lambda cid: ""
) -> dict[str, Any]:
    """Key-fact recall, refusal accuracy, citation precision, forbidden text and unsupported sentences,
    overall, per check kind and per answer mode. A reply with any citation counts as not refused."""
    rows: list[dict[str, Any]] = []
    for check in checks:
        session = f"eval-{check.id}-{time.time_ns()}"
        for turn in check.setup:
            service.handle(session, turn)
        t0 = time.perf_counter()
        reply = service.handle(session, check.question)
        seconds = time.perf_counter() - t0
        asked = isinstance(reply, ClarifyingQuestion)
        citations = () if asked else reply.citations  # type: ignore[union-attr]
        refused = not citations
        recall = 1.0 if check.expect_refusal and refused else key_fact_recall(reply.text, check.key_facts)
        # Validity answers state a document's metadata (废止日期, successor), which no chunk's text holds.
        checkable = not asked and reply.mode != "validity"  # type: ignore[union-attr]
        unsupported = unsupported_sentences(reply, chunk_text) if checkable else []  # type: ignore[arg-type]
        rows.append(
            {
                "id": check.id,
                "kind": check.kind,
                "question": check.question,
                "mode": "clarify" if asked else (reply.mode or "answer"),  # type: ignore[union-attr]
                "refused": refused,
                "refusal_ok": refused == check.expect_refusal,
                "key_fact_recall": recall,
                "cited": [c.doc_id for c in citations],
                "cited_ok": sum(c.doc_id in check.source_ids for c in citations),
                "forbidden": [f for f in check.forbidden if f in reply.text],
                "unsupported": unsupported,
                "seconds": seconds,
                "answer": reply.text[:300],
            }
        )
    return {
        "summary": _answer_summary(rows),
        "by_kind": {k: _answer_summary([r for r in rows if r["kind"] == k]) for k in sorted({r["kind"] for r in rows})},
        "by_mode": {m: _answer_summary([r for r in rows if r["mode"] == m]) for m in sorted({r["mode"] for r in rows})},
        "failures": [
            {
                k: r[k]
                for k in (
                    "id",
                    "kind",
                    "question",
                    "mode",
                    "refused",
                    "key_fact_recall",
                    "cited",
                    "forbidden",
                    "unsupported",
                    "answer",
                )
            }
            for r in rows
            if not r["refusal_ok"] or r["key_fact_recall"] < 1.0 or r["forbidden"] or r["unsupported"]
        ],
        "rows": rows,
    }


def _answer_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    cited = sum(len(r["cited"]) for r in rows)
    seconds = [r["seconds"] for r in rows]
    return {
        "n": n,
        "key_fact_recall": sum(r["key_fact_recall"] for r in rows) / n if n else 0.0,
        "refusal_accuracy": sum(r["refusal_ok"] for r in rows) / n if n else 0.0,
        "citation_precision": sum(r["cited_ok"] for r in rows) / cited if cited else 1.0,
        "forbidden_shown": sum(bool(r["forbidden"]) for r in rows),
        "replies_with_unsupported_sentence": sum(bool(r["unsupported"]) for r in rows),
        "latency_s": {"p50": percentile(seconds, 50), "p95": percentile(seconds, 95)} if seconds else {},
    }


def run_clauses(container: Container, labels: Sequence[ClauseLabel]) -> dict[str, Any]:
    """Share of labelled articles whose chunk (labelled with that article) holds the article's words,
    and share that are one chunk only (not cut in half)."""
    snap = container.snapshot()
    found = whole = 0
    failures = []
    for label in labels:
        chunks = [c for c in snap.catalog.chunks_of(label.doc_id) if c.section and c.section[-1] == label.article]
        text = "".join(c.text for c in chunks).replace("\n", "")
        ok = bool(chunks) and "".join(label.snippet.split()) in "".join(text.split())
        found += ok
        whole += ok and len(chunks) == 1
        if not ok:
            failures.append(
                {
                    "doc_id": label.doc_id,
                    "article": label.article,
                    "snippet": label.snippet,
                    "chunks_with_label": len(chunks),
                }
            )
    n = len(labels)
    return {
        "summary": {"n": n, "labelled_correctly": found / n if n else 0.0, "single_chunk": whole / n if n else 0.0},
        "failures": failures,
    }
