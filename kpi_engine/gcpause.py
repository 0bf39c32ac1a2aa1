"""Pausing the cyclic garbage collector while a burst of tree objects is built.

sqlglot trees hold parent links, so every node sits in a reference cycle and is tracked
by the collector. Building a statement allocates hundreds of thousands of nodes, which
triggers full collections that rescan every live tree (the loaded catalog's included)
again and again: on a 2,000-KPI catalog that doubled the compile time. Nothing built
during a burst becomes garbage before it ends, so collecting then is wasted work; the
collector runs as usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore its previous state after (nests)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
