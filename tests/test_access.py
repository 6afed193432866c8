"""Internal collections: ingested with `--internal` (or named in settings), seen by operators only.

The filter itself on in-memory stores, then the whole app over real HTTP with real Qdrant and
fake models: every public route asked about the internal corpus of tests/data/internal.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.config import RateLimitSettings, Settings
from govqa.core.access import AccessPolicy, public_view
from govqa.core.types import Document, Filters, LoadedDocument
from govqa.retrieval.hybrid import HybridRetriever
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from govqa.testing.memory import memory_view
from ingest.loaders import load_path
from ingest.pipeline import IngestOptions
from tests.access_probe import INTERNAL_COLLECTION, INTERNAL_DIR, INTERNAL_IDS, MARKERS, PUBLIC, QUESTIONS, probe
from tests.servers import app_in_thread


def _entries(paths: list[Path], **changes: object) -> list[LoadedDocument]:
    out = []
    for path in paths:
        for entry in load_path(path, "default", True):
            if isinstance(entry, LoadedDocument):
                out.append(dataclasses.replace(entry, document=dataclasses.replace(entry.document, **changes)))
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".json", ".md", ".jsonl"))


@pytest.fixture(scope="module")
def mixed_view() -> object:
    """Sample corpus, the internal corpus flagged internal, and a copy of one policy in the `hr`
    collection (internal by settings only)."""
    sample = _entries([p for root in SAMPLE_PATHS for p in _files(root)])
    internal = _entries(_files(INTERNAL_DIR), internal=True)
    hr = _entries([Path(SAMPLE_PATHS[0]).parent / "policies" / "jlzf-2021-12.md"], id="hr-copy", collection="hr")
    return memory_view(sample + internal + hr, HashEmbedder(64))


def test_no_public_document_holds_an_internal_marker() -> None:
    text = "\n".join(e.document.title + e.document.text for root in SAMPLE_PATHS for e in _entries(_files(root)))
    assert [m for m in MARKERS if m in text] == []  # else the HTTP probes below would prove nothing


def test_public_view_drops_internal_documents_from_every_store(mixed_view: object) -> None:
    from govqa.core.view import IndexView

    assert isinstance(mixed_view, IndexView)
    full = mixed_view
    view = public_view(full, AccessPolicy(internal_collections=("hr",)))
    hidden = {*INTERNAL_IDS, "hr-copy"}
    assert hidden <= set(full.documents) and not hidden & set(view.documents)
    assert all(view.catalog.document(d) is None and view.catalog.chunks_of(d) == [] for d in hidden)
    assert not hidden & {d.id for d in view.catalog.documents()}
    internal_chunks = {c for d in hidden for c in full.doc_chunks[d]}
    assert internal_chunks and view.catalog.chunks(internal_chunks) == {}
    assert not internal_chunks & {cid for cid, _, _ in view.catalog.all_tokens()}
    assert "JL-GJJ-NB-901" in {i.code for i in full.items} and "JL-GJJ-NB-901" not in {i.code for i in view.items}
    assert view.item("JL-GJJ-NB-901") is None and view.graph.item_node("JL-GJJ-NB-901") == {}
    assert "JL-GJJ-NB-901" not in view.graph.siblings("JL-GJJ-TQ-002")
    assert all(str(n.get("doc_id")) not in hidden for i in view.items for n in view.graph.clauses_of(i.code))
    embedder = HashEmbedder(64)
    for doc_id in sorted(hidden):
        text = full.catalog.chunks_of(doc_id)[0].text
        vector, tokens = embedder.embed_query(text), full.tokenizer.tokenize(text)
        if doc_id != "hr-copy":  # (its text ties with the public original it copies)
            assert full.vectors.search(vector, 1, Filters())[0][0] in internal_chunks  # the full view finds it...
            assert full.lexical.search(tokens, 1)[0][0] in internal_chunks
        assert not internal_chunks & {c for c, _ in view.vectors.search(vector, 500, Filters())}  # ...not this one
        assert not internal_chunks & {c for c, _ in view.lexical.search(tokens, 500)}
        assert not internal_chunks & {c for c, _ in view.lexical.search(tokens, 500, set(internal_chunks))}
    retriever = HybridRetriever(lambda: view, embedder)
    for question in QUESTIONS:
        for filters in (Filters(), Filters(doc_types=("policy", "faq", "guide")), Filters(collections=("hr",))):
            assert {h.document.id for h in retriever.retrieve(question, 20, filters)}.isdisjoint(hidden)


def test_public_view_is_the_same_view_when_nothing_is_internal(mixed_view: object) -> None:
    from govqa.core.view import IndexView

    assert isinstance(mixed_view, IndexView)
    public = public_view(mixed_view, AccessPolicy())
    assert public is not mixed_view and public_view(public, AccessPolicy()) is public
    doc = Document(id="d", title="t", text="x", content_hash="h", collection="hr")
    assert AccessPolicy(("hr",)).is_internal(doc) and not AccessPolicy().is_internal(doc)
    assert AccessPolicy().public_filters(Filters(regions=("江临市",))) == Filters(regions=("江临市",), public_only=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, str]]:
    data = tmp_path_factory.mktemp("access") / "data"
    # The probe sends over a hundred requests at once from one address: no rate limit here.
    settings = Settings(data_dir=data, model_dir=data / "models", rate_limit=RateLimitSettings(per_minute=0))
    c = Container(settings, embedder=HashEmbedder(64), generator=ScriptedGenerator())
    assert not c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions()).failed
    options = IngestOptions(collection=INTERNAL_COLLECTION, internal=True)
    assert not c.ingest_pipeline().run([INTERNAL_DIR], options).failed
    with app_in_thread(c) as url:
        yield c, url
    c.close()


def test_internal_flag_is_stored_on_documents_and_vector_payloads(served: tuple[Container, str]) -> None:
    c, _ = served
    full = c.operator_snapshot()
    assert all(full.documents[d].internal for d in INTERNAL_IDS)
    internal_chunks = {cid for d in INTERNAL_IDS for cid in full.doc_chunks[d]}
    probe_vector = c.embedder.embed_query(full.catalog.chunks_of("jlgjj-nb-2025-07")[1].text)
    assert {cid for cid, _ in full.vectors.search(probe_vector, 500, Filters())} & internal_chunks
    assert not {cid for cid, _ in full.vectors.search(probe_vector, 500, Filters(public_only=True))} & internal_chunks
    assert c.admin.status()["internal"] == len(INTERNAL_IDS)


def test_public_routes_never_show_internal_documents(served: tuple[Container, str]) -> None:
    _, url = served
    exchanges = probe(url)
    assert len(exchanges) >= 10 + 4 * len(QUESTIONS) + 4 * (len(QUESTIONS) + len(PUBLIC))  # each route was asked
    assert all(e.status in (200, 404) for e in exchanges), [(e.route, e.status) for e in exchanges if e.status >= 500]
    assert [(e.route, e.request, e.leaks()) for e in exchanges if e.leaks()] == []
    documents = [e for e in exchanges if e.route.startswith("GET /api/v1/documents/")]
    assert [e.status for e in documents] == [404] * len(INTERNAL_IDS)
    assert httpx.get(url + "/api/v1/documents/jlzf-2021-12").status_code == 200  # public ones still open


def test_reindex_keeps_internal_documents_internal(served: tuple[Container, str]) -> None:
    c, url = served
    # Before each file kept its access, a reindex found every internal file "changed" (its ledger
    # hash holds the collection) and re-ingested it into `default`, in public.
    report = c.admin.reindex()
    assert not report.failed and {f.status for f in report.files} == {"unchanged"}
    full = c.operator_snapshot()
    assert all(full.documents[d].internal and full.documents[d].collection == INTERNAL_COLLECTION for d in INTERNAL_IDS)
    assert httpx.get(f"{url}/api/v1/documents/{INTERNAL_IDS[0]}").status_code == 404
    assert not [e for e in probe(url, QUESTIONS[:3], llm=False) if e.leaks()]


def test_admin_ingest_route_marks_uploads_internal_and_admin_still_sees_them(tmp_path: Path) -> None:
    key = "access-test-key"
    settings = Settings(data_dir=tmp_path / "data", model_dir=tmp_path / "models", admin_api_key=key)
    c = Container(settings, embedder=HashEmbedder(64), generator=ScriptedGenerator())
    auth = {"Authorization": f"Bearer {key}"}
    policy = (INTERNAL_DIR / "jlgjj-nb-2025-07.md").read_bytes()
    public = (Path(SAMPLE_PATHS[1]) / "jlzf-2021-12.md").read_bytes()
    try:
        with app_in_thread(c) as url:
            for name, body, internal in (("rules.md", policy, "true"), ("public.md", public, "false")):
                files = [("files", (name, body, "text/markdown"))]
                data = {"collection": INTERNAL_COLLECTION if internal == "true" else "default", "internal": internal}
                job = httpx.post(f"{url}/api/v1/admin/ingest", headers=auth, files=files, data=data).json()
                for _ in range(600):
                    state = httpx.get(f"{url}/api/v1/admin/jobs/{job['id']}", headers=auth).json()
                    if state["status"] in ("done", "failed"):
                        break
                    time.sleep(0.1)
                assert state["status"] == "done", state
            assert c.operator_snapshot().documents["rules"].internal
            assert httpx.get(f"{url}/api/v1/admin/status", headers=auth).json()["internal"] == 1
            hits = httpx.get(f"{url}/api/v1/search", params={"q": "白鹭稽核口令 调阅提取档案", "k": 50}).json()
            assert hits and all(h["doc_id"] == "public" for h in hits)  # the public policy still answers
            assert httpx.get(f"{url}/api/v1/documents/rules").status_code == 404
            assert httpx.delete(f"{url}/api/v1/admin/documents/rules", headers=auth).status_code == 200
    finally:
        c.close()
