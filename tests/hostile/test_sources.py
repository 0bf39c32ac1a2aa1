"""Hostile corpus, category ``sources``: definitions that try to read files outside the data roots.

A KPI proposed in a pull request and checked by CI must not read the CI machine's files.
Each case writes one source into a project (``kpi.yml`` beside ``definitions/``, a
secret file outside it) and runs ``kpi validate``: exit 3 and one ``file:line:col``
line naming the source and how to allow the folder, or exit 0 for the controls. Then the
same attacks with the load-time check bypassed, to see DuckDB's ``allowed_directories``
refuse them at run time (exit 4), and the pack and project-file rules.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import attrs
import pytest

import kpi_engine
from kpi_engine import DefinitionError, DefinitionPack, ExecutionError
from kpi_engine.builtin.duckdb_adapter import DuckDBAdapter
from kpi_engine.testing import invoke
from kpi_engine.specs import ConnectOptions

SECRET = "s\nTOP-SECRET-VALUE\n"
HOW = r"; to allow it, add its folder to data_roots: in kpi\.yml or to KPI_DATA_ROOTS"




def kpi(*args: str, env: dict | None = None):
    return invoke(args, env=env)


def snapshot(*folders: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every file and link under ``folders`` with its content (or link target)."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                found[str(path)] = (0, os.readlink(path))
            elif path.is_file():
                found[str(path)] = (1, path.read_bytes())
    return found


@pytest.fixture
def project(tmp_path):
    """tmp/proj (kpi.yml, definitions/data/ok.csv), tmp/secret.csv and tmp/outside/secret.csv beside it."""
    root = tmp_path / "proj"
    data = root / "definitions" / "data"
    data.mkdir(parents=True)
    (root / "kpi.yml").write_text("definitions: definitions\n")
    (data / "ok.csv").write_text("a,t\n1,2024-01-01\n2,2024-01-02\n")
    (tmp_path / "secret.csv").write_text(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text(SECRET)
    return root


def write_source(root: Path, source: str) -> Path:
    """``definitions/k.yaml``: source ``s`` written as given on line 2, and a KPI counting it."""
    file = root / "definitions" / "k.yaml"
    file.write_text(f"sources:\n  s: {source}\nkpis:\n  k: {{value: {{source: s, expr: count(*)}}}}\n")
    return file


def _link(root: Path, name: str, target: Path) -> None:
    (root / "definitions" / "data" / name).symlink_to(target)


SETUPS = {
    "file_link": lambda root, tmp: _link(root, "evil.csv", tmp / "outside" / "secret.csv"),
    "hidden_link": lambda root, tmp: _link(root, ".evil.csv", tmp / "outside" / "secret.csv"),
    "dir_link": lambda root, tmp: _link(root, "link", tmp / "outside"),
    "proj_link": lambda root, tmp: _roots_and_link(root),
}


def _roots_and_link(root: Path) -> None:
    """Only the definitions are a root; data/up.csv leads to the project file beside them."""
    (root / "kpi.yml").write_text("definitions: definitions\ndata_roots: [definitions]\n")
    _link(root, "up.csv", root / "kpi.yml")

OUTSIDE = r"is outside the data roots \({root}\)"

# (id, the source mapping on line 2, setup, expected exit code, the one-line message regex; {file} and
# {root} stand for the definition file and the data root, {tmp} for the folder holding the project)
CASES = [
    ("proc_self_environ", "{path: /proc/self/environ}", None, 3,
     r"{file}:2:13: source s: path: '/proc/self/environ' " + OUTSIDE + r" \(it resolves to '/proc/\d+/environ'\)" + HOW),
    ("etc_passwd", "{path: /etc/passwd}", None, 3, r"{file}:2:13: source s: path: '/etc/passwd' " + OUTSIDE + HOW),
    ("dotdot_secret", "{path: ../../secret.csv}", None, 3,
     r"{file}:2:13: source s: path: '\.\./\.\./secret\.csv' " + OUTSIDE + HOW),
    ("dotdot_deep", "{path: data/../../../../../../../../etc/shadow}", None, 3,
     r"{file}:2:13: source s: path: 'data/(\.\./)+etc/shadow' " + OUTSIDE + HOW),
    ("symlink_to_outside", "{path: data/evil.csv}", "file_link", 3,
     r"{file}:2:13: source s: path: 'data/evil\.csv' " + OUTSIDE + r" \(it resolves to '{tmp}/outside/secret\.csv'\)" + HOW),
    ("symlinked_folder", "{path: data/link/secret.csv}", "dir_link", 3,
     r"{file}:2:13: source s: path: 'data/link/secret\.csv' " + OUTSIDE + r" \(it resolves to '{tmp}/outside/secret\.csv'\)"
     + HOW),
    ("glob_matches_symlink", "{path: 'data/*.csv'}", "file_link", 3,
     r"{file}:2:13: source s: path: 'data/\*\.csv' matches '{root}/definitions/data/evil\.csv', which resolves to "
     r"'{tmp}/outside/secret\.csv', outside the data roots \({root}\)" + HOW),
    ("glob_matches_hidden_symlink", "{path: 'data/*.csv'}", "hidden_link", 3,
     r"{file}:2:13: source s: path: 'data/\*\.csv' matches '{root}/definitions/data/\.evil\.csv', which resolves to "
     r"'{tmp}/outside/secret\.csv', outside the data roots \({root}\)" + HOW),
    ("glob_recursive_symlinked_folder", "{path: 'data/**/*.csv'}", "dir_link", 3,
     r"{file}:2:13: source s: path: 'data/\*\*/\*\.csv' matches '{root}/definitions/data/link/secret\.csv', which "
     r"resolves to '{tmp}/outside/secret\.csv', outside the data roots \({root}\)" + HOW),
    ("glob_folder_outside", "{path: '../../*/secret.csv'}", None, 3,
     r"{file}:2:13: source s: path: '\.\./\.\./\*/secret\.csv' " + OUTSIDE + HOW),
    ("glob_whole_disk", "{path: '/**/*.csv'}", None, 3, r"{file}:2:13: source s: path: '/\*\*/\*\.csv' " + OUTSIDE + HOW),
    ("glob_dotdot_after_wildcard", "{path: 'data/*/../../../../outside/secret.csv'}", "dir_link", 3,
     r"{file}:2:13: source s: path: 'data/\*/(\.\./)+outside/secret\.csv': '\.\.' after a wildcard may leave the data "
     r"roots; put the folder before the wildcard"),
    ("home_tilde", "{path: ~/.ssh/id_rsa}", None, 3, r"{file}:2:13: source s: path: '~/\.ssh/id_rsa' " + OUTSIDE + HOW),
    ("home_of_root", "{path: ~root/.bashrc}", None, 3, r"{file}:2:13: source s: path: '~root/\.bashrc' " + OUTSIDE + HOW),
    ("url_s3", "{path: 's3://bucket/x.parquet'}", None, 3,
     r"{file}:2:13: source s: path: 's3://bucket/x\.parquet' is a URL; sources read only local files under the data "
     r"roots \({root}\)"),
    ("url_https", "{path: 'https://example.com/x.csv'}", None, 3,
     r"{file}:2:13: source s: path: 'https://example\.com/x\.csv' is a URL; sources read only local files under the "
     r"data roots \({root}\)"),
    ("url_file", "{path: 'file:///etc/passwd'}", None, 3,
     r"{file}:2:13: source s: path: 'file:///etc/passwd' is a URL; sources read only local files under the data roots "
     r"\({root}\)"),
    ("second_of_a_list", "{path: [data/ok.csv, /etc/passwd]}", None, 3,
     r"{file}:2:27: source s: path: '/etc/passwd' " + OUTSIDE + HOW),
    ("nul_byte", '{path: "data/ok.csv\\0/../../../../etc/passwd"}', None, 3,
     r"{file}:2:13: source s: path: 'data/ok\.csv\\x00/\.\./\.\./\.\./\.\./etc/passwd' contains a NUL character"),
    ("newline_in_path", '{path: "/etc/\\npasswd"}', None, 3, r"{file}:2:13: source s: path: '/etc/\\npasswd' " + OUTSIDE + HOW),
    ("ten_thousand_chars", "{path: /" + "a" * 10_000 + "}", None, 3,
     r"{file}:2:13: source s: path: '/a{{119}}\.\.\.' " + OUTSIDE + HOW),
    ("symlink_to_project_file", "{path: data/up.csv}", "proj_link", 3,
     r"{file}:2:13: source s: path: 'data/up\.csv' is outside the data roots \({root}\) \(it resolves to "
     r"'{tmp}/proj/kpi\.yml'\)" + HOW),
    # sql: sources, whose file reads are checked the same way
    ("sql_read_csv_environ", "{sql: \"select * from read_csv('/proc/self/environ')\"}", None, 3,
     r"{file}:2:35: source s: sql: '/proc/self/environ' " + OUTSIDE + r" \(it resolves to '/proc/\d+/environ'\)" + HOW),
    ("sql_file_as_table", "{sql: \"select * from '/etc/passwd'\"}", None, 3,
     r"{file}:2:26: source s: sql: '/etc/passwd' " + OUTSIDE + HOW),
    ("sql_file_as_quoted_name", "{sql: 'select * from \"../../secret.csv\"'}", None, 3,
     r"{file}:2:26: source s: sql: '\.\./\.\./secret\.csv' " + OUTSIDE + HOW),
    ("sql_list_of_files", "{sql: \"select * from read_parquet(['data/a.parquet', '/etc/x.parquet'])\"}", None, 3,
     r"{file}:2:\d+: source s: sql: '/etc/x\.parquet' " + OUTSIDE + HOW),
    ("sql_glob_function", "{sql: \"select * from glob('/etc/*')\"}", None, 3,
     r"{file}:2:31: source s: sql: '/etc/\*' " + OUTSIDE + HOW),
    ("sql_read_text", "{sql: \"select * from read_text('/etc/passwd')\"}", None, 3,
     r"{file}:2:36: source s: sql: '/etc/passwd' " + OUTSIDE + HOW),
    ("sql_read_json_auto", "{sql: \"select * from read_json_auto('~/.aws/credentials')\"}", None, 3,
     r"{file}:2:\d+: source s: sql: '~/\.aws/credentials' " + OUTSIDE + HOW),
    ("sql_nested_subquery", "{sql: \"select * from (select * from read_csv('/etc/passwd'))\"}", None, 3,
     r"{file}:2:\d+: source s: sql: '/etc/passwd' " + OUTSIDE + HOW),
    ("sql_scalar_subquery", "{sql: \"select (select count(*) from read_csv('/etc/passwd')) as n\"}", None, 3,
     r"{file}:2:\d+: source s: sql: '/etc/passwd' " + OUTSIDE + HOW),
    ("sql_join_symlink", "{sql: \"select * from read_csv('data/ok.csv') join read_csv('data/evil.csv') on true\"}",
     "file_link", 3,
     r"{file}:2:\d+: source s: sql: 'data/evil\.csv' " + OUTSIDE + r" \(it resolves to '{tmp}/outside/secret\.csv'\)" + HOW),
    ("sql_glob_symlink", "{sql: \"select * from read_csv('data/*.csv')\"}", "file_link", 3,
     r"{file}:2:\d+: source s: sql: 'data/\*\.csv' matches '{root}/definitions/data/evil\.csv', which resolves to "
     r"'{tmp}/outside/secret\.csv', outside the data roots \({root}\)" + HOW),
    ("sql_url", "{sql: \"select * from read_parquet('https://example.com/x.parquet')\"}", None, 3,
     r"{file}:2:\d+: source s: sql: 'https://example\.com/x\.parquet' is a URL; sources read only local files under "
     r"the data roots \({root}\)"),
    ("sql_computed_file_name", "{sql: \"select * from read_csv('/etc/' || 'passwd')\"}", None, 3,
     r"{file}:2:\d+: source s: sql: read_csv\(\) must name its files first, as a string or a list of strings"),
    ("sql_parameter_file_name", "{sql: \"select * from read_csv($path)\"}", None, 3,
     r"{file}:2:\d+: source s: sql: read_csv\(\) must name its files first, as a string or a list of strings"),
    ("sql_named_files_argument", "{sql: \"select * from read_csv(files := '/etc/passwd')\"}", None, 3,
     r"{file}:2:\d+: source s: sql: read_csv\(\) must name its files first, as a string or a list of strings"),
    ("sql_other_table_function", "{sql: \"select * from sqlite_scan('/etc/x.db', 't')\"}", None, 3,
     r"{file}:2:26: source s: sql: table function sqlite_scan\(\) is not allowed; read files with read_parquet, "
     r"read_csv, read_json"),
    ("sql_qualified_file_name", "{sql: 'select * from main.\"x.csv\"'}", None, 3,
     r"{file}:2:\d+: source s: sql: 'main\.x\.csv' is neither a table name nor a file"),
    # controls: what stays inside the roots loads
    ("control_relative", "{path: data/ok.csv}", None, 0, None),
    ("control_absolute_inside", "{path: {root}/definitions/data/ok.csv}", None, 0, None),
    ("control_dotdot_inside", "{path: ../definitions/data/ok.csv}", None, 0, None),
    ("control_glob_inside", "{path: 'data/**/*.csv'}", None, 0, None),
    ("control_sql_reads_inside", "{sql: \"select * from read_csv('data/ok.csv') join 'data/ok.csv' on true\"}", None, 0, None),
    ("control_sql_table", "{sql: 'select * from orders join \"Order Lines\" using (id)'}", None, 0, None),
]


@pytest.mark.parametrize(("source", "setup", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reads_outside_the_data_roots_are_refused_at_load(project, tmp_path, source, setup, code, message):
    if setup:
        SETUPS[setup](project, tmp_path)
    file = write_source(project, source.replace("{root}", str(project)))
    before = snapshot(tmp_path)
    result = kpi("validate", "--project-dir", str(project))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if message is None:
        assert result.stderr.startswith("ok: 1 sources, 1 KPIs")
    else:
        root = project / "definitions" if setup == "proj_link" else project
        expected = message.format(file=re.escape(str(file)), root=re.escape(str(root)), tmp=re.escape(str(tmp_path)))
        assert result.stderr.splitlines() == [result.stderr.splitlines()[0], "1 problem in the definitions"]
        assert re.fullmatch(expected, result.stderr.splitlines()[0]), result.stderr
    assert "TOP-SECRET" not in result.output
    assert snapshot(tmp_path) == before


# -- the project file and the environment --------------------------------------------------------------


def test_data_roots_in_kpi_yml_allow_a_folder(project, tmp_path):
    (project / "kpi.yml").write_text(f"definitions: definitions\ndata_roots: [definitions, {tmp_path / 'outside'}]\n")
    write_source(project, "{path: ../../outside/secret.csv}")
    result = kpi("run", "--project-dir", str(project), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == '"k",1,,1,,,"unrated"'


def test_data_roots_are_relative_to_the_project_file(project, tmp_path):
    (project / "kpi.yml").write_text("definitions: definitions\ndata_roots: [../outside]\n")
    write_source(project, "{path: ../../outside/secret.csv}")
    assert kpi("validate", "--project-dir", str(project)).exit_code == 0
    write_source(project, "{path: data/ok.csv}")  # the project directory is no longer a root
    result = kpi("validate", "--project-dir", str(project))
    assert result.exit_code == 3
    assert f"is outside the data roots ({tmp_path / 'outside'})" in result.stderr


def test_pyproject_tool_kpi_data_roots(project, tmp_path):
    (project / "kpi.yml").unlink()
    (project / "pyproject.toml").write_text(f'[tool.kpi]\ndefinitions = "definitions"\ndata_roots = ["{tmp_path / "outside"}"]\n')
    write_source(project, "{path: ../../outside/secret.csv}")
    assert kpi("validate", "--project-dir", str(project)).exit_code == 0


def test_the_environment_overrides_the_project_file(project, tmp_path):
    (project / "kpi.yml").write_text(f"definitions: definitions\ndata_roots: [{tmp_path / 'outside'}]\n")
    write_source(project, "{path: ../../outside/secret.csv}")
    env = {"KPI_DATA_ROOTS": os.pathsep.join([str(project), str(tmp_path / "nowhere")])}
    result = kpi("validate", "--project-dir", str(project), env=env)
    assert result.exit_code == 3
    assert f"is outside the data roots ({project}, {tmp_path / 'nowhere'}); to allow it" in result.stderr
    env = {"KPI_DATA_ROOTS": str(tmp_path / "outside")}
    assert kpi("validate", "--project-dir", str(project), env=env).exit_code == 0


def test_without_a_project_file_the_definitions_directory_is_the_root(project, tmp_path):
    (project / "kpi.yml").unlink()
    write_source(project, "{path: ../kpi.yml}")
    result = kpi("validate", str(project / "definitions"))
    assert result.exit_code == 3
    assert f"is outside the data roots ({project / 'definitions'})" in result.stderr


@pytest.mark.parametrize(("value", "message"), [
    ("data", "data_roots must be a list of folders, e.g. [data, /srv/exports]"),
    ("[1]", "data_roots must be a list of folders, e.g. [data, /srv/exports]"),
    ("{a: b}", "data_roots must be a list of folders, e.g. [data, /srv/exports]"),
])
def test_bad_data_roots_are_a_usage_error(project, value, message):
    (project / "kpi.yml").write_text(f"definitions: definitions\ndata_roots: {value}\n")
    write_source(project, "{path: data/ok.csv}")
    result = kpi("validate", "--project-dir", str(project))
    assert result.exit_code == 2
    assert result.stderr == f"error: {project / 'kpi.yml'}: {message}\n"


def test_empty_data_roots_allow_no_file(project):
    (project / "kpi.yml").write_text("definitions: definitions\ndata_roots: []\n")
    write_source(project, "{path: data/ok.csv}")
    result = kpi("validate", "--project-dir", str(project))
    assert result.exit_code == 3
    assert "'data/ok.csv' is outside the data roots (none); to allow it" in result.stderr


def test_the_api_takes_data_roots(project, tmp_path):
    write_source(project, "{path: ../../outside/secret.csv}")
    with pytest.raises(DefinitionError, match="outside the data roots"):
        kpi_engine.load(project / "definitions")
    catalog = kpi_engine.load(project / "definitions", data_roots=[project, tmp_path / "outside"])
    assert catalog.data_roots == (str(project), str(tmp_path / "outside"))


# -- packs: their own folder is a root for their own sources -------------------------------------------


def _pack(tmp_path: Path) -> DefinitionPack:
    pack = tmp_path / "site-packages" / "team_pack"
    (pack / "data").mkdir(parents=True)
    (pack / "data" / "targets.csv").write_text("a\n1\n")
    (pack / "pack.yaml").write_text("sources:\n  pack_targets: {path: data/targets.csv}\n")
    return DefinitionPack("team", path=pack)


def _found():
    return kpi_engine.get_plugins(load_entrypoints=False)


def test_a_pack_reads_its_own_folder(project, tmp_path):
    pack = _pack(tmp_path)
    write_source(project, "{path: data/ok.csv}")
    found = _found()
    catalog = kpi_engine.load(project / "definitions", found.functions, [pack], found.metric_types, data_roots=[project])
    assert catalog.sources["pack_targets"].paths == (str(pack.path / "data" / "targets.csv"),)
    assert catalog.data_roots == (str(project), str(pack.path))
    with kpi_engine.Engine(catalog, "duckdb://", plugins=found) as engine:
        assert engine.run(kpis=["k"]).column("value").to_pylist() == [2.0]


def test_a_local_source_may_not_read_a_packs_folder(project, tmp_path):
    pack = _pack(tmp_path)
    write_source(project, f"{{path: {pack.path / 'data' / 'targets.csv'}}}")
    found = _found()
    with pytest.raises(DefinitionError, match=r"k\.yaml:2:13: source s: path: .* is outside the data roots"):
        kpi_engine.load(project / "definitions", found.functions, [pack], found.metric_types, data_roots=[project])


def test_a_pack_may_not_read_outside_its_folder_and_the_roots(project, tmp_path):
    pack = _pack(tmp_path)
    (pack.path / "pack.yaml").write_text("sources:\n  pack_targets: {path: ../../secret.csv}\n")
    write_source(project, "{path: data/ok.csv}")
    found = _found()
    with pytest.raises(DefinitionError, match=r"pack\.yaml:2:24: source pack_targets: path: '\.\./\.\./secret\.csv' is "
                                              r"outside the data roots"):
        kpi_engine.load(project / "definitions", found.functions, [pack], found.metric_types, data_roots=[project])


# -- at run time: DuckDB reads the data roots and nothing else -----------------------------------------


def test_duckdb_is_allowed_the_data_roots_and_no_wider(project, tmp_path):
    (project / "kpi.yml").write_text("definitions: definitions\ndata_roots: [definitions/data]\n")
    write_source(project, "{path: data/ok.csv}")
    catalog = kpi_engine.load(project / "definitions", data_roots=[project / "definitions" / "data"])
    engine = kpi_engine.Engine(catalog, "duckdb://")
    assert engine._readable_dirs() == (project / "definitions" / "data",)


@pytest.mark.parametrize("target", [
    "/proc/self/environ", "/etc/passwd", "{root}/definitions/../../secret.csv", "{root}/definitions/data/evil.csv",
    "{root}/definitions/data/*.csv",
])
def test_duckdb_refuses_what_the_load_check_would_have(project, tmp_path, target):
    """Defense in depth: a source whose load-time check was bypassed still cannot read outside."""
    SETUPS["file_link"](project, tmp_path)
    write_source(project, "{table: t}")
    catalog = kpi_engine.load(project / "definitions", data_roots=[project])
    forged = attrs.evolve(catalog.sources["s"], table=None, paths=(target.format(root=project),))
    catalog = attrs.evolve(catalog, sources={"s": forged})
    with kpi_engine.Engine(catalog, "duckdb://") as engine, pytest.raises(ExecutionError) as error:
        engine.run(kpis=["k"])
    assert "Permission Error: Cannot access file" in str(error.value)
    assert "TOP-SECRET" not in str(error.value)


def test_a_symlink_planted_after_loading_is_refused_at_run_time(project, tmp_path):
    """A loaded catalog's glob meets a link planted later: DuckDB refuses it, one line."""
    write_source(project, "{path: 'data/*.csv'}")
    with kpi_engine.Engine(kpi_engine.load(project / "definitions", data_roots=[project]), "duckdb://") as engine:
        assert engine.run(kpis=["k"]).column("value").to_pylist() == [2.0]
        SETUPS["file_link"](project, tmp_path)
        with pytest.raises(ExecutionError) as error:
            engine.run(kpis=["k"])
    (line,) = str(error.value).splitlines()
    assert re.fullmatch(r"connection duckdb://: kpi k \(source s\): Permission Error: Cannot access file "
                        r"\".*/evil\.csv\" - file system operations are disabled by configuration", line), line


def test_the_next_command_checks_the_planted_symlink_at_load(project, tmp_path):
    write_source(project, "{path: 'data/*.csv'}")
    assert kpi("run", "--project-dir", str(project), "--format", "json").exit_code == 0
    SETUPS["file_link"](project, tmp_path)
    second = kpi("run", "--project-dir", str(project), "--format", "json")
    assert second.exit_code == 3
    assert "Traceback" not in second.output and "TOP-SECRET" not in second.output
    assert second.stdout == ""
    assert "matches '" in second.stderr and "evil.csv', which resolves to" in second.stderr


def test_the_duckdb_adapter_reads_only_its_readable_dirs(project):
    adapter = DuckDBAdapter("duckdb://", ConnectOptions(readable_dirs=(project,)))
    try:
        ok = project / "definitions" / "data" / "ok.csv"
        assert adapter.execute(f"select count(*) as n from read_csv('{ok}')").column("n").to_pylist() == [2]
        for query in ("select * from read_csv('/proc/self/environ')", "select * from '/etc/passwd'",
                      "select * from glob('/etc/*')", "set allowed_directories = ['/']"):
            with pytest.raises(ExecutionError):
                adapter.execute(query)
    finally:
        adapter.close()
