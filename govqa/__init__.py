"""GovQA: offline question answering over government service guides and policies."""

__version__ = "0.1.0"
