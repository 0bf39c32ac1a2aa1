"""Ctrl-C and SIGTERM for the ``kpi`` command: the running statement is cancelled in the
engine, nothing is half-written, and the process prints ``aborted`` and exits 130 (SIGINT)
or 143 (SIGTERM), never with a traceback.

:func:`install`, called once by the ``kpi`` entry point before anything heavy is imported,
makes both signals raise :class:`Interrupted` in the main thread. A Python signal handler
only runs between bytecodes, so while the main thread waits inside a driver's C code
(DuckDB, SQLite, libpq) it cannot stop the statement; a watcher thread hears of the signal
at once through :func:`signal.set_wakeup_fd` and calls the cancel function the adapter
registered with :func:`cancel_on_interrupt` (DuckDB's ``interrupt()``, a PostgreSQL cancel
request, ...), again every :data:`RETRY` seconds until the call returns. Leaving that block
after a signal raises :class:`Interrupted`, whatever error the cancelled driver raised.

Only the first signal raises: later ones, while the process cleans up (temporary file,
connections), are ignored so the cleanup is not cut short. Once the command is over,
:func:`finish` makes a signal end the process at once, so shutdown needs no handler.

Without :func:`install` (the library in a notebook or a service) signal handling is left
alone and :func:`cancel_on_interrupt` does nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Callable, NoReturn

SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: Seconds between two cancel calls while a cancelled statement has not returned yet.
RETRY = 0.5
#: Seconds the main thread waits for a cancel call in progress before it moves on.
CANCEL_WAIT = 10.0

_lock = threading.Lock()
_installed = False
_pipe: tuple[int, ...] = ()  # the wakeup pipe's descriptors: nothing else may write to them
_received: int | None = None  # the first signal; the exit code is 128 + it
_raised = False
_active: list[_Cancel] = []


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived. A BaseException, like KeyboardInterrupt, so no
    ``except Exception`` stops it; not a KeyboardInterrupt, so click does not turn it
    into its own Abort."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def install() -> None:
    """Handle SIGINT and SIGTERM as the module docstring says; main thread only, once."""
    global _installed, _pipe
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    reader, writer = os.pipe()
    _pipe = (reader, writer)
    os.set_blocking(writer, False)
    # The watcher inherits a mask blocking both signals: the kernel then delivers them to
    # the main thread, whose blocking system calls (a socket read) they interrupt.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        threading.Thread(target=_watch, args=(reader,), name="kpi-interrupts", daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    for signum in SIGNALS:
        signal.signal(signum, _handle)
    _installed = True


def finish() -> None:
    """The command is over: from now on a signal ends the process at once (exit 128 + N)."""
    if _installed:
        for signum in SIGNALS:
            signal.signal(signum, _exit_now)


def descriptors() -> tuple[int, ...]:
    """The descriptors :func:`install` opened (``-o /dev/fd/N`` must not write to them)."""
    return _pipe


def received() -> int | None:
    """The first signal that arrived since :func:`install`, if any."""
    return _received


def check() -> None:
    """Raise :class:`Interrupted` if a signal has arrived (one that a driver or a plugin
    swallowed included): called before anything is committed, such as renaming the output."""
    global _raised
    if _received is not None:
        _raised = True
        raise Interrupted(_received)


def abort(code: int) -> NoReturn:
    """Print ``aborted`` on stderr and exit with ``code``."""
    sys.stderr.write("aborted\n")
    sys.stderr.flush()
    if _installed:
        # What stdout still buffers belongs to an output that is incomplete anyway: drop it
        # rather than wait at exit for a reader that may never read again.
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
        except OSError:
            pass
    sys.exit(code)


def _handle(signum: int, frame) -> None:
    global _received, _raised
    if _received is None:
        _received = signum
    if not _raised:
        _raised = True
        raise Interrupted(_received)


def _exit_now(signum: int, frame) -> None:
    if _received is None:
        os.write(2, b"aborted\n")
    os._exit(128 + (_received or signum))


def _watch(reader: int) -> None:
    global _received
    while True:
        try:
            data = os.read(reader, 64)
        except InterruptedError:
            continue
        except OSError:
            return
        if not data:
            return
        for signum in data:
            if signum in SIGNALS:
                if _received is None:
                    _received = signum
                with _lock:
                    active = list(_active)
                for entry in active:
                    entry.start()


class _Cancel:
    """One registered cancel function, called from a thread of its own once a signal arrives."""

    def __init__(self, cancel: Callable[[], object]):
        self._cancel = cancel
        self._left = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._left.is_set():
                self._thread = threading.Thread(target=self._run, name="kpi-cancel", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                self._cancel()
            except BaseException:  # best effort: the statement may have just ended; never a thread traceback
                pass
            if self._left.wait(RETRY):
                return

    def leave(self) -> None:
        self._left.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(CANCEL_WAIT)


def cancel_on_interrupt(cancel: Callable[[], object]) -> _Block:
    """``with cancel_on_interrupt(cancel): <blocking call>``: a signal during the block calls
    ``cancel()`` from another thread (repeatedly, until the block ends, so it must be safe
    to call from any thread and when nothing runs), and the block then raises
    :class:`Interrupted` instead of whatever the cancelled call raised. Does nothing unless
    :func:`install` was called."""
    return _Block(_Cancel(cancel) if _installed else None)


class _Block:
    def __init__(self, entry: _Cancel | None):
        self._entry = entry

    def __enter__(self) -> None:
        if self._entry is None:
            return
        check()  # a signal before the call: do not start it
        with _lock:
            _active.append(self._entry)
        if _received is not None:  # arrived between check() and the registration
            self._entry.start()

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if self._entry is None:
            return False
        with _lock:
            _active.remove(self._entry)
        if _received is not None:
            # The handler may have raised in this thread (a pure-Python driver reading a
            # socket) before the watcher started the cancel: the statement still runs on
            # the server, so cancel it now, once at least.
            self._entry.start()
        self._entry.leave()
        if _received is not None and not isinstance(exc, (Interrupted, KeyboardInterrupt)):
            check()
        return False
