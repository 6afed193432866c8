"""Fakes that satisfy the same contracts as the real adapters (see govqa/testing/contracts.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

import numpy as np

from govqa import messages
from govqa.core.protocols import Vector


class HashEmbedder:
    """Deterministic bag-of-character-bigrams embedder: similar texts get similar vectors."""

    def __init__(self, dim: int = 64) -> None:
        if dim < 8:
            raise ValueError(f"dim must be at least 8, got {dim}")
        self._dim = dim
        self.calls = 0

    @property
    def model_id(self) -> str:
        return f"hash-bigram-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for gram in (a + b for a, b in zip(chars, chars[1:] or [""])):
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
            vec[h % self._dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0:
            vec[0] = 1.0
            norm = 1.0
        return vec / norm

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.vstack([self._one(t) for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> Vector:
        return self._one(text)


class ScriptedGenerator:
    """Replies from a script (or echoes the first source line with a [1] marker)."""

    def __init__(self, replies: Sequence[str] = ()) -> None:
        self._replies = list(replies)
        self.prompts: list[tuple[str, str]] = []

    @property
    def model_id(self) -> str:
        return "scripted"

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        self.prompts.append((system, user))
        if self._replies:
            return self._replies.pop(0)
        lines = user.split("\n")
        # The first line of the first quoted source (sources are fenced by <<< and >>>).
        start = lines.index("<<<") + 1 if "<<<" in lines else 2
        source = lines[start] if len(lines) > start and lines[start] != ">>>" else messages.NO_EVIDENCE
        return source[: max(1, max_tokens)] + "[1]"

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        """A stand-in likelihood: the share of the reply's character pairs found in the prompt, as a log."""
        pairs = {continuation[i : i + 2] for i in range(len(continuation) - 1)}
        if not continuation:
            return 0.0
        if not pairs:
            return -5.0
        found = sum(1 for pair in pairs if pair in user)
        return float(np.log((found + 0.01) / (len(pairs) + 0.01)))

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        text = self.generate(system, user, max_tokens)
        for i in range(0, len(text), 8):
            yield text[i : i + 8]
