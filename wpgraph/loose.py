"""Validating plan files on their own (``wpgraph validate FILE...``), outside any build folder.

The files are read into a temporary build in memory beside the reference graphs. At national scale they may be
split between this process and a second one, each loading and checking its share, and the two reports merged:
loading into a store takes one writer at a time, the one long stretch of a loose run on one core (150 plans:
2.5 s in one process, 2.05 s in two; 90 plans: 1.5 s and 1.3 s; under 50 the second interpreter's start costs
what it saves: 20 plans, 0.42 s in one, 0.52 s in two). What spans the shares is checked on the whole: no two
files claim one plan, and plans of one council agree on it, as one build checks. A second process is started
the way multiprocessing starts one (spawned: it imports the caller's main module again), so only a caller that
asks for it gets one: the command line does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .dataset.manifest import InputEntry
from .dataset.sources import Source
from .validation.report import ValidationReport

# From this many files a second process saves more than it costs to start (measured: even at 50 plans).
SPLIT_FROM = 50


def validate_files(sources: Sequence[Source], fail_on: str = "violation", jobs: int | None = None,
                   engine: str = "fast", processes: int = 1) -> ValidationReport:
    """The report on the given plan files, each checked beside the reference graphs, the catalogue once.

    ``jobs``: the fast engine's query threads (one a core by default). ``processes=2``: from SPLIT_FROM files
    on, half of them are checked by a second process, the fast engine's threads shared between the two
    (pySHACL has worker processes of its own); the report is the one a single process gives."""
    from .dataset.build import check_claims
    from .validation.run import merge_reports

    cores = jobs or os.cpu_count() or 1
    if processes < 2 or engine != "fast" or cores < 2 or len(sources) < SPLIT_FROM:
        return _validate_share(sources, fail_on, jobs, engine, catalogue=True)[0]
    half, threads = len(sources) // 2, max(1, cores // 2)
    # spawned, not forked: this process may hold stores and threads (a notebook, a second call), which a
    # fork would copy half-made
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        second = pool.submit(_validate_share, sources[half:], fail_on, threads, engine, catalogue=False)
        mine, my_entries = _validate_share(sources[:half], fail_on, threads, engine, catalogue=True)
        try:
            theirs, their_entries = second.result()
        except BrokenProcessPool:  # the second process could not start or died: its share is checked here
            theirs, their_entries = _validate_share(sources[half:], fail_on, threads, engine, catalogue=False)
    check_claims([*my_entries, *their_entries])
    return merge_reports(mine, theirs)


def _validate_share(sources: Sequence[Source], fail_on: str, jobs: int | None, engine: str,
                    catalogue: bool) -> tuple[ValidationReport, list[InputEntry]]:
    """One share of the files in a temporary build: its report (the catalogue's findings only if asked) and
    its inputs, for the checks that span the shares."""
    from .dataset.build import temporary_build
    from .validation.run import validate_build

    with temporary_build(sources, for_queries=False) as loose:  # no shape reads plain texts or citations
        report = validate_build(loose, fail_on=fail_on, jobs=jobs, engine=engine, catalogue=catalogue)
        return report, loose.plans
