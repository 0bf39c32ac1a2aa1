"""Hostile and unusual ``-o`` targets (issue 15, item 3): what ``-o`` may replace, and how.

A regular file is replaced atomically (temporary file beside it, fsync, rename), keeps its
mode and owner, or gets the umask's mode when new; a symlink is written through; a device,
a FIFO, ``-`` and ``/dev/fd/N`` are written to, never replaced; anything that cannot be
written is one line, exit 2, with the old file untouched and no temporary file left.

Every case asserts the exit code, the one error line (exactly), no traceback, and that
nothing in the case's folder changed but the output path (and a symlink's target).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from kpi_engine.testing import invoke

KPI = Path(sys.executable).with_name("kpi")
OLD = b"old content\n"


@dataclass
class Outcome:
    exit: int
    stdout: bytes
    stderr: str




def kpi(*args: str) -> Outcome:
    """``kpi ARGS`` in this process, through main() (the console script's error mapping)."""
    result = invoke(args)
    return Outcome(result.exit_code, result.stdout_bytes, result.stderr)


def tree(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with what it is: a file's digest and mode, a link's target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[str(path)] = "link " + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            found[str(path)] = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {oct(info.st_mode)}"
        else:
            found[str(path)] = oct(stat.S_IFMT(info.st_mode))
    return found


def assert_clean(outcome: Outcome, exit_code: int, message: str | None, output: str) -> None:
    """The exit code, the one error line (``message`` after ``error: cannot write OUTPUT: ``), no traceback."""
    shown = f"exit {outcome.exit}\n--- stdout\n{outcome.stdout[:500]!r}\n--- stderr\n{outcome.stderr}"
    assert "Traceback" not in outcome.stderr and b"Traceback" not in outcome.stdout, shown
    assert outcome.exit == exit_code, shown
    errors = [line for line in outcome.stderr.splitlines() if line.startswith("error") or line.startswith("Error")]
    if message is None:
        assert errors == [], shown
    else:
        assert len(outcome.stderr.splitlines()) == 1, shown
        expected = message if message.startswith("Error: ") else f"error: cannot write {re.escape(output)}: {message}"
        assert re.fullmatch(expected, errors[0]), shown


def json_rows(data: bytes) -> list[dict]:
    rows = json.loads(data)
    assert [r["kpi"] for r in rows] == ["conversion_rate", "revenue", "late_delivery_rate"]
    return rows


# -- cases: (id, prepare(folder) -> the -o argument, exit, message, check(folder, outcome)) -----------------


def _new(folder: Path) -> str:
    return str(folder / "new.json")


def _existing(mode: int) -> Callable[[Path], str]:
    def prepare(folder: Path) -> str:
        path = folder / "existing.json"
        path.write_bytes(OLD)
        path.chmod(mode)
        return str(path)

    return prepare


def _link(target: str, make_target: bool = True) -> Callable[[Path], str]:
    def prepare(folder: Path) -> str:
        if make_target:
            real = folder / target
            real.parent.mkdir(parents=True, exist_ok=True)
            real.write_bytes(OLD)
            real.chmod(0o640)
        (folder / "link.json").symlink_to(target)
        return str(folder / "link.json")

    return prepare


def _chain(folder: Path) -> str:
    (folder / "c.json").write_bytes(OLD)
    (folder / "c.json").chmod(0o644)
    (folder / "b.json").symlink_to("c.json")
    (folder / "a.json").symlink_to("b.json")
    return str(folder / "a.json")


def _link_into_subfolder(folder: Path) -> str:
    (folder / "sub").mkdir()
    (folder / "sub" / "real.json").write_bytes(OLD)
    (folder / "sub" / "real.json").chmod(0o644)
    (folder / "sub" / "link.json").symlink_to("real.json")  # relative to the link's own folder
    (folder / "up.json").symlink_to("sub/link.json")
    return str(folder / "up.json")


def _loop(folder: Path) -> str:
    (folder / "x.json").symlink_to("y.json")
    (folder / "y.json").symlink_to("x.json")
    return str(folder / "x.json")


def _directory(folder: Path) -> str:
    (folder / "out").mkdir()
    return str(folder / "out")


def _link_to_directory(folder: Path) -> str:
    (folder / "out").mkdir()
    (folder / "link").symlink_to("out")
    return str(folder / "link")


def _missing_directory(folder: Path) -> str:
    return str(folder / "no" / "such.json")


def _parent_is_a_file(folder: Path) -> str:
    (folder / "plain.txt").write_bytes(OLD)
    return str(folder / "plain.txt" / "out.json")


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe")
    return str(folder / "pipe")


def _socket(folder: Path) -> str:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock"))
    sock.close()  # the socket file stays
    return str(folder / "sock")


def _link_to_dev_null(folder: Path) -> str:
    (folder / "null.json").symlink_to("/dev/null")
    return str(folder / "null.json")


def _long_name(folder: Path) -> str:
    path = folder / ("k" * 250 + ".json")
    path.write_bytes(OLD)
    return str(path)


def _unchanged(relative: str) -> Callable[[Path, Outcome], None]:
    def check(folder: Path, outcome: Outcome) -> None:
        assert (folder / relative).read_bytes() == OLD

    return check


def _written(relative: str, mode: int | None = None) -> Callable[[Path, Outcome], None]:
    def check(folder: Path, outcome: Outcome) -> None:
        path = folder / relative
        json_rows(path.read_bytes())
        assert not path.is_symlink()
        if mode is not None:
            assert stat.S_IMODE(path.stat().st_mode) == mode

    return check


def _through_link(link: str, target: str, mode: int) -> Callable[[Path, Outcome], None]:
    def check(folder: Path, outcome: Outcome) -> None:
        assert (folder / link).is_symlink()  # unchanged: test_output_target compares the trees
        real = folder / target
        json_rows(real.read_bytes())
        assert not real.is_symlink() and stat.S_IMODE(real.stat().st_mode) == mode

    return check


def _on_stdout(folder: Path, outcome: Outcome) -> None:
    json_rows(outcome.stdout)


def _nothing(folder: Path, outcome: Outcome) -> None:
    assert outcome.stdout == b""


CASES = [
    ("new-file-umask-022", _new, 0o022, 0, None, _written("new.json", 0o644)),
    ("new-file-umask-077", _new, 0o077, 0, None, _written("new.json", 0o600)),
    ("new-file-umask-002", _new, 0o002, 0, None, _written("new.json", 0o664)),
    ("existing-0640-kept", _existing(0o640), 0o022, 0, None, _written("existing.json", 0o640)),
    ("existing-0600-kept", _existing(0o600), 0o022, 0, None, _written("existing.json", 0o600)),
    ("existing-0755-kept", _existing(0o755), 0o077, 0, None, _written("existing.json", 0o755)),
    ("existing-0666-kept-despite-umask", _existing(0o666), 0o077, 0, None, _written("existing.json", 0o666)),
    ("symlink-written-through", _link("real.json"), 0o022, 0, None, _through_link("link.json", "real.json", 0o640)),
    ("symlink-dangling-creates-target", _link("made.json", make_target=False), 0o022, 0, None,
     _through_link("link.json", "made.json", 0o644)),
    ("symlink-into-subfolder", _link("sub/real.json"), 0o022, 0, None, _through_link("link.json", "sub/real.json", 0o640)),
    ("symlink-chain", _chain, 0o022, 0, None, _through_link("a.json", "c.json", 0o644)),
    ("symlink-to-symlink-elsewhere", _link_into_subfolder, 0o022, 0, None, _through_link("up.json", "sub/real.json", 0o644)),
    ("symlink-loop", _loop, 0o022, 2, "Too many levels of symbolic links", _nothing),
    ("symlink-to-directory", _link_to_directory, 0o022, 2, r"is a directory; give a file path, or - for stdout", _nothing),
    ("directory", _directory, 0o022, 2, r"is a directory; give a file path, or - for stdout", _nothing),
    ("missing-directory", _missing_directory, 0o022, 2, "No such file or directory", _nothing),
    ("parent-is-a-file", _parent_is_a_file, 0o022, 2, "Not a directory", _unchanged("plain.txt")),
    ("socket", _socket, 0o022, 2, r"is a socket; give a file path, or - for stdout", _nothing),
    ("symlink-to-dev-null", _link_to_dev_null, 0o022, 0, None, _nothing),
    ("dev-null", lambda folder: "/dev/null", 0o022, 0, None, _nothing),
    ("dev-full", lambda folder: "/dev/full", 0o022, 2, "No space left on device", _nothing),
    ("dash-is-stdout", lambda folder: "-", 0o022, 0, None, _on_stdout),
    ("dev-stdout-is-stdout", lambda folder: "/dev/stdout", 0o022, 0, None, _on_stdout),
    ("proc-self-fd-1-is-stdout", lambda folder: "/proc/self/fd/1", 0o022, 0, None, _on_stdout),
    ("long-file-name", _long_name, 0o022, 0, None, _written("k" * 250 + ".json", 0o644)),
    # refused with the other empty option values, before -o is looked at (test_cli_values.py)
    ("empty-path", lambda folder: "", 0o022, 2, r"Error: Invalid value for '-o' / '--output': must not be empty \(see kpi run --help\)", _nothing),
    ("descriptor-not-open", lambda folder: "/dev/fd/987", 0o022, 2, "Bad file descriptor", _nothing),
    ("stdin-descriptor", lambda folder: "/dev/stdin", 0o022, 2, "standard input is not for writing", _nothing),
    ("stdin-by-number", lambda folder: "/proc/self/fd/0", 0o022, 2, "standard input is not for writing", _nothing),
]


@pytest.mark.parametrize("case_id, prepare, umask, exit_code, message, verify", CASES, ids=[c[0] for c in CASES])
def test_output_target(shop, tmp_path, case_id, prepare, umask, exit_code, message, verify):
    defs, url = shop
    folder = tmp_path / "out-folder"
    folder.mkdir()
    folder = folder.resolve()
    output = prepare(folder)
    before = tree(folder)
    previous = os.umask(umask)
    try:
        outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", output)
    finally:
        os.umask(previous)
    assert_clean(outcome, exit_code, message, output)
    verify(folder, outcome)
    after = tree(folder)
    assert not [p for p in after if ".tmp" in Path(p).name], after  # no temporary file left
    if exit_code != 0:
        assert after == before
    else:
        # Only the file the output names, through its links, may differ: links stay as they were.
        touched = {p for p in after if before.get(p) != after[p]} | {p for p in before if p not in after}
        assert touched <= {os.path.realpath(output)}, touched


def test_a_fifo_is_written_to_not_replaced(shop, tmp_path):
    defs, url = shop
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # kpi's open() of the FIFO waits for this reader; it must not create or replace anything.
    reader = subprocess.Popen([sys.executable, "-c", f"import sys; sys.stdout.buffer.write(open({str(fifo)!r}, 'rb').read())"],
                              stdout=subprocess.PIPE)
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(fifo))
    received, _ = reader.communicate(timeout=60)
    assert_clean(outcome, 0, None, str(fifo))
    json_rows(received)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["definitions", "pipe", "shop.duckdb"]


def test_an_existing_file_keeps_its_owner_and_group(shop, tmp_path):
    defs, url = shop
    path = tmp_path / "owned.json"
    path.write_bytes(OLD)
    if os.geteuid() == 0:  # root can give it away; anyone else can only keep their own
        os.chown(path, 1234, 5678)
    owner = path.stat().st_uid, path.stat().st_gid
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(path))
    assert_clean(outcome, 0, None, str(path))
    json_rows(path.read_bytes())
    assert (path.stat().st_uid, path.stat().st_gid) == owner


def test_another_users_symlink_in_a_shared_folder_is_not_followed(shop, tmp_path):
    # What fs.protected_symlinks prevents, whether or not the kernel has it on: a link
    # planted in /tmp aiming a report at the victim's own files.
    defs, url = shop
    if os.geteuid() != 0:
        pytest.skip("creating another user's symlink needs root")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "precious.txt"
    victim.write_bytes(OLD)
    (shared / "report.json").symlink_to(victim)
    os.chown(shared / "report.json", 4321, 4321, follow_symlinks=False)
    before = tree(tmp_path)
    output = str(shared / "report.json")
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", output)
    assert_clean(outcome, 2, re.escape(f"refusing to follow {output}, another user's symlink in a shared folder"), output)
    assert tree(tmp_path) == before
    os.chown(shared / "report.json", os.getuid(), os.getgid(), follow_symlinks=False)  # one's own link is followed
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", output)
    assert_clean(outcome, 0, None, output)
    json_rows(victim.read_bytes())


def test_kpi_never_writes_to_its_own_descriptors(shop, tmp_path, monkeypatch):
    from kpi_engine import interrupts

    defs, url = shop
    reader, writer = os.pipe()
    monkeypatch.setattr(interrupts, "_pipe", (reader, writer))  # as install() records its wakeup pipe
    try:
        output = f"/dev/fd/{writer}"
        outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", output)
        assert_clean(outcome, 2, "not a descriptor kpi was given", output)
        os.set_blocking(reader, False)
        with pytest.raises(BlockingIOError):
            os.read(reader, 1)  # nothing was written to it
    finally:
        os.close(reader)
        os.close(writer)


def test_a_block_device_is_refused(shop, tmp_path):
    defs, url = shop
    device = tmp_path / "disk"
    try:
        os.mknod(device, stat.S_IFBLK | 0o600, os.makedev(7, 255))  # an unbound loop device
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot create a block device node here: {error}")
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(device))
    assert_clean(outcome, 2, r"is a block device; give a file path, or - for stdout", str(device))
    assert stat.S_ISBLK(device.lstat().st_mode)


# -- failures while writing a regular file: the old file stays, no temporary file is left ------------------

FAULTS = [
    # (id, function of the os module to break, errno, the message)
    ("disk-full-while-writing", "write", errno.ENOSPC, "No space left on device"),
    ("quota-exceeded-while-writing", "write", errno.EDQUOT, "Disk quota exceeded"),
    ("io-error-on-fsync", "fsync", errno.EIO, "Input/output error"),
    ("rename-refused", "replace", errno.EBUSY, "Device or resource busy"),
    ("read-only-file-system-at-create", "open", errno.EROFS, "Read-only file system"),
    ("permission-denied-at-create", "open", errno.EACCES, "Permission denied"),
    ("chmod-refused", "fchmod", errno.EPERM, "Operation not permitted"),
]


@pytest.mark.parametrize("case_id, function, code, message", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_failure_while_writing_keeps_the_old_file(shop, tmp_path, monkeypatch, case_id, function, code, message):
    defs, url = shop
    folder = tmp_path / "out-folder"
    folder.mkdir()
    folder = folder.resolve()
    path = folder / "report.json"
    path.write_bytes(OLD)
    path.chmod(0o640)
    from kpi_engine import output_file

    real = getattr(os, function)

    def broken(*args, **kwargs):
        first = args[0] if args else None
        temporary = isinstance(first, str) and first.endswith(".tmp") or isinstance(first, int)
        if temporary and (function != "write" or first > 2):  # leave stdout and stderr alone
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(output_file.os, function, broken)
    before = tree(folder)
    outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(path))
    monkeypatch.undo()
    assert_clean(outcome, 2, re.escape(message), str(path))
    assert tree(folder) == before  # the old file as it was, no temporary file


def test_a_read_only_directory_is_refused_before_the_queries_run(shop, tmp_path, monkeypatch):
    defs, url = shop
    folder = tmp_path / "locked"
    folder.mkdir()
    folder = folder.resolve()
    (folder / "report.json").write_bytes(OLD)
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root ignores the mode: make the check see what a user would
        real = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(folder) else real(path, mode, **kw))
    ran = []
    from kpi_engine import engine

    monkeypatch.setattr(engine.Engine, "evaluate", lambda self, **kw: ran.append(kw))
    try:
        outcome = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(folder / "report.json"))
    finally:
        folder.chmod(0o755)
    assert_clean(outcome, 2, "Permission denied", str(folder / "report.json"))
    assert ran == []  # refused before any query
    assert (folder / "report.json").read_bytes() == OLD and sorted(p.name for p in folder.iterdir()) == ["report.json"]


# -- every command that takes -o ------------------------------------------------------------------------------


def _command(name: str, defs: Path, url: str) -> list[str]:
    return {
        "run": ["run", str(defs), "--connection", url, "--format", "json"],
        "check": ["check", str(defs), "--connection", url, "--format", "json"],
        "crosscheck": ["crosscheck", str(defs), "--connection", url, "--against", url, "--format", "json"],
        "demo": ["demo", "--scale", "0.01", "--format", "json"],
    }[name]


@pytest.mark.parametrize("command", ["run", "check", "crosscheck"])
def test_every_command_writes_through_a_symlink_and_keeps_the_mode(shop, tmp_path, command):
    defs, url = shop
    real = tmp_path / "real.json"
    real.write_bytes(OLD)
    real.chmod(0o600)
    (tmp_path / "link.json").symlink_to("real.json")
    outcome = kpi(*_command(command, defs, url), "-o", str(tmp_path / "link.json"))
    assert outcome.exit in (0, 1) and "Traceback" not in outcome.stderr, outcome.stderr  # check: 1 is a verdict
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads(real.read_bytes()) is not None and real.read_bytes() != OLD
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_dir()) == ["link.json", "real.json", "shop.duckdb"]


@pytest.mark.parametrize("command", ["run", "check", "crosscheck", "demo"])
def test_every_command_refuses_a_directory_before_doing_anything(shop, tmp_path, monkeypatch, command):
    defs, url = shop
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(tmp_path / "cache"))  # demo would generate its data there
    outcome = kpi(*_command(command, defs, url), "-o", str(tmp_path))
    assert_clean(outcome, 2, r"is a directory; give a file path, or - for stdout", str(tmp_path))
    assert not (tmp_path / "cache").exists()  # refused before the demo data was generated


# -- descriptors and terminals, in a real process ------------------------------------------------------------


def _process(defs: Path, url: str, output: str, fmt: str = "json", **popen) -> subprocess.CompletedProcess:
    return subprocess.run([str(KPI), "run", str(defs), "--connection", url, "--format", fmt, "-o", output],
                          capture_output=True, timeout=120, **popen)


@pytest.mark.subprocess
def test_dev_stdout_appends_where_the_shell_redirected_it(shop, tmp_path):
    defs, url = shop
    log = tmp_path / "log.txt"
    log.write_bytes(OLD)
    with open(log, "ab") as appending:
        done = subprocess.run([str(KPI), "run", str(defs), "--connection", url, "--format", "json", "-o", "/dev/stdout"],
                              stdout=appending, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert log.read_bytes().startswith(OLD)
    json_rows(log.read_bytes()[len(OLD):])
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_dir()) == ["log.txt", "shop.duckdb"]


@pytest.mark.subprocess
def test_dev_stderr_and_an_inherited_descriptor_are_written_to(shop, tmp_path):
    defs, url = shop
    done = _process(defs, url, "/dev/stderr")
    assert done.returncode == 0, done.stderr
    text = done.stderr.decode()
    json_rows(text[: text.rindex("]") + 1].encode())
    reader, writer = os.pipe()
    done = _process(defs, url, f"/dev/fd/{writer}", pass_fds=(writer,))
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        json_rows(pipe.read())
    assert done.returncode == 0 and done.stdout == b"", done.stderr


@pytest.mark.subprocess
@pytest.mark.parametrize("output", ["-", "/dev/stdout", "TTY"])
def test_parquet_to_a_terminal_is_refused(shop, tmp_path, output):
    import pty

    defs, url = shop
    controller, terminal = pty.openpty()
    target = os.ttyname(terminal) if output == "TTY" else output
    try:
        done = subprocess.run([str(KPI), "run", str(defs), "--connection", url, "--format", "parquet", "-o", target],
                              stdout=terminal, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 2 and done.stderr.decode() == "error: parquet output is binary: give -o FILE or redirect stdout\n"
