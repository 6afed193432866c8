"""The load-test script end to end for a few seconds: it starts the real app (real models, an index
of part of the sample corpus built with the real embedder), and no request gets a 5xx other than
the LLM queue's 503. Only searches are drawn: on part of the corpus the chat questions of the mix
may route to the LLM, and a few LLM answers in a row take minutes on a shared machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govqa.bootstrap import Container
from govqa.config import Settings
from tests.conftest import model_dir
from tests.test_crash_safety import small_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_short_load_run_reports_no_other_5xx(tmp_path: Path) -> None:
    data = tmp_path / "data"
    c = Container(Settings(data_dir=data, model_dir=model_dir()))
    try:
        assert not c.ingest_pipeline().run([small_corpus(tmp_path)]).failed
    finally:
        c.close()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "eval.bench.load",
            "--sessions",
            "4",
            "--seconds",
            "6",
            "--think",
            "0.3",
            "--baseline-rounds",
            "1",
            "--kinds",
            "search",
            "--no-idle-llm",
            "--json",
            "--data-dir",
            str(data),
        ],
        cwd=ROOT,
        # One answer waiting for the LLM at most: the turns under way at the end finish soon, and the
        # queue's 503 path is taken.
        env={**os.environ, "PYTHONPATH": str(ROOT), "GOVQA_MODEL_DIR": str(model_dir()), "GOVQA_LLM__MAX_WAITING": "1"},
        capture_output=True,
        text=True,
        timeout=560,
    )
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["other_5xx"] == 0 and result["readyz_after"] == 200
    assert result["requests"] > 0 and result["answered_200"] > 0 and not result["client_errors"]
    assert "search" in {row["mode"] for row in result["modes"]}
