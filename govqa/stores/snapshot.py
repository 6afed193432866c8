"""A holder that follows the live index generation, reopening its view when ingest publishes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from govqa.core.errors import NotIndexedError
from govqa.core.view import IndexView
from govqa.stores.generations import Layout


class SnapshotHolder:
    """Gives the view of the current generation; `open_view` opens one (bootstrap decides how)."""

    def __init__(self, layout: Layout, open_view: Callable[[Path], IndexView]) -> None:
        self._layout = layout
        self._open_view = open_view
        self._lock = threading.Lock()
        self._view: IndexView | None = None
        self._folder: Path | None = None
        self._retired: IndexView | None = None

    def get(self) -> IndexView:
        """The live view; NotIndexedError before the first ingest."""
        with self._lock:
            # CURRENT is read under the lock: a request that read it just before a swap and got the
            # lock just after would otherwise reopen the generation it names, which the previous
            # swap retired but keeps open (Qdrant's local mode refuses a second client on a folder).
            folder = self._layout.current()
            if folder is None:
                raise NotIndexedError(
                    "nothing is indexed yet: run `govqa ingest PATH` (or `govqa ingest --sample`) first"
                )
            if self._view is None or self._folder != folder:
                fresh = self._open_view(folder)
                # Requests still running on the previous view keep it until the next swap.
                if self._retired is not None:
                    self._retired.close()
                self._retired, self._view, self._folder = self._view, fresh, folder
            return self._view

    def close(self) -> None:
        """Close the open views, if any."""
        with self._lock:
            for view in (self._view, self._retired):
                if view is not None:
                    view.close()
            self._view = self._retired = None
            self._folder = None
