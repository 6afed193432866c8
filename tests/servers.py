"""Run the real app on a free localhost port: in a thread, or as a `govqa serve` process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from eval.bench.load import free_port
from govqa.api.app import create_app
from govqa.bootstrap import Container


def wait_ready(url: str, timeout: float = 120.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"server exited with {proc.returncode}: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not become ready in {timeout}s")


@contextmanager
def app_in_thread(container: Container) -> Iterator[str]:
    """Serve create_app(container) with uvicorn in a background thread."""
    port = free_port()
    config = uvicorn.Config(  # proxy_headers off, as `govqa serve` runs it
        create_app(container), host="127.0.0.1", port=port, log_level="warning", proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_ready(url)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_process(env: dict[str, str]) -> Iterator[str]:
    """Run `govqa serve` as its own process (the way operators run it)."""
    with server_process(lambda port: ["-m", "govqa.cli", "serve", "--port", str(port)], env) as url:
        yield url


@contextmanager
def server_process(
    arguments: Callable[[int], list[str]], env: dict[str, str], stop_seconds: float = 20
) -> Iterator[str]:
    """Run `python ARGUMENTS(port)` from the repository root on a free port, its URL once healthy;
    terminated (killed after `stop_seconds`) on exit."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, *arguments(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc=proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=stop_seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
