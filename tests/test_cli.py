"""The `govqa` command as operators run it (subprocess, real settings from the environment)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def govqa(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOVQA_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "govqa.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_status_and_questions_before_any_ingest(tmp_path: Path) -> None:
    status = govqa(tmp_path, "status", "--json")
    assert status.returncode == 0 and json.loads(status.stdout)["indexed"] is False
    early = govqa(tmp_path, "search", "公积金")
    assert early.returncode == 66 and "govqa ingest" in early.stderr
    empty = govqa(tmp_path, "search", "  ")
    assert empty.returncode == 64 and "问题不能为空" in empty.stderr


def test_bad_options_are_one_line_errors_with_their_exit_code(tmp_path: Path) -> None:
    checks = tmp_path / "checks.jsonl"
    checks.write_text(json.dumps({"question": "公积金怎么取"}) + "\n", encoding="utf-8")
    measured = govqa(tmp_path / "empty", "eval", "answers", "--qa", str(checks), "--out", str(tmp_path / "out"))
    assert measured.returncode == 64 and "nothing is indexed" in measured.stderr and "Traceback" not in measured.stderr
    typed = govqa(tmp_path, "ingest", str(checks), "--collection-type", "kb")
    assert typed.returncode == 64 and "NAME=TYPE" in typed.stderr and "Traceback" not in typed.stderr


@pytest.mark.slow
def test_ingest_reports_bad_files_with_exit_3_and_indexes_the_rest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.md").write_text("# 江临市养老服务通知\n\n老年人可以申请居家养老服务补贴。", encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    with (docs / "huge.txt").open("wb") as fh:  # sparse: 200 MB without writing them
        fh.truncate(200 * 1024 * 1024)
    run = govqa(tmp_path / "data", "ingest", str(docs), "--json")
    assert run.returncode == 3, run.stderr
    report = json.loads(run.stdout)
    failed = {Path(f["path"]).name: f["reason"] for f in report["files"] if f["status"] == "failed"}
    assert set(failed) == {"broken.pdf", "huge.txt"}
    assert "GOVQA_INGEST__MAX_FILE_BYTES" in failed["huge.txt"]
    assert report["documents_total"] == 1
    saved = json.loads((tmp_path / "data" / "reports" / "last-ingest.json").read_text(encoding="utf-8"))
    assert saved["failed"] == 2
    inspect = govqa(tmp_path / "data", "inspect", "ok", "--json")
    assert json.loads(inspect.stdout)["chunks"][0]["text"].startswith("# 江临市养老服务通知")
    deleted = govqa(tmp_path / "data", "delete", "ok")
    assert deleted.returncode == 0
    status = json.loads(govqa(tmp_path / "data", "status", "--json").stdout)
    assert status["documents"] == 0
    again = govqa(tmp_path / "data", "ingest", str(docs / "ok.md"), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["documents_total"] == 1
