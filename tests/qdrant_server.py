"""The Qdrant server the server-mode tests run against, named by GOVQA_TEST_QDRANT_URL."""

from __future__ import annotations

import os
import uuid

import pytest
from qdrant_client import QdrantClient, models

from govqa.stores.qdrant_index import ServerConfig

URL_VAR = "GOVQA_TEST_QDRANT_URL"
NO_SERVER = (
    f"{URL_VAR} is not set, so there is no Qdrant server to test against. None can be started on this "
    "machine: no PyPI or npm package ships the Qdrant server binary and there is no container engine. "
    f"Start one (docker run -p 6333:6333 qdrant/qdrant) and set {URL_VAR}=http://127.0.0.1:6333"
)


def server_config() -> ServerConfig:
    """The test server's settings (api key from GOVQA_TEST_QDRANT_API_KEY), or skip with the reason."""
    url = os.environ.get(URL_VAR, "")
    if not url:
        pytest.skip(NO_SERVER)
    return ServerConfig(url=url, api_key=os.environ.get("GOVQA_TEST_QDRANT_API_KEY", ""), timeout=30)


def unique_prefix() -> str:
    """A collection prefix no other test run uses, so runs sharing a server never collide."""
    return f"govqa_test_{uuid.uuid4().hex[:12]}"


def drop_prefixed(client: QdrantClient, prefix: str) -> None:
    """Remove the aliases and collections a test made under its prefix."""
    mine = [a.alias_name for a in client.get_aliases().aliases if a.alias_name.startswith(prefix)]
    if mine:
        client.update_collection_aliases(
            change_aliases_operations=[
                models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=a)) for a in mine
            ]
        )
    for collection in client.get_collections().collections:
        if collection.name.startswith(prefix):
            client.delete_collection(collection.name)
