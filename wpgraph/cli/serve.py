"""``wpgraph serve``: the web app (SPARQL endpoint, web API, dashboard, template check) under uvicorn."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

from .options import DEFAULT_BUILD


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve", help="a local web app: SPARQL endpoint, web API, dashboard, template check",
        description="Serve the build (or a SPARQL endpoint that holds the dataset) on http://HOST:PORT/: a "
        "coverage dashboard, council and requirement pages, a template check, /sparql (SPARQL 1.1 Protocol, "
        "read-only, with a query editor) and /api/<query> (the canned queries; OpenAPI at /api/openapi.json). "
        "Needs the serve extra: pip install 'wpgraph[serve]'.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--build", metavar="DIR", type=Path, default=None,
                        help=f"the build folder to serve (default: ./{DEFAULT_BUILD}, made from the bundled plans if "
                        "absent)")
    source.add_argument("--endpoint", metavar="URL", help="serve a SPARQL endpoint that holds the dataset instead")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds a SPARQL query may run (default: 30)")
    parser.add_argument("--max-rows", type=int, default=100_000,
                        help="the most rows /sparql answers; a larger result is refused (default: 100000)")
    parser.add_argument("--max-upload", type=int, default=2_000, metavar="KB",
                        help="the largest template /check takes, in kB (default: 2000)")
    parser.add_argument("--in-memory", action="store_true",
                        help="read the build into memory and answer queries from there: several times faster, "
                        "at the cost of memory (about 400 MB for 150 plans) and a few seconds to read it in, again "
                        "after each rebuild")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError

    try:
        import uvicorn

        from ..serve import create_app
    except ImportError as err:
        raise InputError(f"wpgraph serve needs the serve extra ({err.name} is missing): "
                         "pip install 'wpgraph[serve]'") from None
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port} is not a port number (1-65535)")
    if args.timeout <= 0 or args.max_rows <= 0 or args.max_upload <= 0:
        raise InputError("--timeout, --max-rows and --max-upload must be positive")
    if args.in_memory and args.endpoint is not None:
        raise InputError("--in-memory reads a build into memory; an endpoint holds its own data")
    if args.endpoint is None:
        from ..entrypoints import open_build
        from .options import notify

        build = args.build or Path(DEFAULT_BUILD)
        with open_build(build, on_wait=notify):  # made or refreshed now, not on the first request
            pass
    app = create_app(build=args.build, endpoint=args.endpoint, timeout=args.timeout, max_rows=args.max_rows,
                     max_upload=args.max_upload * 1000, in_memory=args.in_memory)
    listening = _listen(args.host, args.port)
    print(f"wpgraph serve: http://{args.host}:{listening.getsockname()[1]}/ (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[listening])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port or unknown host is one line, not uvicorn's exit."""
    from ..errors import InputError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    return sock
