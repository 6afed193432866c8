import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_CORPUS, SAMPLE_PATHS, Container
from govqa.core.errors import GovQAError, IndexMismatchError
from govqa.core.types import Filters
from govqa.stores.catalog import Catalog
from govqa.stores.generations import Layout
from ingest.pipeline import ingest_lock
from tests.conftest import fake_container


def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    for folder in SAMPLE_PATHS:
        shutil.copytree(folder, target / folder.name)
    return target


def cached_rows(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2) as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def state(c: Container) -> tuple[list[str], list[str], int]:
    snap = c.snapshot()
    chunk_ids = sorted(cid for ids in snap.doc_chunks.values() for cid in ids)
    return sorted(snap.documents), chunk_ids, snap.vectors.count()


def test_rerun_embeds_nothing_and_one_change_reembeds_one_document(fake: Container, tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    first = fake.ingest_pipeline().run([corpus])
    assert first.embedded > 100 and not first.failed
    again = fake.ingest_pipeline().run([corpus])
    assert again.embedded == 0 and again.generation == ""
    assert {f.status for f in again.files} == {"unchanged"}

    guide = next((corpus / "guides").glob("*.json"))
    record = json.loads(guide.read_text(encoding="utf-8"))
    record["承诺时限"] = "即时办结（测试修改）"
    guide.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    changed = fake.ingest_pipeline().run([corpus])
    snap = fake.snapshot()
    n_chunks = len(snap.doc_chunks[record["事项编码"]])
    assert changed.embedded == 1  # only the changed field's chunk has new text
    assert changed.chunks_written == n_chunks
    assert [f.status for f in changed.files].count("indexed") == 1


def test_removed_file_is_deleted_and_graph_has_no_orphans(fake: Container, tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    fake.ingest_pipeline().run([corpus])
    guide = sorted((corpus / "guides").glob("*.json"))[0]
    code = json.loads(guide.read_text(encoding="utf-8"))["事项编码"]
    guide.unlink()
    report = fake.ingest_pipeline().run([corpus])
    assert any(f.status == "removed" for f in report.files)
    snap = fake.snapshot()
    assert code not in snap.documents
    assert code not in snap.graph.item_codes()
    assert not fake.retriever(("bm25",)).retrieve(code, 5, Filters(item_codes=(code,)))


def test_bad_file_in_batch_is_reported_and_others_indexed(fake: Container, tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    (corpus / "empty.txt").write_bytes(b"")
    report = fake.ingest_pipeline().run([corpus])
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"broken.pdf", "empty.txt"}
    assert "corrupt PDF" in failed["broken.pdf"]
    kb = (SAMPLE_CORPUS / "faq" / "kb.jsonl").read_text(encoding="utf-8").splitlines()
    assert report.documents_total == len(list((SAMPLE_CORPUS / "guides").glob("*.json"))) + len(
        list((SAMPLE_CORPUS / "policies").glob("*.md"))
    ) + sum(1 for line in kb if line.strip())


def test_failed_new_version_keeps_previous_documents(fake: Container, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "note.md"
    note.write_text("# 通知\n\n居住证可以网上办理。", encoding="utf-8")
    fake.ingest_pipeline().run([folder])
    note.write_bytes(b"\x00\x01binary")
    report = fake.ingest_pipeline().run([folder])
    assert report.failed and "binary" in report.failed[0].reason
    assert "note" in fake.snapshot().documents


def test_reader_keeps_old_generation_until_atomic_switch(fake: Container, tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    fake.ingest_pipeline().run([corpus])
    before = fake.snapshot()
    extra = corpus / "extra.md"
    extra.write_text("# 江临市新增通知\n\n新增事项说明。", encoding="utf-8")
    seen: list[str] = []

    def during(path: str, done: int, total: int) -> None:
        snap = fake.snapshot()
        seen.append(snap.generation)
        assert "extra" not in snap.documents  # readers never see the half-built index

    fake.ingest_pipeline().run([corpus], progress=during)
    assert seen and set(seen) == {before.generation}
    after = fake.snapshot()
    assert after.generation != before.generation and "extra" in after.documents


def test_second_writer_fails_fast(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "d")
    with ingest_lock(layout), pytest.raises(GovQAError, match="another ingest is running"), ingest_lock(layout):
        pass


def test_manifest_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    c = fake_container(tmp_path / "data", dim=64)
    c.ingest_pipeline().run([SAMPLE_CORPUS / "policies"])
    c.close()
    other = fake_container(tmp_path / "data", dim=32)
    with pytest.raises(IndexMismatchError, match="reindex --full"):
        other.snapshot()
    other.close()


def test_killed_ingest_resumes_to_the_clean_state(tmp_path: Path) -> None:
    corpus = corpus_copy(tmp_path)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest_worker", str(killed), str(corpus)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    cache = killed / "cache" / "embeddings.sqlite"
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some batches are durable, well before the end
        if cache.exists() and cached_rows(cache) >= 100:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert Layout(killed).current() is None  # nothing was published
    assert list((killed / "generations").glob("*.partial"))

    resumed = fake_container(killed)
    report = resumed.ingest_pipeline().run([corpus])
    clean = fake_container(tmp_path / "clean")
    clean_report = clean.ingest_pipeline().run([corpus])
    assert 0 < report.embedded < clean_report.embedded  # the finished batches were not paid for twice
    assert state(resumed) == state(clean)
    assert not list((killed / "generations").glob("*.partial"))
    catalog = Catalog(Layout(killed).current() / "catalog.sqlite")  # type: ignore[operator]
    assert catalog.counts() == Catalog(Layout(tmp_path / "clean").current() / "catalog.sqlite").counts()  # type: ignore[operator]
    resumed.close()
    clean.close()


NOTICE = "# 江临市关于做好2026年度住房公积金年度结息工作的通知\n\n" + "".join(
    f"第{n}项 各缴存单位应当按照规定核对职工账户信息，及时办理缴存基数调整和账户封存启封等业务。\n"
    for n in range(1, 30)
)


def test_near_duplicate_is_an_alias_but_amended_version_is_kept(fake: Container, tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a.md").write_text(NOTICE + "\n来源：江临市住房公积金管理中心", encoding="utf-8")
    (folder / "b.md").write_text(NOTICE + "\n来源：江临市人民政府门户网站 打印", encoding="utf-8")
    (folder / "c.md").write_text(
        NOTICE.replace("# ", "# （2025年修订）") + "\n文号：江公积金〔2025〕2号", encoding="utf-8"
    )
    report = fake.ingest_pipeline().run([folder])
    dupes = [d for f in report.files for d in f.duplicates]
    assert dupes == [("b", "a")]
    snap = fake.snapshot()
    assert "a" in snap.documents and "b" not in snap.documents
    assert snap.catalog.alias_of("b") == "a"


def test_duplicates_inside_one_dump_are_found_too(fake: Container, tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    rows = [
        {"id": "n1", "title": "通知", "text": NOTICE + "来源：网站甲"},
        {"id": "n2", "title": "通知", "text": NOTICE + "来源：网站乙"},
        {"id": "n3", "title": "通知", "text": NOTICE},
    ]
    dump.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = fake.ingest_pipeline().run([dump])
    assert sorted(d for f in report.files for d in f.duplicates) == [("n2", "n1"), ("n3", "n1")]
    assert sorted(fake.snapshot().documents) == ["n1"]


def test_collection_type_is_an_operator_option_and_changing_it_reindexes(fake: Container, tmp_path: Path) -> None:
    import json

    from govqa.core.errors import InvalidInputError
    from ingest.pipeline import IngestOptions, parse_collection_types

    dump = tmp_path / "kb.jsonl"
    dump.write_text(
        json.dumps({"id": "kb-1", "title": "居住证怎么办", "collection": "kb", "text": "到社区服务站申请。"}) + "\n",
        encoding="utf-8",
    )
    fake.ingest_pipeline().run([dump])
    assert fake.snapshot().documents["kb-1"].doc_type == "other"
    report = fake.ingest_pipeline().run(
        [dump], IngestOptions(collection_types=parse_collection_types(["kb=faq"]), remove_missing=False)
    )
    assert report.generation and fake.snapshot().documents["kb-1"].doc_type == "faq"
    # With its titles left out as well, a change of type alone still re-indexes the document.
    fake.ingest_pipeline().run([dump], IngestOptions(untitled_collections=("kb",), remove_missing=False))
    assert fake.snapshot().documents["kb-1"].doc_type == "other"
    both = IngestOptions(
        untitled_collections=("kb",), collection_types=parse_collection_types(["kb=faq"]), remove_missing=False
    )
    fake.ingest_pipeline().run([dump], both)
    assert fake.snapshot().documents["kb-1"].doc_type == "faq" and not fake.snapshot().documents["kb-1"].index_title
    with pytest.raises(InvalidInputError, match="kb=answers"):
        parse_collection_types(["kb=answers"])
