"""Findings kept with the build, plan by plan, so that a changed plan is the only one validated again.

A plan's findings depend on its own graphs, the reference graphs, the shapes
and wpgraph's code: the cache key holds the digests of all four, and a plan
whose key changed is validated again, alone or with the other changed plans,
on its own graphs beside the reference graphs. Files are written atomically;
two commands filling the cache at once write the same content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..outputs import write_bytes_atomic
from .report import Finding

CACHE_DIR = "validation"
CATALOGUE = "catalogue"


@cache
def validation_code_digest() -> str:
    """sha256 of the code that turns shapes and data into findings."""
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: str) -> str:
    return hashlib.sha256("\n".join((validation_code_digest(), *parts)).encode()).hexdigest()


class FindingsCache:
    """``BUILD/validation/<engine>/<graph>.json``: one plan's findings (or the catalogue's) and their key."""

    def __init__(self, folder: Path, engine: str) -> None:
        self.folder = folder / CACHE_DIR / engine

    def _path(self, name: str) -> Path:
        return self.folder / (hashlib.sha256(name.encode()).hexdigest()[:24] + ".json")

    def get(self, name: str, key: str) -> list[Finding] | None:
        try:
            data = json.loads(self._path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key or data.get("fields") != list(FIELDS):
            return None
        try:
            return [Finding(*row) for row in data["rows"]]
        except (KeyError, TypeError):
            return None

    def put(self, name: str, key: str, findings: Iterable[Finding]) -> None:
        # rows of values under one list of field names: a national build keeps tens of thousands of findings,
        # and lists read back faster than objects
        data = {"key": key, "fields": list(FIELDS), "rows": [[getattr(f, n) for n in FIELDS] for f in findings]}
        write_bytes_atomic(self._path(name), json.dumps(data, ensure_ascii=False).encode("utf-8"))


FIELDS = tuple(Finding.__dataclass_fields__)
