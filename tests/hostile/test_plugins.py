"""Hostile corpus, plugins: a plugin cannot take the engine down.

Every case installs two throwaway distributions through the real entry-point machinery
(:mod:`tests.hostile.sites`): ``healthy`` (an in-memory ``memory://`` adapter and a
``doubled(x)`` function) and ``bad``, which misbehaves one way: ``sys.exit()``,
``KeyboardInterrupt``, ``GeneratorExit``, a ``BaseException`` subclass, ``RecursionError``
or ``MemoryError`` at import, in a registration hook, in a function's or metric type's
``build``, or in its adapter; output on stdout; wrong return types; invalid
declarations; a hook no spec knows. Each case runs ``kpi run --format json`` and
asserts the exit code, every stderr line (the one ``warning: plugin bad (bad 0.1): ...``
line, or the one error), no traceback, and that stdout is exactly the JSON rows the
healthy plugin and the builtins still compute. The subprocess tests at the end check the
same in a real process, and that a real SIGINT during a plugin's import still aborts.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kpi_engine
from test_cli import kpi

from .sites import Site, site  # noqa: F401  (fixture)

HEALTHY = '''
from sqlglot import exp
from kpi_engine import AdapterSpec, FunctionSpec, hookimpl


class Memory:
    dialect = "duckdb"

    def __init__(self, url, options):
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1), (2), (3)) v(v)")

    def execute(self, sql):
        return self.con.sql(sql).to_arrow_table()

    def close(self):
        self.con.close()


def doubled(value):
    return exp.Mul(this=value.copy(), expression=exp.Literal.number(2))


@hookimpl
def kpi_register_adapters():
    return [AdapterSpec(name="memory", schemes=("memory",), dialect="duckdb", factory=Memory)]


@hookimpl
def kpi_register_functions():
    return [FunctionSpec("doubled", doubled, 1, 1)]
'''

DEFINITIONS = """\
sources:
  t: {table: t}
kpis:
  n: {value: {source: t, expr: doubled(sum(v))}}
  s: {value: {source: t, expr: share(v > 1)}}
"""
ROWS = {"n": 12.0, "s": 2 / 3}  # sum(1, 2, 3) doubled; two of three values above 1
SUMMARY = "2 results for 2 KPIs: 2 unrated"

W = r"warning: plugin bad \(bad 0\.1\): "

HEADER = "import sys\nfrom sqlglot import exp\nfrom kpi_engine import AdapterSpec, DefinitionPack, FunctionSpec, MetricParam, MetricTypeSpec, hookimpl\n"


def hook(name: str, body: str) -> str:
    return HEADER + f"\n\n@hookimpl\ndef {name}():\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"


DOOM = "class Doom(BaseException):\n    pass\n\n"
METRIC = "\n\ndef build(query):\n    {body}\n\n\n@hookimpl\ndef kpi_register_metric_types():\n    return [MetricTypeSpec('boomtype', build)]\n"
FUNCTION = "\n\ndef boom(value):\n    {body}\n\n\n@hookimpl\ndef kpi_register_functions():\n    return [FunctionSpec('boom', boom, 1, 1)]\n"
ADAPTER = "\n\nclass Bad:\n    dialect = 'duckdb'\n\n    def __init__(self, url, options):\n        {init}\n\n    def execute(self, sql):\n        {execute}\n\n    def close(self):\n        pass\n\n\n@hookimpl\ndef kpi_register_adapters():\n    return [AdapterSpec(name='bad', schemes=('bad',), dialect='duckdb', factory={factory})]\n"

BOOM_KPI = "  bad_k: {value: {source: t, expr: boom(v)}}\n"
BOOM_AT = r"\S+/definitions/k\.yaml:6:\d+: kpi bad_k: expr: function 'boom' failed \({}\); this is a bug in the plugin providing it"
METRIC_KPI = "  bad_m: {metric: {type: boomtype, source: t}}\n"
METRIC_AT = r"error: \S+/definitions/k\.yaml:6:\d+: kpi bad_m: metric type boomtype failed to build its query: {}"
BAD_RUN = r"error: connection bad://: kpi n, s \(source t\): "

# (id, bad plugin's module source, KPIs added to DEFINITIONS, connection, exit code, stderr lines)
CASES = [
    # -- at import ---------------------------------------------------------------------------
    ("import-sys-exit-code", "import sys\nsys.exit(3)\n", "", "memory://", 0, [W + "failed to load: SystemExit: 3"]),
    ("import-sys-exit-none", "import sys\nsys.exit()\n", "", "memory://", 0, [W + "failed to load: SystemExit"]),
    ("import-sys-exit-text", "import sys\nsys.exit('no licence')\n", "", "memory://", 0,
     [W + "failed to load: SystemExit: no licence"]),
    ("import-keyboard-interrupt", "raise KeyboardInterrupt\n", "", "memory://", 0, [W + "failed to load: KeyboardInterrupt"]),
    ("import-base-exception", DOOM + "raise Doom('the end')\n", "", "memory://", 0, [W + "failed to load: Doom: the end"]),
    ("import-generator-exit", "raise GeneratorExit('closing')\n", "", "memory://", 0,
     [W + "failed to load: GeneratorExit: closing"]),
    ("import-recursion", "def f():\n    return f()\n\nf()\n", "", "memory://", 0,
     [W + "failed to load: RecursionError: maximum recursion depth exceeded"]),
    ("import-memory-error", "buffer = bytearray(1 << 62)\n", "", "memory://", 0, [W + "failed to load: MemoryError"]),
    ("import-syntax-error", "def (\n", "", "memory://", 0, [W + r"failed to load: SyntaxError: invalid syntax \(bad\.py, line 1\)"]),
    ("import-prints", "print('hello from bad')\n", "", "memory://", 0, ["hello from bad"]),
    ("import-replaces-stdout", "import io, sys\nsys.stdout = io.StringIO()\nprint('swallowed')\n", "", "memory://", 0, []),
    ("import-ignores-ctrl-c", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n", "", "memory://", 0, []),
    ("unknown-hook", HEADER + "\n\n@hookimpl\ndef kpi_register_exporters():\n    return []\n", "", "memory://", 0,
     [W + r"implements unknown hook kpi_register_exporters \(known: kpi_register_adapters, kpi_register_definitions, "
          r"kpi_register_functions, kpi_register_metric_types\)"]),
    ("hook-with-unknown-argument", HEADER + "\n\n@hookimpl\ndef kpi_register_functions(config):\n    return []\n", "",
     "memory://", 0, [W + r"failed to load: PluginValidationError: Plugin 'bad' for hook 'kpi_register_functions'"]),
    # -- in a registration hook ----------------------------------------------------------------
    ("adapters-hook-sys-exit", hook("kpi_register_adapters", "sys.exit(2)"), "", "memory://", 0,
     [W + "kpi_register_adapters raised SystemExit: 2"]),
    ("functions-hook-keyboard-interrupt", hook("kpi_register_functions", "raise KeyboardInterrupt"), "", "memory://", 0,
     [W + "kpi_register_functions raised KeyboardInterrupt"]),
    ("metric-types-hook-base-exception", DOOM + hook("kpi_register_metric_types", "raise Doom('late')"), "", "memory://", 0,
     [W + "kpi_register_metric_types raised Doom: late"]),
    ("definitions-hook-recursion", hook("kpi_register_definitions", "def f():\n    return f()\nreturn f()"), "",
     "memory://", 0, [W + "kpi_register_definitions raised RecursionError: maximum recursion depth exceeded"]),
    ("definitions-hook-memory-error", hook("kpi_register_definitions", "return [bytearray(1 << 62)]"), "", "memory://", 0,
     [W + "kpi_register_definitions raised MemoryError"]),
    ("hook-prints", hook("kpi_register_functions", "print('registering')\nreturn []"), "", "memory://", 0,
     ["registering"]),
    ("hook-returns-int", hook("kpi_register_functions", "return 42"), "", "memory://", 0,
     [W + "kpi_register_functions must return an iterable of FunctionSpec objects, not int"]),
    ("hook-returns-one-spec", hook("kpi_register_functions", "return FunctionSpec('one', lambda v: v)"), "", "memory://",
     0, [W + "kpi_register_functions must return an iterable of FunctionSpec objects, not FunctionSpec"]),
    ("hook-returns-str", hook("kpi_register_adapters", "return 'memory'"), "", "memory://", 0,
     [W + "kpi_register_adapters must return an iterable of AdapterSpec objects, not str"]),
    ("hook-returns-dict", hook("kpi_register_definitions", "return {'name': 'pack'}"), "", "memory://", 0,
     [W + "kpi_register_definitions must return an iterable of DefinitionPack objects, not dict"]),
    ("hook-endless-generator", hook("kpi_register_functions", "while True:\n    yield None"), "", "memory://", 0,
     [W + "kpi_register_functions returned more than 10000 declarations"]),
    ("hook-generator-exits-midway", hook("kpi_register_functions", "yield FunctionSpec('half', lambda v: v)\nsys.exit(4)"),
     "", "memory://", 0, [W + "kpi_register_functions raised SystemExit: 4"]),
    ("hook-returns-several-wrong-types", hook("kpi_register_functions", "return ['a', 1, 2.0]"), "", "memory://", 0,
     [W + r"kpi_register_functions must return FunctionSpec objects, not str \(and 2 more\)"]),
    ("function-without-name", hook("kpi_register_functions", "return [FunctionSpec(None, lambda v: v)]"), "", "memory://",
     0, [W + r"kpi_register_functions returned an invalid FunctionSpec 'None': name must be an identifier "
             r"\(letters, digits, '_'\)"]),
    ("function-negative-arity", hook("kpi_register_functions", "return [FunctionSpec('neg', lambda v: v, -1)]"), "",
     "memory://", 0, [W + "kpi_register_functions returned an invalid FunctionSpec 'neg': min_args must be a whole "
                          "number, 0 or more"]),
    ("adapter-without-scheme", hook("kpi_register_adapters", "return [AdapterSpec('x', (), 'duckdb', print)]"), "",
     "memory://", 0, [W + "kpi_register_adapters returned an invalid AdapterSpec 'x': schemes must name at least one "
                          "URL scheme"]),
    ("adapter-bad-scheme", hook("kpi_register_adapters", "return [AdapterSpec('x', ('no scheme!',), 'duckdb', print)]"),
     "", "memory://", 0, [W + r"kpi_register_adapters returned an invalid AdapterSpec 'x': each scheme must be a URL "
                              r"scheme such as 'postgresql' \(letters, digits, '\+', '-', '\.'\)"]),
    ("metric-type-bad-params", hook("kpi_register_metric_types", "return [MetricTypeSpec('m', print, params=('x',))]"),
     "", "memory://", 0, [W + "kpi_register_metric_types returned an invalid MetricTypeSpec 'm': params must be "
                              "MetricParam objects"]),
    ("pack-bad-documents", hook("kpi_register_definitions", "return [DefinitionPack('p', documents=('x',))]"), "",
     "memory://", 0, [W + "kpi_register_definitions returned an invalid DefinitionPack 'p': documents must be mappings"]),
    # -- in a function's or metric type's build() ----------------------------------------------------
    ("function-build-sys-exit", HEADER + FUNCTION.format(body="sys.exit(5)"), BOOM_KPI, "memory://", 3,
     [BOOM_AT.format("SystemExit: 5"), "1 problem in the definitions"]),
    ("function-build-keyboard-interrupt", HEADER + FUNCTION.format(body="raise KeyboardInterrupt"), BOOM_KPI, "memory://",
     3, [BOOM_AT.format("KeyboardInterrupt"), "1 problem in the definitions"]),
    ("function-build-recursion", HEADER + FUNCTION.format(body="return boom(value)"), BOOM_KPI, "memory://", 3,
     [BOOM_AT.format("RecursionError: maximum recursion depth exceeded"), "1 problem in the definitions"]),
    ("function-lazy-build-exits-at-import", HEADER + "\n\n@hookimpl\ndef kpi_register_functions():\n"
     "    return [FunctionSpec('boom', 'bad_builders:boom', 1, 1)]\n", BOOM_KPI, "memory://", 3,
     [BOOM_AT.format("SystemExit: 6"), "1 problem in the definitions"]),
    ("metric-type-build-sys-exit", HEADER + METRIC.format(body="sys.exit(1)"), METRIC_KPI, "memory://", 2,
     [METRIC_AT.format("SystemExit: 1")]),
    ("metric-type-build-base-exception", DOOM + HEADER + METRIC.format(body="raise Doom('no query')"), METRIC_KPI,
     "memory://", 2, [METRIC_AT.format("Doom: no query")]),
    ("metric-type-build-returns-text", HEADER + METRIC.format(body="return 'SELECT 1'"), METRIC_KPI, "memory://", 2,
     [r"error: \S+/definitions/k\.yaml:6:\d+: kpi bad_m: metric type boomtype must return a sqlglot query, not str"]),
    # -- in its adapter ---------------------------------------------------------------------------------
    ("adapter-factory-sys-exit", HEADER + ADAPTER.format(init="sys.exit(9)", execute="pass", factory="Bad"), "", "bad://",
     4, [BAD_RUN + "the bad adapter failed to connect: SystemExit: 9"]),
    ("adapter-factory-returns-none", HEADER + ADAPTER.format(init="pass", execute="pass", factory="lambda url, o: None"),
     "", "bad://", 4, [BAD_RUN + r"the bad adapter returned NoneType, not an adapter \(dialect, execute, close\)"]),
    ("adapter-execute-recursion", HEADER + ADAPTER.format(init="pass", execute="return self.execute(sql)", factory="Bad"),
     "", "bad://", 4, [r"error: connection bad://: kpi [ns] \(source t\): the bad adapter failed to run the query: "
                       r"RecursionError: maximum recursion depth exceeded"] * 2),
    ("adapter-execute-returns-list", HEADER + ADAPTER.format(init="pass", execute="return []", factory="Bad"), "",
     "bad://", 4, [r"error: connection bad://: kpi [ns] \(source t\): the bad adapter returned list, not a "
                   r"pyarrow\.Table"] * 2),
    ("adapter-lazy-factory-exits-at-import", HEADER + ADAPTER.format(init="pass", execute="pass",
                                                                      factory="'bad_builders:Bad'"),
     "", "bad://", 4, [BAD_RUN + "the bad adapter cannot be loaded: SystemExit: 6"]),
]


def install(site: Site, source: str) -> None:  # noqa: F811
    site.add("healthy", HEALTHY)
    site.add("bad", source)
    # A module some cases name as "module:attribute", imported only when first used.
    (site.root / "bad_builders.py").write_text("import sys\nsys.exit(6)\n")
    site.modules.append("bad_builders")


@pytest.mark.parametrize(("case", "source", "kpis", "connection", "code", "lines"), CASES, ids=[c[0] for c in CASES])
def test_a_misbehaving_plugin_is_reported_and_the_rest_work(case, source, kpis, connection, code, lines, site, tmp_path,  # noqa: F811
                                                            monkeypatch):
    install(site, source)
    defs = tmp_path / "definitions"
    defs.mkdir()
    (defs / "k.yaml").write_text(DEFINITIONS + kpis)
    monkeypatch.delenv("KPI_CONNECTION", raising=False)
    before = {p for p in tmp_path.rglob("*")}
    handler = signal.getsignal(signal.SIGINT)

    result = kpi("run", str(defs), "--connection", connection, "--format", "json")

    assert result.exit_code == code, result.stderr
    got = result.stderr.splitlines()
    lines = [*lines, SUMMARY] if code == 0 else lines
    assert len(got) == len(lines), got
    for line, pattern in zip(got, lines):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert "Traceback" not in result.stdout + result.stderr
    if code == 0:
        assert {r["kpi"]: pytest.approx(r["value"]) for r in json.loads(result.stdout)} == ROWS
    else:
        assert result.stdout == ""
    assert signal.getsignal(signal.SIGINT) is handler  # a plugin cannot disarm Ctrl-C
    assert {p for p in tmp_path.rglob("*") if "__pycache__" not in p.parts} <= before


def test_get_plugins_returns_with_every_kind_of_failure_at_once(site, tmp_path):  # noqa: F811
    """All the import-time and hook-time failures of the corpus together: each reported on its plugin."""
    site.add("healthy", HEALTHY)
    failing = [c for c in CASES if c[4] == 0 and c[5] and c[5][0].startswith(W)]
    for i, (_case, source, *_rest) in enumerate(failing):
        site.add(f"bad{i}", source, dist=f"bad{i}")
    found = kpi_engine.get_plugins()
    errors = {f.name: f.error for f in found.failures}
    assert set(errors) == {f"bad{i}" for i in range(len(failing))}
    for i, (_case, _source, _kpis, _connection, _code, lines) in enumerate(failing):
        pattern = lines[0].removeprefix(W).replace("'bad'", f"'bad{i}'").replace(r"bad\.py", rf"bad{i}\.py")
        assert re.fullmatch(pattern, errors[f"bad{i}"]), (errors[f"bad{i}"], pattern)
    assert "memory" in found.adapters and "doubled" in found.functions


# -- in a real process --------------------------------------------------------------------------------


def _site_on_disk(root: Path, plugins: dict[str, str]) -> Path:
    root.mkdir()
    site = Site(root)
    for module, source in plugins.items():
        site.add(module, source)
    return root


def _kpi(args: list[str], site_root: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(site_root), "KPI_CONNECTION": ""}
    env.pop("KPI_ENGINE_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "kpi_engine", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **popen)


@pytest.mark.subprocess
def test_stdout_stays_json_in_a_real_process(tmp_path):
    root = _site_on_disk(tmp_path / "site", {
        "healthy": HEALTHY,
        "exiter": "print('to stdout at import')\nimport sys\nsys.exit(3)\n",
        "chatty": hook("kpi_register_functions", "print('to stdout in a hook')\nraise KeyboardInterrupt"),
    })
    defs = tmp_path / "definitions"
    defs.mkdir()
    (defs / "k.yaml").write_text(DEFINITIONS)
    proc = _kpi(["run", str(defs), "--connection", "memory://", "--format", "json"], root, cwd=tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert {r["kpi"]: pytest.approx(r["value"]) for r in json.loads(out)} == ROWS
    assert sorted(err.splitlines()) == sorted([
        "to stdout at import",
        "to stdout in a hook",
        "warning: plugin exiter (exiter 0.1): failed to load: SystemExit: 3",
        "warning: plugin chatty (chatty 0.1): kpi_register_functions raised KeyboardInterrupt",
        SUMMARY,
    ])


SLOW_IMPORT = """
import sys, time
sys.stderr.write("ready\\n")
sys.stderr.flush()
{body}
"""


@pytest.mark.subprocess
@pytest.mark.parametrize(("body", "signum"), [
    ("time.sleep(600)", signal.SIGINT),  # the Ctrl-C interrupts the plugin's import
    ("try:\n    time.sleep(600)\nexcept KeyboardInterrupt:\n    pass", signal.SIGINT),  # swallowed: still an abort
    ("time.sleep(600)", signal.SIGTERM),  # a scheduler stopping the job
    ("try:\n    time.sleep(600)\nexcept BaseException:\n    pass", signal.SIGTERM),
], ids=["interrupted", "swallowed", "terminated", "termination-swallowed"])
def test_a_real_signal_during_a_plugins_import_aborts(tmp_path, body, signum):
    root = _site_on_disk(tmp_path / "site", {"slow": SLOW_IMPORT.format(body=body)})
    proc = _kpi(["plugins", "--format", "json"], root, cwd=tmp_path)
    assert proc.stderr.readline() == "ready\n"  # the plugin is importing: now the user presses Ctrl-C
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum
    assert err.strip() == "aborted" and out == ""
    assert "warning: plugin" not in err and "Traceback" not in err
