"""Storage adapters: Qdrant vector index, BM25 lexical index, SQLite catalog, caches and sessions."""
