"""wpgraph's version, read from the installed package's metadata: the one place it is kept (pyproject.toml)."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("wpgraph")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
