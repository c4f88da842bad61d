"""The one pipeline from sources to the dataset, and the one way every command reads it.

``build(folder, sources)`` writes a build folder::

    BUILD/wpgraph.trig     every named graph, canonical TriG: the same inputs give the same bytes
    BUILD/store/           the same dataset in an Oxigraph store, for queries and validation
    BUILD/manifest.json    wpgraph's version and every input: path, sha256, named graph, triple count
                           (the same facts are in the dataset itself: the graph wpid:graph/description, in
                           VoID, DCAT and PROV-O, wpgraph.dataset.description)
    BUILD/graphs/          each graph's canonical TriG block, from which wpgraph.trig is assembled

A build whose inputs changed is refreshed incrementally: only the named graphs
of plans whose files changed are replaced (a change of the package's reference
data or of wpgraph's own mapping code rebuilds everything). ``open_build``
gives every command the same view of a build folder, refreshed first if an input
changed and made from the bundled plans if the folder holds no build yet;
``temporary_build`` does the same in memory for files checked on their own.
Every input is read and checked before anything is written, so a bad input
leaves the build as it was.

The module stays whole because writing a build and reading one are two sides
of one contract (the folder's layout, the manifest's meaning of "current", the
lock): kept together, a change to one side cannot miss the other.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..model.derived import PlanIndex
from ..namespaces import PREFIXES, WP_NS, WPID_NS
from ..outputs import atomic_output
from ..resources import bundled
from .description import DESCRIPTION_GRAPH, description_triples
from .loading import LoadedPlan, load_source
from .manifest import GraphEntry, InputEntry, Manifest, code_digest, read_manifest, write_manifest
from .reference import reference_entries, reference_graphs
from .sources import Source, bundled_sources, display_path, file_sha256, from_display_path
from .store import STORE_DIR, BuildLock, Notify, open_read_only, open_writable
from .trust import Claims, PlanIdentity

if TYPE_CHECKING:
    from rdflib import Graph

    from .staging import StagedPlan

DEFAULT_BUILD = Path("build")
DATASET_FILE = "wpgraph.trig"
CHUNKS_DIR = "graphs"
# Oxigraph's bulk loader holds what one call loads in memory (about 4 MB a plan) and each call has a fixed cost
# (tens of milliseconds): a fresh build loads its plans in calls of this many
PLANS_PER_BULK_LOAD = 25
INDEX_DIR = "index"


@dataclass
class BuildResult:
    """What ``build`` did: the manifest written, and which plan graphs it (re)loaded or dropped."""

    folder: Path
    manifest: Manifest
    loaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    full: bool = False


# ---------------------------------------------------------------- canonical TriG, one block per graph

def _prefix_header() -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()).encode("utf-8")


def graph_block(name: str, triples: Sequence[ox.Triple]) -> bytes:
    """One named graph as canonical TriG without its prefix lines (the file's header carries them)."""
    graph = ox.NamedNode(name)
    data = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples],
                        format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
    return b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"@prefix "))


def _chunk_path(folder: Path, name: str) -> Path:
    return folder / CHUNKS_DIR / (hashlib.sha256(name.encode()).hexdigest()[:24] + ".trig")


def _index_path(folder: Path, plan_graph: str) -> Path:
    return folder / INDEX_DIR / (hashlib.sha256(plan_graph.encode()).hexdigest()[:24] + ".json")


def _assemble_trig(folder: Path, names: Iterable[str]) -> None:
    with atomic_output(folder / DATASET_FILE) as out:
        out.write(_prefix_header())
        for name in sorted(names):
            out.write(_chunk_path(folder, name).read_bytes())


# ---------------------------------------------------------------- reading the inputs

def _input_entry(plan: LoadedPlan | StagedPlan, stamp: list[list[object]], digest: str) -> InputEntry:
    statements = "\n".join(sorted(f"{p} {o}" for p, o in plan.council_statements()))
    return InputEntry(path=plan.source.label, kind=plan.source.kind, sha256=digest, stamp=stamp,
                      graph=plan.graph, plan=plan.identity.plan, council=plan.identity.council,
                      council_label=plan.council_label(), triples=plan.triple_count,
                      council_statements=hashlib.sha256(statements.encode()).hexdigest(),
                      derived_graph=plan.derived_graph, derived_triples=len(plan.derived.triples),
                      options=dict(plan.source.identity()))


def _entry_key(kind: str, label: str, options: dict[str, str]) -> tuple:
    return (kind, label, tuple(sorted(options.items())))


def _stamp(source: Source) -> list[list[object]]:
    return [list(item) for item in source.stamp()]


def _plan_changes(sources: Sequence[Source], old: Manifest | None
                  ) -> tuple[list[InputEntry], list[tuple[Source, list[list[object]], str]]]:
    """(entries to keep as they are, sources to read again with their stamp and digest)."""
    previous = {_entry_key(e.kind, e.path, e.options): e for e in (old.inputs if old else [])}
    keep: list[InputEntry] = []
    read: list[tuple[Source, list[list[object]], str]] = []
    for source in sources:
        stamp = _stamp(source)
        entry = previous.get(_entry_key(source.kind, source.label, dict(source.identity())))
        if entry is not None and entry.stamp == stamp:
            keep.append(entry)
            continue
        digest = source.digest()
        if entry is not None and entry.sha256 == digest:  # touched, not changed
            entry.stamp = stamp
            keep.append(entry)
            continue
        read.append((source, stamp, digest))
    return keep, read


def check_claims(entries: Iterable[InputEntry]) -> None:
    """An InputError unless the inputs (of builds made apart) claim each plan once and agree on each council."""
    _claim(Claims(), entries)


def _claim(claims: Claims, entries: Iterable[InputEntry]) -> Claims:
    """No two inputs claim one plan, and plans of one council agree on it (``trust.Claims``)."""
    for entry in entries:
        claims.claim(PlanIdentity(entry.plan, entry.council), frozenset({("digest", entry.council_statements)}),
                     entry.path)
    return claims


def _reference_current(old: Manifest | None) -> tuple[bool, list[GraphEntry]]:
    entries = reference_entries()
    if old is None or old.code != code_digest():
        return False, entries
    wanted = {(e.graph, e.sha256) for e in entries}
    return wanted == {(e.graph, e.sha256) for e in old.reference}, entries


# ---------------------------------------------------------------- writing a build folder

def build(folder: str | Path = DEFAULT_BUILD, sources: Sequence[Source] | None = None,
          on_wait: Notify | None = None, compact: bool = True) -> BuildResult:
    """Write (or refresh) the build in ``folder`` from ``sources`` (default: the bundled plans).

    A refresh writes the changed plans into small files beside the store's compacted ones, which every index
    look-up then visits too (at 600 plans, one changed plan made the canned queries a quarter slower).
    ``compact``: compact the store after a refresh, or after an earlier one that was not (a few seconds at
    600 plans); a command that refreshes a build only to read it passes False, and ``wpgraph build`` compacts.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a build folder", folder)
    sources = list(sources) if sources is not None else bundled_sources()
    with BuildLock(folder, on_wait).acquire(exclusive=True):
        return _build_locked(folder, sources, compact)


@dataclass
class _ReadPlans:
    """The plans a build read, each already written out in a staging folder, none held in memory."""

    entries: list[InputEntry] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)  # the plan graphs read
    quads: list[tuple[str, str, Path]] = field(default_factory=list)  # plan graph, derived graph, N-Quads file


def _read_plans(staging: Path, kept: Sequence[InputEntry], to_read: Sequence[tuple[Source, list[list[object]], str]],
                bulk: bool) -> _ReadPlans:
    """Read and check every changed source, one at a time: its TriG blocks and index into ``staging``, its quads
    into an N-Quads file there (``bulk``: a file per PLANS_PER_BULK_LOAD plans, for the bulk loader), then let
    it go, so that memory holds one plan, not the collection. Any InputError leaves the build folder as it was."""
    claims = _claim(Claims(), kept)
    (staging / CHUNKS_DIR).mkdir()
    (staging / INDEX_DIR).mkdir()
    read = _ReadPlans()
    for source, stamp, digest in to_read:
        plan = load_source(source)
        entry = _input_entry(plan, stamp, digest)
        _claim(claims, [entry])
        read.entries.append(entry)
        read.graphs.append(plan.graph)
        for name, triples in plan.named_graphs():
            _chunk_path(staging, name).write_bytes(graph_block(name, triples))
        _index_path(staging, plan.graph).write_text(json.dumps(plan.derived.index.to_json(), ensure_ascii=False),
                                                    encoding="utf-8")
        path = staging / (f"plans-{len(read.quads) // PLANS_PER_BULK_LOAD}.nq" if bulk else f"{len(read.quads)}.nq")
        with open(path, "ab") as handle:
            ox.serialize(plan.quads(), output=handle, format=ox.RdfFormat.N_QUADS)
        read.quads.append((plan.graph, plan.derived_graph, path))
    return read


def _build_locked(folder: Path, sources: Sequence[Source], compact: bool) -> BuildResult:
    old = read_manifest(folder)
    store_present = (folder / STORE_DIR).is_dir()
    reference_ok, reference = _reference_current(old)
    full = not reference_ok or not store_present or old is None
    kept, to_read = _plan_changes(sources, None if full else old)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".read-", dir=folder))
    try:
        read = _read_plans(staging, kept, to_read, bulk=full)  # any InputError: nothing written yet
        entries = kept + read.entries
        graphs = {e.graph: e for e in entries}
        if len(graphs) != len(entries):  # two plan IRIs can share a graph name only through a hash clash
            raise InputError("two plans map to one named graph; give them distinct IRIs")
        gone = [e for e in (old.inputs if old else []) if e.graph not in graphs] if not full else []
        dropped = sorted(e.graph for e in gone)
        dropped_graphs = sorted(name for e in gone for name in (e.graph, e.derived_graph) if name)

        (folder / CHUNKS_DIR).mkdir(parents=True, exist_ok=True)
        (folder / INDEX_DIR).mkdir(parents=True, exist_ok=True)
        ref_triples: dict[str, Sequence[ox.Triple]] = ({g.name: g.triples for g in reference_graphs()}
                                                       if full else {})
        if full:
            for entry in reference:
                entry.triples = len(ref_triples[entry.graph])
        else:
            reference = old.reference if old else reference
        manifest = Manifest(wpgraph=_version(), code=code_digest(), reference=reference,
                            inputs=sorted(entries, key=lambda e: e.graph))
        if full:
            _write_fresh_store(folder, ref_triples, sorted({path for _, _, path in read.quads}), manifest)
        else:
            _update_store(folder, read.quads, dropped_graphs)
        for name, triples in ref_triples.items():
            _chunk_path(folder, name).write_bytes(graph_block(name, triples))
        for kind in (CHUNKS_DIR, INDEX_DIR):
            for path in (staging / kind).iterdir():
                os.replace(path, folder / kind / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for name in dropped_graphs:
        _chunk_path(folder, name).unlink(missing_ok=True)
    for name in dropped:
        _index_path(folder, name).unlink(missing_ok=True)
    if not full:  # (a fresh store was described as it was written, and compacted after)
        if read.graphs or dropped or old is None or not old.description_graph:
            _describe(folder, manifest)
        else:  # nothing the description says has changed (a digest it names changes only with a plan read again)
            manifest.description_graph, manifest.description_triples = (old.description_graph,
                                                                         old.description_triples)
        manifest.compacted = (old is None or old.compacted) and not (read.graphs or dropped_graphs)
        if compact and not manifest.compacted:
            _compact(folder)
            manifest.compacted = True
    all_graphs = list(manifest.graphs())
    _assemble_trig(folder, all_graphs)
    _remove_stale_chunks(folder, all_graphs, [e.graph for e in manifest.inputs])
    write_manifest(folder, manifest)  # last: a build interrupted before this point is redone next time
    return BuildResult(folder, manifest, loaded=sorted(read.graphs), dropped=dropped, full=full)


def _describe(folder: Path, manifest: Manifest) -> None:
    """Write the build's description of itself (``wpgraph.dataset.description``) into its store and its block."""
    store = open_writable(folder)
    try:
        _describe_into(store, folder, manifest)
    finally:
        del store


def _describe_into(store: ox.Store, folder: Path, manifest: Manifest) -> None:
    """Write the build's description into ``store`` and its TriG block, and name it in ``manifest``."""
    triples = describe(manifest, store)
    manifest.description_graph, manifest.description_triples = DESCRIPTION_GRAPH, len(triples)
    _chunk_path(folder, DESCRIPTION_GRAPH).write_bytes(graph_block(DESCRIPTION_GRAPH, triples))


def describe(manifest: Manifest, store: ox.Store) -> list[ox.Triple]:
    """The description of the build ``manifest`` names, replaced in ``store``: each graph's files and their
    sha256, and the seed documents each graph cites."""
    files: dict[str, list[tuple[str, str]]] = {}
    for ref in manifest.reference:
        files[ref.graph] = [(path, file_sha256(from_display_path(path))) for path in ref.files]
    for entry in manifest.inputs:
        source = _source_of(entry)
        found = [(display_path(path), file_sha256(path)) for path in source.files()]
        files[entry.graph] = found
        if entry.derived_graph:
            files[entry.derived_graph] = found
    seeds: dict[str, set[str]] = {}
    query = (f"SELECT ?g ?doc WHERE {{ GRAPH ?g {{ ?doc a <{WP_NS}SourceDocument> }} "
             f'FILTER(STRSTARTS(STR(?doc), "{WPID_NS}source/")) }}')
    for row in store.query(query):  # type: ignore[union-attr]
        seeds.setdefault(row["g"].value, set()).add(row["doc"].value)
    seed_digests = {}
    for doc in sorted(set().union(*seeds.values()) if seeds else ()):
        path = bundled("data", "sources", doc.removeprefix(WPID_NS + "source/"))
        if path.is_file():
            seed_digests[doc] = file_sha256(path)
    triples = description_triples(manifest, files, seeds, seed_digests)
    name = ox.NamedNode(DESCRIPTION_GRAPH)
    if store.contains_named_graph(name):
        store.remove_graph(name)
    store.bulk_extend(_quads(DESCRIPTION_GRAPH, triples))
    store.flush()
    return triples


def _version() -> str:
    from ..about import version

    return version()


def _quads(name: str, triples: Iterable[ox.Triple]) -> Iterator[ox.Quad]:
    graph = ox.NamedNode(name)
    return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def _write_fresh_store(folder: Path, reference: Mapping[str, Sequence[ox.Triple]], plan_files: Sequence[Path],
                       manifest: Manifest) -> None:
    """A new store in a staging folder, described (``manifest``) and compacted, then swapped in whole: a reader
    never sees it half-loaded."""
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=folder))
    try:
        store = ox.Store(str(staging / STORE_DIR))
        # the bulk loader, once for the reference graphs and once per file of plans (PLANS_PER_BULK_LOAD plans
        # each): a call per plan made a 150-plan build spend 8 s here instead of about 1
        store.bulk_extend(itertools.chain.from_iterable(_quads(name, triples) for name, triples in reference.items()))
        for path in plan_files:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        store.flush()
        _describe_into(store, folder, manifest)
        # the bulk loader leaves its files as written, overlapping, and every index look-up of a query visits them
        # all: one compaction here (a few seconds at 600 plans) makes the canned queries up to twice as fast. It
        # comes last: the few statements of a description written after it left small files beside the compacted
        # ones in every index, which made the canned queries a fifth slower at 600 plans (figures 512 ms, not 398)
        store.optimize()
        del store
        old = folder / (".old-store-" + hashlib.sha256(str(staging).encode()).hexdigest()[:8])
        if (folder / STORE_DIR).exists():
            (folder / STORE_DIR).rename(old)
        (staging / STORE_DIR).rename(folder / STORE_DIR)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _update_store(folder: Path, plans: Sequence[tuple[str, str, Path]], remove: Sequence[str]) -> None:
    """Replace the changed plans' graphs (each from its N-Quads file) and drop the graphs of plans gone."""
    store = open_writable(folder)
    try:
        for name in sorted(set(remove)):
            store.remove_graph(ox.NamedNode(name))
        for graph, derived, path in plans:
            for name in (graph, derived):
                if store.contains_named_graph(ox.NamedNode(name)):
                    store.remove_graph(ox.NamedNode(name))
            store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
        store.flush()
    finally:
        del store


def _compact(folder: Path) -> None:
    """Merge the files a refresh wrote into the compacted ones (as a fresh build's store is)."""
    store = open_writable(folder)
    try:
        store.optimize()
    finally:
        del store


def _remove_stale_chunks(folder: Path, names: Iterable[str], plans: Iterable[str]) -> None:
    """Remove the TriG blocks and plan indexes of graphs the build no longer holds."""
    for folder_name, wanted in ((CHUNKS_DIR, {_chunk_path(folder, n).name for n in names}),
                                (INDEX_DIR, {_index_path(folder, n).name for n in plans})):
        for path in (folder / folder_name).iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


# ---------------------------------------------------------------- reading a build

class Build:
    """A build, open for reading: its manifest and its store (on disk, or in memory for a temporary build).

    Holds a shared lock on the folder until ``close()``; use it as a context manager.
    """

    def __init__(self, manifest: Manifest, store: ox.Store, folder: Path | None = None,
                 lock: BuildLock | None = None, plans: Sequence[LoadedPlan | StagedPlan] = ()) -> None:
        self.manifest = manifest
        self.store = store
        self.folder = folder
        self._lock = lock
        self.loaded = list(plans)  # the plans read for a temporary build (with their records)
        self._indexes: dict[str, PlanIndex] | None = None

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store = None  # type: ignore[assignment]  # drops the RocksDB handle before the lock goes
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def plans(self) -> list[InputEntry]:
        return list(self.manifest.inputs)

    def triples(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of all of them."""
        name = ox.NamedNode(graph) if graph is not None else None
        return self.store.quads_for_pattern(None, None, None, name)

    def plan_indexes(self) -> dict[str, PlanIndex]:
        """Each plan's index (what findings about it need), by plan IRI; read from the build once."""
        if self._indexes is None:
            if self.folder is None:
                self._indexes = {p.identity.plan: p.derived.index for p in self.loaded}
            else:
                self._indexes = {}
                for entry in self.manifest.inputs:
                    data = json.loads(_index_path(self.folder, entry.graph).read_text(encoding="utf-8"))
                    self._indexes[entry.plan] = PlanIndex.from_json(data)
        return self._indexes

    def rdflib_graph(self, graphs: Iterable[str] | None = None) -> Graph:
        """The union of the named graphs (default: all) as one rdflib Graph, for pySHACL and the views."""
        from ..rdfio import rdflib_graph

        names = list(graphs) if graphs is not None else list(self.manifest.graphs())
        return rdflib_graph(q for name in names for q in self.triples(name))


def stale_reason(folder: Path, manifest: Manifest) -> str | None:
    """Why a build no longer matches its inputs (None when it does)."""
    reference_ok, _ = _reference_current(manifest)
    if not reference_ok:
        return "wpgraph or its reference data changed"
    for entry in manifest.inputs:
        source = _source_of(entry)
        try:
            if _stamp(source) != entry.stamp:
                return f"{entry.path} changed"
        except InputError:
            return f"{entry.path} is gone"
    return None


def _source_of(entry: InputEntry) -> Source:
    return Source(from_display_path(entry.path), entry.kind, council=entry.options.get("council"),
                  short_name=entry.options.get("short_name"), gss=entry.options.get("gss"),
                  sheet=entry.options.get("sheet"),
                  plan_id=entry.options.get("plan_id"))


def open_build(folder: str | Path = DEFAULT_BUILD, on_wait: Notify | None = None, in_memory: bool = False) -> Build:
    """The build in ``folder``, refreshed first if an input changed; made from the bundled plans if absent.

    ``in_memory``: read the build's dataset (``wpgraph.trig``) into a store in memory, for a session of many
    queries (a notebook, a server). Loading takes about as long as a dozen queries (1.4 s at 150 plans); then
    each look-up is several times faster than on the store on disk (benchmarks/QUERY-RESULTS.md)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a build folder", folder)
    lock = BuildLock(folder, on_wait)
    for _ in range(3):  # another command may change the build between our two looks at it
        lock.acquire(exclusive=False)
        manifest = read_manifest(folder)
        reason = "no build yet" if manifest is None or not (folder / STORE_DIR).is_dir() else \
            stale_reason(folder, manifest)
        if reason is None and manifest is not None:
            return Build(manifest, in_memory_store(folder) if in_memory else open_read_only(folder), folder, lock)
        lock.release()
        sources = bundled_sources() if manifest is None else [_source_of(e) for e in manifest.inputs]
        missing = [s.label for s in sources if not s.path.exists()]
        if missing:
            raise InputError(f"an input of this build is gone ({missing[0]}): run wpgraph build --build {folder} "
                             "with the plans it should hold", folder)
        build(folder, sources, on_wait, compact=False)  # this command reads now: `wpgraph build` compacts
    raise InputError("the build keeps changing under this command; try again", folder)


def in_memory_store(folder: Path) -> ox.Store:
    """The build's dataset in a store in memory (read it under the build's lock, as the store on disk would be)."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(folder / DATASET_FILE), format=ox.RdfFormat.TRIG)
    except (OSError, SyntaxError, ValueError) as err:  # the build's own file, changed or lost by hand
        message = " ".join(str(getattr(err, "msg", None) or err).split())
        raise InputError(f"cannot read the build's dataset into memory ({message}): run wpgraph build --build "
                         f"{folder} again", folder / DATASET_FILE) from None
    return store


def temporary_build(sources: Sequence[Source], *, for_queries: bool = True) -> Build:
    """The given plans beside the reference graphs, in memory: validate files without touching a build folder.

    Plan files of RDF triples are loaded by the store itself (``staging``); templates and plan folders are read.
    ``for_queries=False`` leaves out the plain copies of the plans' texts and their citations, which only queries
    and pages read.
    """
    from .staging import stage_sources

    store = ox.Store()
    reference = reference_entries()

    def insert_reference() -> None:  # while the store loads the plan files
        for graph in reference_graphs():
            store.extend(_quads(graph.name, graph.triples))
            for entry in reference:
                if entry.graph == graph.name:
                    entry.triples = len(graph.triples)

    loaded = stage_sources(store, sources, for_queries=for_queries, meanwhile=insert_reference)
    entries = [_input_entry(plan, [], "") for plan in loaded]
    _claim(Claims(), entries)
    manifest = Manifest(wpgraph=_version(), code=code_digest(), reference=reference, inputs=entries)
    return Build(manifest, store, None, None, loaded)
