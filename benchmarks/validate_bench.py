"""Time ``wpgraph.validate`` on the bundled plans and on N generated plans.

    python benchmarks/validate_bench.py            # bundled plans, then 50 and 150 generated ones
    python benchmarks/validate_bench.py 600 --jobs 1

Generated plans are copies of the bundled plans under new council and plan IRIs
(so each is a full ~70-87-response plan with its own findings), written as
N-Triples to a temporary folder and validated from there, as CI would.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

import pyoxigraph as ox  # noqa: E402

from wpgraph import rdfio  # noqa: E402
from wpgraph.dataset.build import plan_sources  # noqa: E402
from wpgraph.ingest.plans import load_plan  # noqa: E402
from wpgraph.resources import bundled  # noqa: E402
from wpgraph.validation.validate import validate  # noqa: E402


def generate(n: int, folder: Path) -> list[Path]:
    templates = []
    for source in plan_sources(bundled("data", "plans")):
        plan = load_plan(source)
        quads = rdfio.sorted_oxigraph_quads([(None, plan.graph)])
        text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                            format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        templates.append((plan.key, text))
    paths = []
    for i, (key, text) in zip(range(n), itertools.cycle(templates)):
        synthetic = f"X{i:08d}"
        path = folder / f"synthetic-{i:04d}.nt"
        path.write_text(text.replace(f"/{key}", f"/{synthetic}").replace(f'"{key}"', f'"{synthetic}"'),
                        encoding="utf-8")
        paths.append(path)
    return paths


def timed(label: str, inputs, jobs: int | None) -> None:
    start = time.perf_counter()
    report = validate(inputs, jobs=jobs)
    seconds = time.perf_counter() - start
    counts = report.counts
    # high-water marks so far (Linux reports KiB): this process, and the largest finished worker
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"| {label} | {len(report.plans)} | {jobs or 'auto'} | {seconds:.2f} | "
          f"{seconds / max(1, len(report.plans)):.3f} | {counts['violation']} | {counts['warning']} | "
          f"{main_mb:.0f} / {worker_mb:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 150], help="numbers of generated plans")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: automatic)")
    args = parser.parse_args()
    print(f"# wpgraph validate benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)\n")
    print("| input | plans | jobs | seconds | s/plan | violations | warnings | peak MB (main / worker) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    validate([bundled("data", "plans", "rutland", "plan.toml")])  # warm caches: catalogue, shapes
    timed("bundled plans", None, args.jobs)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            timed(f"{n} generated plans", generate(n, folder), args.jobs)


if __name__ == "__main__":
    main()
