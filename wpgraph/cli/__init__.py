"""The ``wpgraph`` command line: a thin layer over the Python API (see ``main``)."""

from .main import main

__all__ = ["main"]
