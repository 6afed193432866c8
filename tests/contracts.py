"""Contract checks every adapter of a seam must pass (the fakes and the real ones alike)."""

from __future__ import annotations

import numpy as np

from govqa.core.ids import chunk_id, content_hash
from govqa.core.protocols import Embedder, VectorIndex
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
    only_east = index.search(vectors[1], 4, Filters(regions=("东湖区",)))
    assert {cid for cid, _ in only_east} == {chunks[0].id, chunks[2].id}
    index.delete([chunks[2].id, "00000000-0000-0000-0000-000000000000"])
    assert index.count() == 3
    assert chunks[2].id not in {cid for cid, _ in index.search(vectors[2], 4, Filters())}
