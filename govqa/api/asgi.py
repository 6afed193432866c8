"""The app of one worker process when `govqa serve --workers N` runs several (uvicorn's factory)."""

from __future__ import annotations

from fastapi import FastAPI

from govqa.api.app import create_app
from govqa.bootstrap import container


def app() -> FastAPI:
    """A worker's app: its own container from the GOVQA_* settings, models loaded before serving."""
    c = container()
    c.preload()
    return create_app(c)
