"""The incremental, crash-safe ingest pipeline.

Files are compared with the live generation's ledger by content hash; only new or changed files are
loaded, only new or changed documents are chunked, and only chunks whose text the embedding cache
has not seen are embedded. Changes are applied to a copy of the live generation, which is swapped in
atomically at the end: a run killed at any point leaves the live index as it was, and the next run
redoes the work from the cache, giving exactly the state a clean run gives.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from govqa.core.errors import GovQAError, InvalidInputError, LoadError, StorageError
from govqa.core.ids import content_hash
from govqa.core.manifest import Manifest
from govqa.core.protocols import CatalogWriter, Chunker, GenerationStores, MeteredEmbedder, StagingStores, Tokenizer
from govqa.core.types import Chunk, DocType, Document, RecordError, ServiceItem
from govqa.policy.clauses import with_rule_types
from govqa.stores.generations import WRITE_ERRORS, Layout, now_iso, read_manifest, write_failure, write_manifest
from ingest.chunking import index_text
from ingest.limits import DEFAULT_LIMITS, LoadLimits
from ingest.loaders import LOADER_VERSION, LOADERS, doc_type_named, load_path, too_large
from ingest.near_duplicates import THRESHOLD as NEAR_DUPLICATE
from ingest.near_duplicates import Versioning, band_keys, signature, similarity
from ingest.report import FileReport, FileStatus, IngestReport
from knowledge_graph.extract import extract_item

FLUSH_CHUNKS = 256
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Per-run choices of the operator."""

    collection: str = "default"
    index_titles: bool = True
    untitled_collections: tuple[str, ...] = ()  # e.g. FAQ entries whose title is the question itself
    # (collection, doc type) pairs: the type of every record of that collection, e.g. ("kb", "faq")
    collection_types: tuple[tuple[str, DocType], ...] = ()
    full: bool = False
    remove_missing: bool = True
    internal: bool = False  # every document of the run is for operators only
    internal_collections: tuple[str, ...] = ()  # ... and those of these collections (settings)
    # Reindex: each known file keeps the collection and internal flag its documents were stored
    # with, so re-ingesting never turns an internal collection public (or renames a collection).
    keep_access: bool = False

    def ledger_hash(self, file_hash: str) -> str:
        """What the ledger records for a file: its hash, combined with the options that change what
        its documents become, so ingesting it again with other options re-indexes it, and with the
        loader version, so a loader that derives other metadata re-loads it."""
        shaping: tuple[object, ...] = (
            self.collection,
            self.index_titles,
            self.untitled_collections,
            self.collection_types,
        )
        if self.internal or self.internal_collections:
            shaping += (self.internal, self.internal_collections)  # absent before the flag existed
        return content_hash(file_hash, LOADER_VERSION, repr(shaping))

    def is_internal(self, doc: Document) -> bool:
        """True when `doc` is to be stored as internal."""
        return self.internal or doc.internal or doc.collection in self.internal_collections


def parse_collection_types(values: Sequence[str]) -> tuple[tuple[str, DocType], ...]:
    """`NAME=TYPE` options (e.g. `kb=faq`) as pairs; InvalidInputError naming the bad one."""
    pairs: list[tuple[str, DocType]] = []
    for value in values:
        name, sep, kind = value.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError("expected NAME=TYPE, e.g. kb=faq")
            pairs.append((name.strip(), doc_type_named(kind.strip())))
        except ValueError as exc:
            raise InvalidInputError(f"--collection-type {value!r}: {exc}") from exc
    return tuple(pairs)


@contextmanager
def ingest_lock(layout: Layout) -> Iterator[None]:
    """One writer per data directory; a second one fails fast with a clear message."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with layout.lock.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise GovQAError(f"another ingest is running on {layout.root}; wait for it to finish") from exc
        yield


def expand(paths: Sequence[Path]) -> list[Path]:
    """Supported files under the given paths (recursively), sorted; hidden files skipped."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in LOADERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            out.append(path)
    return [p.resolve() for p in out]


def file_hash(path: Path, limits: LoadLimits = DEFAULT_LIMITS) -> str:
    """sha256 of the file's bytes (size checked first so huge files are not read)."""
    if too_large(path.stat().st_size, limits):
        return f"too-large:{path.stat().st_size}"
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _Writer:
    """Applies document changes to a staging generation. Documents reach the catalog file by file;
    their chunks are embedded once FLUSH_CHUNKS of them collect, across files, so one embedding
    call carries several batches (which an HTTP endpoint receives at once, in parallel)."""

    def __init__(
        self, stores: StagingStores, embedder: MeteredEmbedder, chunker: Chunker, tokenizer: Tokenizer
    ) -> None:
        self.stores = stores
        self.catalog = stores.catalog
        self.vectors = stores.vectors
        self._embedder, self._chunker, self._tokenizer = embedder, chunker, tokenizer
        self._pending: list[tuple[Document, list[Chunk], ServiceItem | None]] = []
        self._unembedded: dict[str, tuple[Chunk, Document]] = {}  # by chunk id, written to the catalog
        self.signatures: dict[str, _Signed] = {}
        self.chunks_written = 0

    def remove(self, doc_id: str) -> None:
        chunk_ids = self.catalog.delete_document(doc_id)
        for chunk in chunk_ids:
            self._unembedded.pop(chunk, None)  # a vector stored later would outlive its chunk
        self.vectors.delete(chunk_ids)

    def put(self, doc: Document, item: ServiceItem | None) -> int:
        chunks = self._chunker.chunk(doc)
        if doc.doc_type == "policy":
            # Articles carry their type by rules, so search can filter by it (Qdrant payload, allow-list).
            chunks = with_rule_types(doc, chunks)
        self._pending.append((doc, chunks, item))
        if sum(len(c) for _, c, _ in self._pending) >= FLUSH_CHUNKS:
            self.flush()
        return len(chunks)

    def flush(self) -> None:
        """Write the pending documents to the catalog; embed their chunks when enough have collected."""
        for doc, chunks, item in self._pending:
            self.remove(doc.id)
            self.catalog.put_document(doc, chunks, self._tokens(doc, chunks))
            if doc.id in self.signatures:
                signed = self.signatures.pop(doc.id)
                self.catalog.put_signature(doc.id, signed.sig, signed.bands)
            if item is not None:
                self.catalog.put_item(item, doc.id)
            self._unembedded.update((chunk.id, (chunk, doc)) for chunk in chunks)
            self.chunks_written += len(chunks)
        if self._pending:
            self.catalog.commit()
            self._pending.clear()
        if len(self._unembedded) >= FLUSH_CHUNKS:
            self.embed()

    def embed(self) -> None:
        """Embed every chunk written since the last call, in one call, and store the vectors."""
        if not self._unembedded:
            return
        chunks = [chunk for chunk, _ in self._unembedded.values()]
        owners = [doc for _, doc in self._unembedded.values()]
        vectors = self._embedder.embed_documents([index_text(c, d) for c, d in zip(chunks, owners)])
        self.vectors.upsert(chunks, owners, vectors)
        self._unembedded.clear()

    def _tokens(self, doc: Document, chunks: Sequence[Chunk]) -> list[list[str]]:
        return [self._tokenizer.tokenize(index_text(c, doc)) for c in chunks]

    def retokenize(self) -> None:
        """Re-tokenise every stored chunk (the base generation was tokenised otherwise)."""
        for doc in list(self.catalog.documents()):
            chunks = self.catalog.chunks_of(doc.id)
            self.catalog.put_tokens({c.id: t for c, t in zip(chunks, self._tokens(doc, chunks))})
        self.catalog.commit()

    def finish(self) -> None:
        """Write and embed everything still pending."""
        self.flush()
        self.embed()

    def close(self) -> None:
        # No last flush: after a failure the staging generation is discarded, and embedding again
        # (an endpoint that just failed) would only delay the error and hide it behind another.
        self.stores.close()


@dataclass(frozen=True, slots=True)
class _Signed:
    """A document's near-duplicate signature, waiting to be stored with the document."""

    sig: bytes
    bands: list[str]
    version: Versioning
    internal: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a run found before changing anything."""

    files: list[Path]
    hashes: dict[Path, str]
    known: dict[str, str | None]
    removed: list[str]
    missing: list[Path]
    kept_access: dict[str, IngestOptions]  # per source path, with `keep_access`: its stored access

    def options_for(self, path: Path, options: IngestOptions) -> IngestOptions:
        """The options one file is ingested with."""
        return self.kept_access.get(str(path), options)


class IngestPipeline:
    """Builds index generations from source files."""

    def __init__(
        self,
        layout: Layout,
        embedder: MeteredEmbedder,
        chunker: Chunker,
        tokenizer: Tokenizer,
        stores: GenerationStores,
        limits: LoadLimits = DEFAULT_LIMITS,
    ) -> None:
        self._layout = layout
        self._limits = limits
        self._embedder = embedder
        self._chunker = chunker
        self._tokenizer = tokenizer
        self._stores = stores

    def run(
        self,
        paths: Sequence[Path],
        options: IngestOptions = IngestOptions(),
        progress: Progress | None = None,
        delete_ids: Sequence[str] = (),
    ) -> IngestReport:
        """Ingest `paths` (files or folders) and delete `delete_ids`; return what happened."""
        started = time.perf_counter()
        embedded0, embed_s0 = self._embedder.embedded, self._embedder.embed_seconds
        with ingest_lock(self._layout):
            base = self._layout.current()
            plan = self._plan(paths, base, options)
            files, hashes, removed = plan.files, plan.hashes, plan.removed
            changed = (
                files
                if options.full
                else [p for p in files if plan.known.get(str(p)) != plan.options_for(p, options).ledger_hash(hashes[p])]
            )
            reports = [FileReport(str(p), "failed", reason="no such file") for p in plan.missing]
            reports += [FileReport(str(p), "unchanged") for p in files if p not in changed]
            built = read_manifest(base) if base is not None and not options.full else None
            stale_tokens = built is not None and built.tokenizer != self._tokenizer.dictionary_id
            # The graph is rewritten by every run; an old format only forces a run.
            stale = stale_tokens or (built is not None and built.graph_format != self._stores.graph_format)
            if not changed and not removed and not delete_ids and not options.full and not stale and base is not None:
                return IngestReport(files=tuple(reports), seconds=time.perf_counter() - started)

            staging = self._layout.next_staging()
            try:
                final, counts, chunks_written = self._build(
                    base, staging, plan, changed, reports, options, progress, delete_ids, stale_tokens
                )
            except WRITE_ERRORS as exc:
                # Disk full or a file size limit: drop the unfinished generation (it holds the space
                # the next try needs) and say that nothing live was touched.
                self._discard(staging)
                live = base.name if base is not None else "none"
                raise StorageError(
                    f"ingest stopped: cannot write the new index generation in {staging.parent}: "
                    f"{write_failure(exc)}. The live index ({live}) is unchanged; free disk space (or raise the "
                    "file size limit) and run the ingest again"
                ) from exc
            self._stores.published()
        return IngestReport(
            files=tuple(reports),
            generation=final.name,
            embedded=self._embedder.embedded - embedded0,
            seconds=time.perf_counter() - started,
            embed_seconds=self._embedder.embed_seconds - embed_s0,
            chunks_written=chunks_written,
            documents_total=counts["documents"],
            chunks_total=counts["chunks"],
        )

    def _build(
        self,
        base: Path | None,
        staging: Path,
        plan: _Plan,
        changed: list[Path],
        reports: list[FileReport],
        options: IngestOptions,
        progress: Progress | None,
        delete_ids: Sequence[str],
        stale_tokens: bool,
    ) -> tuple[Path, dict[str, int], int]:
        """Apply the run's changes to `staging` (a copy of `base`, or empty) and publish it; the
        published folder, the catalog's counts and the number of chunks written."""
        hashes, removed = plan.hashes, plan.removed
        if base is not None and not options.full:
            shutil.copytree(base, staging)
        else:
            staging.mkdir(parents=True)
        source = base if not options.full else None
        writer = _Writer(
            self._stores.open_staging(source, staging, self._embedder.dim),
            self._embedder,
            self._chunker,
            self._tokenizer,
        )
        try:
            if stale_tokens:
                writer.retokenize()
            for doc_id in delete_ids:
                doc = writer.catalog.document(doc_id)
                if doc is not None and doc.source_path:
                    # Forget the file's hash, so ingesting it again restores what was deleted.
                    writer.catalog.drop_ledger(doc.source_path)
                writer.remove(doc_id)
            for gone in removed:
                for doc_id in writer.catalog.ledger_docs(gone):
                    writer.remove(doc_id)
                writer.catalog.drop_ledger(gone)
                reports.append(FileReport(gone, "removed"))
            for i, path in enumerate(changed):
                if progress:
                    progress(str(path), i, len(changed))
                own = plan.options_for(path, options)
                reports.append(self._ingest_file(writer, path, own.ledger_hash(hashes[path]), own))
            writer.finish()  # every vector is cached before the graph is written
            writer.stores.write_graph()
            writer.stores.optimize_vectors()
            counts = writer.catalog.counts()
            chunks_written = writer.chunks_written
        finally:
            writer.close()
        manifest = Manifest(
            generation=staging.name.removesuffix(".partial"),
            embedder_id=self._embedder.model_id,
            dim=self._embedder.dim,
            chunker_version=self._chunker.version,
            created_at=now_iso(),
            documents=counts["documents"],
            chunks=counts["chunks"],
            items=counts["items"],
            corpus_hash=content_hash(*sorted(f"{p}:{h}" for p, h in hashes.items())),
            tokenizer=self._tokenizer.dictionary_id,
            graph_format=self._stores.graph_format,
        )
        write_manifest(staging, manifest)
        return self._layout.publish(staging), counts, chunks_written

    def _discard(self, staging: Path) -> None:
        """Remove an unfinished generation (also once renamed, if CURRENT does not name it)."""
        final = staging.with_name(staging.name.removesuffix(".partial"))
        for folder in (staging, final):
            if folder.exists() and folder != self._layout.current():
                shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _near_twin(catalog: CatalogWriter, doc: Document, pending: dict[str, _Signed]) -> str | None:
        """Id of a stored or pending document this one nearly duplicates (it then becomes an alias),
        else None and the document's signature waits in `pending` to be stored with it."""
        sig = signature(doc.text)
        bands = band_keys(sig)
        mine = Versioning.of(doc)
        stored = catalog.similar_candidates(bands)
        others: list[tuple[str, np.ndarray, Versioning | None]] = [
            (i, np.frombuffer(b, dtype=np.uint64), None) for i, b in stored.items()
        ]
        # Never across the access boundary: an internal twin would hide the public document.
        others += [
            (i, np.frombuffer(p.sig, dtype=np.uint64), p.version)
            for i, p in pending.items()
            if set(p.bands) & set(bands) and p.internal == doc.internal
        ]
        for other_id, other_sig, version in others:
            if other_id == doc.id or similarity(sig, other_sig) < NEAR_DUPLICATE:
                continue
            if version is None:
                other = catalog.document(other_id)
                version = Versioning.of(other) if other is not None and other.internal == doc.internal else None
            if version is not None and not mine.distinct_from(version):
                return other_id
        pending[doc.id] = _Signed(sig.tobytes(), bands, mine, doc.internal)
        return None

    def _plan(self, paths: Sequence[Path], base: Path | None, options: IngestOptions) -> _Plan:
        """Hash the given files and read what the live ledger knows about them."""
        expanded = expand(paths)
        files = [p for p in expanded if p.exists()]
        hashes = {p: file_hash(p, self._limits) for p in files}
        known: dict[str, str | None] = {}
        removed: list[str] = []
        if base is not None and not options.full:
            base_catalog = self._stores.open_catalog(base)
            known = {str(p): base_catalog.ledger_hash(str(p)) for p in files}
            if options.remove_missing:
                roots = [str(p.resolve()) for p in paths]
                removed = [
                    lp
                    for lp in base_catalog.ledger_paths()
                    if any(lp == r or lp.startswith(r + "/") for r in roots) and not Path(lp).exists()
                ]
            base_catalog.close()
        missing = [p for p in expanded if not p.exists()]
        kept: dict[str, IngestOptions] = {}
        if base is not None and options.keep_access:
            base_catalog = self._stores.open_catalog(base)
            try:
                for p in files:
                    stored = (base_catalog.document(d) for d in base_catalog.ledger_docs(str(p)))
                    first = next((d for d in stored if d is not None), None)  # aliases have no document
                    if first is None:
                        continue
                    # The run's collection, if the ledger says the file was ingested with it (its
                    # records name their own), else the one its documents carry.
                    same = replace(options, internal=first.internal)
                    own = replace(same, collection=first.collection)
                    kept[str(p)] = same if known.get(str(p)) == same.ledger_hash(hashes[p]) else own
            finally:
                base_catalog.close()
        return _Plan(files, hashes, known, removed, missing, kept)

    def _ingest_file(self, writer: _Writer, path: Path, digest: str, options: IngestOptions) -> FileReport:
        catalog = writer.catalog
        previous = set(catalog.ledger_docs(str(path)))
        try:
            loaded = list(load_path(path, options.collection, options.index_titles, self._limits))
        except (LoadError, OSError) as exc:
            # Keep what this file produced before: one bad version must not lose indexed documents.
            return FileReport(str(path), "failed", reason=str(exc).removeprefix(f"{path}: "))
        errors: list[tuple[str, str]] = []
        duplicates: list[tuple[str, str]] = []
        kept: list[str] = []
        docs = chunks = 0
        seen: set[str] = set()
        for entry in loaded:
            if isinstance(entry, RecordError):
                errors.append((entry.where, entry.reason))
                continue
            doc = replace(entry.document, source_path=str(path))
            if doc.collection in options.untitled_collections and doc.index_title:
                # The indexed text changes, so the hash that decides re-indexing must change too.
                doc = replace(doc, index_title=False, content_hash=content_hash(doc.text, "untitled"))
            forced = dict(options.collection_types).get(doc.collection)
            if forced is not None and forced != doc.doc_type:
                # After the title rule, which sets the hash from the text alone: the type must stay in it.
                doc = replace(doc, doc_type=forced, content_hash=content_hash(doc.content_hash, f"type:{forced}"))
            if options.is_internal(doc):
                # In the hash too, so an identical public text never becomes an alias of this one.
                doc = replace(doc, internal=True, content_hash=content_hash(doc.content_hash, "internal"))
            if doc.id in seen:
                errors.append((doc.source_path, f"duplicate id {doc.id} in the same file; later record skipped"))
                continue
            seen.add(doc.id)
            twin = catalog.document_by_hash(doc.content_hash) or self._near_twin(catalog, doc, writer.signatures)
            if twin is not None and twin != doc.id:
                catalog.put_alias(doc.id, twin, str(path))
                duplicates.append((doc.id, twin))
                kept.append(doc.id)
                continue
            kept.append(doc.id)
            unchanged = catalog.document_hash(doc.id) == doc.content_hash and catalog.document(doc.id) == doc
            if unchanged and not options.full:
                continue  # same text and same metadata (a new loader version may change only the latter)
            docs += 1
            item = entry.item
            if item is None and doc.doc_type in ("guide", "notice", "other"):
                item = extract_item(doc)  # best effort for semi-structured guide pages
            chunks += writer.put(doc, item)
        writer.flush()
        for gone in previous - set(kept):
            writer.remove(gone)
        catalog.set_ledger(str(path), digest, kept)
        catalog.commit()
        status: FileStatus = "partial" if errors else "indexed"
        return FileReport(str(path), status, docs, chunks, record_errors=tuple(errors), duplicates=tuple(duplicates))
