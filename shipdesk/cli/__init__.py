"""The ``shipdesk`` command: ``main`` (parser and dispatch), ``commands`` (the jobs), ``output``."""

from shipdesk.cli.main import main

__all__ = ["main"]
