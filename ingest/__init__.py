"""Ingestion: loaders per format, cleaning, structure-aware chunking and the incremental pipeline."""
