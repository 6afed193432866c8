"""Deterministic fakes shipped with the package, for fast tests and evaluation dry runs."""
