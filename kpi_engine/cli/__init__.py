"""The ``kpi`` command line: a thin layer over :mod:`kpi_engine`'s library API."""

from __future__ import annotations

from .commands import cli, main

__all__ = ["cli", "main"]
