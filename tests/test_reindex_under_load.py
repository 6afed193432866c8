"""Reindexing while the app serves searches: no request fails, and every answer comes from a complete
index, the one before or the one after, never from one in between.

The corpus folder flips between two versions (A and B: a guide edited, a policy removed, a notice
added) and each flip is ingested while client threads search over HTTP. The expected hits of every
query are recorded on A and on B first; each served result must equal one of the two exactly
(chunk ids, order and scores). The check is shown to be able to fail: an index with only part of
the change (the policy removed, nothing else) answers some query differently from both.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx

from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.stores.generations import Layout
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.servers import app_in_thread
from tests.test_crash_safety import UPDATE_NOTE, change_corpus, small_corpus

# Chinese kept here: questions on the edited guide, the removed policy, the added notice and the rest.
QUERIES = [
    "缴存基数每年调整几次",
    "住房公积金缴存基数调整",
    "承诺时限是多久",
    "即时办结",
    "办理需要什么材料",
    "居住证",
    "本通知自发布之日起施行",
    "政策适用范围",
]
Result = tuple[tuple[str, float], ...]


def search(client: httpx.Client, url: str, query: str) -> Result:
    response = client.get(f"{url}/api/v1/search", params={"q": query, "k": 8})
    if response.status_code != 200:
        raise AssertionError(f"{response.status_code}: {response.text[:300]}")
    return tuple((hit["chunk_id"], round(hit["score"], 6)) for hit in response.json())


def results(client: httpx.Client, url: str) -> dict[str, Result]:
    return {q: search(client, url, q) for q in QUERIES}


def test_searches_during_reindexing_see_the_old_or_the_new_index(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    version_a = tmp_path / "version-a"
    shutil.copytree(corpus, version_a)
    change_corpus(corpus)
    version_b = tmp_path / "version-b"
    shutil.copytree(corpus, version_b)
    assert (version_b / "policies" / "update-note.md").read_text(encoding="utf-8") == UPDATE_NOTE

    def flip_to(version: Path) -> None:
        shutil.rmtree(corpus)
        shutil.copytree(version, corpus)

    data = tmp_path / "data"
    # Four threads on one loopback address: the per-client rate limit would pace them.
    c = Container(
        Settings(data_dir=data, model_dir=data / "models", rate_limit={"per_minute": 0}),
        embedder=HashEmbedder(64),
        generator=ScriptedGenerator(),
    )
    try:
        with app_in_thread(c) as url, httpx.Client(timeout=60) as client:
            flip_to(version_a)
            c.ingest_pipeline().run([corpus])
            on_a = results(client, url)
            flip_to(version_b)
            c.ingest_pipeline().run([corpus])
            on_b = results(client, url)
            assert on_a != on_b

            # Part of the change only: the removed policy is gone, the edit and the notice not there yet.
            flip_to(version_a)
            removed = sorted((version_a / "policies").iterdir())[0].name
            (corpus / "policies" / removed).unlink()
            c.ingest_pipeline().run([corpus])
            partial = results(client, url)
            assert any(partial[q] not in (on_a[q], on_b[q]) for q in QUERIES), "the queries cannot see a half index"

            flip_to(version_a)
            c.ingest_pipeline().run([corpus])
            assert results(client, url) == on_a  # the same files give the same answers again

            seen: dict[str, int] = {"A": 0, "B": 0}
            bad: list[str] = []
            stop = threading.Event()

            def ask_forever(offset: int) -> None:
                with httpx.Client(timeout=60) as mine:
                    i = offset
                    while not stop.is_set():
                        q = QUERIES[i % len(QUERIES)]
                        i += 1
                        try:
                            got = search(mine, url, q)
                        except (httpx.HTTPError, AssertionError) as exc:
                            bad.append(f"{q}: {exc!r}")
                            continue
                        if got == on_a[q]:
                            seen["A"] += 1
                        elif got == on_b[q]:
                            seen["B"] += 1
                        else:
                            bad.append(f"{q}: an answer from neither complete index: {got[:3]}")

            threads = [threading.Thread(target=ask_forever, args=(n,), daemon=True) for n in range(4)]
            for t in threads:
                t.start()
            generations = []
            for version in (version_b, version_a, version_b, version_a, version_b, version_a):
                flip_to(version)
                report = c.ingest_pipeline().run([corpus])
                generations.append(report.generation)
                time.sleep(0.3)  # let the readers meet the new generation before the next flip
            stop.set()
            for t in threads:
                t.join(timeout=60)
            assert all(generations), generations  # every flip published a new generation
            assert not bad, bad[:5]
            assert seen["A"] > 0 and seen["B"] > 0, seen  # the readers did see both indexes
            assert client.get(f"{url}/readyz").status_code == 200
            print(f"{sum(seen.values())} searches during {len(generations)} reindexes: {seen}")  # noqa: T201
            assert Layout(tmp_path / "data").current() is not None
    finally:
        c.close()


class _FlippingLayout:
    """A data directory whose CURRENT can be swapped by the test; one read can be held mid-way."""

    def __init__(self, root: Path) -> None:
        self.root, self.name = root, "gen-000001"
        self.hold = threading.Event()
        self.release = threading.Event()

    def current(self) -> Path:
        name = self.name
        if self.hold.is_set():
            self.hold.clear()
            self.release.wait(5)  # a reader that has read CURRENT but not yet used it
        return self.root / name


class _View:
    def __init__(self, folder: Path) -> None:
        self.folder, self.closed = folder, False

    def close(self) -> None:
        self.closed = True


def test_a_request_that_read_current_before_a_swap_never_reopens_the_retired_generation(tmp_path: Path) -> None:
    from govqa.stores.snapshot import SnapshotHolder

    layout = _FlippingLayout(tmp_path)
    opened: list[str] = []

    def open_view(folder: Path) -> _View:
        opened.append(folder.name)
        return _View(folder)

    holder = SnapshotHolder(layout, open_view)  # type: ignore[arg-type]
    assert holder.get().folder.name == "gen-000001"
    layout.hold.set()
    late = threading.Thread(target=holder.get)
    late.start()  # reads gen-000001 and is held there
    time.sleep(0.1)
    layout.name = "gen-000002"  # the swap
    early = threading.Thread(target=holder.get)
    early.start()
    time.sleep(0.1)
    layout.release.set()
    late.join(5)
    early.join(5)
    assert opened == ["gen-000001", "gen-000002"]  # each generation opened once, never backwards
    assert holder.get().folder.name == "gen-000002"
