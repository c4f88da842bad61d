"""The build folder's lock and its Oxigraph store.

Two wpgraph commands may work on one build folder at once (two terminals, a CI
job and a notebook). RocksDB, under Oxigraph, allows one writer and undefined
behaviour for readers beside it, so every command takes an advisory lock on
``BUILD/.lock``: shared to read, exclusive to write. A command that has to wait
is told (``on_wait``), then waits; it never reads a half-written store.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

LOCK_FILE = ".lock"
STORE_DIR = "store"

Notify = Callable[[str], None]


class BuildLock:
    """``fcntl.flock`` on ``BUILD/.lock``; ``acquire(exclusive)`` waits, telling ``on_wait`` once that it does."""

    def __init__(self, folder: Path, on_wait: Notify | None = None) -> None:
        self.folder = folder
        self.on_wait = on_wait
        self._fd: int | None = None
        self.exclusive = False

    def acquire(self, exclusive: bool) -> BuildLock:
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(self._fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.on_wait is not None:
                what = "finish writing" if not exclusive else "finish with"
                self.on_wait(f"waiting for another wpgraph command to {what} {self.folder}")
            fcntl.flock(self._fd, mode)
        self.exclusive = exclusive
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def open_read_only(folder: Path) -> ox.Store:
    """The build's store, for reading (hold a shared lock while using it)."""
    return ox.Store.read_only(str(folder / STORE_DIR))


def open_writable(folder: Path) -> ox.Store:
    """The build's store, for writing (hold the exclusive lock)."""
    return ox.Store(str(folder / STORE_DIR))
