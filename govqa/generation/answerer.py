"""Answer composition: retrieve, pack, generate with numbered sources, verify every sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from govqa import messages
from govqa.core.protocols import Generator, Retriever
from govqa.core.types import Answer, Citation, Document, Filters, ScoredChunk
from govqa.generation import prompts
from govqa.generation.citations import best_quote, check, strip_markers
from govqa.generation.context import pack

NO_EVIDENCE = "资料未提及"  # the phrase the system prompt asks for when the sources do not answer


@dataclass(frozen=True, slots=True)
class AnswerConfig:
    """How much context to give the LLM and when evidence is too weak to try."""

    context_chunks: int = 3
    context_chars: int = 360
    max_tokens: int = 320
    min_dense_score: float = 0.80


def validity_warning(doc: Document, day: dt.date, title_of: Callable[[str], str]) -> str:
    """A warning sentence for a document not in force on `day`, or ""."""
    if doc.is_valid_on(day):
        return ""
    if doc.repealed_on is not None and doc.repealed_on <= day:
        state = messages.REPEALED.format(date=doc.repealed_on.isoformat()) if doc.repealed_on.year > 1 else "已废止"
    else:
        state = messages.EXPIRED.format(date=doc.expires_at.isoformat() if doc.expires_at else "")
    if doc.superseded_by:
        state += "，" + messages.SUPERSEDED.format(title=title_of(doc.superseded_by))
    return messages.INVALID_SOURCE.format(title=doc.title, state=state)


def evidence_is_weak(hits: list[ScoredChunk], min_dense: float) -> bool:
    """No hit, or nothing but a distant dense match: answering would mean guessing."""
    if not hits:
        return True
    for hit in hits:
        scores = dict(hit.leg_scores)
        if "exact" in scores or "graph" in scores or scores.get("dense", 0.0) >= min_dense:
            return False
    return True


class Answerer:
    """Turns a question into a grounded, cited Answer."""

    def __init__(
        self,
        retriever: Retriever,
        generator: Generator,
        config: AnswerConfig = AnswerConfig(),
        title_of: Callable[[str], str] = lambda doc_id: doc_id,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._retriever = retriever
        self._generator = generator
        self._config = config
        self._title_of = title_of
        self._today = today

    def _sources(self, question: str, hits: list[ScoredChunk]) -> list[tuple[int, str, str]]:
        out = []
        for n, hit in enumerate(hits, 1):
            heading = " · ".join(x for x in (hit.document.title, hit.chunk.label) if x)
            out.append((n, heading, pack(question, hit.chunk.text, self._config.context_chars)))
        return out

    def stream(
        self, question: str, filters: Filters = Filters(), item_codes: tuple[str, ...] = ()
    ) -> Iterator[str | Answer]:
        """Yield text pieces as the LLM writes them, then the verified Answer last."""
        if item_codes:
            filters = Filters(filters.valid_on, filters.regions, filters.doc_types, filters.collections, item_codes)
        hits = self._retriever.retrieve(question, self._config.context_chunks, filters)
        if item_codes and not hits:
            hits = self._retriever.retrieve(
                question,
                self._config.context_chunks,
                Filters(filters.valid_on, filters.regions, filters.doc_types, filters.collections),
            )
        if evidence_is_weak(hits, self._config.min_dense_score):
            yield messages.NOT_FOUND
            yield Answer(text=messages.NOT_FOUND, grounded=False, item_codes=item_codes)
            return
        sources = self._sources(question, hits)
        pieces: list[str] = []
        for piece in self._generator.stream(
            prompts.SYSTEM, prompts.user_prompt(question, sources), self._config.max_tokens
        ):
            pieces.append(piece)
            yield piece
        yield self.compose("".join(pieces).strip(), hits, sources, item_codes)

    def answer(self, question: str, filters: Filters = Filters(), item_codes: tuple[str, ...] = ()) -> Answer:
        """The verified Answer (no streaming)."""
        final = None
        for part in self.stream(question, filters, item_codes):
            final = part
        assert isinstance(final, Answer)  # stream() always ends with an Answer
        return final

    def compose(
        self, text: str, hits: list[ScoredChunk], sources: list[tuple[int, str, str]], item_codes: tuple[str, ...]
    ) -> Answer:
        """Verify sentences, attach citations and validity warnings."""
        if not text or (NO_EVIDENCE in text and len(strip_markers(text).strip("。 ")) <= len(NO_EVIDENCE) + 2):
            # The model found nothing in the sources: that is a refusal, not a cited answer.
            return Answer(text=messages.NOT_FOUND, grounded=False, item_codes=item_codes)
        full = {n: f"{hit.document.title} {hit.chunk.label}\n{hit.chunk.text}" for n, hit in enumerate(hits, 1)}
        checked = check(text, full)
        cited: dict[int, str] = {}
        lines: list[str] = []
        unsupported = 0
        for sentence in checked:
            body = sentence.text
            if sentence.supported and sentence.best_source and not sentence.markers:
                body = body.rstrip("。") + f"[{sentence.best_source}]" + ("。" if body.endswith("。") else "")
            if not sentence.supported:
                unsupported += 1
            for n in sentence.markers or ((sentence.best_source,) if sentence.best_source else ()):
                cited.setdefault(n, sentence.text)
            lines.append(body)
        day = self._today()
        citations = []
        warnings: list[str] = []
        for n in sorted(cited):
            hit = hits[n - 1]
            doc = hit.document
            warning = validity_warning(doc, day, self._title_of)
            if warning and warning not in warnings:
                warnings.append(warning)
            citations.append(
                Citation(
                    marker=n,
                    chunk_id=hit.chunk.id,
                    doc_id=doc.id,
                    title=doc.title,
                    doc_number=doc.doc_number,
                    section=hit.chunk.label,
                    url=doc.url,
                    quote=best_quote(cited[n], hit.chunk.text),
                    supported=not warning,
                )
            )
        body = "".join(lines) if lines else messages.NOT_FOUND
        if unsupported:
            warnings.append(messages.UNSUPPORTED_NOTE)
        codes = item_codes or tuple(dict.fromkeys(h.chunk.item_code for h in hits if h.chunk.item_code))[:1]
        return Answer(
            text=body,
            citations=tuple(citations),
            item_codes=codes,
            grounded=bool(citations) and unsupported == 0,
            warnings=tuple(warnings),
        )
