"""The fast engine: the compiled shapes run on an Oxigraph store, every plan in one pass.

``run_shapes(store, shapes)`` compiles the shapes (``compiler``), runs each
query over the union of the store's graphs (or a chosen list of them), and
returns one ``ShaclResult`` per SHACL validation result, with what pySHACL
reports for it: focus node, result path, value, source shape, constraint
component, severity and messages (``{$this}`` and ``{?var}`` substituted for
SHACL-SPARQL constraints). Shapes the compiler does not cover are validated by
pySHACL, that shape alone, and the report says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from .compiler import CompiledQuery, CompiledShapes, compile_shapes, prebind
from .paths import Path, Term
from .results import ShaclResult
from .shapes_model import SH, ShapesModel, read_shapes

MAX_THREADS = 4  # queries evaluated at once (each holds its solutions until the results are made)
_MESSAGE_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class EngineOutcome:
    results: list[ShaclResult]
    notes: list[str]


@lru_cache(maxsize=8)
def compiled(shapes: tuple[ox.Triple, ...]) -> tuple[ShapesModel, CompiledShapes]:
    """The shapes read and compiled, once per process for a given shapes graph."""
    model = read_shapes(shapes)
    return model, compile_shapes(model)


def _query(store: ox.Store, text: str, graphs: Sequence[ox.NamedNode] | None,
           substitutions: dict[ox.Variable, Any] | None = None) -> ox.QuerySolutions:
    if graphs is None:
        solutions = store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
    else:
        solutions = store.query(text, default_graph=list(graphs), substitutions=substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _render(template: ox.Literal, solution: ox.QuerySolution, names: set[str]) -> ox.Literal:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = solution[name] if name in names else None
        return "" if found is None else str(getattr(found, "value", found))

    text = _MESSAGE_VARIABLE.sub(value, template.value)
    return ox.Literal(text, language=template.language) if template.language else ox.Literal(text)


@dataclass
class _Answer:
    """A query's solutions, read in full (by a worker thread) before they become results (in query order)."""

    names: set[str]
    rows: list[ox.QuerySolution]
    focus_node: Term | None = None  # the node a pre-bound query was run for


def _read(solutions: ox.QuerySolutions, focus_node: Term | None = None) -> _Answer:
    return _Answer({v.value for v in solutions.variables}, list(solutions), focus_node)


def _results_of(query: CompiledQuery, answer: _Answer, seen: set[tuple]) -> Iterable[ShaclResult]:
    """The results a query's solutions stand for."""
    names = answer.names
    sparql = query.constraint.component == SH + "SPARQLConstraintComponent"
    for solution in answer.rows:
        focus = solution["this"] if "this" in names else None
        focus = focus if focus is not None else answer.focus_node
        if focus is None:
            continue
        value = solution["value"] if "value" in names else None
        path = query.path
        if "path" in names and isinstance(solution["path"], ox.NamedNode):
            path = Path("predicate", solution["path"].value)
        if sparql and value is None:
            value = focus  # SHACL-SPARQL: the focus node when the query binds no ?value
        if not query.has_value and not sparql:
            value = None
        messages = tuple(_render(m, solution, names) for m in query.messages) if sparql else tuple(query.messages)
        result = ShaclResult(focus, path, value, query.shape.node, query.constraint.component,
                             query.shape.severity, messages, query.constraint.node)
        key = (*result.key(), messages)
        if key not in seen:  # the union of graphs repeats a solution once per graph that holds its triples
            seen.add(key)
            yield result


def _answers(store: ox.Store, query: CompiledQuery, graphs: Sequence[ox.NamedNode] | None) -> list[_Answer]:
    """Every solution of one compiled query (of each pre-bound run of it, for a SPARQL constraint)."""
    if not query.per_focus:
        return [_read(_query(store, query.sparql, graphs))]
    assert query.focus_sparql is not None
    answers = []
    for row in _query(store, query.focus_sparql, graphs):
        focus = row["this"]
        if isinstance(focus, ox.BlankNode):  # no constant can name it: Oxigraph's substitution instead
            solutions = _query(store, query.sparql, graphs, {ox.Variable("this"): focus})
        else:
            solutions = _query(store, prebind(query.sparql, focus), graphs)
        answers.append(_read(solutions, focus))
    return answers


def _threads() -> int:
    """Oxigraph lets go of Python's lock while it evaluates a query, so queries run side by side on the cores."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def run_compiled(store: ox.Store, compiled_shapes: CompiledShapes,
                 graphs: Sequence[ox.NamedNode] | None = None, threads: int | None = None) -> list[ShaclResult]:
    """The results of every compiled query on ``store`` (the union of its graphs, or ``graphs``), in the order of
    the queries whatever order the threads (``threads``, default one a core) finish them in."""
    queries = compiled_shapes.queries
    results: list[ShaclResult] = []
    seen: set[tuple] = set()
    with ThreadPoolExecutor(max(1, threads or _threads()), thread_name_prefix="wpgraph-shapes") as pool:
        # map yields the answers in query order, each as soon as it is in: results are made from one query's
        # answers while the threads evaluate the next ones
        for query, answers in zip(queries, pool.map(lambda query: _answers(store, query, graphs), queries),
                                  strict=True):
            for answer in answers:
                results += _results_of(query, answer, seen)
    return results


def delegated_results(model: ShapesModel, delegated: dict[str, list[str]], data: Iterable[ox.Quad],
                      shapes: Sequence[ox.Triple]) -> list[ShaclResult]:
    """pySHACL's results for the shapes the compiler left to it (and their property shapes), nothing else."""
    if not delegated:
        return []
    from .pyshacl_engine import results_from_report, run_pyshacl

    families = set()
    for key in delegated:
        families |= _family(model, key)
    try:
        report = run_pyshacl(data, shapes)
    except Exception as err:  # noqa: BLE001 - pySHACL raises many kinds; the shapes are what is wrong
        reasons = "; ".join(f"{key}: {'; '.join(why)}" for key, why in sorted(delegated.items()))
        raise InputError(f"shapes that neither engine can validate ({reasons}): pySHACL says "
                         f"{type(err).__name__}: {' '.join(str(err).split())[:200]}") from None
    return [r for r in results_from_report(report) if str(r.shape) in families]


def _family(model: ShapesModel, key: str) -> set[str]:
    """A shape and the property shapes it owns, whose results it reports."""
    found, todo = set(), [key]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        shape = model.shapes.get(current)
        if shape is not None:
            todo += [str(p) for p in shape.properties]
    return found


def run_shapes(store: ox.Store, shapes: Sequence[ox.Triple], graphs: Sequence[ox.NamedNode] | None = None,
               data: Iterable[ox.Quad] | None = None, threads: int | None = None) -> EngineOutcome:
    """Validate what ``store`` holds (or the listed graphs of it) against ``shapes``.

    ``data``: the same data as quads, for pySHACL to validate the shapes the
    compiler leaves to it (default: read from the store when needed);
    ``threads``: queries evaluated at once (default: one a core, up to MAX_THREADS).
    """
    model, compiled_shapes = compiled(tuple(shapes))
    results = run_compiled(store, compiled_shapes, graphs, threads)
    notes = []
    if compiled_shapes.delegated:
        if data is None:
            names = list(graphs) if graphs is not None else None
            data = [q for q in store if names is None or q.graph_name in names]
        results += delegated_results(model, compiled_shapes.delegated, data, shapes)
        for key, reasons in sorted(compiled_shapes.delegated.items()):
            notes.append(f"shape {key} was validated by pySHACL, not compiled to SPARQL: {'; '.join(reasons)}")
    return EngineOutcome(results, notes)
