"""Dialogue: clarify-or-answer policy and state transitions (pure functions over DialogueState)."""
