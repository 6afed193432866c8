"""Contract checks every adapter of a seam must pass (the in-memory fakes and the real ones alike)."""

from __future__ import annotations

import dataclasses

import numpy as np

from govqa.core.ids import chunk_id, content_hash
from govqa.core.protocols import (
    CatalogWriter,
    ConcurrentEmbedder,
    ContinuationScorer,
    CuratedStore,
    Embedder,
    LexicalIndex,
    SessionStore,
    VectorIndex,
)
from govqa.core.types import Chunk, ClarifyingQuestion, DialogueState, Document, Filters, ServiceItem, Turn
from govqa.core.vocab import Slot


def check_embedder(embedder: Embedder) -> None:
    """Shapes, dtype, normalisation, determinism and that related text is closer than unrelated;
    batches embedded at once come back in order."""
    assert isinstance(embedder, Embedder)
    assert embedder.dim > 0 and embedder.model_id
    docs = embedder.embed_documents(
        ["住房公积金提取需要身份证和购房合同", "机动车驾驶证到期换证", "公积金买房提取材料"]
    )
    assert docs.shape == (3, embedder.dim) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_documents([]).shape == (0, embedder.dim)
    q = embedder.embed_query("公积金提取要什么材料")
    assert q.shape == (embedder.dim,) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-4
    assert np.allclose(embedder.embed_query("公积金提取要什么材料"), q)
    assert float(docs[0] @ q) > float(docs[1] @ q)
    if isinstance(embedder, ConcurrentEmbedder):
        texts = ["住房公积金提取需要身份证和购房合同", "机动车驾驶证到期换证", "公积金买房提取材料"]
        parts = list(embedder.embed_batches([texts[:1], texts[1:]]))
        assert [p.shape for p in parts] == [(1, embedder.dim), (2, embedder.dim)]
        assert np.allclose(np.vstack(parts), docs, atol=1e-5)


def _doc(doc_id: str, region: str) -> Document:
    return Document(
        id=doc_id, title=doc_id, text="x", content_hash=content_hash(doc_id), doc_type="guide", region=region
    )


def check_vector_index(index: VectorIndex, dim: int) -> None:
    """Upsert replaces by id, search ranks by cosine and honours filters, delete removes."""
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [
        Chunk(id=chunk_id("d", i, str(i)), doc_id=f"d{i % 2}", ordinal=i, text=str(i), start=0, end=1) for i in range(4)
    ]
    docs = [_doc(c.doc_id, "东湖区" if c.doc_id == "d0" else "西山区") for c in chunks]
    index.upsert(chunks, docs, vectors)
    index.upsert(chunks[:1], docs[:1], vectors[:1])  # idempotent
    assert index.count() == 4
    hits = index.search(vectors[2], 2, Filters())
    assert hits[0][0] == chunks[2].id and hits[0][1] > 0.99
    scaled = index.search(vectors[2] * 7.5, 2, Filters())  # scores are cosines, whatever the query's length
    assert scaled[0][0] == chunks[2].id and 0.99 < scaled[0][1] < 1.0 + 1e-4
    only_east = index.search(vectors[1], 4, Filters(regions=("东湖区",)))
    assert {cid for cid, _ in only_east} == {chunks[0].id, chunks[2].id}
    index.delete([chunks[2].id, "00000000-0000-0000-0000-000000000000"])
    assert index.count() == 3
    assert chunks[2].id not in {cid for cid, _ in index.search(vectors[2], 4, Filters())}
    index.upsert(chunks[3:], [dataclasses.replace(docs[3], internal=True)], vectors[3:])
    public = {cid for cid, _ in index.search(vectors[3], 4, Filters(public_only=True))}
    assert public == {chunks[0].id, chunks[1].id}  # the internal chunk is never retrieved publicly
    assert chunks[3].id in {cid for cid, _ in index.search(vectors[3], 4, Filters())}
    assert index.search(vectors[3], 4, Filters(exclude_collections=(docs[0].collection,))) == []


def check_continuation_scorer(scorer: ContinuationScorer) -> None:
    """Finite log-probabilities, repeatable, and the question a passage answers is the likelier reply."""
    assert isinstance(scorer, ContinuationScorer)
    system = "你是政务服务知识库的编辑。"
    user = (
        "下面是知识库里一条资料，请写出这条资料回答的市民问题。\n"
        "资料：职工购买自住住房的，可以申请提取住房公积金，需提供身份证和购房合同。"
    )
    related = scorer.continuation_logprob(system, user, "买房怎么提取住房公积金？")
    unrelated = scorer.continuation_logprob(system, user, "驾驶证到期了去哪里换证？")
    assert np.isfinite(related) and related <= 0.0
    assert related > unrelated
    assert abs(scorer.continuation_logprob(system, user, "买房怎么提取住房公积金？") - related) < 1e-4
    assert scorer.continuation_logprob(system, user, "") == 0.0
    prefixed = scorer.continuation_logprob(system, user, "买房怎么提取住房公积金？", reply_prefix="问题：")
    assert np.isfinite(prefixed) and prefixed > scorer.continuation_logprob(
        system, user, "驾驶证到期了去哪里换证？", reply_prefix="问题："
    )


def check_catalog(catalog: CatalogWriter) -> None:
    """Documents replace by id with their chunks and tokens; items, aliases, ledger and delete agree."""
    doc = _doc("guide-1", "东湖区")
    chunks = [
        Chunk(id=chunk_id(doc.id, i, t), doc_id=doc.id, ordinal=i, text=t, start=0, end=1) for i, t in enumerate("ab")
    ]
    catalog.put_document(doc, chunks, [["公积金", "提取"], ["材料"]])
    catalog.put_item(
        ServiceItem(code="X-1", name="公积金提取", department="中心", region="", source_doc=doc.id), doc.id
    )
    catalog.set_ledger("/src/a.json", "h1", [doc.id])
    catalog.commit()
    assert catalog.document(doc.id) == doc and catalog.document("nope") is None
    assert catalog.document_hash(doc.id) == doc.content_hash and catalog.document_by_hash(doc.content_hash) == doc.id
    assert [c.id for c in catalog.chunks_of(doc.id)] == [c.id for c in chunks]
    assert set(catalog.chunks([chunks[1].id, "missing"])) == {chunks[1].id}
    assert sorted(catalog.all_tokens()) == sorted(
        [(chunks[0].id, doc.id, ["公积金", "提取"]), (chunks[1].id, doc.id, ["材料"])]
    )
    catalog.put_tokens({chunks[1].id: ["申请", "材料"]})
    assert dict((cid, toks) for cid, _, toks in catalog.all_tokens())[chunks[1].id] == ["申请", "材料"]
    assert [i.code for i in catalog.items()] == ["X-1"]
    assert catalog.ledger_hash("/src/a.json") == "h1" and catalog.ledger_docs("/src/a.json") == [doc.id]
    assert catalog.ledger_paths() == ["/src/a.json"] and catalog.last_ingest() is not None
    twin = _doc("guide-2", "东湖区")
    catalog.put_document(twin, [], [])
    catalog.put_alias("guide-3", twin.id, "/src/a.json")
    assert catalog.aliases() == {"guide-3": twin.id}
    catalog.put_signature(twin.id, b"\x01" * 8, ["band-a", "band-b"])
    assert catalog.similar_candidates(["band-b", "band-z"]) == {twin.id: b"\x01" * 8}
    assert catalog.similar_candidates(["band-z"]) == {}
    assert {k: v for k, v in catalog.counts().items() if k != "aliases"} == {"documents": 2, "chunks": 2, "items": 1}
    assert sorted(catalog.delete_document(doc.id)) == sorted(c.id for c in chunks)
    assert catalog.document(doc.id) is None and catalog.chunks_of(doc.id) == [] and catalog.items() == []
    catalog.delete_document(twin.id)
    assert catalog.aliases() == {}
    catalog.drop_ledger("/src/a.json")
    assert catalog.ledger_paths() == [] and catalog.ledger_hash("/src/a.json") is None


def check_lexical_index(index: LexicalIndex) -> None:
    """Add replaces by id, search ranks matching chunks only and honours `allowed`, delete removes."""
    index.add(["a", "b", "c"], [["公积金", "提取", "租房"], ["驾驶证", "换证"], ["公积金", "贷款"]])
    index.add(["b"], [["驾驶证", "换证", "体检"]])  # replaces
    assert index.count() == 3
    hits = index.search(["公积金", "租房"], 5)
    assert [cid for cid, _ in hits][:1] == ["a"] and {cid for cid, _ in hits} == {"a", "c"}
    assert all(score > 0 for _, score in hits)
    assert index.search(["体检"], 5)[0][0] == "b"
    assert [cid for cid, _ in index.search(["公积金"], 5, allowed={"c"})] == ["c"]
    assert index.search(["不存在"], 5) == []
    index.delete(["a", "zzz"])
    assert index.count() == 2 and "a" not in {cid for cid, _ in index.search(["公积金"], 5)}


def check_session_store(store: SessionStore) -> None:
    """Unknown ids give a fresh state; a saved state (pending question, slots, lock) loads back equal;
    sessions are independent; long conversations keep their latest turns."""
    assert store.load("new") == DialogueState("new")
    state = DialogueState(
        "s1",
        turns=(Turn("公积金提取需要什么材料", "clarify", "您要办理的是哪种情形？"),),
        slots=(("scenario", "租赁住房"),),
        pending=ClarifyingQuestion("您要办理的是哪种情形？", Slot.SCENARIO, ("购买自住住房", "租赁住房")),
        pending_candidates=("JL-GJJ-TQ-001", "JL-GJJ-TQ-002"),
        pending_question="公积金提取需要什么材料",
        locked_item="JL-GJJ-TQ-002",
        locked_doc="policy-1",
        asked=1,
    )
    store.save(state)
    loaded = store.load("s1")
    assert loaded == state and loaded.pending is not None and loaded.pending.slot is Slot.SCENARIO
    assert store.load("s2") == DialogueState("s2")
    many = DialogueState("s3", turns=tuple(Turn(f"问题{i}", "answer", "答") for i in range(100)))
    store.save(many)
    kept = store.load("s3").turns
    assert 1 <= len(kept) < 100 and kept[-1] == many.turns[-1]


def check_curated_store(store: CuratedStore) -> None:
    """Add, read, update, delete; the revision changes with every write and only then."""
    start = store.revision()
    entry = store.add("公积金提取需要什么材料", "带身份证。", ["提取公积金要带什么"])
    assert store.revision() != start and store.get(entry.id) == entry
    assert entry.questions == ("公积金提取需要什么材料", "提取公积金要带什么")
    seen = store.revision()
    assert store.revision() == seen
    updated = store.update(entry.id, "公积金提取要什么材料", "带身份证和合同。", [])
    assert updated is not None and updated.answer == "带身份证和合同。" and updated.paraphrases == ()
    assert store.revision() != seen and [e.id for e in store.all()] == [entry.id]
    assert store.update(entry.id + 100, "x", "y", []) is None
    assert store.delete(entry.id) and not store.delete(entry.id) and store.get(entry.id) is None
