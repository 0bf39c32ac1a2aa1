"""Where the shipped KPI catalog lives: the repository's definitions/ or the wheel's copy."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_definitions() -> Path:
    """The catalog ``kpi demo`` evaluates: ``definitions/`` beside the package in a checkout,
    ``kpi_engine/_catalog`` in an installed wheel."""
    checkout = _PACKAGE.parent / "definitions"
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_catalog"
