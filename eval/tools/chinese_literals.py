"""Count the Chinese string literals in product code, per module.

A literal is a `str` constant with at least one Han character, found by walking each module's AST;
docstrings are left out and every constant piece of an f-string counts on its own (implicitly
concatenated strings are one constant, so a regex split over lines counts once). The homes of
Chinese text (`govqa/messages.py`, `govqa/generation/prompts.py`, `govqa/core/vocab.py` and the
gazetteer `govqa/core/regions.py`) are counted apart from the rest, which should hold only what
has to stay where it is.

    python -m eval.tools.chinese_literals [--list] [ROOT]
"""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("govqa", "ingest", "knowledge_graph")
HOMES = (
    "govqa/messages.py",
    "govqa/generation/prompts.py",
    "govqa/core/vocab.py",
    "govqa/core/regions.py",
    "govqa/policy/vocab.py",
    "govqa/policy/prompts.py",
)
# Support code for the test suites (contract checks speak Chinese on purpose), not product code.
NOT_PRODUCT = ("govqa/testing/",)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Literal:
    """One Chinese literal: where it is and its text."""

    module: str
    line: int
    text: str


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def module_literals(path: Path, module: str) -> Iterator[Literal]:
    """The Chinese literals of one source file, in source order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstring_ids(tree)
    found = [
        Literal(module, node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and _HAN.search(node.value)
    ]
    yield from sorted(found, key=lambda lit: lit.line)


def scan(root: Path) -> dict[str, list[Literal]]:
    """Module path (relative to `root`) → its Chinese literals, for every product module."""
    out: dict[str, list[Literal]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path.relative_to(root).as_posix().startswith(NOT_PRODUCT):
                continue
            module = path.relative_to(root).as_posix()
            out[module] = list(module_literals(path, module))
    return out


def main(argv: list[str] | None = None) -> None:
    """Print the per-module counts, the two group totals and, with --list, each literal outside the homes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path("."), help="repository root")
    parser.add_argument("--list", action="store_true", help="print every literal outside the homes")
    args = parser.parse_args(argv)
    found = scan(args.root)
    homes = {m: lits for m, lits in found.items() if m in HOMES}
    rest = {m: lits for m, lits in found.items() if m not in HOMES and lits}
    for title, group in (("homes (messages, prompts, vocab)", homes), ("elsewhere in product code", rest)):
        total = sum(len(lits) for lits in group.values())
        print(f"{title}: {total} literals in {sum(1 for v in group.values() if v)} modules")
        for module, lits in sorted(group.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(lits):4d}  {module}")
    if args.list:
        for module, lits in sorted(rest.items()):
            for lit in lits:
                print(f"{module}:{lit.line}: {lit.text[:60]!r}")


if __name__ == "__main__":
    main()
