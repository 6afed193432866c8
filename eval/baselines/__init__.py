"""Baselines run in the same harness as GovQA's own retriever."""
