"""Hostile corpus, secrets: no password leaves a failing run, whatever the connection form.

A distinctive password is planted in every connection form kpi-engine takes (URL user
info, percent-encoded or not; ``password=``, ``sslpassword=`` and ``token=`` parameters;
a ``${VAR}`` in kpi.yml, anywhere in the URL; ``KPI_CONNECTION``; ``PGPASSWORD``; a
plugin adapter that quotes it in its own words) on connections that fail in every way:
a closed port, a port that never answers (connect timeout), a wrong password or an
unknown role on the real MariaDB/PostgreSQL, an unknown database, a bad option, a
malformed URL. Each case asserts the exit code, every stderr line (one, unless a
warning is expected), no traceback, and that neither the password nor any piece of it
between URL delimiters appears, in any encoding (:func:`forms`, written here
independently of :mod:`kpi_engine.scrub`), in stdout, stderr or any file under the
project folder (its cache included), and that nothing was written elsewhere under
``tmp_path``.
"""

from __future__ import annotations

import json
import re
import socket
import warnings
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

import kpi_engine
from fixtures import unavailable
from test_cli import kpi

from .sites import site  # noqa: F401  (fixture)

# Every piece is distinctive; the separators are what URL parsers cut at.
PIECES = ("Kx9q", "Wm4z", "Pv7n", "Ht3j", "Rb8d", "Lc6y", "Nf2s", "Qe5w", "Ju8g", "Yh4k", "Zé€ñ")
PASSWORD = "Kx9q?Wm4z#Pv7n/Ht3j@Rb8d:Lc6y%Nf2s Qe5w'Ju8g\"Yh4k;Zé€ñ"
ENCODED = quote(PASSWORD, safe="")
SIMPLE = "Kx9qWm4zPv7nHt3j"  # where the URL must parse for the failure under test to happen
LATIN = PASSWORD.replace("€", "")  # PyMySQL sends the password as Latin-1

DEFINITIONS = "sources:\n  t: {table: t}\nkpis:\n  n: {value: {source: t, expr: count(*)}}\n"


def forms(secret: str) -> set[str]:
    """``secret`` as a message may spell it."""
    encoded = quote(secret, safe="")
    return {
        secret,
        encoded,
        re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        secret.replace("\\", "\\\\").replace("'", "\\'"),
        secret.encode().decode("latin-1"),
    }


def leaks(text: str) -> list[str]:
    return sorted({f for s in (PASSWORD, SIMPLE, LATIN, *PIECES) for f in forms(s) if f in text})


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- a plugin adapter that quotes the password in every way a driver might ----------------

LEAKY = r'''
import json, re, sys, warnings
from urllib.parse import quote, unquote

from kpi_engine import AdapterSpec, ExecutionError, hookimpl


def _password(url):
    userinfo = url.split("://", 1)[1].rpartition("@")[0]
    return unquote(userinfo.partition(":")[2])


class Leaky:
    dialect = "duckdb"

    def __init__(self, url, options):
        how = url.rpartition("@")[2].split("/")[0]
        pw = self.pw = _password(url)
        if how == "raw-url":
            raise RuntimeError(f"cannot open {url}")
        if how == "decoded":
            raise ExecutionError(f"login failed with password {pw}")
        if how == "libpq":
            raise ExecutionError("bad dsn: host=h password='" + pw.replace("\\", "\\\\").replace("'", "\\'") + "'")
        if how == "odbc":
            raise ValueError("DRIVER={x};PWD={" + pw.replace("}", "}}") + "}")
        if how == "repr":
            raise KeyError({"password": pw})
        if how == "json":
            raise ExecutionError(json.dumps({"password": pw}))
        if how == "lowerhex":
            raise ExecutionError(re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(pw, safe="")))
        if how == "exit":
            sys.exit(f"giving up on {url}")
        if how == "warn":
            warnings.warn(f"weak password {pw}")
            raise ExecutionError("refused")
        if how == "dialect":
            self.dialect = f"weird-{pw}"
        if how == "multiline":
            raise ExecutionError(f"first line\nsecond line {pw}")

    def execute(self, sql):
        raise ValueError(f"query refused for {self.pw!r}")

    def close(self):
        pass


@hookimpl
def kpi_register_adapters():
    return [AdapterSpec(name="leaky", schemes=("leaky",), dialect="duckdb", factory=Leaky)]
'''


@pytest.fixture
def leaky(site):  # noqa: F811
    site.add("leaky_adapter", LEAKY, dist="leaky-adapter", entry="leaky")


# -- servers ------------------------------------------------------------------------------------


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def silent_port():
    """A port that accepts connections and never says a word: every client's connect timeout fires."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port  # bound then released: nothing listens there


# -- the corpus -------------------------------------------------------------------------------

LABEL = r"connection (?P<label>\S+)"
N = r": kpi n \(source t\): "

# (id, needs, connection given as, connection, expected exit code, expected stderr lines)
# ``given as``: "flag" (--connection), "env" (KPI_CONNECTION), "project" (kpi.yml with
# ${KPI_HOSTILE_SECRET} = the password, raw). Placeholders: {raw}, {enc}, {simple},
# {latin}, {closed}, {silent}, {tmp}.
CASES = [
    # PostgreSQL
    ("pg-closed-port", "postgres", "flag", "postgresql://kpi:{enc}@127.0.0.1:{closed}/test", 4,
     [rf"error: connection postgresql://kpi:\*\*\*@127\.0\.0\.1:\d+/test{N}cannot connect: connection to server at "
      r'"127\.0\.0\.1", port \d+ failed: Connection refused']),
    ("pg-connect-timeout", "postgres", "flag", "postgresql://kpi:{enc}@127.0.0.1:{silent}/test?connect_timeout=1", 4,
     [rf"error: connection postgresql://kpi:\*\*\*@127\.0\.0\.1:\d+/test\?connect_timeout=1{N}cannot connect: "
      r'connection to server at "127\.0\.0\.1", port \d+ failed: timeout expired']),
    ("pg-unknown-role", "postgres", "flag", "postgresql://kpi_no_such_role:{enc}@127.0.0.1:5432/test", 4,
     [rf"error: connection postgresql://kpi_no_such_role:\*\*\*@127\.0\.0\.1:5432/test{N}cannot connect: connection "
      r'to server at "127\.0\.0\.1", port 5432 failed: FATAL: role "kpi_no_such_role" does not exist']),
    ("pg-unknown-database", "postgres", "flag", "postgresql://postgres:{enc}@127.0.0.1:5432/kpi_no_such_db", 4,
     [rf"error: connection postgresql://postgres:\*\*\*@127\.0\.0\.1:5432/kpi_no_such_db{N}cannot connect: connection "
      r'to server at "127\.0\.0\.1", port 5432 failed: FATAL: database "kpi_no_such_db" does not exist']),
    ("pg-bad-option", "postgres", "flag", "postgresql://postgres:{enc}@127.0.0.1:5432/test?sslmode=bogus", 4,
     [rf"error: connection postgresql://postgres:\*\*\*@127\.0\.0\.1:5432/test\?sslmode=bogus{N}cannot connect: "
      r'invalid sslmode value: "bogus"']),
    ("pg-password-parameter", "postgres", "flag", "postgresql://kpi@127.0.0.1:{closed}/test?password={enc}", 4,
     [rf"error: connection postgresql://kpi@127\.0\.0\.1:\d+/test\?password=\*\*\*{N}cannot connect: connection to "
      r'server at "127\.0\.0\.1", port \d+ failed: Connection refused']),
    ("pg-sslpassword-parameter", "postgres", "flag",
     "postgresql://kpi@127.0.0.1:{closed}/test?sslmode=disable&sslpassword={enc}", 4,
     [rf"error: connection postgresql://kpi@127\.0\.0\.1:\d+/test\?sslmode=disable&sslpassword=\*\*\*{N}cannot "
      r'connect: connection to server at "127\.0\.0\.1", port \d+ failed: Connection refused']),
    ("pg-unknown-parameter", "postgres", "flag", "postgresql://kpi@127.0.0.1:5432/test?kpi_bogus={enc}", 4,
     [rf"error: connection postgresql://kpi@127\.0\.0\.1:5432/test\?kpi_bogus=\*\*\*{N}cannot connect: "
      r'invalid URI query parameter: "kpi_bogus"']),
    # libpq reads the user info up to the first '@': it takes the rest of the password for the host.
    ("pg-raw-at-signs", "postgres", "flag", "postgresql://kpi:Kx9q@Wm4z@Pv7n@127.0.0.1:5432/test", 4,
     [rf"error: connection postgresql://kpi:\*\*\*@127\.0\.0\.1:5432/test{N}cannot connect: could not translate host "
      r'name "\*\*\*@127\.0\.0\.1" to address: .+']),
    ("pg-raw-delimiters", None, "flag", "postgresql://kpi:{raw}@127.0.0.1:5432/test", 4,
     [rf"error: connection postgresql://kpi:\*\*\*@127\.0\.0\.1:5432/test{N}malformed PostgreSQL "
      r"URL: percent-encode '/', '\?', '#' and '@' in the user name and password \(%2F, %3F, %23, %40\)"]),
    ("pg-password-in-host-variable", "postgres", "project", "postgresql://kpi@${{KPI_HOSTILE_SECRET}}:5432/test", 4,
     [r"error: connection db \(postgresql://kpi@\$\{KPI_HOSTILE_SECRET\}:5432/test\): kpi n \(source t\): "
      r"malformed PostgreSQL URL: percent-encode .+"]),
    ("pg-kpi-connection-env", "postgres", "env", "postgresql://kpi:{enc}@127.0.0.1:{closed}/test", 4,
     [rf"error: connection postgresql://kpi:\*\*\*@127\.0\.0\.1:\d+/test{N}cannot connect: connection to server at "
      r'"127\.0\.0\.1", port \d+ failed: Connection refused']),
    ("pg-project-variable", "postgres", "project", "postgresql://kpi:${{KPI_HOSTILE_SECRET}}@127.0.0.1:{closed}/test", 4,
     [r"error: connection db \(postgresql://kpi:\*\*\*@127\.0\.0\.1:\d+/test\): kpi n \(source t\): "
      r"malformed PostgreSQL URL: percent-encode .*"]),
    # MariaDB
    ("mysql-wrong-password", "mysql", "flag", "mysql://root:{latin}@127.0.0.1:3306/test", 4,
     [rf"error: connection mysql://root:\*\*\*@127\.0\.0\.1:3306/test{N}cannot connect: MySQL/MariaDB error 1045: "
      r"Access denied for user 'root'@'[^']+' \(using password: YES\)"]),
    ("mysql-unicode-password", "mysql", "flag", "mysql://root:{enc}@127.0.0.1:3306/test", 4,
     [rf"error: connection mysql://root:\*\*\*@127\.0\.0\.1:3306/test{N}cannot connect: 'latin-1' codec can't "
      r"encode character '\\u20ac' in position \d+: ordinal not in range\(256\)"]),
    ("mariadb-closed-port", None, "flag", "mariadb://root:{latin}@127.0.0.1:{closed}/test", 4,
     [rf"error: connection mariadb://root:\*\*\*@127\.0\.0\.1:\d+/test{N}cannot connect: MySQL/MariaDB error 2003: "
      r"Can't connect to MySQL server on '127\.0\.0\.1' \(\[Errno 111\] Connection refused\)"]),
    # (No silent-port case for MySQL: PyMySQL waits for the server's greeting with no timeout.)
    ("mysql-pymysql-closed-port", None, "flag", "mysql+pymysql://root:{latin}@127.0.0.1:{closed}/test", 4,
     [rf"error: connection mysql\+pymysql://root:\*\*\*@127\.0\.0\.1:\d+/test{N}cannot connect: MySQL/MariaDB error "
      r"2003: Can't connect to MySQL server on '127\.0\.0\.1' \(\[Errno 111\] Connection refused\)"]),
    ("mysql-password-parameter", None, "flag", "mysql://root@127.0.0.1:3306/test?password={enc}", 4,
     [rf"error: connection mysql://root@127\.0\.0\.1:3306/test\?password=\*\*\*{N}unknown option 'password' in the "
      r"mysql URL \(known: .+\)"]),
    ("mysql-bad-option", None, "flag", "mysql://root:{enc}@127.0.0.1:3306/test?connect_timeout=soon", 4,
     [rf"error: connection mysql://root:\*\*\*@127\.0\.0\.1:3306/test\?connect_timeout=soon{N}option connect_timeout "
      r"in the mysql URL must be a number of seconds > 0, got 'soon'"]),
    ("mysql-raw-delimiters", None, "flag", "mysql://root:{raw}@127.0.0.1:3306/test", 4,
     [rf"error: connection mysql://root:\*\*\*@127\.0\.0\.1:3306/test{N}malformed mysql URL: Port could not be cast "
      r"to integer value as '\*\*\*'"]),
    # Spark Connect
    ("sc-token-closed-port", "spark", "flag", "sc://127.0.0.1:{closed}/;token={simple};user_id=ana", 4,
     [rf"error: connection sc://127\.0\.0\.1:\d+/;token=\*\*\*;user_id=ana{N}no Spark Connect server answers at "
      r"127\.0\.0\.1:\d+: Connection refused"]),
    ("sc-token-in-variable", "spark", "project", "sc://127.0.0.1:{closed}/;token=${{KPI_HOSTILE_SECRET}}", 4,
     # The raw '?' in the token makes it no Spark Connect URL; its raw '@' makes any parser see user
     # info ending there, so the label loses more than the token: masking too much is the safe side.
     [r"error: connection db \(sc://127\.0\.0\.1:\*\*\*=\*\*\*\): kpi n \(source t\): an sc:// URL takes Spark "
      r"Connect parameters after '/;' \(sc://host:15002/;\*\*\*=\.\.\.\), not '\?'"]),
    # The builtin adapters, and no adapter at all
    ("duckdb-user-info", None, "flag", "duckdb://admin:{enc}@localhost/x.db", 4,
     [rf"error: connection duckdb://admin:\*\*\*@localhost/x\.db{N}malformed duckdb URL "
      r"'duckdb://admin:\*\*\*@localhost/x\.db': use duckdb:// or duckdb:///path/to/file\.db"]),
    ("duckdb-missing-file-with-parameter", None, "flag", "duckdb:///{tmp}/absent.duckdb?password={simple}", 4,
     [rf"error: connection duckdb:///\S+/absent\.duckdb\?password=\*\*\*{N}duckdb database file not found: "
      r"\S+/absent\.duckdb"]),
    ("sqlite-user-info", None, "flag", "sqlite://admin:{enc}@/x.db", 4,
     [rf"error: connection sqlite://admin:\*\*\*@/x\.db{N}malformed sqlite URL 'sqlite://admin:\*\*\*@/x\.db': name "
      r"a database file, .+"]),
    ("unknown-scheme", None, "flag", "nosuch://admin:{raw}@db.example/x", 2,
     [r"error: no adapter for connection nosuch://admin:\*\*\*@db\.example/x \(installed schemes: .+\)"]),
    ("no-scheme", None, "flag", "admin:{simple}@db.example/x", 2,
     [r"error: unknown connection 'admin:\*\*\*@db\.example/x' \(known: none: add them under connections: in kpi\.yml\)"]),
    ("no-scheme-in-env", None, "env", "admin:{simple}@db.example/x", 2,
     [r"error: unknown connection 'admin:\*\*\*@db\.example/x' \(known: none: add them under connections: in kpi\.yml\)"]),
    # A plugin adapter quoting the password in its own words
    ("plugin-raw-url", "leaky", "flag", "leaky://u:{enc}@raw-url/db", 4,
     [rf"error: connection leaky://u:\*\*\*@raw-url/db{N}the leaky adapter failed to connect: RuntimeError: cannot "
      r"open leaky://u:\*\*\*@raw-url/db"]),
    ("plugin-decoded", "leaky", "flag", "leaky://u:{enc}@decoded/db", 4,
     [rf"error: connection leaky://u:\*\*\*@decoded/db{N}login failed with password \*\*\*"]),
    ("plugin-libpq-dsn", "leaky", "flag", "leaky://u:{enc}@libpq/db", 4,
     [rf"error: connection leaky://u:\*\*\*@libpq/db{N}bad dsn: host=h password='\*\*\*'"]),
    ("plugin-odbc-dsn", "leaky", "flag", "leaky://u:{enc}@odbc/db", 4,
     [rf"error: connection leaky://u:\*\*\*@odbc/db{N}the leaky adapter failed to connect: ValueError: "
      r"DRIVER=\{x\};PWD=\{\*\*\*\}"]),
    ("plugin-repr", "leaky", "flag", "leaky://u:{enc}@repr/db", 4,
     [rf"error: connection leaky://u:\*\*\*@repr/db{N}the leaky adapter failed to connect: KeyError: "
      r"\{'password': '\*\*\*'\}"]),
    ("plugin-json", "leaky", "flag", "leaky://u:{enc}@json/db", 4,
     [rf'error: connection leaky://u:\*\*\*@json/db{N}{{"password": "\*\*\*"}}']),
    ("plugin-lower-hex", "leaky", "flag", "leaky://u:{enc}@lowerhex/db", 4,
     [rf"error: connection leaky://u:\*\*\*@lowerhex/db{N}\*\*\*"]),
    ("plugin-exit", "leaky", "flag", "leaky://u:{enc}@exit/db", 4,
     [rf"error: connection leaky://u:\*\*\*@exit/db{N}the leaky adapter failed to connect: SystemExit: giving up on "
      r"leaky://u:\*\*\*@exit/db"]),
    ("plugin-warning", "leaky", "flag", "leaky://u:{enc}@warn/db", 4,
     [r"\S+/leaky_adapter\.py:\d+: UserWarning: weak password \*\*\*", r'  warnings\.warn\(f"weak password \{pw\}"\)',
      rf"error: connection leaky://u:\*\*\*@warn/db{N}refused"]),
    ("plugin-query-error", "leaky", "flag", "leaky://u:{enc}@execute/db", 4,
     [rf"error: connection leaky://u:\*\*\*@execute/db{N}the leaky adapter failed to run the query: ValueError: "
      r"query refused for '\*\*\*'"]),
    ("plugin-internal-error", "leaky", "flag", "leaky://u:{enc}@dialect/db", 4,
     [r"internal error: ValueError: Unknown dialect 'weird-\*\*\*'\. \(set KPI_ENGINE_DEBUG=1 for a traceback\)"]),
    ("plugin-project-variable", "leaky", "project", "leaky://u:${{KPI_HOSTILE_SECRET}}@decoded/db", 4,
     [r"error: connection db \(leaky://u:\*\*\*@decoded/db\): kpi n \(source t\): login failed with password \*\*\*"]),
]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "definitions").mkdir(parents=True)
    (root / "definitions" / "k.yaml").write_text(DEFINITIONS)
    return root


def _needs(what: str | None, request) -> None:
    if what == "postgres" and not _answers(5432):
        unavailable("no PostgreSQL answers at 127.0.0.1:5432")
    if what == "mysql" and not _answers(3306):
        unavailable("no MariaDB answers at 127.0.0.1:3306")
    if what == "spark":
        pytest.importorskip("pyspark.sql.connect.client", reason="kpi-spark[connect] is not installed")
    if what == "leaky":
        request.getfixturevalue("leaky")


@pytest.mark.parametrize(("case", "needs", "given", "connection", "code", "lines"), CASES, ids=[c[0] for c in CASES])
def test_no_secret_leaves_a_failing_run(case, needs, given, connection, code, lines, project, tmp_path, monkeypatch,
                                        closed_port, silent_port, request):
    _needs(needs, request)
    values = {"raw": PASSWORD, "enc": ENCODED, "simple": SIMPLE, "latin": quote(LATIN, safe=""), "closed": closed_port, "silent": silent_port,
              "tmp": tmp_path}
    url = connection.format(**values)
    env = {"KPI_CONNECTION": "", "KPI_HOSTILE_SECRET": PASSWORD}
    args = ["run", "--format", "json"]
    settings = "cache: .kpi-cache\n"  # so that what the run writes to disk is grepped too
    if given == "flag":
        args += ["--connection", url]
    elif given == "env":
        env["KPI_CONNECTION"] = url
    else:
        settings += f"connection: db\nconnections:\n  db: '{url}'\n"
    (project / "kpi.yml").write_text(settings)
    monkeypatch.chdir(project)
    before = snapshot(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # the warning case: shown each time, not once per test session
        result = kpi(*args, **env)
    after = snapshot(tmp_path)

    assert result.exit_code == code, result.stderr
    got = result.stderr.splitlines()
    assert len(got) == len(lines), got
    for line, pattern in zip(got, lines):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert leaks(result.stdout + result.stderr) == []
    written = {name for name in after if before.get(name) != after[name]}
    assert "project/kpi.yml" not in written
    assert all(name.startswith("project/.kpi-cache/") for name in written), written
    assert leaks("\n".join(b.decode("utf-8", "replace") for b in after.values())) == []


# -- every other way out: kpi connections, connections test, compile, check, the Python API -------


def test_connections_listing_and_test_show_no_secret(project, monkeypatch, closed_port):
    (project / "kpi.yml").write_text(
        "connections:\n"
        f"  pg: 'postgresql://kpi:${{KPI_HOSTILE_SECRET}}@127.0.0.1:{closed_port}/test?sslpassword=${{KPI_HOSTILE_SECRET}}'\n"
        "  sc: 'sc://127.0.0.1:15002/;token=${KPI_HOSTILE_SECRET}'\n"
    )
    monkeypatch.chdir(project)
    listed = kpi("connections", "--format", "json", KPI_HOSTILE_SECRET=PASSWORD)
    assert listed.exit_code == 0
    assert {r["name"]: r["url"] for r in json.loads(listed.stdout)} == {
        "pg": f"postgresql://kpi:${{KPI_HOSTILE_SECRET}}@127.0.0.1:{closed_port}/test?sslpassword=${{KPI_HOSTILE_SECRET}}",
        "sc": "sc://127.0.0.1:15002/;token=${KPI_HOSTILE_SECRET}",
    }
    tested = kpi("connections", "test", "pg", KPI_HOSTILE_SECRET=PASSWORD)
    assert tested.exit_code == 4
    assert re.fullmatch(
        rf"error: connection pg \(postgresql://kpi:\*\*\*@127\.0\.0\.1:{closed_port}/test\?sslpassword=\*\*\*\): .+",
        tested.stderr.strip(),
    ), tested.stderr
    assert leaks(listed.stdout + listed.stderr + tested.stdout + tested.stderr) == []


@pytest.mark.parametrize(
    ("case", "text", "message"),
    [
        ("literal-password", "pg: postgresql://kpi:{simple}@db/x",
         r"error: \S+kpi\.yml: connection pg: the password must be an environment reference such as \$\{PG_PASSWORD\}, "
         r"not a literal"),
        ("literal-password-parameter", "pg: postgresql://kpi@db/x?password={simple}",
         r"error: \S+kpi\.yml: connection pg: the password must be an environment reference such as \$\{PG_PASSWORD\}, "
         r"not a literal"),
        ("literal-token", "sc: sc://db:15002/;token={simple}",
         r"error: \S+kpi\.yml: connection sc: the password must be an environment reference such as \$\{PG_PASSWORD\}, "
         r"not a literal"),
    ],
)
def test_a_literal_secret_in_the_project_file_is_refused_unshown(case, text, message, project, monkeypatch):
    (project / "kpi.yml").write_text("connections:\n  " + text.format(simple=SIMPLE) + "\n")
    monkeypatch.chdir(project)
    for args in (("connections",), ("run",)):
        result = kpi(*args)
        assert result.exit_code == 2
        assert re.fullmatch(message, result.stderr.strip()), result.stderr
        assert leaks(result.stdout + result.stderr) == []


def test_compile_and_check_print_no_secret(project, monkeypatch, closed_port):
    monkeypatch.chdir(project)
    url = f"postgresql://kpi:{ENCODED}@127.0.0.1:{closed_port}/test"
    compiled = kpi("compile", "--connection", url)
    assert compiled.exit_code == 0 and "SELECT" in compiled.stdout
    checked = kpi("check", "--connection", url, "--kpi", "n")
    assert checked.exit_code == 4
    assert leaks(compiled.stdout + compiled.stderr + checked.stdout + checked.stderr) == []


def test_pgpassword_is_scrubbed_too(project, monkeypatch, leaky):
    monkeypatch.chdir(project)
    # PGPASSWORD's value is a secret even when no URL carries it.
    result = kpi("run", "--connection", "leaky://u@decoded/db", PGPASSWORD=PASSWORD)
    assert result.exit_code == 4
    assert result.stderr.strip() == "error: connection leaky://u@decoded/db: kpi n (source t): login failed with password"
    result = kpi("run", "--connection", f"leaky://u:{quote(PASSWORD, safe='')}@decoded/db", PGPASSWORD=SIMPLE)
    assert leaks(result.stdout + result.stderr) == []


@pytest.mark.parametrize("how", ["raw-url", "decoded", "libpq", "odbc", "repr", "json", "lowerhex", "exit", "multiline",
                                 "execute"])
def test_python_api_raises_no_secret(how, project, leaky):
    catalog = kpi_engine.load(project / "definitions")
    url = f"leaky://u:{ENCODED}@{how}/db"
    with kpi_engine.Engine(catalog, connection=url) as engine:
        evaluation = engine.evaluate()
        with pytest.raises(kpi_engine.ExecutionError) as caught:
            engine.run()
    (failure,) = evaluation.failures
    shown = [str(caught.value), repr(caught.value), str(failure), repr(failure), *getattr(caught.value, "__notes__", [])]
    assert leaks("\n".join(shown)) == []
    assert caught.value.__cause__ is None
    assert str(caught.value).startswith("connection leaky://u:***@")


def test_python_api_selection_errors_hold_no_secret(project):
    catalog = kpi_engine.load(project / "definitions")
    with pytest.raises(kpi_engine.SelectionError) as caught:
        kpi_engine.Engine(catalog, connection=f"nosuch://admin:{PASSWORD}@db.example/x")
    assert leaks(str(caught.value)) == []
    assert str(caught.value).startswith("no adapter for connection nosuch://admin:***@db.example/x")


@pytest.mark.parametrize("how", ["raw-url", "decoded", "libpq", "repr", "exit", "execute"])
def test_open_project_raises_no_secret_of_a_project_connection(how, project, leaky, monkeypatch):
    # The password reaches the connection only through ${KPI_HOSTILE_SECRET}, as kpi.yml must write it.
    (project / "kpi.yml").write_text(f"connection: db\nconnections:\n  db: leaky://u:${{KPI_HOSTILE_SECRET}}@{how}/db\n")
    monkeypatch.setenv("KPI_HOSTILE_SECRET", ENCODED)
    opened = kpi_engine.open_project(project)
    assert leaks(repr(opened) + str(dict(opened.connections))) == []
    for call in (opened.run, opened.check):
        with pytest.raises(kpi_engine.ExecutionError) as caught:
            call()
        assert leaks("\n".join([str(caught.value), repr(caught.value), *getattr(caught.value, "__notes__", [])])) == []
        assert str(caught.value).startswith("connection db (leaky://u:***@")


def test_plugin_failures_hold_no_secret_of_kpi_connection(site, monkeypatch):  # noqa: F811
    site.add("tattler", "import os\nraise RuntimeError('cannot use ' + os.environ['KPI_CONNECTION'])\n")
    monkeypatch.setenv("KPI_CONNECTION", f"postgresql://kpi:{ENCODED}@db/x")
    result = kpi("plugins", "--format", "json")
    assert result.exit_code == 0
    (row,) = [r for r in json.loads(result.stdout) if r["name"] == "tattler"]
    assert row["error"] == "failed to load: RuntimeError: cannot use postgresql://kpi:***@db/x"
    assert leaks(result.stdout + result.stderr) == []


def test_connections_test_ok_line_shows_no_secret(project, monkeypatch, tmp_path):
    import duckdb

    duckdb.connect(str(tmp_path / "ok.duckdb")).close()
    monkeypatch.chdir(project)
    result = kpi("connections", "test", f"duckdb:///{tmp_path}/ok.duckdb?kpi_token={SIMPLE}")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(rf"ok: duckdb:///{re.escape(str(tmp_path))}/ok\.duckdb\?kpi_token=\*\*\* answered in [0-9.]+ s "
                        r"\(duckdb adapter\)", result.stdout.strip()), result.stdout
    assert leaks(result.stdout + result.stderr) == []
