"""`govqa serve` as a real process keeps answering while `govqa ingest` runs, then serves the new index."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from govqa.bootstrap import Container
from tests.servers import serve_process

pytestmark = pytest.mark.slow


def test_ingest_while_serving_swaps_in_the_new_index(real_container: Container, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # Start from a copy of the session's index and vector cache (same models, so nothing is re-embedded).
    shutil.copytree(real_container.layout.root, data, ignore=shutil.ignore_patterns("*.lock", "sessions.sqlite*"))
    env = {"GOVQA_DATA_DIR": str(data), "GOVQA_MODEL_DIR": str(real_container.settings.model_dir)}
    notice = tmp_path / "notice.md"
    notice.write_text(
        "# 江临市关于延长政务服务大厅周六办理时间的通知\n\n自2026年12月起，市政务服务中心周六上午9:00至12:00开放"
        "户籍、社保、公积金窗口，办理预约业务。\n",
        encoding="utf-8",
    )
    with serve_process(env) as url:
        before = httpx.get(url + "/api/v1/search", params={"q": "政务服务中心周六开放时间", "k": 3}).json()
        assert all(h["doc_id"] != "notice" for h in before)
        done = subprocess.run(
            [sys.executable, "-m", "govqa.cli", "ingest", str(notice), "--json"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=600,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert done.returncode == 0, done.stderr
        after = httpx.get(url + "/api/v1/search", params={"q": "政务服务中心周六开放时间", "k": 3}).json()
        assert after[0]["doc_id"] == "notice"
