"""A connection whose role can do more than read: said once per process, never silently.

A read-only session stops writes, not every side effect: PostgreSQL functions run by a
superuser or a member of ``pg_write_server_files``, ``pg_execute_server_program``,
``pg_read_server_files`` or ``pg_signal_backend`` can write or read server files, run
programs or end other sessions; a MySQL user with ``FILE`` or ``SUPER`` can read server
files or change server settings. The allowlist never lets such calls through, but the
role is the guard that does not depend on kpi-engine being right (SECURITY.md), so each
adapter reports what its role can do with :func:`warn_privileged`.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable

_warned: set[tuple[str, str]] = set()
_lock = threading.Lock()


class PrivilegeWarning(UserWarning):
    """The role a connection uses can do more than read; the CLI prints it as one ``warning:`` line."""


def warn_privileged(engine: str, role: str, powers: Iterable[str]) -> bool:
    """Warn, once per process for ``(engine, role)``, that ``role`` holds ``powers``.

    ``powers`` are what the role may do beyond reading, as the engine names them
    (``superuser``, ``pg_signal_backend``, ``FILE``); nothing is said when it is empty.
    Returns whether a warning was issued.
    """
    listed = sorted(set(powers))
    if not listed:
        return False
    with _lock:
        if (engine, role) in _warned:
            return False
        _warned.add((engine, role))
    warnings.warn(
        PrivilegeWarning(
            f"the {engine} role {role!r} can do more than read ({', '.join(listed)}); kpi-engine runs only checked "
            "SELECTs, but use a role that can only read the tables it needs (see SECURITY.md)"
        ),
        stacklevel=2,
    )
    return True
