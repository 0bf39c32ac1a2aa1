"""Where the shipped KPI catalog lives, and the definition packs it uses.

In a checkout the catalog is ``definitions/`` and its project file the repository's
``kpi.yml``; an installed wheel carries both in ``kpi_engine/_catalog`` (the loader
never reads ``kpi.yml`` as definitions). The project file names the packs the
catalog's dashboards need (``commerce``, from the kpi-commerce plugin).
"""

from __future__ import annotations

from pathlib import Path

from .errors import SelectionError
from .project import find_project

_PACKAGE = Path(__file__).resolve().parent


def shipped_definitions() -> Path:
    """The catalog ``kpi demo`` evaluates: ``definitions/`` beside the package in a checkout,
    ``kpi_engine/_catalog`` in an installed wheel."""
    checkout = _PACKAGE.parent / "definitions"
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_catalog"


def shipped_packs() -> tuple[str, ...]:
    """Names of the definition packs the shipped catalog uses, from its project file."""
    definitions = shipped_definitions()
    folder = definitions.parent if definitions.name == "definitions" else definitions
    return find_project(folder).packs


def select_shipped_packs(plugins, extra: tuple[str, ...] = ()):
    """The installed packs the shipped catalog needs plus ``extra``; a clear error when one is missing."""
    needed = shipped_packs()
    names = tuple(dict.fromkeys((*needed, *extra)))
    installed = {p.name for p in plugins.packs}
    missing = [n for n in needed if n not in installed]
    if missing:
        raise SelectionError(
            f"the shipped catalog uses the definition pack '{missing[0]}', which no enabled plugin provides: "
            "install the kpi-commerce plugin (python -m pip install -e ./plugins/kpi-commerce in a checkout)"
        )
    return plugins.select_packs(names)


def load_shipped(plugins=None):
    """The shipped catalog with the packs it uses, as ``kpi demo`` loads it."""
    from .loader import load
    from .plugins import get_plugins

    plugins = plugins or get_plugins()
    return load(shipped_definitions(), plugins.functions, select_shipped_packs(plugins), metric_types=plugins.metric_types)
