"""Writing output files so that readers see the old file or the whole new one, never a half.

A regular file is written to a temporary file beside it and renamed over it
when complete. Anything else that already exists (a device such as /dev/null,
a FIFO, a terminal) is written in place: renaming over it would replace the
device with a regular file. ``-`` is standard output. A path that cannot be
written (a folder, a path under a file, no permission, a full disk) is an
InputError naming it, and no temporary file is left behind. Every command
writes its files through here.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import InputError

STDOUT = "-"


def _cannot(err: OSError, path: Path) -> InputError:
    return InputError(f"cannot write: {err.strerror or err}", path)


def check_output(path: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse, before any work, an output that is a folder, lies under a file, or is one of the inputs."""
    if str(path) == STDOUT:
        return
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder; give a file name", path)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"cannot write: {parent} is not a folder", path)
            break
    for source in inputs:
        if _same_file(path, Path(source)):
            raise InputError(f"is also an input ({source}); write the output to another file", path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


@contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write a file so that readers see the old one or the whole new one, never a half."""
    if str(path) == STDOUT:
        yield _stdout(mode)
        return
    path = Path(path)
    check_output(path)
    try:
        existing = path.stat()
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _in_place(path, mode) as device:
            yield device
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _cannot(err, path) from None
    try:
        handle: IO[Any]
        with (os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # a full disk shows here, before the old file is replaced
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; the output is for others to read
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot(err, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _in_place(path: Path, mode: str) -> Iterator[IO[Any]]:
    """A device or FIFO: opened and written as it is, never replaced."""
    try:
        handle = open(path, mode) if "b" in mode else open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as err:
        raise _cannot(err, path) from None
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as err:
        raise _cannot(err, path) from None


def _stdout(mode: str) -> IO[Any]:
    return sys.stdout.buffer if "b" in mode else sys.stdout


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)
