"""Embedder and generator adapters: bundled defaults and operator-provided backends."""
