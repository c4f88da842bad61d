"""Time ``wpgraph.validate`` on the bundled plans and on N generated plans.

    python benchmarks/validate_bench.py            # bundled plans, then 50 and 150 generated ones
    python benchmarks/validate_bench.py 600 --jobs 1

Generated plans are copies of the bundled plans under new council and plan IRIs
(so each is a full ~70-87-response plan with its own findings), written as
N-Triples to a temporary folder and validated from there, as CI would.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

import wpgraph  # noqa: E402
from benchmarks.synthetic import write_plans  # noqa: E402
from wpgraph.resources import bundled  # noqa: E402

validate = wpgraph.validate


def generate(n: int, folder: Path) -> list[Path]:
    return write_plans(n, folder)


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
    timed("bundled plans", [bundled("data", "plans")], args.jobs)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            timed(f"{n} generated plans", generate(n, folder), args.jobs)


if __name__ == "__main__":
    main()
