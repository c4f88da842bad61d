"""Where the bundled ontology, shapes, data and queries live.

In an installed wheel they are package data under ``wpgraph/_bundled``; in a
source checkout (or an editable install) they are the top-level folders next to
the package. Either way they are found from the package's own location, never
from the working directory.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

# The SKOS vocabularies in data/vocab, each its own named graph.
VOCAB_FILES = ("themes", "statuses", "actors", "partners", "role-types", "coverage")


@cache
def bundle_root() -> Path:
    """The folder that holds ``ontology/``, ``shapes/``, ``data/`` and ``queries/``."""
    packaged = Path(str(resources.files("wpgraph"))) / "_bundled"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise RuntimeError("wpgraph's bundled ontology/, shapes/, data/ and queries/ are missing from this installation")


def bundled(*parts: str) -> Path:
    """A path inside the bundle, e.g. ``bundled("data", "vocab")``."""
    return bundle_root().joinpath(*parts)
