"""Time every canned query on the bundled data and on N synthetic plans (pyoxigraph; rdflib for one aggregate).

    python benchmarks/query_bench.py --sizes 150 600 [--repeat 7] [--out benchmarks/QUERY-RESULTS.md]

Synthetic plans copy the bundled plans' graphs under new council IRIs and GSS codes
(so they have the real shape: ~86 responses, gap actions, evidence, figures), written
straight to N-Triples files (benchmarks/synthetic.py) and built with ``wpgraph.build``.
Each query is timed through ``wpgraph.queries`` on the build's embedded store: the
median wall time and the median CPU time (user + system, all threads) of ``--repeat``
runs after a warm-up. The machine, the date and its load average are written beside
the table: on a shared machine, CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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


def build_apart(plans: list[Path] | None, build: Path) -> None:
    """Build in a process of its own, as ``wpgraph build`` does: the timing process only reads the build, as
    ``wpgraph query`` does (a build's store may go on compacting in the background of the process that wrote it)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(_build, (plans, build))


def _build(plans: list[Path] | None, build: Path) -> None:
    wpgraph.build(plans, build=build)


def time_it(fn, repeat: int) -> tuple[float, float]:
    """The median wall time and the median CPU time (process-wide: the query runs in a worker thread), seconds."""
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


Timing = tuple[float, float, int]  # median wall s, median CPU s, rows


def bench(build: Path, repeat: int, params: dict[str, dict[str, str]], in_memory: bool = False
          ) -> dict[str, Timing]:
    """Every canned query on the build's store on disk (as ``wpgraph query`` reads it), or read into memory
    (``open_build(in_memory=True)``: a notebook's or a server's session)."""
    out = {}
    with wpgraph.open_build(build, in_memory=in_memory) as built:
        runner = runner_for(store=built.store)
        for q in list_queries():
            values = params.get(q.name, PARAMS.get(q.name, {}))
            rows = run_query(q, values, runner)
            out[q.name] = (*time_it(lambda q=q, values=values: run_query(q, values, runner), repeat), len(rows))
    return out


def rdflib_coverage(trig: bytes, repeat: int) -> float:
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=trig, format="trig")
    text = get_query("coverage").text
    return time_it(lambda: list(ds.query(text)), repeat)[0]


def machine() -> str:
    """The CPU model, the cores this process may use and the memory."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        memory_text = f", {int(memory) / 1024 / 1024:.0f} GB memory"
    except (OSError, StopIteration, ValueError):
        memory_text = ""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {cores} cores{memory_text}"


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


NOTES = "## Notes"  # the heading of the hand-written part of the results file, kept across runs
TARGETS_MS = {150: 100, 600: 400}  # issue 10: every canned query, median, on the embedded store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 600], help="synthetic plans per run")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("QUERY-RESULTS.md"))
    args = parser.parse_args()
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="wpgraph-query-bench-"))
    try:
        lines = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # a 600-plan build takes gigabytes
    print("\n".join(lines))
    notes = args.out.read_text(encoding="utf-8").partition(NOTES)[2] if args.out.exists() else ""
    if notes:  # the written analysis below the measurements stays; the measurements are replaced
        lines += ["", NOTES + notes.rstrip("\n")]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def run(args: argparse.Namespace, tmp: Path) -> list[str]:
    started = dt.datetime.now(dt.UTC)
    load_before = load()
    build_apart(None, tmp / "bundled")
    small = bench(tmp / "bundled", args.repeat, {})
    large: dict[int, dict[str, Timing]] = {}
    in_memory: dict[int, dict[str, Timing]] = {}
    into_memory: dict[int, float] = {}  # seconds to read the build into memory
    triples: dict[int, int] = {}
    made: dict[int, tuple[float, float]] = {}
    for n in args.sizes:
        build = tmp / f"synthetic-{n}"
        start = time.perf_counter()
        plans = write_plans(n, tmp / f"plans-{n}")
        written = time.perf_counter() - start
        build_apart(plans, build)
        made[n] = (written, time.perf_counter() - start - written)
        with wpgraph.open_build(build) as built:
            triples[n] = built.manifest.triples
        large[n] = bench(build, args.repeat, SYNTHETIC_PARAMS)
        start = time.perf_counter()
        with wpgraph.open_build(build, in_memory=True):
            into_memory[n] = time.perf_counter() - start
        in_memory[n] = bench(build, args.repeat, SYNTHETIC_PARAMS, in_memory=True)
    sizes = " ".join(map(str, args.sizes))
    lines = [
        "# Canned queries: measured times",
        "",
        f"`python benchmarks/query_bench.py --sizes {sizes} --repeat {args.repeat}`, {started:%Y-%m-%d %H:%M} UTC, "
        f"on {machine()}; {platform.python_implementation()} {platform.python_version()}, pyoxigraph "
        f"{ox.__version__}. Load average (1 / 5 / 15 min) {load_before} before the run, {load()} after it.",
        "",
        f"Each cell: the median of {args.repeat} runs after a warm-up, in milliseconds, wall time (CPU time in "
        "brackets, all threads), through `wpgraph.queries` on the build's embedded store: parameter resolution "
        "(council look-up), the query, and the rows as Python values. Targets (issue 10): every query ≤ 100 ms at "
        "150 plans and ≤ 400 ms at 600, by the median wall time. Two stores: the build's store on disk, which "
        "`wpgraph query` and `wpgraph serve` open for each query, and the same dataset read into a store in memory "
        "for a session of many queries (`wpgraph.open_build(..., in_memory=True)`; reading it in took "
        + ", ".join(f"{into_memory[n]:.1f} s at {n} plans" for n in args.sizes) + ").",
        "",
        "| query | bundled (4 plans) | rows | " + " | ".join(
            f"{n} plans ({triples[n]:,} triples), on disk | rows | ≤ {TARGETS_MS.get(n, '–')} ms | in memory | "
            f"≤ {TARGETS_MS.get(n, '–')} ms" for n in args.sizes) + " |",
        "|---|---:|---:|" + "---:|---:|---|---:|---|" * len(args.sizes),
    ]
    for name in small:
        cells = [f"{small[name][0] * 1000:.1f}", str(small[name][2])]
        for n in args.sizes:
            wall, cpu, rows = large[n][name]
            target = TARGETS_MS.get(n)
            verdict = "" if target is None else ("yes" if wall * 1000 <= target else "**no**")
            memory_wall, memory_cpu, memory_rows = in_memory[n][name]
            assert memory_rows == rows, f"{name}: {memory_rows} rows in memory, {rows} on disk"
            memory_verdict = "" if target is None else ("yes" if memory_wall * 1000 <= target else "**no**")
            cells += [f"{wall * 1000:.1f} ({cpu * 1000:.1f})", str(rows), verdict,
                      f"{memory_wall * 1000:.1f} ({memory_cpu * 1000:.1f})", memory_verdict]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Synthetic plans (benchmarks/synthetic.py: N-Triples text written straight to files, no rdflib): "
              + "; ".join(f"{n} plans written in {made[n][0]:.1f} s and built in {made[n][1]:.1f} s"
                          for n in args.sizes) + " (deriving the templates from the bundled plans included)."]
    if not args.no_rdflib:
        lines += ["", "For scale, rdflib 7 (Dataset, default_union) on the same `coverage` query over the bundled "
                  f"data: {rdflib_coverage((tmp / 'bundled' / 'wpgraph.trig').read_bytes(), 3) * 1000:.0f} ms."]
    return lines


if __name__ == "__main__":
    sys.exit(main())
