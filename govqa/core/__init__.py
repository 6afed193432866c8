"""Core types, seams and errors: imports nothing heavier than the standard library."""
