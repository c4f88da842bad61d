"""The Python API: one function per thing wpgraph does, as a notebook or a script calls it.

Every function can be called any number of times, in any order, in one
process; the ``wpgraph`` command line is a thin layer over them. Commands that
read the knowledge graph read a *build* (``build="build"`` by default: a
folder written by ``build()``, made from the bundled plans the first time and
refreshed whenever one of its inputs changed). Heavy libraries (rdflib,
pySHACL, networkx) are imported inside the functions, so ``import wpgraph``
stays cheap.

    >>> import wpgraph
    >>> result = wpgraph.build(build="build")                    # the bundled plans
    >>> rows = wpgraph.query("coverage", council="Rutland")      # reads ./build
    >>> report = wpgraph.validate()                               # every plan of ./build
    >>> [row["theme"] for row in rows], len(report.plans)
    ([0, 1, 2, 3, 4], 4)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .dataset.build import Build, BuildResult
    from .ingest.records import PlanRecord
    from .reference.catalogue import Requirement
    from .remote.http import PushedGraph
    from .validation.report import ValidationReport

DEFAULT_BUILD = "build"
Notify = Callable[[str], None]


def catalogue() -> tuple[Requirement, ...]:
    """The national requirements: the LGA template's 86 council actions (0.1-4.11) and the NHS actions."""
    from .reference.catalogue import catalogue as bundled_catalogue

    return bundled_catalogue()


def build(plans: Iterable[str | Path] | None = None, build: str | Path = DEFAULT_BUILD, bundled: bool = False,
          on_wait: Notify | None = None) -> BuildResult:
    """Build (or refresh) the knowledge graph in the folder ``build`` from plan files and folders.

    ``plans``: plan folders (with a ``plan.toml``), filled templates (.csv, .xlsx),
    RDF plan graphs, or folders of them; ``None``: the bundled plans. ``bundled``:
    add the bundled plans to the given ones. Only plans whose files changed since
    the last build are read again.
    """
    from .dataset.build import build as write_build
    from .dataset.sources import plan_inputs

    return write_build(Path(build), plan_inputs(list(plans) if plans is not None else None, bundled), on_wait)


def open_build(build: str | Path = DEFAULT_BUILD, on_wait: Notify | None = None, in_memory: bool = False) -> Build:
    """A build for reading (a context manager): its manifest and its Oxigraph store, refreshed first if stale.

    ``in_memory``: the dataset read into a store in memory, for many queries in one session (``run_sparql``
    takes the open build): it takes a second or more to load, then queries run several times faster."""
    from .dataset.build import open_build as open_folder

    return open_folder(Path(build), on_wait, in_memory=in_memory)


def import_template(path: str | Path, council: str | None = None, gss: str | None = None,
                    sheet: str | None = None, plan_id: str | None = None, short_name: str | None = None) -> PlanRecord:
    """A filled LGA template (.csv or .xlsx), each row aligned to the catalogue."""
    from .align import align_plan
    from .ingest.template_plan import read_template_plan

    return align_plan(read_template_plan(path, council=council, short_name=short_name, gss=gss, sheet=sheet,
                                         plan_id=plan_id))


def validate(inputs: Iterable[str | Path] | None = None, build: str | Path = DEFAULT_BUILD,
             fail_on: str = "violation", jobs: int | None = None, council: str | None = None,
             gss: str | None = None, sheet: str | None = None, plan_id: str | None = None,
             short_name: str | None = None, engine: str = "fast", use_cache: bool = True,
             on_wait: Notify | None = None, processes: int = 1) -> ValidationReport:
    """SHACL completeness checks: of files checked on their own (``inputs``), else of every plan of a build.

    Files are checked through a temporary build in memory beside the reference
    graphs; ``council``, ``gss``, ``sheet`` and ``plan_id`` describe a single template.
    ``engine``: ``fast`` (the shapes compiled to SPARQL on the store) or ``pyshacl`` (the reference).
    ``use_cache``: keep the findings of plans unchanged since the build last validated them.
    ``jobs``: how many at once (pySHACL's worker processes, the fast engine's query threads); default one a core.
    ``processes=2``: many files (50 or more) are shared with a second process, started as multiprocessing
    starts one (it imports the caller's main module again: guard a script's work with ``if __name__ ==
    "__main__"``); the report is the same, sooner (150 plans: 2.05 s instead of 2.5).
    """
    from .dataset.build import open_build as open_folder
    from .dataset.sources import resolve_sources
    from .loose import validate_files
    from .validation.run import validate_build

    if inputs is not None:
        sources = resolve_sources(list(inputs), council=council, gss=gss, sheet=sheet, plan_id=plan_id,
                                  short_name=short_name)
        return validate_files(sources, fail_on=fail_on, jobs=jobs, engine=engine, processes=processes)
    with open_folder(Path(build), on_wait) as built:
        return validate_build(built, fail_on=fail_on, jobs=jobs, engine=engine, use_cache=use_cache)


def query(name: str, endpoint: str | None = None, *, build: str | Path | Build = DEFAULT_BUILD,
          timeout: float | None = 60.0, on_wait: Notify | None = None, frame: bool = False, **params: Any) -> Any:
    """A canned query by name, e.g. ``query("coverage", council="Rutland")``: rows as dicts.

    Runs on the build's embedded store (a folder, or a build open for a session: ``open_build``), or on a
    SPARQL 1.1 ``endpoint`` that holds the dataset;
    ``timeout``: seconds the query (or each HTTP call) may take. With ``frame=True``, a pandas DataFrame with
    the query's columns in order (pandas: the ``frame`` extra).
    """
    from .queries.registry import get_query

    canned = get_query(name)
    if frame:
        from .tables import to_frame

        to_frame([])  # no pandas: say so before the query runs
    rows = run_sparql(canned, params, endpoint=endpoint, build=build, timeout=timeout, on_wait=on_wait)
    if frame:
        return to_frame(rows, canned.variables or None)
    return rows


def run_sparql(query: Any, params: dict[str, Any] | None = None, endpoint: str | None = None,
               build: str | Path | Build = DEFAULT_BUILD, timeout: float | None = 60.0,
               on_wait: Notify | None = None, allow_service: bool = False) -> list[dict[str, Any]]:
    """A ``CannedQuery`` (canned, or loaded from a file) with its parameters, on a build or an endpoint.

    ``build``: a build folder (opened for this query), or a build already open (``open_build``, which stays
    open: for many queries in one session). A query of your own may not call other services (``SERVICE``)
    unless ``allow_service``. On an endpoint, the store must answer queries over the union of its named graphs.
    """
    from .dataset.build import Build as OpenBuild
    from .dataset.build import open_build as open_folder
    from .queries.run import check_service, check_store, run_query, runner_for
    from .queries.runners import LocalRunner

    if endpoint:
        check_service(query, allow_service)  # before any request
        runner = runner_for(endpoint=endpoint, timeout=timeout)
        check_store(runner)
        return run_query(query, params, runner, allow_service=allow_service)
    if isinstance(build, OpenBuild):  # the caller's, open for a session: it stays open
        return run_query(query, params, LocalRunner(build.store, timeout=timeout), allow_service=allow_service)
    built = open_folder(Path(build), on_wait)
    runner = LocalRunner(built.store, timeout=timeout)
    try:
        return run_query(query, params, runner, allow_service=allow_service)
    finally:
        runner.when_idle(built.close)  # a query abandoned at its timeout keeps the build's read lock until it ends


def to_networkx(view: str = "full", council: str | Sequence[str] | None = None,
                build: str | Path = DEFAULT_BUILD, on_wait: Notify | None = None) -> nx.Graph:
    """The knowledge graph seen through one view (full, themes, accountability, partners, coverage)."""
    from .dataset.build import open_build as open_folder
    from .views.graphs import to_networkx as view_of

    with open_folder(Path(build), on_wait) as built:
        return view_of(built, view=view, council=council)


def export(fmt: str, output: str | Path, view: str = "coverage", council: str | Sequence[str] | None = None,
           build: str | Path = DEFAULT_BUILD, on_wait: Notify | None = None) -> nx.Graph:
    """Write a view of the build in a format graph tools read (graphml, gexf, cytoscape, dot, html, png)."""
    from .dataset.build import open_build as open_folder
    from .export.writers import export as write_view

    with open_folder(Path(build), on_wait) as built:
        return write_view(built, fmt, output, view=view, council=council)


def push(endpoint: str, graph_store: str | None = None, build: str | Path = DEFAULT_BUILD, timeout: float = 60.0,
         progress: Callable[[PushedGraph], None] | None = None, on_wait: Notify | None = None) -> list[PushedGraph]:
    """Load every named graph of a build into a SPARQL store (Graph Store Protocol, one PUT per graph).

    Credentials: ``WPGRAPH_ENDPOINT_USER`` / ``WPGRAPH_ENDPOINT_PASSWORD`` (Digest or Basic, as the store asks).
    A push that does not put every graph in raises ``PushError`` (an InputError) naming what went in and what failed.
    """
    from .dataset.build import open_build as open_folder
    from .remote.http import push as put_graphs

    with open_folder(Path(build), on_wait) as built:
        return put_graphs(built, endpoint, graph_store, timeout=timeout, progress=progress)


__all__ = ["build", "catalogue", "export", "import_template", "open_build", "push", "query", "run_sparql",
           "to_networkx", "validate"]
