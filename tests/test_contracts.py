from pathlib import Path

import pytest

from govqa.bootstrap import Container
from govqa.stores.qdrant_index import QdrantVectorIndex, open_client
from govqa.testing.fakes import HashEmbedder
from tests.contracts import check_embedder, check_vector_index


def test_hash_embedder_contract() -> None:
    check_embedder(HashEmbedder(64))


@pytest.mark.slow
def test_bundled_e5_embedder_contract(real_container: Container) -> None:
    check_embedder(real_container.embedder)


def test_qdrant_local_mode_contract(tmp_path: Path) -> None:
    client = open_client(tmp_path / "q")
    check_vector_index(QdrantVectorIndex(client, "chunks", 16), 16)
    client.close()
