"""A disk that fills up during an ingest: the run fails with a clear StorageError, the unfinished
generation is removed, the live index is untouched and still answers, and a later ingest succeeds.

Two ways to run out of space: RLIMIT_FSIZE in a worker process (a write past it fails with EFBIG)
and, where the process may mount (root), a small tmpfs filled up to a few kilobytes (ENOSPC).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from govqa.bootstrap import Container
from govqa.core.errors import StorageError
from govqa.stores.generations import Layout
from tests.conftest import fake_container
from tests.index_state import IndexState
from tests.test_crash_safety import small_corpus

ROOT = Path(__file__).resolve().parents[1]
# Chinese kept here: a large policy text, so that writing it needs more room than is left.
BIG_POLICY = "# 江临市关于优化政务服务事项办理流程的通知\n\n" + "".join(
    f"第{n}条 各部门应当按照本通知要求，简化办事材料，压缩办理时限，推行一次办好和全程网办，第{n}项要求逐条落实。\n\n"
    for n in range(1, 400)
)


def live(c: Container) -> IndexState:
    folder = Layout(c.settings.data_dir).current()
    assert folder is not None
    return IndexState.of(c.snapshot(), folder)


def answers(c: Container) -> bool:
    return bool(c.retriever().retrieve("居住证办理需要什么材料", k=3))


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("where", ["copy", "write"])
def test_file_size_limit_fails_cleanly_and_keeps_the_live_index(tmp_path: Path, where: str) -> None:
    corpus = small_corpus(tmp_path)
    data = tmp_path / "data"
    c = fake_container(data)
    c.ingest_pipeline().run([corpus])
    before = live(c)
    generation = Layout(data).current()
    assert generation is not None
    c.close()
    (corpus / "policies" / "big.md").write_text(BIG_POLICY, encoding="utf-8")
    largest = max(p.stat().st_size for p in data.rglob("*") if p.is_file())
    # "copy": too small to copy the live generation; "write": the copy fits, the new rows do not.
    limit = 32 * 1024 if where == "copy" else largest + 8 * 1024
    run = subprocess.run(
        [sys.executable, "-m", "tests.ingest_worker", str(data), str(corpus), "--delay", "0", "--fsize", str(limit)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 3, (run.stdout, run.stderr[-3000:])
    message = run.stdout.strip()
    assert message.startswith("FAILED StorageError: ingest stopped: cannot write the new index generation")
    assert "File too large" in message or "SQLITE_IOERR_WRITE" in message, message
    assert f"The live index ({generation.name}) is unchanged" in message
    assert "Traceback" not in run.stderr
    assert not list(Layout(data).generations.glob("*.partial"))
    assert Layout(data).current() == generation

    c = fake_container(data)
    try:
        assert not live(c).differences(before)  # every store of the live index as it was
        assert answers(c)
        report = c.ingest_pipeline().run([corpus])  # no limit now
        assert not report.failed and report.generation
        assert live(c).differences(before) and not live(c).problems()
    finally:
        c.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB tmpfs, or a skip saying why none can be mounted here."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the RLIMIT_FSIZE test covers the failure")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the RLIMIT_FSIZE test covers the failure")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Take all free space of `disk` but `leave` bytes."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as fh:
        fh.truncate(0)
        fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave))
    return filler


@pytest.mark.parametrize("where", ["copy", "write"])
def test_full_tmpfs_fails_cleanly_and_a_later_ingest_succeeds(small_disk: Path, tmp_path: Path, where: str) -> None:
    corpus = small_corpus(tmp_path)
    c = fake_container(small_disk / "data")
    try:
        c.ingest_pipeline().run([corpus])
        generation = Layout(small_disk / "data").current()
        assert generation is not None
        before = live(c)
        (corpus / "policies" / "big.md").write_text(BIG_POLICY, encoding="utf-8")
        size = tree_size(generation)
        filler = fill(small_disk, size // 2 if where == "copy" else size + 64 * 1024)
        with pytest.raises(StorageError) as failed:
            c.ingest_pipeline().run([corpus])
        message = str(failed.value)
        assert "No space left on device" in message or "SQLITE_FULL" in message, message
        assert f"The live index ({generation.name}) is unchanged" in message
        assert not list(Layout(small_disk / "data").generations.glob("*.partial"))
        assert Layout(small_disk / "data").current() == generation
        assert not live(c).differences(before) and answers(c)

        filler.unlink()
        report = c.ingest_pipeline().run([corpus])
        assert not report.failed and report.generation
        assert live(c).differences(before) and not live(c).problems() and answers(c)
    finally:
        c.close()
        shutil.rmtree(small_disk / "data", ignore_errors=True)
