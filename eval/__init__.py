"""Evaluation: datasets, pure metrics, runners, baselines and reports."""
