"""Result files: JSON (with settings, embedder, corpus hash, git commit), Markdown, PNG plots."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

from govqa.bootstrap import Container

ROOT = Path(__file__).resolve().parents[1]


def git_commit() -> str:
    """The checked-out commit, or "unknown" outside a git checkout."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def envelope(kind: str, container: Container, params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Wrap a runner's result with what produced it."""
    manifest = container.snapshot().manifest
    return {
        "kind": kind,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "embedder": manifest.embedder_id,
        "corpus_hash": manifest.corpus_hash,
        "index": {"generation": manifest.generation, "documents": manifest.documents, "chunks": manifest.chunks},
        "settings": json.loads(container.settings.model_dump_json()),
        "params": params,
        **result,
    }


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def retrieval_markdown(data: dict[str, Any]) -> str:
    """Tables per dataset (systems side by side), latency, then failures."""
    lines = [
        f"# Retrieval evaluation ({data['created_at']}, commit {data['git_commit']})",
        "",
        f"Embedder `{data['embedder']}`, index {data['index']}, "
        f"params `{json.dumps(data['params'], ensure_ascii=False)}`",
        "",
    ]
    systems = data["systems"]
    datasets = [
        k
        for k in next(iter(systems.values()))
        if isinstance(next(iter(systems.values()))[k], dict) and "n" in next(iter(systems.values()))[k]
    ]
    cols = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10"]
    for ds in datasets:
        lines += [
            f"## {ds} (n={next(iter(systems.values()))[ds]['n']})",
            "",
            "| system | " + " | ".join(cols) + " | clause hit@1 | clause hit@5 |",
            "|---" * (len(cols) + 3) + "|",
        ]
        for name, per in systems.items():
            row = per[ds]
            clause = row.get("clause", {})
            lines.append(
                f"| {name} | "
                + " | ".join(_fmt(row.get(c, "")) for c in cols)
                + f" | {_fmt(clause.get('hit@1', '-'))} | {_fmt(clause.get('hit@5', '-'))} |"
            )
        lines.append("")
    lines += [
        "## Latency (ms per question, warm) and context size",
        "",
        "| system | p50 | p95 | max | chars in top-10 |",
        "|---|---|---|---|---|",
    ]
    for name, per in systems.items():
        lat = per["latency_ms"]
        lines.append(
            f"| {name} | {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['max']:.1f} "
            f"| {per['context_chars_top10_mean']:.0f} |"
        )
    lines += ["", "![hit@k](retrieval_hitk.png)", "", "## Failures (top-1 miss), first 25 per system", ""]
    for name, fails in data["failures"].items():
        lines.append(f"### {name}: {len(fails)}")
        for f in fails[:25]:
            lines.append(
                f"- `{f['id']}` {f['question']} — gold {f['gold']} {f['article']} — got {f['got']} {f['got_clause']}"
            )
        lines.append("")
    return "\n".join(lines)


def generic_markdown(title: str, data: dict[str, Any]) -> str:
    """Summary table and failures of the linking, dialogue and answer runners."""
    lines = [f"# {title} ({data['created_at']}, commit {data['git_commit']})", "", "| metric | value |", "|---|---|"]

    def flat(prefix: str, obj: dict[str, Any]) -> None:
        for key, value in obj.items():
            if isinstance(value, dict):
                flat(f"{prefix}{key}.", value)
            else:
                lines.append(f"| {prefix}{key} | {_fmt(value)} |")

    flat("", data["summary"])
    for section in ("by_kind", "by_mode"):
        groups = data.get(section)
        if not groups:
            continue
        keys = [
            "n",
            "key_fact_recall",
            "refusal_accuracy",
            "citation_precision",
            "forbidden_shown",
            "replies_with_unsupported_sentence",
        ]
        lines += [
            "",
            f"## {section.replace('_', ' ')}",
            "",
            "| group | " + " | ".join(keys) + " | p50 s |",
            "|---" * (len(keys) + 2) + "|",
        ]
        for name, summary in groups.items():
            cells = " | ".join(_fmt(summary.get(k)) for k in keys)
            lines.append(f"| {name} | {cells} | {_fmt(summary.get('latency_s', {}).get('p50'))} |")
    lines += ["", f"## Failures ({len(data['failures'])})", ""]
    lines += [f"- {json.dumps(f, ensure_ascii=False)}" for f in data["failures"][:60]]
    return "\n".join(lines)


def plot_retrieval(data: dict[str, Any], folder: Path) -> None:
    """hit@k curves per system and latency bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for name, per in data["systems"].items():
        left.plot(range(1, 11), per["hit_curve"], marker="o", label=name)
    left.set_xlabel("k")
    left.set_ylabel("document hit@k (all questions)")
    left.set_ylim(0, 1)
    left.legend()
    names = list(data["systems"])
    right.bar([n + " p50" for n in names], [data["systems"][n]["latency_ms"]["p50"] for n in names])
    right.bar([n + " p95" for n in names], [data["systems"][n]["latency_ms"]["p95"] for n in names])
    right.set_ylabel("ms per question")
    right.tick_params(axis="x", rotation=60)
    fig.tight_layout()
    fig.savefig(folder / "retrieval_hitk.png", dpi=110)
    plt.close(fig)


def write(folder: Path, name: str, data: dict[str, Any], markdown: str) -> Path:
    """Write NAME.json and NAME.md into folder; return the JSON path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / f"{name}.md").write_text(markdown, encoding="utf-8")
    return path


def compare(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """Lines "system dataset metric old -> new (delta)" for every shared numeric metric."""
    out = []
    for system, per in new.get("systems", {}).items():
        for ds, row in per.items():
            if not isinstance(row, dict) or "n" not in row:
                continue
            before = old.get("systems", {}).get(system, {}).get(ds, {})
            for metric, value in row.items():
                if isinstance(value, float) and isinstance(before.get(metric), float):
                    out.append(
                        f"{system:<10} {ds:<32} {metric:<8} {before[metric]:.3f} -> {value:.3f} "
                        f"({value - before[metric]:+.3f})"
                    )
    for key, value in new.get("summary", {}).items():
        if isinstance(value, float) and isinstance(old.get("summary", {}).get(key), float):
            out.append(f"{key:<24} {old['summary'][key]:.3f} -> {value:.3f} ({value - old['summary'][key]:+.3f})")
    return out
