"""Where ``-o`` writes: a regular file is replaced atomically; anything else is written to as it is.

- ``-`` is standard output. ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` and
  ``/proc/self/fd/N`` (or a symlink to one of them) name descriptors the process already
  holds and are written to as they are, as a shell does: ``-o /dev/stdout >>log`` appends.
- A character device (``/dev/null``, a terminal) or a FIFO is opened and written to. A
  directory, a block device or a socket is refused.
- A symlink is followed: its target is written (created if missing), the link stays a link.
  As the kernel's ``fs.protected_symlinks`` does (whether or not it is on), a symlink in a
  sticky world-writable folder such as ``/tmp`` is followed only if it belongs to the user
  or to the folder's owner: another user's link there cannot aim ``-o`` at your files.
- A regular file is written to a temporary file beside it (``.NAME.<random>.tmp``), synced
  to disk and renamed over it, so a reader sees the old content or all of the new, never
  part of it. An existing file keeps its mode, and its owner and group where the user may
  set them; a new file gets the mode ``open()`` would give it (0666 less the umask, so
  0644 under umask 022).

Every failure is an :class:`~kpi_engine.errors.OutputError` (exit 2) naming the path; the
temporary file is removed and the old file left as it was. The rename is the commit
point: it does not happen once Ctrl-C or SIGTERM has arrived (:mod:`kpi_engine.interrupts`).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys

from . import interrupts
from .errors import OutputError

_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/self/fd|proc/(?P<pid>\d+)/fd)/(?P<fd>\d+)")
_MAX_HOPS = 40  # symlinks followed before giving up, as the kernel's ELOOP limit


def descriptor(output: str) -> int | None:
    """The open descriptor ``output`` names (``/dev/stdout`` is 1, ``/dev/fd/3`` is 3), else ``None``.

    A symlink to such a path names it too; only the link itself is followed, hop by hop,
    because resolving ``/proc/self/fd/1`` leads to whatever file it has open.
    """
    path = os.path.abspath(output)
    for _ in range(_MAX_HOPS):
        if path in _STANDARD:
            return _STANDARD[path]
        match = _DESCRIPTOR.fullmatch(path)
        if match and (match["pid"] is None or int(match["pid"]) == os.getpid()):
            return int(match["fd"])
        try:
            link = os.readlink(path)
        except OSError:  # not a symlink, or not one that can be read
            return None
        path = os.path.abspath(os.path.join(os.path.dirname(path), link))
    return None


def _target(output: str) -> str:
    """The path ``output`` leads to once its symlinks are followed (not itself a symlink,
    maybe missing). The links of the final component are followed one by one, each
    checked as ``fs.protected_symlinks`` would; the folders' own links are resolved."""
    path = output if os.path.isabs(output) else os.path.join(os.getcwd(), output)
    for _ in range(_MAX_HOPS):
        folder = os.path.realpath(os.path.dirname(path))
        path = os.path.join(folder, os.path.basename(path))
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return path
        if not stat.S_ISLNK(info.st_mode):
            return path
        shared = os.stat(folder)
        if (shared.st_mode & stat.S_ISVTX and shared.st_mode & stat.S_IWOTH
                and info.st_uid not in (os.geteuid(), shared.st_uid)):
            raise PermissionError(errno.EACCES, f"refusing to follow {path}, another user's symlink in a shared folder")
        path = os.path.join(folder, os.readlink(path))
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))


def is_terminal(output: str | None) -> bool:
    """Whether ``output`` (``None`` or ``-``: standard output) is a terminal."""
    if output in (None, "-"):
        return sys.stdout.isatty()
    fd = descriptor(output)
    if fd is not None:
        return os.isatty(fd)
    try:
        if not stat.S_ISCHR(os.stat(output).st_mode):
            return False
        handle = os.open(output, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return os.isatty(handle)
    finally:
        os.close(handle)


def check(output: str | None) -> None:
    """Refuse, before any work is done, an ``-o`` that cannot be written: a directory, a
    block device, a socket, a file or directory the user may not write, or a path whose
    directory does not exist. :func:`write` checks the same again, and the rest."""
    if output in (None, "-"):
        return
    try:
        fd = _descriptor_given(output)
        if fd is not None:
            os.fstat(fd)  # EBADF now rather than after the queries
            return
        target = _target(output)
        found = _stat(target)
        if found is not None and not stat.S_ISREG(found.st_mode):
            _refuse_special(output, found.st_mode)
            return
        _writable(target, found is not None)
    except OSError as error:
        raise _error(output, error) from None


def write(output: str, data: bytes) -> None:
    """Write ``data`` where ``output`` points (see the module docstring); raises OutputError.

    A reader that went away (``EPIPE``) raises :class:`BrokenPipeError`, as for stdout.
    """
    try:
        fd = _descriptor_given(output)
        if fd is not None:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()  # what was printed before goes first
            _write_all(fd, data)
            return
        target = _target(output)
        found = _stat(target)  # None: a new file, or the missing target of a symlink
        if found is not None and not stat.S_ISREG(found.st_mode):
            _refuse_special(output, found.st_mode)
            _write_special(target, data)
            return
        _replace(target, data, found)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _error(output, error) from None


def _descriptor_given(output: str) -> int | None:
    """The descriptor ``output`` names, if any (kpi's own are refused), after refusing an empty path."""
    if not output:
        raise OSError(errno.ENOENT, "no file named: give a file path, or - for stdout")
    fd = descriptor(output)
    if fd == 0:
        raise OSError(errno.EBADF, "standard input is not for writing")
    if fd is not None and fd in interrupts.descriptors():
        raise OSError(errno.EBADF, "not a descriptor kpi was given")
    return fd


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _error(output: str, error: OSError) -> OutputError:
    return OutputError(f"cannot write {output}: {error.strerror or error}")


def _refuse_special(output: str, mode: int) -> None:
    what = (
        "is a directory" if stat.S_ISDIR(mode)
        else "is a block device" if stat.S_ISBLK(mode)
        else "is a socket" if stat.S_ISSOCK(mode)
        else None
    )
    if what is not None:
        raise OutputError(f"cannot write {output}: {what}; give a file path, or - for stdout")


def _write_special(output: str, data: bytes) -> None:
    """A FIFO or a character device: opened and written to, never replaced."""
    fd = os.open(output, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _writable(target: str, exists: bool) -> None:
    """Raise the OSError writing ``target`` in place would meet: a missing directory, no
    permission on the directory, or on an existing file (renaming could replace it anyway,
    but what a plain write may not change, ``-o`` does not replace either)."""
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        code = errno.ENOTDIR if os.path.exists(directory) else errno.ENOENT
        raise OSError(code, os.strerror(code))
    if not os.access(directory, os.W_OK | os.X_OK) or (exists and not os.access(target, os.W_OK)):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def _replace(target: str, data: bytes, found: os.stat_result | None) -> None:
    _writable(target, found is not None)
    directory, name = os.path.split(target)
    # An existing file's content must not be readable by more people while it is written:
    # 0600 first, its own mode at the end. A new file's mode is what the umask (and any
    # default ACL of the directory) gives a file created with 0666, as open() would.
    fd, temporary = _temporary(directory or ".", name, 0o600 if found is not None else 0o666)
    try:
        _write_all(fd, data)
        if found is not None:
            _keep_owner_and_mode(fd, found)
        os.fsync(fd)
        fd, handle = -1, fd
        os.close(handle)
        interrupts.check()  # a signal that arrived while writing: keep the old file
        os.replace(temporary, target)
    except BaseException:
        try:
            if fd >= 0:
                os.close(fd)
        finally:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise
    _sync_directory(directory or ".")


def _temporary(directory: str, name: str, mode: int) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = os.path.join(directory, f".{name[:60]}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name")


def _keep_owner_and_mode(fd: int, found: os.stat_result) -> None:
    try:
        os.fchown(fd, found.st_uid, found.st_gid)  # first: chown clears the set-id bits
    except PermissionError:
        try:
            os.fchown(fd, -1, found.st_gid)  # the group, if the user is in it
        except PermissionError:
            pass
    os.fchmod(fd, stat.S_IMODE(found.st_mode))


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable; best effort (some file systems refuse it)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
