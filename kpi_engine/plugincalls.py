"""Calling plugin code so that it cannot take the engine down.

:func:`call_plugin` runs one piece of plugin code (an import, a hook, a builder): what
it prints to stdout goes to stderr (``kpi run --format json | jq`` keeps working), and
whatever it raises comes back as an :class:`Exception` the caller reports by plugin
name: ``SystemExit`` (``sys.exit()``), ``KeyboardInterrupt``, ``GeneratorExit`` and
other ``BaseException`` subclasses become :class:`~kpi_engine.errors.PluginCrash`.

A real Ctrl-C must still abort. While plugin code runs in the main thread, a SIGINT
handler wrapping the current one notes that a signal arrived; a ``KeyboardInterrupt``
raised with no signal noted is the plugin's own and is reported like any crash, while a
signal noted during the call is raised as ``KeyboardInterrupt`` once the call ends,
even if the plugin caught it or raised something else. Under the ``kpi`` command, whose
handler (:mod:`kpi_engine.interrupts`) also takes SIGTERM, a signal that arrived during
the call aborts the command the same way when the plugin swallowed it. So a plugin that calls
``os.kill(os.getpid(), SIGINT)`` or ``signal.raise_signal`` is taken for the user
pressing Ctrl-C (it is a real signal), and in any other thread, where no signal is
ever delivered, every ``KeyboardInterrupt`` is the plugin's. The SIGINT handler is
restored afterwards, including when the plugin replaced it. Nothing stops a plugin
that calls ``os._exit()`` or writes to file descriptor 1 directly.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from . import interrupts
from .errors import PluginCrash, one_line
from .interrupts import Interrupted

T = TypeVar("T")

_lock = threading.RLock()
_depth = {"stdout": 0, "signals": 0}
_saved: dict[str, Any] = {}
_seen: list[int] = []  # real SIGINTs noted since the outermost call began


def call_plugin(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` with the guards of this module.

    Exceptions pass through unchanged, so callers keep their ``except Exception``
    reporting; any other ``BaseException`` is raised as :class:`PluginCrash` (whose
    :func:`~kpi_engine.errors.one_line` is what the plugin raised, e.g.
    ``SystemExit: 3``), except a real Ctrl-C, which is raised as ``KeyboardInterrupt``.
    """
    before = interrupts.received()
    with _stdout_to_stderr(), _watching_sigint() as seen:
        try:
            result = function(*args, **kwargs)
        except Interrupted:  # kpi's own handler: a real SIGINT or SIGTERM, whatever code was running
            raise
        except BaseException as error:
            _raise_signal_noted(before, seen)
            if isinstance(error, Exception):
                raise
            raise PluginCrash(one_line(error)) from None
        _raise_signal_noted(before, seen)  # the plugin swallowed the user's Ctrl-C or the scheduler's SIGTERM
        return result


def _raise_signal_noted(before: int | None, seen: list[int]) -> None:
    """Raise the signal that arrived while plugin code ran, whatever the plugin made of it:
    kpi's own :class:`Interrupted` once :func:`interrupts.install` handles SIGTERM too,
    else ``KeyboardInterrupt`` for a Ctrl-C."""
    if before is None and interrupts.received() is not None:
        interrupts.check()
    if seen:
        raise KeyboardInterrupt from None


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """``sys.stdout`` is ``sys.stderr`` inside; nested and concurrent uses restore it once, when the last one leaves."""
    with _lock:
        if _depth["stdout"] == 0:
            _saved["stdout"] = sys.stdout
            sys.stdout = sys.stderr
        _depth["stdout"] += 1
    try:
        yield
    finally:
        with _lock:
            _depth["stdout"] -= 1
            if _depth["stdout"] == 0:
                # Also undoes a plugin that replaced sys.stdout itself.
                sys.stdout = _saved.pop("stdout")


@contextmanager
def _watching_sigint() -> Iterator[list[int]]:
    """Yield a list that is non-empty once a real SIGINT arrived (main thread only; see the module docstring)."""
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    with _lock:
        outermost = _depth["signals"] == 0
        if outermost:
            _seen.clear()
            previous = signal.getsignal(signal.SIGINT)
            _saved["sigint"] = previous
            if callable(previous):  # SIG_DFL kills the process and SIG_IGN drops the signal: nothing to tell apart

                def noted(signum, frame):
                    _seen.append(signum)
                    return previous(signum, frame)

                signal.signal(signal.SIGINT, noted)
        _depth["signals"] += 1
    try:
        yield _seen
    finally:
        with _lock:
            _depth["signals"] -= 1
            previous = _saved.pop("sigint") if _depth["signals"] == 0 else None
            if previous is not None:  # None: a handler installed outside Python, which was never replaced
                signal.signal(signal.SIGINT, previous)
