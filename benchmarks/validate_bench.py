"""Validation speed and memory against the reference runs, all measured in the same run on this machine.

    python benchmarks/validate_bench.py                      # 50, 150 and 600 plans (about 5 minutes)
    python benchmarks/validate_bench.py --sizes 150 --out /tmp/results.md

Every figure is a whole command, from its start to its report written, run as a
separate process; peak memory is that process's resident set. The machines are
shared and noisy, so the targets are ratios against reference runs of the same
moment, on the same data and the same shapes:

* the load floor: Oxigraph loading the same data, nothing else;
* pyshifty, the fastest peer engine (Rust), and plain pySHACL on one merged graph,
  both validating the build's dataset (plans, derived coverage, reference graphs)
  against ``shapes/`` from an N-Triples file.

The peers' targets are judged on the same data: the build's dataset, which wpgraph
validates from its store (``--build``) and the peers from that file. From loose plan
files wpgraph also reads the files, checks every statement at the trust boundary and
derives the coverage, which the peers are handed done; that ratio is printed beside.

Generated plans are copies of the bundled plans under new IRIs (benchmarks/synthetic.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from benchmarks.synthetic import plan_texts, write_plans  # noqa: E402

PYTHON = sys.executable
WPGRAPH = [PYTHON, "-m", "wpgraph"]
TIME = "/usr/bin/time"
NOTES = "## Notes"  # the heading of the hand-written part of the results file, kept across runs


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def run(argv: list[str], cwd: Path | None = None) -> Run:
    """A command as a separate process: wall time, peak resident memory (GNU time), its standard output."""
    start = time.perf_counter()
    done = subprocess.run([TIME, "-f", "%M", *argv], cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return Run(seconds, peak_kb / 1024, done.stdout)


def best(argv: list[str], repeat: int, cwd: Path | None = None) -> Run:
    """The fastest of ``repeat`` runs (the one least disturbed by the machine's other work)."""
    runs = [run(argv, cwd) for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


PYSHIFTY = """
import sys
from pathlib import Path
import shifty
conforms, report, _ = shifty.validate(Path(sys.argv[1]), Path(sys.argv[2]))
Path(sys.argv[3]).write_text(report.serialize(format="turtle"), encoding="utf-8")
"""
PYSHACL = """
import sys
from pathlib import Path
import pyshacl
from rdflib import Graph
data = Graph().parse(sys.argv[1], format="nt")
shapes = Graph().parse(sys.argv[2], format="turtle")
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
Path(sys.argv[3]).write_text(report.serialize(format="turtle"), encoding="utf-8")
"""
LOAD_FLOOR = """
import sys
import pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
print(len(store))
"""


def dataset_files(build: Path, folder: Path) -> tuple[Path, Path]:
    """The build's dataset as one N-Triples file, and the shapes as one Turtle file: what the peers read."""
    data, shapes = folder / "data.nt", folder / "shapes.ttl"
    quads = ox.parse(path=str(build / "wpgraph.trig"), format=ox.RdfFormat.TRIG)
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}
    data.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)), encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    shapes.write_bytes(ox.serialize([t for f in sorted((root / "shapes").glob("*.ttl"))
                                     for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)],
                                    format=ox.RdfFormat.TURTLE))
    return data, shapes


def report_results(path: Path) -> int:
    """How many sh:ValidationResult a report graph holds."""
    kind = ox.NamedNode("http://www.w3.org/ns/shacl#ValidationResult")
    return sum(1 for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE) if q.object == kind)


def big_template(path: Path, rows: int) -> None:
    """A template with ``rows`` rows, cycling through the catalogue's council requirements."""
    from wpgraph.reference.catalogue import catalogue

    council = [r for r in catalogue() if r.is_council_requirement]
    header = ["Reference", "Actions Required by Local Authorities", "Current status",
              "Requirement fully met (Y/N)?", "Actions required to fill gaps", "By Who?", "By When?"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerows([["A large council's plan"], header])
        for i in range(rows):
            req = council[i % len(council)]
            status = ("Yes", "Partly", "No", "")[i % 4]
            out.writerow([req.reference, req.text, f"Arrangement {i}", status, "Act" if status != "Yes" else "",
                          "Head of Service", "31/12/2020"])


class Table:
    def __init__(self) -> None:
        self.rows: list[str] = []

    def add(self, what: str, value: str, reference: str = "", ratio: str = "", target: str = "",
            met: bool | None = None) -> None:
        verdict = "" if met is None else ("yes" if met else "**no**")
        self.rows.append(f"| {what} | {value} | {reference} | {ratio} | {target} | {verdict} |")
        print(self.rows[-1], flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 150, 600])
    parser.add_argument("--pyshacl-up-to", type=int, default=150, help="largest size plain pySHACL is run on")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (the fastest counts)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wpgraph-bench-"))
    table = Table()
    header = [f"# wpgraph validate: speed and memory, {time.strftime('%Y-%m-%d')}", "",
              f"`python benchmarks/validate_bench.py --sizes {' '.join(map(str, args.sizes))}` on "
              f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"pyoxigraph {ox.__version__}; each figure the fastest of {args.repeat} runs of the whole command "
              "(process start to report written), every ratio against a reference run of the same session; "
              f"load average at the start {os.getloadavg()[0]:.2f} (the machine is shared).", "",
              "| measure | wpgraph | reference | ratio | target | met |", "|---|---:|---:|---:|---:|---|"]
    print("\n".join(header), flush=True)
    texts = plan_texts()
    try:
        for n in args.sizes:
            folder = tmp / str(n)
            write_plans(n, folder / "plans", texts)
            build = folder / "build"
            built = run([*WPGRAPH, "build", "--plans", str(folder / "plans"), "--build", str(build)])
            table.add(f"{n} plans: build (parse, check, derive, store, TriG)", f"{built.seconds:.2f} s "
                      f"({built.peak_mb:.0f} MB)")
            data, shapes = dataset_files(build, folder)
            floor = best([PYTHON, "-c", LOAD_FLOOR, str(data)], args.repeat)
            out = folder / "report.json"
            loose = best([*WPGRAPH, "validate", str(folder / "plans"), "--format", "json", "-o", str(out)],
                         args.repeat)
            cold = []
            for _ in range(args.repeat):
                shutil.rmtree(build / "validation", ignore_errors=True)
                cold.append(run([*WPGRAPH, "validate", "--build", str(build), "--format", "json", "-o", str(out)]))
            existing = min(cold, key=lambda r: r.seconds)
            warm = best([*WPGRAPH, "validate", "--build", str(build), "--format", "json", "-o", str(out)],
                        args.repeat)
            table.add(f"{n} plans: load floor (Oxigraph loads the dataset)", f"{floor.seconds:.2f} s")
            table.add(f"{n} plans from loose files", f"{loose.seconds:.2f} s ({loose.peak_mb:.0f} MB)",
                      f"{floor.seconds:.2f} s floor", f"{loose.seconds / floor.seconds:.1f}x floor",
                      "≤ 2.5 s at 150" if n == 150 else "", loose.seconds <= 2.5 if n == 150 else None)
            target = {150: 1.0, 600: 5.0}.get(n)
            table.add(f"{n} plans on an existing build", f"{existing.seconds:.2f} s ({existing.peak_mb:.0f} MB)",
                      "", "", f"≤ {target:g} s" + (", ≤ 500 MB" if n == 600 else "") if target else "",
                      (existing.seconds <= target and (n != 600 or existing.peak_mb <= 500)) if target else None)
            table.add(f"{n} plans on an existing build, findings kept", f"{warm.seconds:.2f} s")
            shifty_report = folder / "shifty.ttl"
            shifty = best([PYTHON, "-c", PYSHIFTY, str(data), str(shapes), str(shifty_report)], args.repeat)
            table.add(f"{n} plans: pyshifty (Rust)", f"{loose.seconds:.2f} s loose / {existing.seconds:.2f} s build",
                      f"{shifty.seconds:.2f} s ({shifty.peak_mb:.0f} MB)",
                      f"{shifty.seconds / loose.seconds:.1f}x / {shifty.seconds / existing.seconds:.1f}x",
                      "≥ 2x on the same data (build)", shifty.seconds / existing.seconds >= 2)
            if n <= args.pyshacl_up_to:
                pyshacl_report = folder / "pyshacl.ttl"
                plain = run([PYTHON, "-c", PYSHACL, str(data), str(shapes), str(pyshacl_report)])
                table.add(f"{n} plans: plain pySHACL, one merged graph",
                          f"{loose.seconds:.2f} s loose / {existing.seconds:.2f} s build",
                          f"{plain.seconds:.2f} s ({plain.peak_mb:.0f} MB)",
                          f"{plain.seconds / loose.seconds:.0f}x / {plain.seconds / existing.seconds:.0f}x",
                          "≥ 25x on the same data (build)", plain.seconds / existing.seconds >= 25)
                import json

                ours = len(json.loads(out.read_text(encoding="utf-8"))["results"])
                table.add(f"{n} plans: results found (wpgraph / pyshifty / pySHACL)",
                          f"{ours}", f"{report_results(shifty_report)} / {report_results(pyshacl_report)}")
            if n == 150:
                changes = []
                for changed in sorted((folder / "plans").glob("*.nt"))[:args.repeat]:  # another plan each time
                    text = changed.read_text(encoding="utf-8")
                    changed.write_text(text.replace("status/met>", "status/not-met>", 1), encoding="utf-8")
                    changes.append(run([*WPGRAPH, "validate", "--build", str(build), "--format", "json",
                                        "-o", str(out)]))
                one = min(changes, key=lambda r: r.seconds)
                table.add("one changed plan in a 150-plan build (refresh and validate)", f"{one.seconds:.2f} s",
                          "", "", "≤ 0.5 s", one.seconds <= 0.5)
        rows = {}
        for size in (2000, 20000):
            template = tmp / f"rows-{size}.csv"
            big_template(template, size)
            rows[size] = run([*WPGRAPH, "validate", str(template), "--council", "Large Council", "--summary"])
        ratio = rows[20000].seconds / rows[2000].seconds
        table.add("a 20,000-row plan against a 2,000-row one", f"{rows[20000].seconds:.1f} s "
                  f"({rows[20000].peak_mb:.0f} MB)", f"{rows[2000].seconds:.1f} s", f"{ratio:.1f}x", "≤ 10x",
                  ratio <= 10)
        bundled = tmp / "bundled"
        run([*WPGRAPH, "build", "--build", str(bundled)])
        for argv, target in ((["--version"], 0.3), (["query", "--list"], 0.3),
                             (["query", "coverage", "--build", str(bundled)], 0.5)):
            seconds = statistics.median(run([*WPGRAPH, *argv]).seconds for _ in range(5))
            table.add(f"start-up: wpgraph {' '.join(argv[:2])}", f"{seconds:.2f} s", "", "", f"≤ {target} s",
                      seconds <= target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = header + table.rows
    notes = args.out.read_text(encoding="utf-8").partition(NOTES)[2] if args.out.exists() else ""
    if notes:  # the written analysis below the measurements stays; the measurements are replaced
        lines += ["", NOTES + notes.rstrip("\n")]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
