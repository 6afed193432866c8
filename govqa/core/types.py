"""Frozen data passed between stages. Change with dataclasses.replace, never in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from govqa.core.vocab import Slot

DocType = Literal["guide", "policy", "faq", "notice", "other"]
# Chinese kept here: the stored applicant types are the guides' own values (vocab.APPLICANT_WORDS maps to them).
ApplicantType = Literal["个人", "法人"]


@dataclass(frozen=True, slots=True)
class Document:
    """One source document after loading and cleaning.

    `id` is the external id when the source gives one (a JSONL record's `id`, a guide's 事项编码,
    a policy file's stem), otherwise the content hash; `content_hash` always hashes the text.
    """

    id: str
    title: str
    text: str
    content_hash: str
    doc_type: DocType = "other"
    source_path: str = ""
    collection: str = "default"
    issuer: str = ""
    doc_number: str = ""
    region: str = ""
    published: dt.date | None = None
    effective_from: dt.date | None = None
    expires_at: dt.date | None = None
    repealed_on: dt.date | None = None
    superseded_by: str = ""
    url: str = ""
    item_code: str = ""
    index_title: bool = True
    internal: bool = False  # for operators only: never retrieved, cited or shown by a public route

    def is_valid_on(self, day: dt.date) -> bool:
        """True when the document is in force on `day` (not yet repealed, not expired)."""
        if self.repealed_on is not None and self.repealed_on <= day:
            return False
        return not (self.expires_at is not None and self.expires_at < day)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable span of a document; `section` is its path such as ("第三章", "第十二条")."""

    id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    section: tuple[str, ...] = ()
    item_code: str = ""
    clause_type: str = ""  # a policy article's type by rules at ingest (govqa.policy.types.ClauseType)

    @property
    def label(self) -> str:
        """Human-readable section label, e.g. "第三章 > 第十二条"."""
        return " > ".join(self.section)


@dataclass(frozen=True, slots=True)
class Material:
    """One entry of a guide's 申请材料 list."""

    name: str
    copies: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ServiceItem:
    """A government service item (事项) as described by its guide (办事指南)."""

    code: str
    name: str
    department: str
    region: str
    source_doc: str
    aliases: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    scenario: str = ""
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    steps: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    hours: str = ""
    time_limit: str = ""
    legal_time_limit: str = ""
    fee: str = ""
    legal_basis: tuple[str, ...] = ()
    phone: str = ""
    updated: str = ""


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """What a loader yields: a document and, for a service guide, its parsed item."""

    document: Document
    item: ServiceItem | None = None


@dataclass(frozen=True, slots=True)
class RecordError:
    """One unreadable record inside a multi-record file; the rest of the file is still loaded."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions applied by every retrieval leg. `valid_on=None` disables the validity filter.

    `public_only` drops documents marked internal at ingest and `exclude_collections` whole
    collections (the ones settings declare internal); the public view of an index sets both on
    every vector search (govqa/core/access.py), so no caller has to remember them.
    """

    valid_on: dt.date | None = None
    regions: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    item_codes: tuple[str, ...] = ()
    clause_types: tuple[str, ...] = ()  # only policy articles of these types
    doc_ids: tuple[str, ...] = ()  # only these documents (e.g. the documents of one issuer)
    public_only: bool = False
    exclude_collections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """A retrieval request."""

    text: str
    k: int = 5
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True, slots=True)
class ScoredChunk:
    """A chunk with its document, fused score and the rank it had in each leg (1-based)."""

    chunk: Chunk
    document: Document
    score: float
    leg_ranks: tuple[tuple[str, int], ...] = ()
    leg_scores: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source behind an answer: which document, which clause, which words."""

    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    url: str
    quote: str
    supported: bool = True


@dataclass(frozen=True, slots=True)
class Answer:
    """A grounded answer. `grounded=False` means no evidence was found or a claim was unsupported."""

    text: str
    citations: tuple[Citation, ...] = ()
    item_codes: tuple[str, ...] = ()
    grounded: bool = True
    warnings: tuple[str, ...] = ()
    mode: str = ""  # the answer mode that produced it (govqa.dialogue.routes.Mode)


@dataclass(frozen=True, slots=True)
class ClarifyingQuestion:
    """A short question with options, asked instead of guessing."""

    text: str
    slot: Slot
    options: tuple[str, ...] = ()


Reply = Answer | ClarifyingQuestion


@dataclass(frozen=True, slots=True)
class Turn:
    """One exchange in a session."""

    user: str
    reply_kind: Literal["answer", "clarify"]
    reply_text: str


@dataclass(frozen=True, slots=True)
class DialogueState:
    """What a session knows so far: turns, filled slots, the pending question and the locked item.

    `asked` counts the clarifying questions of the current topic (reset by every answer), so that
    a topic gets at most a configured number of them; `locked_doc` is the document the last answer
    came from when it locked no item, so that a short follow-up stays on it.
    """

    session_id: str
    turns: tuple[Turn, ...] = ()
    slots: tuple[tuple[str, str], ...] = ()
    pending: ClarifyingQuestion | None = None
    pending_candidates: tuple[str, ...] = ()
    pending_question: str = ""
    locked_item: str = ""
    locked_doc: str = ""
    asked: int = 0

    def slot(self, name: str) -> str:
        """Return a filled slot's value or ""."""
        return dict(self.slots).get(name, "")
