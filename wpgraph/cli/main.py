"""The ``wpgraph`` command: a thin layer over the Python API.

Each subcommand lives in ``wpgraph/cli/<name>.py`` with ``add_parser`` and
``run``; this module only dispatches and turns errors into exit codes: 0 done
(or conforms), 1 findings at the --fail-on level, 2 usage or input errors, one
line on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..about import version
from ..errors import InputError

COMMANDS = ("catalogue", "build", "import", "validate", "query", "push", "export", "serve")
EXIT_OK, EXIT_ERROR = 0, 2  # and 1: findings at the --fail-on level (wpgraph validate)


class _VersionAction(argparse.Action):
    """``--version``: the version is read from the package's metadata only when asked for (it costs a few
    hundredths of a second, which every other command would pay)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show wpgraph's version and exit") -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> NoReturn:
        print(f"wpgraph {version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors: one line, exit 2
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wpgraph", description="A knowledge graph of how English councils answered the Adult "
                     "Social Care COVID-19 Winter Plan 2020-21: build it, check each council's plan, query it, "
                     "export it.")
    parser.add_argument("--version", action=_VersionAction)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"wpgraph.cli.{name.replace('import', 'import_')}")
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a bad ``-o`` (a folder, a path under a file, one of the inputs) before any work is done."""
    from ..outputs import check_output

    output = getattr(args, "output", None)
    if output is None:
        return
    inputs = [*(getattr(args, "inputs", None) or []), *(getattr(args, "plans", None) or [])]
    inputs += [path for path in (getattr(args, "file", None),) if path is not None]
    check_output(output, inputs)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush at exit does not report the closed pipe
    again (as the Python documentation advises for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture)
        pass


# A command makes hundreds of thousands of objects that live until it ends (plans' facts, results, findings) and
# almost no reference cycles; at Python's default threshold the collector ran 500 times over them in one
# validation of 150 plans (0.12 s, on the critical path), at this one a few times (as mypy does for the same reason).
GC_THRESHOLD = 50_000


def main(argv: Sequence[str] | None = None) -> int:
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # rdflib logs tracebacks for odd literals
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        _check_output(args)
        return int(args.run(args) or 0)
    except InputError as err:
        print(f"wpgraph {args.command}: {err}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader of our output went away (| head): not an error of ours
        _quiet_stdout()
        return EXIT_OK
    except OSError as err:  # a file or folder the command could not write or read, however it surfaced
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(f"wpgraph {args.command}: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"wpgraph {args.command}: interrupted", file=sys.stderr)
        return 130
