"""The load-test script end to end for a few seconds: it starts the real app, and no request gets a
5xx other than the LLM queue's 503."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_short_load_run_reports_no_other_5xx(tmp_path: Path) -> None:
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
            "--json",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["other_5xx"] == 0 and result["readyz_after"] == 200
    assert result["requests"] > 0 and result["answered_200"] > 0
    modes = {row["mode"] for row in result["modes"]}
    assert {"clarify", "search", "clause"} <= modes, modes
