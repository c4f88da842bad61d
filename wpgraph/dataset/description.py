"""The build's description of itself, in VoID, DCAT and PROV-O: its own named graph, written with every build.

``wpid:graph/description`` says what the dataset is (a ``void:Dataset`` and
``dcat:Dataset`` under the Open Government Licence v3.0, the licence of the
public-sector documents it is read from), which named graphs it holds and how
many triples each has, which files each graph was read from with their sha256
(SPDX checksums), and that a ``prov:Activity``, the build, made it with a given
version of wpgraph. It holds no wall-clock time: the same inputs give the same
bytes, as for every other graph of a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote

import pyoxigraph as ox

from ..namespaces import ONTOLOGY_IRI, PREFIXES, WPID_NS
from .manifest import Manifest
from .reference import CATALOGUE_GRAPH, ONTOLOGY_GRAPH

DESCRIPTION_GRAPH = WPID_NS + "graph/description"
DATASET = WPID_NS + "dataset"
BUILD_ACTIVITY = WPID_NS + "build"
SOFTWARE = WPID_NS + "software/wpgraph"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
_RDF, _RDFS, _DCT, _PROV, _OWL = (PREFIXES[p] for p in ("rdf", "rdfs", "dcterms", "prov", "owl"))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def file_iri(path: str) -> str:
    """A build input file's IRI, from the path the manifest names it by (``bundled:data/…`` or as given)."""
    if path.startswith("bundled:data/sources/"):  # a seed document: the IRI its facts already cite
        return WPID_NS + "source/" + quote(path.removeprefix("bundled:data/sources/"), safe="/._-")
    return WPID_NS + "input/" + quote(path.replace("bundled:", "bundled/", 1).replace("\\", "/"), safe="/._-")


def _licence(graph: str) -> str:
    """The ontology and vocabularies are wpgraph's own (CC BY 4.0); everything read from the public-sector
    documents (the catalogue, each council's plan and what the build derives from it) is under the OGL v3.0."""
    return CC_BY if graph == ONTOLOGY_GRAPH or graph.startswith(WPID_NS + "graph/vocab/") else OGL


def description_triples(manifest: Manifest, files: Mapping[str, Sequence[tuple[str, str]]],
                        seeds: Mapping[str, Iterable[str]], seed_digests: Mapping[str, str]) -> list[ox.Triple]:
    """The description of a build.

    ``files``: each graph's input files as (path as the manifest names it, sha256); ``seeds``: the seed documents
    (by IRI) each graph cites; ``seed_digests``: each seed document's sha256, by IRI.
    """
    out: list[ox.Triple] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(_n(s), _n(p), o))

    dataset, activity = DATASET, BUILD_ACTIVITY
    for kind in (VOID + "Dataset", DCAT + "Dataset", _PROV + "Entity"):
        add(dataset, _RDF + "type", _n(kind))
    add(dataset, _DCT + "title", _text("wpgraph: English councils' answers to the Adult Social Care COVID-19 "
                                       "Winter Plan 2020-21", "en"))
    add(dataset, _DCT + "description", _text(
        "The national winter plan's requirements and councils' plans in answer to them, every fact traced to the "
        "line of the document it came from; one named graph per source.", "en"))
    add(dataset, _DCT + "license", _n(OGL))
    add(dataset, _RDFS + "comment", _text(
        "Contains public sector information licensed under the Open Government Licence v3.0. The ontology and "
        "vocabularies are wpgraph's own, under CC BY 4.0.", "en"))
    add(dataset, VOID + "vocabulary", _n(ONTOLOGY_IRI))
    add(dataset, _DCT + "conformsTo", _n(ONTOLOGY_IRI))
    graphs = manifest.graphs()
    add(dataset, VOID + "triples", _int(sum(graphs.values())))
    add(dataset, _PROV + "wasGeneratedBy", _n(activity))

    add(activity, _RDF + "type", _n(_PROV + "Activity"))
    add(activity, _RDFS + "label", _text(f"wpgraph build (wpgraph {manifest.wpgraph})", "en"))
    add(activity, _PROV + "wasAssociatedWith", _n(SOFTWARE))
    add(SOFTWARE, _RDF + "type", _n(_PROV + "SoftwareAgent"))
    add(SOFTWARE, _RDFS + "label", _text(f"wpgraph {manifest.wpgraph}"))
    add(SOFTWARE, _OWL + "versionInfo", _text(manifest.wpgraph))

    used: dict[str, str] = dict(seed_digests)
    for graph, count in graphs.items():
        add(dataset, VOID + "subset", _n(graph))
        for kind in (VOID + "Dataset", DCAT + "Dataset"):
            add(graph, _RDF + "type", _n(kind))
        add(graph, VOID + "triples", _int(count))
        add(graph, _DCT + "license", _n(_licence(graph)))
        add(graph, _PROV + "wasGeneratedBy", _n(activity))
        for path, digest in files.get(graph, ()):
            iri = file_iri(path)
            add(graph, _DCT + "source", _n(iri))
            add(iri, _DCT + "identifier", _text(path))
            used[iri] = digest
        for seed in seeds.get(graph, ()):
            if seed in seed_digests:
                add(graph, _DCT + "source", _n(seed))
    for iri, digest in used.items():
        add(activity, _PROV + "used", _n(iri))
        add(iri, _RDF + "type", _n(_PROV + "Entity"))
        checksum = iri + ("&" if "#" in iri else "#") + "sha256"
        add(iri, SPDX + "checksum", _n(checksum))
        add(checksum, _RDF + "type", _n(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", _text(digest))
    if CATALOGUE_GRAPH in graphs:
        add(CATALOGUE_GRAPH, _RDFS + "comment", _text(
            "Read from the LGA gap-analysis template and the seed documents that quote the national plan.", "en"))
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

