"""Operator commands (curated answers, feedback, log export) on a real operator DB, through the real CLI app."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from unittest import mock

from typer.testing import CliRunner

from govqa.bootstrap import Container
from govqa.cli import app
from govqa.config import Settings
from govqa.core.types import Answer, Citation


def govqa(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (settings from the environment, as `govqa` reads them)."""
    with mock.patch.dict(os.environ, {"GOVQA_DATA_DIR": str(data)}):
        result = CliRunner().invoke(app, list(args))
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


QUESTION = "我的身份证号110101199003071234，公积金怎么提取"


def _seed(data: Path) -> int:
    """One logged answer and its thumbs-down, written the way the service writes them."""
    c = Container(Settings(data_dir=data, model_dir=data / "models"))
    try:
        cite = Citation(1, "c1", "JL-GJJ-TQ-001", "住房公积金提取", "", "办理流程", "", "网上办理")
        c.turn_log.append("s1", QUESTION, Answer("可以在网上办理。[1]", (cite,), mode="extracted"))
        return c.feedback_desk.rate("s1", "down", "没说要带什么材料").id
    finally:
        c.close()


def test_curated_answers_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = govqa(data, "curated", "add", "公积金热线是多少", "请拨打12329。", "-p", "公积金电话", "--json")
    assert added.returncode == 0, added.stderr
    entry = json.loads(added.stdout)[0]
    assert entry["question"] == "公积金热线是多少" and entry["paraphrases"] == ["公积金电话"]

    changed = govqa(data, "curated", "update", str(entry["id"]), "--answer", "请拨打12329热线。", "--json")
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout)[0] | {"updated_at": ""} == entry | {
        "answer": "请拨打12329热线。",
        "updated_at": "",
    }

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"question": "社保卡丢了怎么办", "answer": "携带身份证到窗口补办。"}, ensure_ascii=False)
        + "\n{not json\n",
        encoding="utf-8",
    )
    refused = govqa(data, "curated", "import", str(bad))
    assert refused.returncode == 64 and "line 2" in refused.stderr and "nothing imported" in refused.stderr
    bad.write_text(bad.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert govqa(data, "curated", "import", str(bad)).returncode == 0

    listed = json.loads(govqa(data, "curated", "list", "--json").stdout)
    assert [e["question"] for e in listed] == ["公积金热线是多少", "社保卡丢了怎么办"]
    assert govqa(data, "curated", "delete", str(entry["id"])).returncode == 0
    missing = govqa(data, "curated", "delete", str(entry["id"]))
    assert missing.returncode != 0 and "no curated answer" in missing.stderr

    c = Container(Settings(data_dir=data, model_dir=data / "models"))
    try:
        trail = [(a.who, a.action, a.outcome) for a in reversed(c.audit.recent())]
    finally:
        c.close()
    assert [action for _, action, _ in trail] == [
        "curated.add", "curated.update", "curated.import", "curated.delete", "curated.delete",
    ]  # fmt: skip
    assert all(who.startswith("cli:") for who, _, _ in trail)
    assert trail[-1][2] == "SessionNotFoundError" and trail[0][2] == "ok"


def test_feedback_triage_and_exports_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    feedback_id = _seed(data)

    open_ones = json.loads(govqa(data, "feedback", "list", "--rating", "down", "--unhandled", "--json").stdout)
    assert [f["id"] for f in open_ones] == [feedback_id]
    assert "110101199003071234" not in open_ones[0]["question"] and "公积金怎么提取" in open_ones[0]["question"]
    assert json.loads(govqa(data, "feedback", "list", "--rating", "up", "--json").stdout) == []

    exported = govqa(data, "feedback", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout.lstrip("\ufeff"))))
    assert [r["comment"] for r in rows] == ["没说要带什么材料"] and json.loads(rows[0]["citations"])[0]["doc_id"]

    curated = govqa(data, "feedback", "curate", str(feedback_id), "提取需要身份证和提取申请表。", "--json")
    assert curated.returncode == 0, curated.stderr
    assert json.loads(curated.stdout)[0]["source_feedback"] == feedback_id
    assert json.loads(govqa(data, "feedback", "list", "--unhandled", "--json").stdout) == []
    assert govqa(data, "feedback", "handle", "999").returncode != 0

    out = tmp_path / "log.jsonl"
    assert govqa(data, "conversations", "export", "--format", "jsonl", "--out", str(out)).returncode == 0
    turns = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [t["session_id"] for t in turns] == ["s1"] and "110101199003071234" not in out.read_text(encoding="utf-8")
