"""Synthetic council plans for the benchmarks: copies of the bundled plans under new IRIs, written fast.

Each bundled plan's graph is turned once into an N-Triples text with its key
(GSS code) and council names as placeholders; copy ``i`` is that text with
``E9xxxxxxx`` codes and "Synthetic Council xxxx" names filled in, written
straight to a file (no rdflib), so 600 plans take seconds, not minutes. Each
copy is a full plan (~70-87 responses) with its own findings.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pyoxigraph as ox

import wpgraph

SOURCE = "<https://w3id.org/wpgraph/id/source/"
FILE_NAME = '<https://w3id.org/wpgraph/ns#fileName> "'
NAMES = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "https://w3id.org/wpgraph/ns#shortName")


def plan_texts() -> list[str]:
    """The bundled plans as N-Triples templates with ``@@KEY@@``, ``@@NAME@@`` and ``@@SHORT@@`` placeholders."""
    texts = []
    with tempfile.TemporaryDirectory() as tmp, wpgraph.open_build(Path(tmp) / "build") as build:
        for entry in build.plans:
            key = entry.plan.rsplit("/", 1)[1]
            triples = []
            for quad in build.triples(entry.graph):
                obj = quad.object
                if quad.subject.value == entry.council and quad.predicate.value in NAMES:
                    placeholder = "@@SHORT@@" if quad.predicate.value.endswith("shortName") else "@@NAME@@"
                    obj = ox.Literal(placeholder, language=obj.language) if obj.language else ox.Literal(placeholder)
                triples.append(ox.Triple(quad.subject, quad.predicate, obj))
            text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            text = text.replace(f"/{key}", "/@@KEY@@").replace(f'"{key}"', '"@@KEY@@"')
            # each council has seed documents of its own, as real ones do (shared seed IRIs would make the
            # copies share source nodes, which no real collection does)
            text = text.replace(SOURCE, SOURCE + "@@KEY@@/").replace(FILE_NAME, FILE_NAME + "@@KEY@@/")
            texts.append(text)
    return texts


def write_plans(n: int, folder: Path, texts: list[str] | None = None) -> list[Path]:
    """``n`` synthetic plan files (N-Triples) in ``folder``."""
    texts = texts or plan_texts()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in zip(range(n), itertools.cycle(texts)):
        key = f"E9{i:07d}"
        path = folder / f"synthetic-{i:04d}.nt"
        path.write_text(text.replace("@@KEY@@", key).replace("@@NAME@@", f"Synthetic Council {i:04d}")
                        .replace("@@SHORT@@", f"Synthetic {i:04d}"), encoding="utf-8")
        paths.append(path)
    return paths
