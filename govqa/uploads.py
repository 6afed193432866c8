"""Where admin uploads are written and which server paths the admin API may ingest.

Nothing is written outside DATA_DIR/uploads: an upload's name must be a plain file name (no
folder part, no `..`, not hidden) with a supported suffix, and its size is bounded while it is
read, whatever the request claims. A file uploaded again under the same name replaces the
earlier one, so its documents are updated rather than duplicated.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import BinaryIO

from govqa.core.errors import InvalidInputError
from ingest.loaders import LOADERS

_BLOCK = 1 << 20


def safe_upload_name(name: str) -> str:
    """The name an upload is stored under; InvalidInputError for a traversal or unsupported name."""
    clean = unicodedata.normalize("NFC", name or "").strip()
    if (
        not clean
        or clean in (".", "..")
        or clean.startswith(".")
        or any(c in clean for c in "/\\\x00:")
        or any(unicodedata.category(c).startswith("C") for c in clean)
        or len(clean.encode("utf-8")) > 200
    ):
        raise InvalidInputError(f"unsafe upload file name {name!r}: give a plain file name such as guide.md")
    suffix = Path(clean).suffix.lower()
    if suffix not in LOADERS:
        raise InvalidInputError(f"unsupported upload {name!r}: supported file types are {', '.join(sorted(LOADERS))}")
    return clean


def save_upload(folder: Path, name: str, stream: BinaryIO, max_bytes: int) -> Path:
    """Copy `stream` to `folder/name` (name checked), at most `max_bytes`; atomic replace."""
    target = folder / safe_upload_name(name)
    folder.mkdir(parents=True, exist_ok=True)
    if target.resolve().parent != folder.resolve():
        raise InvalidInputError(f"unsafe upload file name {name!r}")
    partial = folder / f".{target.name}.{os.getpid()}.part"
    size = 0
    try:
        with partial.open("wb") as out:
            while block := stream.read(_BLOCK):
                size += len(block)
                if size > max_bytes:
                    raise InvalidInputError(
                        f"upload {name!r} exceeds the {max_bytes} byte limit (GOVQA_ADMIN__MAX_UPLOAD_BYTES)"
                    )
                out.write(block)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def allowed_path(path: str, roots: tuple[Path, ...]) -> Path:
    """A server path the admin API may ingest: an existing file or folder under one of `roots`."""
    resolved = Path(path).expanduser().resolve()
    for root in roots:
        base = root.expanduser().resolve()
        if resolved == base or resolved.is_relative_to(base):
            if not resolved.exists():
                raise InvalidInputError(f"no such file or folder on the server: {path}")
            return resolved
    shown = ", ".join(str(r) for r in roots)
    raise InvalidInputError(
        f"{path} is outside the folders the admin API may read ({shown}); add it to GOVQA_ADMIN__INGEST_ROOTS"
    )
