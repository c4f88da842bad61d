"""The embedded store: the built dataset in a persistent pyoxigraph store under the build folder.

``open_store()`` returns a store loaded with ``build_dataset()``. It is kept in
``BUILD/store/`` with a fingerprint of everything the dataset is made from (the
bundled ontology and data files, wpgraph's own code and version); it is rebuilt
only when that fingerprint changes. A rebuild writes a fresh folder and swaps it
in, so a reader never sees a half-loaded store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from ..about import version
from ..resources import bundled

DEFAULT_BUILD = Path("build")
STORE_DIR = "store"
FINGERPRINT_FILE = "fingerprint.json"
DB_DIR = "oxigraph"


def source_files() -> list[Path]:
    """What the dataset is built from: the bundled ontology and data, and the package's code."""
    files: list[Path] = []
    for part in ("ontology", "data"):
        root = bundled(part)
        if root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file())
    package = Path(__file__).resolve().parent
    files += sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    return files


def fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"wpgraph {version()} pyoxigraph {ox.__version__}\n".encode())
    for path in source_files():
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _current(folder: Path, wanted: str) -> bool:
    try:
        recorded = json.loads((folder / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded.get("fingerprint") == wanted and (folder / DB_DIR).is_dir()


def build_store(folder: Path, wanted: str) -> None:
    """Load the built dataset into a new store under ``folder`` and record its fingerprint."""
    from .build import build_dataset

    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=folder))
    try:
        store = ox.Store(str(staging / DB_DIR))
        store.bulk_load(build_dataset().trig(), format=ox.RdfFormat.TRIG)
        store.flush()
        del store
        (staging / FINGERPRINT_FILE).write_text(json.dumps({"fingerprint": wanted}) + "\n", encoding="utf-8")
        old = folder / (".old-" + os.urandom(4).hex())
        if (folder / DB_DIR).exists():
            (folder / DB_DIR).rename(old)
        (folder / FINGERPRINT_FILE).unlink(missing_ok=True)
        (staging / DB_DIR).rename(folder / DB_DIR)
        (staging / FINGERPRINT_FILE).rename(folder / FINGERPRINT_FILE)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def open_store(build: str | Path | None = None, rebuild: bool = False) -> ox.Store:
    """The embedded store for ``build`` (default ``./build``), rebuilt first if a source changed."""
    folder = Path(build or DEFAULT_BUILD) / STORE_DIR
    wanted = fingerprint()
    if rebuild or not _current(folder, wanted):
        build_store(folder, wanted)
    return ox.Store.read_only(str(folder / DB_DIR))


def memory_store(trig: bytes) -> ox.Store:
    """An in-memory store holding a TriG dataset (tests, benchmarks)."""
    store = ox.Store()
    store.bulk_load(trig, format=ox.RdfFormat.TRIG)
    return store
