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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import wpgraph  # noqa: E402
from benchmarks.synthetic import write_plans  # noqa: E402
from wpgraph.queries.registry import get_query, list_queries  # noqa: E402
from wpgraph.queries.run import run_query, runner_for  # noqa: E402

PARAMS = {"accountability": {"council": "Rutland"}, "requirement": {"ref": "2.10"},
          "council-responses": {"council": "Rutland"}, "partner-dependence": {"partner": "LRF"},
          "compare": {"a": "Rutland", "b": "Wandsworth"}}
SYNTHETIC_PARAMS = {"accountability": {"council": "Synthetic 0000"}, "council-responses": {"council": "Synthetic 0000"},
                    "compare": {"a": "Synthetic 0000", "b": "Synthetic 0001"}}


def time_it(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(build: Path, repeat: int, params: dict[str, dict[str, str]]) -> dict[str, tuple[float, int]]:
    out = {}
    with wpgraph.open_build(build) as built:
        runner = runner_for(store=built.store)
        for q in list_queries():
            values = params.get(q.name, PARAMS.get(q.name, {}))
            rows = run_query(q, values, runner)
            out[q.name] = (time_it(lambda q=q, values=values: run_query(q, values, runner), repeat), len(rows))
    return out


def rdflib_coverage(trig: bytes, repeat: int) -> float:
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=trig, format="trig")
    text = get_query("coverage").text
    return time_it(lambda: list(ds.query(text)), repeat)


TARGETS_MS = {150: 100, 600: 400}  # issue 10: every canned query, median, on the embedded store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 600], help="synthetic plans per run")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("QUERY-RESULTS.md"))
    args = parser.parse_args()
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="wpgraph-query-bench-"))
    wpgraph.build(build=tmp / "bundled")
    small = bench(tmp / "bundled", args.repeat, {})
    large: dict[int, dict[str, tuple[float, int]]] = {}
    triples: dict[int, int] = {}
    for n in args.sizes:
        build = tmp / f"synthetic-{n}"
        wpgraph.build(write_plans(n, tmp / f"plans-{n}"), build=build)
        with wpgraph.open_build(build) as built:
            triples[n] = built.manifest.triples
        large[n] = bench(build, args.repeat, SYNTHETIC_PARAMS)
    sizes = " ".join(map(str, args.sizes))
    lines = [
        "# Canned queries: measured times",
        "",
        f"`python benchmarks/query_bench.py --sizes {sizes}` on {platform.python_implementation()} "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}, {platform.machine()}; the median of "
        f"{args.repeat} runs after a warm-up, in milliseconds, through `wpgraph.queries` on the build's embedded "
        "store: parameter resolution (council look-up), the query, and the rows as Python values.",
        "",
        "| query | bundled (4 plans) | rows | " + " | ".join(
            f"{n} plans ({triples[n]:,} triples) | rows | ≤ {TARGETS_MS.get(n, '–')} ms" for n in args.sizes) + " |",
        "|---|---:|---:|" + "---:|---:|---|" * len(args.sizes),
    ]
    for name in small:
        cells = [f"{small[name][0] * 1000:.1f}", str(small[name][1])]
        for n in args.sizes:
            ms = large[n][name][0] * 1000
            target = TARGETS_MS.get(n)
            verdict = "" if target is None else ("yes" if ms <= target else "**no**")
            cells += [f"{ms:.1f}", str(large[n][name][1]), verdict]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if not args.no_rdflib:
        lines += ["", "For scale, rdflib 7 (Dataset, default_union) on the same `coverage` query over the bundled "
                  f"data: {rdflib_coverage((tmp / 'bundled' / 'wpgraph.trig').read_bytes(), 3) * 1000:.0f} ms."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
