"""Retrieval legs (dense, lexical, graph), pure fusion and filters."""
