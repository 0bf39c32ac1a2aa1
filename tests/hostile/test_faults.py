"""Interrupts and faults (issue 15, item 9): Ctrl-C or SIGTERM at any moment is ``aborted``.

Each signal case starts the real ``kpi`` console script, waits until it is in the phase
the case names, sends the signal and asserts: exit 130 (SIGINT) or 143 (SIGTERM); stderr
is ``aborted`` after only the lines the run printed before (import timings where a case
asks Python for them); no traceback, from the main thread or any other; no temporary
file and no change to the ``-o`` file; and, on a server, no statement still running.

Phases are found, never slept for: a pipe kept full (stderr during imports, a FIFO or
stdout while writing) blocks the process exactly there; Python's import timings
(``PYTHONPROFILEIMPORTTIME``) tell when loading or rendering has begun; the database
file being open and CPU time being spent tell that an embedded query runs; the server's
own activity view shows a statement running. Queries cross-join a table with itself so
that they would run for minutes: a case passes only if the signal stops them.
"""

from __future__ import annotations

import array
import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from kpi_engine import interrupts
from kpi_engine.testing import invoke

pytestmark = pytest.mark.subprocess

KPI = Path(sys.executable).with_name("kpi")
HANG = 120  # seconds: only a hang guard, never a timing assertion
OLD = b"old content\n"
PIPE_SIZE = 4096

HEAVY = """\
sources:
  pairs:
    sql: select a.v * b.v as p from {table} a cross join {table} b
kpis:
  heavy:
    value: {{source: pairs, expr: sum(p)}}
"""

WIDE = """\
sources:
  days:
    table: days
    time: day
    dimensions: [g]
kpis:
  total:
    value: {source: days, expr: sum(v)}
    target: 1000
"""


# -- a kpi process and its phases -----------------------------------------------------------------------


class Kpi:
    """A running ``kpi`` whose stderr is collected line by line as it comes (unless ``stderr`` is given)."""

    def __init__(self, args, cwd: Path, *, env=None, stdout=subprocess.DEVNULL, stderr=None, module: bool = False):
        command = [sys.executable, "-m", "kpi_engine"] if module else [str(KPI)]
        self.lines: list[str] = []
        self.proc = subprocess.Popen([*command, *args], cwd=cwd, env={**os.environ, **(env or {})}, stdout=stdout,
                                     stderr=subprocess.PIPE if stderr is None else stderr)
        self._reader = None
        if stderr is None:
            self._reader = threading.Thread(target=self._read, daemon=True)
            self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.decode(errors="replace"))

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + HANG
        while not condition():
            if self.proc.poll() is not None:
                pytest.fail(f"kpi ended (exit {self.proc.returncode}) before {what}:\n{''.join(self.lines)[-3000:]}")
            if time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail(f"kpi never got to {what}")
            time.sleep(0.02)

    def seen(self, pattern: str):
        return lambda: any(re.search(pattern, line) for line in self.lines)

    def finish(self, signum: int) -> str:
        """Send ``signum``; return stderr once the process has ended."""
        self.proc.send_signal(signum)
        try:
            self.proc.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"kpi did not stop within {HANG} s of signal {signum}")
        if self._reader is not None:
            self._reader.join(HANG)
        return "".join(self.lines)


# What a run may say before it is aborted: import timings (how the tests find the phase),
# and the adapter's one warning that its role can do more than read (the test servers' is).
BEFORE = r"import time: .*|warning: the \w+ role .* can do more than read .*"


def assert_aborted(proc: subprocess.Popen, stderr: str, signum: int, before: str = BEFORE) -> None:
    """Exit 128 + signum, stderr ``aborted`` after only lines matching ``before``, no traceback."""
    shown = f"exit {proc.returncode}\n--- stderr\n{stderr[-4000:]}"
    assert proc.returncode == 128 + signum, shown
    assert "Traceback" not in stderr and "Exception in thread" not in stderr and "Exception ignored" not in stderr, shown
    lines = stderr.splitlines()
    assert lines and lines[-1] == "aborted", shown
    assert all(re.fullmatch(before, line) for line in lines[:-1]), shown


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def querying(run: Kpi, database: Path) -> None:
    """Wait until ``run`` has the database open and has spent a quarter of a second of CPU since."""
    run.wait_for(lambda: has_open(run.proc.pid, database.resolve()), f"opening {database.name}")
    start = cpu_seconds(run.proc.pid)
    run.wait_for(lambda: cpu_seconds(run.proc.pid) > start + 0.25, "running its query")


def filled(fd: int) -> bool:
    """Whether the pipe read through ``fd`` is full: its writer is blocked."""
    waiting = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, waiting)
    return waiting[0] > PIPE_SIZE - 256


def no_temporary_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]


# -- data ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """A folder with big.duckdb (200,000 rows), big.sqlite (30,000), days.duckdb (10,000 rows
    over 1,000 days and 10 slices), and definitions: heavy/ (a cross join), wide/, many/ (1,200 KPIs)."""
    folder = tmp_path_factory.mktemp("faults")
    con = duckdb.connect(str(folder / "big.duckdb"))
    con.execute("CREATE TABLE big AS SELECT range AS v FROM range(200000)")
    con.close()
    con = duckdb.connect(str(folder / "days.duckdb"))
    con.execute("CREATE TABLE days AS SELECT DATE '2000-01-01' + CAST(range // 10 AS INTEGER) AS day, range % 10 AS g, "
                "range AS v FROM range(10000)")
    con.close()
    import sqlite3

    lite = sqlite3.connect(folder / "big.sqlite")
    lite.execute("CREATE TABLE big (v INTEGER)")
    lite.executemany("INSERT INTO big VALUES (?)", ((i,) for i in range(30000)))
    lite.commit()
    lite.close()
    for name, text in (("heavy", HEAVY.format(table="big")), ("wide", WIDE)):
        (folder / name).mkdir()
        (folder / name / "k.yaml").write_text(text)
    many = folder / "many"
    many.mkdir()
    (many / "sources.yaml").write_text("sources:\n  big:\n    table: big\n")
    for part in range(6):
        lines = ["kpis:"]
        for i in range(200):
            lines += [f"  k_{part}_{i}:",
                      f"    numerator: {{source: big, expr: 'sum(case when v % {i + 2} = 0 then v else 0 end)', where: 'v > {i}'}}",
                      "    denominator: {source: big, expr: count(*)}",
                      "    target: 0.5",
                      "    thresholds: {warn: 0.4, critical: 0.2}"]
        (many / f"kpis_{part}.yaml").write_text("\n".join(lines) + "\n")
    return folder


# -- imports and loading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_during_the_imports(embedded, signum):
    # stderr is a small pipe this test stops reading once kpi's own imports have begun
    # (click comes after the handler is installed): the next import timing line that
    # does not fit blocks kpi inside an import, and the signal arrives there.
    reader, writer = os.pipe()
    fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    run = Kpi(["run", "heavy", "--connection", f"duckdb:///{embedded / 'big.duckdb'}", "--no-cache"], embedded,
              env={"PYTHONPROFILEIMPORTTIME": "1"}, stderr=writer)
    os.close(writer)
    text = b""
    while b"click" not in text:
        chunk = os.read(reader, 64)
        assert chunk, text.decode()
        text += chunk
    deadline = time.monotonic() + HANG
    while not filled(reader):
        assert run.proc.poll() is None and time.monotonic() < deadline, "kpi never blocked writing to stderr"
        time.sleep(0.02)
    run.proc.send_signal(signum)
    with os.fdopen(reader, "rb") as rest:
        text += rest.read()
    run.proc.wait(timeout=HANG)
    stderr = text.decode()
    assert_aborted(run.proc, stderr, signum)
    assert not re.search(r"\| +duckdb$", stderr, re.M)  # it never got as far as connecting


@pytest.mark.parametrize("command, signum", [("run", signal.SIGINT), ("validate", signal.SIGTERM)])
def test_a_signal_while_loading_definitions(embedded, command, signum):
    args = [command, "many", "--no-cache"]
    if command == "run":
        args += ["--connection", f"duckdb:///{embedded / 'big.duckdb'}"]
    run = Kpi(args, embedded, env={"PYTHONPROFILEIMPORTTIME": "1"})
    run.wait_for(run.seen(r"\| +yaml$"), "reading the definitions")  # the loader imports yaml to read them
    stderr = run.finish(signum)
    assert_aborted(run.proc, stderr, signum)
    assert not re.search(r"\| +duckdb$", stderr, re.M) and "ok:" not in stderr  # still loading


# -- queries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine, signum, extra", [
    ("duckdb", signal.SIGINT, ()),
    ("duckdb", signal.SIGTERM, ()),
    ("duckdb", signal.SIGINT, ("--timeout", "600")),  # the timeout's timer thread stays quiet too
    ("sqlite", signal.SIGINT, ()),
    ("sqlite", signal.SIGTERM, ("--timeout", "600")),  # with the progress handler, which swallows exceptions
], ids=["duckdb-sigint", "duckdb-sigterm", "duckdb-timeout-sigint", "sqlite-sigint", "sqlite-timeout-sigterm"])
def test_a_signal_during_an_embedded_query(embedded, tmp_path, engine, signum, extra):
    database = embedded / f"big.{engine}"
    out = tmp_path / "report.json"
    out.write_bytes(OLD)
    run = Kpi(["run", "heavy", "--connection", f"{engine}:///{database}", "--no-cache", "--format", "json", "-o", str(out),
               *extra], embedded)
    querying(run, database)
    stderr = run.finish(signum)
    assert_aborted(run.proc, stderr, signum)
    assert out.read_bytes() == OLD and no_temporary_files(tmp_path) == []


def test_a_second_signal_while_stopping_is_ignored(embedded):
    database = embedded / "big.duckdb"
    run = Kpi(["run", "heavy", "--connection", f"duckdb:///{database}", "--no-cache"], embedded, module=True)
    querying(run, database)
    run.proc.send_signal(signal.SIGINT)
    stderr = run.finish(signal.SIGINT)
    assert_aborted(run.proc, stderr, signal.SIGINT)
    assert stderr.count("aborted") == 1


@pytest.fixture(scope="module")
def big_table():
    return pa.table({"v": pa.array(range(30000), pa.int64())})


@pytest.fixture(scope="module")
def postgres_big(big_table, tmp_path_factory):
    from engines import postgres

    name = f"big_{uuid.uuid4().hex[:10]}"
    with postgres.provision({name: big_table}, tmp_path_factory.mktemp("pg")) as url:
        yield url, name


@pytest.fixture(scope="module")
def mysql_big(big_table, tmp_path_factory):
    from engines import mysql

    name = f"big_{uuid.uuid4().hex[:10]}"
    with mysql.provision({name: big_table}, tmp_path_factory.mktemp("my")) as url:
        yield url, name


@pytest.fixture
def running(request):
    """``running(server, table)``: how many statements naming ``table`` run on ``server`` now
    (the server's activity view, through one admin connection per server)."""
    connections = {}

    def count(server: str, table: str) -> int:
        if server not in connections:
            from engines import mysql, postgres

            connections[server] = postgres._connect_admin() if server == "postgres" else mysql.connect_admin()
        with connections[server].cursor() as cursor:
            if server == "postgres":
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
                               "AND query LIKE $1", [f"%{table}%"])
            else:
                cursor.execute("SELECT count(*) FROM information_schema.processlist WHERE command = 'Query' "
                               "AND id <> connection_id() AND info LIKE %s", (f"%{table}%",))
            return cursor.fetchone()[0]

    yield count
    for con in connections.values():
        con.close()


@pytest.mark.parametrize("server", ["postgres", "mysql"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_cancels_the_statement_on_the_server(request, tmp_path, running, server, signum):
    url, table = request.getfixturevalue(f"{server}_big")
    (tmp_path / "heavy").mkdir()
    (tmp_path / "heavy" / "k.yaml").write_text(HEAVY.format(table=table))
    run = Kpi(["run", "heavy", "--connection", url, "--no-cache"], tmp_path)
    run.wait_for(lambda: running(server, table) > 0, f"its statement running on {server}")
    stderr = run.finish(signum)
    assert_aborted(run.proc, stderr, signum)
    deadline = time.monotonic() + HANG  # the server may take a moment to notice
    while running(server, table) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(server, table) == 0, f"the statement still runs on {server}"


# -- rendering and writing ---------------------------------------------------------------------------------


def test_a_signal_while_rendering_the_table(embedded, tmp_path):
    out = tmp_path / "table.txt"
    out.write_bytes(OLD)
    run = Kpi(["run", "wide", "--connection", f"duckdb:///{embedded / 'days.duckdb'}", "--no-cache", "--grain", "day",
               "--by", "g", "-o", str(out)], embedded, env={"PYTHONPROFILEIMPORTTIME": "1"})
    run.wait_for(run.seen(r"\| +rich\.table$"), "rendering")  # 10,000 rows: rendering takes a second or more
    stderr = run.finish(signal.SIGINT)
    assert_aborted(run.proc, stderr, signal.SIGINT)
    assert out.read_bytes() == OLD and no_temporary_files(tmp_path) == []


@pytest.mark.parametrize("where", ["fifo", "stdout"])
def test_a_signal_while_writing_to_a_reader_that_stalls(embedded, tmp_path, where):
    args = ["run", "wide", "--connection", f"duckdb:///{embedded / 'days.duckdb'}", "--no-cache", "--grain", "day",
            "--by", "g", "--format", "json"]
    if where == "fifo":
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # held open, never read: kpi's writes fill it
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        run = Kpi([*args, "-o", str(fifo)], embedded)
    else:
        reader, writer = os.pipe()
        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        run = Kpi(args, embedded, stdout=writer)
        os.close(writer)
    run.wait_for(lambda: filled(reader), "writing its output")
    stderr = run.finish(signal.SIGINT)
    os.close(reader)
    assert_aborted(run.proc, stderr, signal.SIGINT)
    if where == "fifo":
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


# -- the same in this process: an interrupt inside the writer, or swallowed, or from a library ------------




def _kpi(*args: str):
    return invoke(args)


@pytest.fixture
def received(monkeypatch):
    """Restore the interrupt state a case sets."""
    monkeypatch.setattr(interrupts, "_received", None)
    monkeypatch.setattr(interrupts, "_raised", False)


@pytest.mark.parametrize("function", ["write", "fsync", "replace"])
def test_an_interrupt_inside_the_writer_keeps_the_old_file(shop, tmp_path, monkeypatch, received, function):
    from kpi_engine import output_file

    defs, url = shop
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_bytes(OLD)
    real = getattr(os, function)

    def interrupted(*args, **kwargs):
        first = args[0] if args else None
        if (isinstance(first, int) and first > 2) or (isinstance(first, str) and first.endswith(".tmp")):
            interrupts._received = signal.SIGINT  # as the handler does
            raise interrupts.Interrupted(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(output_file.os, function, interrupted)
    result = _kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(out))
    monkeypatch.undo()
    assert (result.exit_code, result.stderr, result.stdout) == (130, "aborted\n", "")
    assert out.read_bytes() == OLD and sorted(p.name for p in out.parent.iterdir()) == ["report.json"]


def test_an_interrupt_some_library_swallowed_still_aborts_and_writes_nothing(shop, tmp_path, monkeypatch, received):
    from kpi_engine.engine import Engine

    defs, url = shop
    out = tmp_path / "report.json"
    out.write_bytes(OLD)
    evaluate = Engine.evaluate

    def swallowing(self, **selection):
        interrupts._received = signal.SIGTERM  # the handler ran, and a plugin caught what it raised
        return evaluate(self, **selection)

    monkeypatch.setattr(Engine, "evaluate", swallowing)
    for output in (str(out), "-"):
        result = _kpi("run", str(defs), "--connection", url, "--format", "json", "-o", output)
        assert (result.exit_code, result.stderr, result.stdout) == (143, "aborted\n", "")
    assert out.read_bytes() == OLD and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_keyboard_interrupt_from_a_library_is_aborted_without_a_blank_line(shop, monkeypatch, received):
    from kpi_engine.engine import Engine

    defs, url = shop

    def cancelled(self, **selection):
        raise KeyboardInterrupt  # what a driver's own SIGINT handling raises (pyarrow, ADBC)

    monkeypatch.setattr(Engine, "evaluate", cancelled)
    result = _kpi("run", str(defs), "--connection", url)
    assert (result.exit_code, result.stderr, result.stdout) == (130, "aborted\n", "")
