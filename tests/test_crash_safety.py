"""kill -9 of an ingest at named phases and at random times, then a resume: the result must be
exactly the index a clean build of the same files gives, in every store.

Two scenarios: a first ingest into an empty data directory ("fresh"), and an update of a live
index where files changed, one was removed and one was added ("update"). After each kill the live
index must be one of the two complete indexes (before or after), never something in between.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_CORPUS
from govqa.stores.generations import Layout
from tests import ingest_worker
from tests.conftest import fake_container
from tests.index_state import IndexState, cache_hashes

UPDATE_NOTE = (
    "# 江临市关于调整住房公积金缴存基数的通知\n\n第一条 缴存基数每年调整一次。\n\n第二条 本通知自发布之日起施行。\n"
)


def small_corpus(root: Path) -> Path:
    """A part of the sample corpus (guides with items, policies with clauses): every store gets
    rows, and a run takes a few seconds, so many kills fit in the test run."""
    target = root / "corpus"
    for sub, count in (("guides", 12), ("policies", 4)):
        (target / sub).mkdir(parents=True)
        for path in sorted((SAMPLE_CORPUS / sub).iterdir(), key=lambda p: p.stat().st_size)[:count]:
            shutil.copy(path, target / sub / path.name)
    return target


@dataclass(frozen=True)
class Built:
    """The corpus folder (same path for every build), clean builds before and after the change."""

    corpus: Path
    before_dir: Path  # a live index of the corpus before the change (copied for each update kill)
    before: IndexState
    after: IndexState
    after_cache: dict[str, bytes]


def live_state(data: Path) -> IndexState | None:
    """The live index of a data directory, read as the service reads it (None if nothing is live)."""
    folder = Layout(data).current()
    if folder is None:
        return None
    c = fake_container(data)
    try:
        return IndexState.of(c.snapshot(), folder)
    finally:
        c.close()


def change_corpus(corpus: Path) -> None:
    """Edit a guide, remove a policy, add a notice: every kind of change an update applies."""
    guide = sorted((corpus / "guides").glob("*.json"))[0]
    record = json.loads(guide.read_text(encoding="utf-8"))
    record["承诺时限"] = "即时办结（调整后）"
    guide.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    sorted((corpus / "policies").glob("*"))[0].unlink()
    (corpus / "policies" / "update-note.md").write_text(UPDATE_NOTE, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_before_and_after(tmp_path_factory.mktemp("crash"))


def build_before_and_after(root: Path) -> Built:
    """Clean builds of the small corpus before and after `change_corpus` (the engine the
    environment configures)."""
    corpus = small_corpus(root)
    before_dir = root / "before"
    c = fake_container(before_dir)
    c.ingest_pipeline().run([corpus])
    c.close()
    before = live_state(before_dir)
    change_corpus(corpus)
    after_dir = root / "after"
    c = fake_container(after_dir)
    c.ingest_pipeline().run([corpus])
    c.close()
    after = live_state(after_dir)
    assert before is not None and after is not None
    assert before.differences(after), "the change must show in the index"
    assert not before.problems() and not after.problems(), (before.problems(), after.problems())
    return Built(corpus, before_dir, before, after, cache_hashes(Layout(after_dir).embedding_cache))


@dataclass
class Worker:
    """An ingest in a forked process (a real process, killed with a real SIGKILL)."""

    proc: BaseProcess
    phase_file: Path

    def phase(self) -> str:
        try:
            return self.phase_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""

    def wait_phase(self, phase: str, timeout: float = 120) -> float:
        """Wait until the worker announces `phase`; the time it was seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.phase().split(" ")[0] == phase:
                return time.monotonic()
            if not self.proc.is_alive():
                raise AssertionError(f"worker exited with {self.proc.exitcode} before {phase}")
            time.sleep(0.01)
        raise AssertionError(f"worker never reached {phase} (last: {self.phase()!r})")

    def kill(self) -> None:
        if self.proc.pid is not None and self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join()


@pytest.fixture
def spawn() -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(data: Path, corpus: Path, *args: str) -> Worker:
        phase_file = data.parent / f"{data.name}.phase"
        phase_file.unlink(missing_ok=True)
        argv = [str(data), str(corpus), "--phase-file", str(phase_file), *args]
        proc = multiprocessing.get_context("fork").Process(target=ingest_worker.main, args=(argv,), daemon=True)
        proc.start()
        worker = Worker(proc, phase_file)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def prepare(built: Built, scenario: str, data: Path) -> None:
    if scenario == "update":
        shutil.copytree(built.before_dir, data)


def check_killed_then_resumed(built: Built, scenario: str, data: Path) -> int:
    """After the kill: the live index is a complete one; after a resume: the clean build. Returns the
    number of texts the resume embedded (asserted to be exactly those the cache lacked)."""
    live = live_state(data)
    complete = [built.after] + ([built.before] if scenario == "update" else [])
    if live is None:
        assert scenario == "fresh", "the live index of an update vanished"
    else:
        assert any(not live.differences(s) for s in complete), (
            f"live index is half-built: {live.differences(built.after)}"
        )
    cache = cache_hashes(Layout(data).embedding_cache)
    for h, vec in cache.items():  # what was cached before the kill is intact
        if h in built.after_cache:
            assert vec == built.after_cache[h], f"cached vector {h} differs from a clean build's"

    c = fake_container(data)
    try:
        report = c.ingest_pipeline().run([built.corpus])
        assert not report.failed, report.failed
    finally:
        c.close()
    resumed = live_state(data)
    assert resumed is not None
    assert not resumed.problems(), resumed.problems()
    assert not resumed.differences(built.after), resumed.differences(built.after)
    assert not list(Layout(data).generations.glob("*.partial"))
    # Only texts the cache did not hold were embedded again: no batch paid for twice, none skipped.
    assert report.embedded == len(set(built.after_cache) - set(cache))
    assert set(cache_hashes(Layout(data).embedding_cache)) >= set(built.after_cache)
    return report.embedded


# (scenario, phase to pause in): each phase is reached by both scenarios. The update kills run by
# default (a live index is at stake); the first-ingest ones are slow-marked to keep the run short.
SLOW = pytest.mark.slow
NAMED = [
    pytest.param("fresh", "upsert:3", marks=SLOW),
    pytest.param("fresh", "commit:4", marks=SLOW),
    pytest.param("fresh", "graph", marks=SLOW),
    pytest.param("fresh", "swap", marks=SLOW),
    pytest.param("fresh", "published", marks=SLOW),
    ("update", "upsert"),
    ("update", "commit"),
    ("update", "graph"),
    ("update", "swap"),
    ("update", "published"),
]


@pytest.mark.parametrize(("scenario", "pause"), NAMED)
def test_kill_at_a_named_phase_then_resume_gives_the_clean_index(
    built: Built, spawn: Callable[..., Worker], tmp_path: Path, scenario: str, pause: str
) -> None:
    data = tmp_path / "data"
    prepare(built, scenario, data)
    worker = spawn(data, built.corpus, "--delay", "0", "--pause-at", pause)
    worker.wait_phase(pause.split(":")[0])
    worker.kill()
    embedded = check_killed_then_resumed(built, scenario, data)
    if pause.split(":")[0] in ("swap", "published", "graph"):
        assert embedded == 0  # every batch was cached before the graph was written


SEEDS = range(6)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["fresh", "update"])
@pytest.mark.parametrize("seed", SEEDS)
def test_kill_at_a_random_time_then_resume_gives_the_clean_index(
    built: Built, spawn: Callable[..., Worker], tmp_path: Path, scenario: str, seed: int
) -> None:
    # How long the run takes here and now (the machine is shared): one unkilled run, timed.
    probe = tmp_path / "probe"
    prepare(built, scenario, probe)
    worker = spawn(probe, built.corpus, "--delay", "0.05")
    t0 = worker.wait_phase("start")
    worker.wait_phase("done")
    duration = time.monotonic() - t0
    worker.proc.join()

    data = tmp_path / "data"
    prepare(built, scenario, data)
    worker = spawn(data, built.corpus, "--delay", "0.05")
    t0 = worker.wait_phase("start")
    time.sleep(max(0.0, t0 + random.Random(seed).uniform(0, duration) - time.monotonic()))
    reached = worker.phase()
    worker.kill()
    check_killed_then_resumed(built, scenario, data)
    print(f"seed {seed} {scenario}: killed at {reached!r} of a {duration:.1f} s run")  # noqa: T201 - the report


@pytest.mark.slow
def test_kill_with_the_real_embedder_then_resume_gives_the_clean_index(tmp_path: Path) -> None:
    from govqa.bootstrap import Container
    from govqa.config import Settings
    from tests.conftest import model_dir

    corpus = tmp_path / "corpus"
    for sub, count in (("guides", 4), ("policies", 1)):
        (corpus / sub).mkdir(parents=True)
        for path in sorted((SAMPLE_CORPUS / sub).iterdir(), key=lambda p: p.stat().st_size)[:count]:
            shutil.copy(path, corpus / sub / path.name)

    def real(data: Path) -> Container:
        return Container(Settings(data_dir=data, model_dir=model_dir(), embedder={"batch_size": 8}))

    def state(data: Path) -> IndexState:
        c = real(data)
        try:
            folder = Layout(data).current()
            assert folder is not None
            return IndexState.of(c.snapshot(), folder)
        finally:
            c.close()

    killed = tmp_path / "killed"
    phase_file = tmp_path / "killed.phase"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ingest_worker",
            str(killed),
            str(corpus),
            "--real",
            "--pause-at",
            "commit:2",
            "--phase-file",
            str(phase_file),
        ],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 400
        while not (phase_file.exists() and phase_file.read_text(encoding="utf-8").startswith("commit 2")):
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else proc.returncode
            assert time.monotonic() < deadline, "the real ingest never reached its second commit"
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    assert Layout(killed).current() is None
    cached = cache_hashes(Layout(killed).embedding_cache)
    assert cached  # the first batches were paid for

    c = real(killed)
    try:
        resumed_report = c.ingest_pipeline().run([corpus])
    finally:
        c.close()
    c = real(tmp_path / "clean")
    try:
        clean_report = c.ingest_pipeline().run([corpus])
    finally:
        c.close()
    resumed, clean = state(killed), state(tmp_path / "clean")
    assert not resumed.problems(), resumed.problems()
    # Batches of other texts pad differently, so vectors may differ in the last float digits only.
    assert set(resumed.differences(clean)) <= {"qdrant vectors"}, resumed.differences(clean)
    worst = max(max(abs(x - y) for x, y in zip(v, clean.vectors[cid])) for cid, v in resumed.vectors.items())
    assert worst < 1e-3, worst
    assert resumed_report.embedded == clean_report.embedded - len(cached)
