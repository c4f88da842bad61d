"""``manifest.json``: what a build was made from, so that it can be trusted, refreshed and described.

It records wpgraph's version, a digest of the code that maps sources to RDF,
and every input (the package's reference files and each plan source) with its
path, sha256, named graph and triple count. ``open_build`` compares it with the
inputs on disk to refresh only what changed; a file's size and modification
time are kept beside its digest so that an unchanged input is not read again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..about import version
from ..outputs import write_bytes_atomic
from ..resources import bundled

MANIFEST_FILE = "manifest.json"
FORMAT = 3
# The code whose output is in a build: a change in any of these folders rebuilds every graph.
BUILD_CODE = ("ingest", "align.py", "model", "reference", "dataset", "namespaces.py", "rdfio.py")
BUILD_DATA = (("data", "reference", "roles.csv"),)


@dataclass
class GraphEntry:
    """A named graph of the package's reference data (ontology, a vocabulary, the catalogue)."""

    graph: str
    triples: int
    files: list[str]  # the bundled files it is made from
    sha256: str


@dataclass
class InputEntry:
    """A plan source and what it became."""

    path: str  # as the user gave it, or ``bundled:data/plans/…``
    kind: str  # folder | template | rdf
    sha256: str
    stamp: list[list[Any]]  # [[name, size, mtime_ns], …] of its files
    graph: str
    plan: str
    council: str
    council_label: str
    triples: int
    council_statements: str  # sha256 of what it says of its council, which plans of one council must agree on
    derived_graph: str = ""  # the graph the build derives from it: coverage, repeated rows
    derived_triples: int = 0
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    wpgraph: str
    code: str
    reference: list[GraphEntry]
    inputs: list[InputEntry]
    format: int = FORMAT
    description_graph: str = ""  # the build's VoID/DCAT description of itself (wpgraph.dataset.description)
    description_triples: int = 0
    # False after a refresh that a reading command made and did not compact (dataset.build: build(compact=...))
    compacted: bool = True

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    def graphs(self) -> dict[str, int]:
        """Every named graph of the build and its triple count."""
        counts = {g.graph: g.triples for g in self.reference}
        counts.update({i.graph: i.triples for i in self.inputs})
        counts.update({i.derived_graph: i.derived_triples for i in self.inputs if i.derived_graph})
        if self.description_graph:
            counts[self.description_graph] = self.description_triples
        return dict(sorted(counts.items()))

    @property
    def triples(self) -> int:
        return sum(self.graphs().values())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(wpgraph=data["wpgraph"], code=data["code"], format=data["format"],
                   reference=[GraphEntry(**g) for g in data["reference"]],
                   inputs=[InputEntry(**i) for i in data["inputs"]],
                   description_graph=data.get("description_graph", ""),
                   description_triples=data.get("description_triples", 0),
                   compacted=data.get("compacted", True))


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of a build folder; None when there is none, or one this wpgraph cannot read."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Manifest.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_bytes_atomic(folder / MANIFEST_FILE, manifest.to_json())


@cache
def code_digest() -> str:
    """sha256 of wpgraph's version and of the code that turns sources into RDF."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"wpgraph {version()}\n".encode())
    for part in BUILD_CODE:
        root = package / part
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for parts in BUILD_DATA:  # reference tables the mapping code reads, which are no named graph of their own
        digest.update("/".join(parts).encode() + b"\0" + bundled(*parts).read_bytes() + b"\0")
    return digest.hexdigest()
