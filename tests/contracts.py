"""Contract checks every adapter of a seam must pass (the fakes and the real ones alike)."""

from __future__ import annotations

import numpy as np

from govqa.core.ids import chunk_id, content_hash
from govqa.core.protocols import ContinuationScorer, Embedder, VectorIndex
from govqa.core.types import Chunk, Document, Filters


def check_embedder(embedder: Embedder) -> None:
    """Shapes, dtype, normalisation, determinism and that related text is closer than unrelated."""
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


def check_continuation_scorer(scorer: ContinuationScorer) -> None:
    """Finite log-probabilities, repeatable, and the question a passage answers is the likelier reply."""
    assert isinstance(scorer, ContinuationScorer)
    system = "你是政务服务知识库的编辑。"
    user = "下面是知识库里一条资料，请写出这条资料回答的市民问题。\n资料：职工购买自住住房的，可以申请提取住房公积金，需提供身份证和购房合同。"
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
