"""Headless Chromium for the browser tests, and where their screenshots go."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched browser, or skip when Chromium or playwright is missing."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs it with apt-get; or apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def artifacts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Folders the screenshots are written to: one under pytest's tmp path, and GOVQA_ARTIFACTS_DIR when set."""
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("GOVQA_ARTIFACTS_DIR"):
        extra = Path(os.environ["GOVQA_ARTIFACTS_DIR"])
        extra.mkdir(parents=True, exist_ok=True)
        folders.append(extra)
    print(f"\nscreenshots: {', '.join(str(f) for f in folders)}")  # noqa: T201 - tells where the artifacts are
    return folders


def screenshot(page: Any, folders: list[Path], name: str) -> None:
    """Save a full-page screenshot into every artifacts folder."""
    for folder in folders:
        page.screenshot(path=str(folder / name), full_page=False)
