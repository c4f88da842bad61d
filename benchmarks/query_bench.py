"""Time every canned query on the bundled data and on N synthetic plans (pyoxigraph; rdflib for one aggregate).

    python benchmarks/query_bench.py 150 [--out benchmarks/QUERY-RESULTS.md]

Synthetic plans copy the bundled plans' graphs under new council IRIs and GSS codes
(so they have the real shape: ~86 responses, gap actions, evidence, figures).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wpgraph.dataset.build import build_dataset, plan_graph_name  # noqa: E402
from wpgraph.namespaces import WP  # noqa: E402
from wpgraph.queries.canned import get_query, list_queries, run_query  # noqa: E402
from wpgraph.rdfio import serialize_trig  # noqa: E402

PARAMS = {"accountability": {"council": "Rutland"}, "requirement": {"ref": "2.10"},
          "council-responses": {"council": "Rutland"}, "partner-dependence": {"partner": "LRF"},
          "compare": {"a": "Rutland", "b": "Wandsworth"}}


def synthetic_trig(n: int) -> tuple[bytes, int]:
    dataset = build_dataset()
    plans = [(name, g) for name, g in dataset.items() if "/graph/plan/" in str(name)]
    graphs = list(dataset.items())
    for i in range(n):
        name, graph = plans[i % len(plans)]
        code = str(name).rsplit("/", 1)[1]
        new = f"S{i:08d}"
        copy = type(graph)()
        council = URIRef(f"https://w3id.org/wpgraph/id/council/{new}")
        labels = {RDFS.label, SKOS.prefLabel, WP.shortName}
        copy.add((council, WP.shortName, Literal(f"Synthetic {new}")))
        for s, p, o in graph:
            if p in labels and str(s).endswith(f"/council/{code}"):
                continue
            terms = []
            for t in (s, p, o):
                if isinstance(t, URIRef) and f"/{code}" in str(t):
                    t = URIRef(str(t).replace(f"/{code}", f"/{new}"))
                elif isinstance(t, URIRef) and "/wpgraph/id/source/" in str(t):
                    # each synthetic council has its own source documents, as real ones do: shared location
                    # triples repeated in 150 graphs multiply in the union default graph
                    t = URIRef(str(t).replace("/wpgraph/id/source/", f"/wpgraph/id/source/{new}/"))
                elif str(t) == code:
                    t = type(t)(new)
                terms.append(t)
            copy.add(tuple(terms))
        graphs.append((plan_graph_name(new), copy))
    return serialize_trig(graphs), sum(len(g) for _, g in graphs)


def time_it(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(trig: bytes, repeat: int) -> dict[str, tuple[float, int]]:
    store = ox.Store()
    store.bulk_load(trig, format=ox.RdfFormat.TRIG)
    out = {}
    for q in list_queries():
        params = PARAMS.get(q.name, {})
        rows = run_query(q, params, store=store)
        out[q.name] = (time_it(lambda q=q, params=params: run_query(q, params, store=store), repeat), len(rows))
    return out


def rdflib_coverage(trig: bytes, repeat: int) -> float:
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=trig, format="trig")
    text = get_query("coverage").text
    return time_it(lambda: list(ds.query(text)), repeat)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("plans", type=int, nargs="?", default=150, help="synthetic plans (default 150)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--rdflib-large", action="store_true", help="also time rdflib on the synthetic plans (slow)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("QUERY-RESULTS.md"))
    args = parser.parse_args()
    bundled_trig = build_dataset().trig()
    synth_trig, synth_triples = synthetic_trig(args.plans)
    small = bench(bundled_trig, args.repeat)
    large = bench(synth_trig, args.repeat)
    lines = [
        "# Canned queries: measured times",
        "",
        f"`python benchmarks/query_bench.py {args.plans}` on {platform.python_implementation()} "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}, {platform.machine()}; median of {args.repeat} "
        "runs after a warm-up, in milliseconds, including parameter resolution (council look-up) and row conversion.",
        "",
        f"| query | bundled (4 plans) ms | rows | {args.plans} synthetic plans ({synth_triples} triples) ms | rows |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in small:
        lines.append(f"| {name} | {small[name][0] * 1000:.1f} | {small[name][1]} | {large[name][0] * 1000:.1f} | "
                     f"{large[name][1]} |")
    if not args.no_rdflib:
        lines += ["", "rdflib 7 (Dataset, default_union) on the same `coverage` query, median of 3 runs:", ""]
        lines.append(f"- bundled: {rdflib_coverage(bundled_trig, 3) * 1000:.0f} ms")
        if args.rdflib_large:
            lines.append(f"- {args.plans} synthetic plans: {rdflib_coverage(synth_trig, 1) * 1000:.0f} ms")
        else:
            lines.append(f"- {args.plans} synthetic plans: not measured (slow; pass --rdflib-large to time it)")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
