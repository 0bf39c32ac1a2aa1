"""Hostile corpus, category ``yaml``: files that attack the YAML reader itself.

Alias bombs, deep nesting, recursive aliases, scalars that look like numbers or dates
but are not, control characters, other encodings, duplicate keys, wrong top levels,
unreadable and oversized files, and the same attacks on ``kpi.yml`` and
``[tool.kpi]``. Each definitions case runs through ``kpi validate`` and ``kpi run``
(the same exact lines, exit 3, or "nothing to run") and through ``kpi_engine.load``;
see ``loader_cases`` for what every run asserts.
"""

from __future__ import annotations

import os

import pytest

from kpi_engine.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from .loader_cases import api_problems, expected_stderr, kpi, write

S = "sources:\n  s: {table: t}\n"
KPI = S + "kpis:\n  k: {value: {source: s, expr: count(*)}, target: %s}\n"  # the target on line 4, column 51


def laughs(levels: int = 10, width: int = 10) -> str:
    """A billion-laughs bomb: ``width ** levels`` values from about 60 bytes a level."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [{', '.join(['*' + names[i - 1]] * width)}]")
    return "\n".join(lines) + f"\nkpis: *{names[levels - 1]}\n"


BOMB = laughs()
NESTED_ANCHOR = "deep: &d " + "[" * 40 + "]" * 40 + "\nkpis: " + "[" * 30 + "*d" + "]" * 30 + "\n"

# (id, files, exit code of `kpi validate defs`, its stderr lines)
DEFINITIONS = [
    ("billion-laughs", {"defs/bomb.yaml": BOMB}, 3,
     [f"defs/bomb.yaml:6:12: invalid YAML: alias *e expands to more than {MAX_VALUES:,} values (the limit per file)"]),
    ("quadratic-blowup", {"defs/a.yaml": "a: &a [" + ", ".join(["x"] * 1000) + "]\nkpis: [" + ", ".join(["*a"] * 300) + "]\n"}, 3,
     [f"defs/a.yaml:2:1000: invalid YAML: alias *a expands to more than {MAX_VALUES:,} values (the limit per file)"]),
    ("recursive-list", {"defs/a.yaml": "kpis: &a [1, *a]\n"}, 3,
     ["defs/a.yaml:1:14: invalid YAML: alias *a is inside the node it names (a recursive value)"]),
    ("recursive-mapping", {"defs/a.yaml": "kpis:\n  k: &k\n    value: *k\n"}, 3,
     ["defs/a.yaml:3:12: invalid YAML: alias *k is inside the node it names (a recursive value)"]),
    ("deep-flow", {"defs/a.yaml": "kpis: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"}, 3,
     [f"defs/a.yaml:1:70: invalid YAML: nested more than {MAX_DEPTH} levels deep"]),
    ("deep-block", {"defs/a.yaml": "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 10))}, 3,
     [f"defs/a.yaml:65:65: invalid YAML: nested more than {MAX_DEPTH} levels deep"]),
    ("deep-past-libyaml", {"defs/a.yaml": "kpis: " + "[" * 5000 + "]" * 5000 + "\n"}, 3,
     ["defs/a.yaml:1:1006: invalid YAML: while increasing flow level exceeded maximum nesting depth"]),
    ("deep-through-alias", {"defs/a.yaml": NESTED_ANCHOR}, 3,
     [f"defs/a.yaml:2:37: invalid YAML: alias *d nests values more than {MAX_DEPTH} levels deep"]),
    ("too-many-values", {"defs/a.yaml": "kpis: [" + "0," * MAX_VALUES + "0]\n"}, 3,
     [f"defs/a.yaml:1:500002: invalid YAML: the file grows to more than {MAX_VALUES:,} values (the limit per file)"]),
    ("undefined-alias", {"defs/a.yaml": "kpis: *nowhere\n"}, 3,
     ["defs/a.yaml:1:7: invalid YAML: found undefined alias"]),
    ("duplicate-anchor", {"defs/a.yaml": "a: &x 1\nb: &x 2\n"}, 3,
     ["defs/a.yaml:2:4: invalid YAML: found duplicate anchor; first occurrence second occurrence"]),
    ("two-documents", {"defs/a.yaml": S + "---\n" + S}, 3,
     ["defs/a.yaml:3:1: invalid YAML: expected a single document in the stream but found another document"]),
    ("duplicate-key", {"defs/a.yaml": "sources:\n  s: {table: t}\n  s: {table: u}\n"}, 3,
     ["defs/a.yaml:3:3: invalid YAML: duplicate key 's' (first at line 2)"]),
    ("duplicate-top-key", {"defs/a.yaml": S + "kpis: {}\nsources: {}\n"}, 3,
     ["defs/a.yaml:4:1: invalid YAML: duplicate key 'sources' (first at line 1)"]),
    ("tab-indent", {"defs/a.yaml": "sources:\n\ts: {table: t}\n"}, 3,
     ["defs/a.yaml:2:1: invalid YAML: while scanning for the next token found character that cannot start any token"]),
    ("nul-byte", {"defs/a.yaml": b"sources:\n  s: {table: t\x00}\n"}, 3,
     ["defs/a.yaml:2:15: invalid YAML: unacceptable character #x0000: control characters are not allowed"]),
    ("control-char", {"defs/a.yaml": "kpis:\n  k: {title: \x1b[31m}\n"}, 3,
     ["defs/a.yaml:2:14: invalid YAML: unacceptable character #x001b: control characters are not allowed"]),
    ("latin-1", {"defs/a.yaml": "kpis:\n  k: {title: caf\xe9}\n".encode("latin-1")}, 3,
     ["defs/a.yaml:2:17: file is not UTF-8 text (byte 0xe9)"]),
    ("utf-16", {"defs/a.yaml": S.encode("utf-16")}, 3,
     ["defs/a.yaml:1:1: file is not UTF-8 text (byte 0xff)"]),
    ("surrogate-escape", {"defs/a.yaml": 'kpis:\n  k: {title: "\\ud800"}\n'}, 3,
     ["defs/a.yaml:2:17: invalid YAML: while parsing a quoted scalar found invalid Unicode character escape code"]),
    ("too-large", {"defs/a.yaml": "kpis: {}\n" + "#" * MAX_FILE_BYTES + "\n"}, 3,
     [f"defs/a.yaml:1:1: file is larger than {MAX_FILE_BYTES / 1_000_000:g} MB"]),
    ("list-top-level", {"defs/a.yaml": "# kpis\n\n- k\n- j\n"}, 3,
     ["defs/a.yaml:3:1: a definition file must be a mapping with sources, kpis or dashboards, not a list"]),
    ("text-top-level", {"defs/a.yaml": "\nhello world\n"}, 3,
     ["defs/a.yaml:2:1: a definition file must be a mapping with sources, kpis or dashboards, not text"]),
    ("number-top-level", {"defs/a.yaml": "42\n"}, 3,
     ["defs/a.yaml:1:1: a definition file must be a mapping with sources, kpis or dashboards, not a number"]),
    ("key-is-a-list", {"defs/a.yaml": "kpis:\n  ? [a, b]\n  : {}\n"}, 3,
     ["defs/a.yaml:2:5: invalid YAML: a mapping key must be a scalar"]),
    ("python-tag", {"defs/a.yaml": "kpis: !!python/object/apply:os.system [echo owned]\n"}, 3,
     ["defs/a.yaml:1:7: invalid YAML: unsupported tag tag:yaml.org,2002:python/object/apply:o…"]),
    ("set-tag", {"defs/a.yaml": "kpis: !!set {a, b}\n"}, 3,
     ["defs/a.yaml:1:7: invalid YAML: unsupported tag tag:yaml.org,2002:set"]),
    ("merge-non-mapping", {"defs/a.yaml": "kpis:\n  <<: 5\n"}, 3,
     ["defs/a.yaml:2:7: invalid YAML: a merge key (<<) needs a mapping or a list of mappings"]),
    ("unclosed-quote", {"defs/a.yaml": 'kpis:\n  k: {title: "open}\n'}, 3,
     ["defs/a.yaml:3:1: invalid YAML: while scanning a quoted scalar found unexpected end of stream"]),
    ("long-unknown-key", {"defs/a.yaml": "x" * 1000 + ": 1\n"}, 3,
     ["defs/a.yaml:1:1: unknown top-level key 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"]),
    # scalars that look like numbers or dates: text (so "must be a number") or a clear error
    ("underscore", {"defs/a.yaml": KPI % "_"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not '_'"]),
    ("hex-no-digits", {"defs/a.yaml": KPI % "0x_"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not '0x_'"]),
    ("dot-underscore", {"defs/a.yaml": KPI % "._"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not '._'"]),
    ("octal-9", {"defs/a.yaml": KPI % "0o9"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not '0o9'"]),
    ("month-13", {"defs/a.yaml": KPI % "2024-13-45"}, 3,
     ["defs/a.yaml:4:51: kpi k: target must be a number, not '2024-13-45'"]),
    ("hour-25", {"defs/a.yaml": KPI % "2024-01-01 25:61:61"}, 3,
     ["defs/a.yaml:4:51: kpi k: target must be a number, not '2024-01-01 25:61:61'"]),
    ("offset-of-a-day", {"defs/a.yaml": KPI % "2024-01-01T10:00:00+24:00"}, 3,
     ["defs/a.yaml:4:51: kpi k: target must be a number, not '2024-01-01T10:00:00+24:00'"]),
    ("year-zero", {"defs/a.yaml": KPI % "0000-01-01"}, 3,
     ["defs/a.yaml:4:51: kpi k: target must be a number, not '0000-01-01'"]),
    ("a-date", {"defs/a.yaml": KPI % "2024-02-29"}, 3,
     ["defs/a.yaml:4:51: kpi k: target must be a number, not datetime.date(2024, 2, 29)"]),
    ("dot-inf", {"defs/a.yaml": KPI % ".inf"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not inf"]),
    ("minus-dot-nan", {"defs/a.yaml": KPI % "-.nan"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not '-.nan'"]),
    ("dot-nan", {"defs/a.yaml": KPI % ".nan"}, 3, ["defs/a.yaml:4:51: kpi k: target must be a number, not nan"]),
    ("1e400", {"defs/a.yaml": KPI % "1e400"}, 3,
     ["defs/a.yaml:4:51: invalid YAML: number out of range: 1e400 (floats end near 1.8e308)"]),
    ("5000-digits", {"defs/a.yaml": KPI % ("9" * 5000)}, 3,
     ["defs/a.yaml:4:51: invalid YAML: number out of range: " + "9" * 39 + "… (5000 digits)"]),
    ("huge-hex", {"defs/a.yaml": KPI % ("0x" + "f" * 300)}, 3,
     ["defs/a.yaml:4:51: invalid YAML: number out of range: 0x" + "f" * 37 + "… (numbers end near 1.8e308)"]),
    ("tagged-int-underscore", {"defs/a.yaml": KPI % "!!int _"}, 3, ["defs/a.yaml:4:51: invalid YAML: '_' is not a valid int"]),
    ("tagged-float-1e999", {"defs/a.yaml": KPI % "!!float 1e999"}, 3,
     ["defs/a.yaml:4:51: invalid YAML: number out of range: 1e999 (floats end near 1.8e308)"]),
]

# Valid YAML that defines nothing, or well-formed definitions: (id, files, `kpi validate defs` stdout)
QUIET = [
    ("empty-file", {"defs/a.yaml": ""}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
    ("only-comments", {"defs/a.yaml": "# nothing yet\n\n   # really\n"}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
    ("only-dashes", {"defs/a.yaml": "---\n"}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
    ("null", {"defs/a.yaml": "null\n"}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
    ("tilde", {"defs/a.yaml": "--- ~\n...\n"}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
    ("empty-sections", {"defs/a.yaml": "sources:\nkpis: {}\ndashboards:\n"}, "ok: 0 sources, 0 KPIs, 0 dashboards in defs\n"),
]

MODERATE_ALIASES = """\
sources:
  orders: &source {table: orders, time: at, dimensions: [channel, region]}
  returns: *source
kpis:
  base: &counted
    value: {source: orders, expr: count(*)}
    tags: &daily [daily, ops]
    thresholds: &lines {warn: 10, critical: 5}
  copy:
    <<: *counted
    title: Copy
  other:
    value: {source: returns, expr: count(*)}
    tags: *daily
    thresholds: *lines
dashboards:
  d: {kpis: &names [base, copy, other]}
  e: {kpis: *names}
"""

VALID = [
    ("utf-8-bom", {"defs/a.yaml": "\ufeff" + S + "kpis:\n  k: {value: {source: s, expr: count(*)}}\n"}, 1, 1, 0),
    ("crlf", {"defs/a.yaml": (S + "kpis:\n  k: {value: {source: s, expr: count(*)}}\n").replace("\n", "\r\n")}, 1, 1, 0),
    ("moderate-aliases", {"defs/a.yaml": MODERATE_ALIASES}, 2, 3, 2),
    ("underscored-int", {"defs/a.yaml": KPI % "1_000"}, 1, 1, 0),
    ("folder-named-yaml", {"defs/a.yaml/b.yaml": S}, 1, 0, 0),
]


@pytest.mark.parametrize(("files", "code", "lines"), [c[1:] for c in DEFINITIONS], ids=[c[0] for c in DEFINITIONS])
def test_hostile_definitions_are_one_line_each(tmp_path, files, code, lines):
    write(tmp_path, files)
    expected = expected_stderr(lines, tmp_path, code)
    assert kpi(tmp_path, "validate", "defs") == (code, "", expected)
    if sum(map(len, files.values())) > 100_000:
        return  # read the same way, a second each: once is enough
    assert kpi(tmp_path, "run", "defs") == (code, "", expected)
    assert api_problems(tmp_path) == [line.replace("{dir}", str(tmp_path)) for line in lines]


def test_the_bomb_is_small_and_refused_at_an_alias(tmp_path):
    assert len(BOMB.encode()) < 700 and "lol" in BOMB
    line, column = 6, 12  # where test_hostile_definitions_are_one_line_each expects it
    assert BOMB.splitlines()[line - 1][column - 1:].startswith("*e")


@pytest.mark.parametrize(("files", "validated"), [c[1:] for c in QUIET], ids=[c[0] for c in QUIET])
def test_files_defining_nothing_are_nothing_to_run(tmp_path, files, validated):
    write(tmp_path, files)
    assert kpi(tmp_path, "validate", "defs") == (0, "", validated)
    for command in ("run", "check"):
        assert kpi(tmp_path, command, "defs") == (2, "", "error: nothing to run: no KPIs are defined in defs\n")
    assert api_problems(tmp_path) is None


def test_an_empty_folder_is_the_same_usage_error(tmp_path):
    (tmp_path / "defs").mkdir()
    assert kpi(tmp_path, "run", "defs") == (2, "", "error: no definition files (*.yaml, *.yml) under defs\n")


@pytest.mark.parametrize(("files", "sources", "kpis", "dashboards"), [c[1:] for c in VALID], ids=[c[0] for c in VALID])
def test_odd_but_valid_files_load(tmp_path, files, sources, kpis, dashboards):
    write(tmp_path, files)
    ok = f"ok: {sources} sources, {kpis} KPIs, {dashboards} dashboards in defs\n"
    assert kpi(tmp_path, "validate", "defs") == (0, "", ok)
    assert api_problems(tmp_path) is None


def test_aliases_share_values_and_merge(tmp_path):
    import kpi_engine

    write(tmp_path, {"defs/a.yaml": MODERATE_ALIASES})
    catalog = kpi_engine.load(tmp_path / "defs")
    assert catalog.sources["returns"].dimensions == catalog.sources["orders"].dimensions
    assert catalog.kpis["copy"].tags == catalog.kpis["other"].tags == ("daily", "ops")
    assert catalog.kpis["copy"].title == "Copy" and catalog.kpis["other"].thresholds.critical == 5
    assert catalog.dashboards["e"].kpis == ("base", "copy", "other")


def test_crlf_reports_the_same_lines_as_lf(tmp_path):
    text = S + "kpis:\n  k: {value: {source: s, expr: count(*)}, target: x}\n"
    write(tmp_path, {"lf/a.yaml": text, "crlf/a.yaml": text.replace("\n", "\r\n")})
    assert api_problems(tmp_path, "lf") == ["lf/a.yaml:4:51: kpi k: target must be a number, not 'x'"]
    assert api_problems(tmp_path, "crlf") == ["crlf/a.yaml:4:51: kpi k: target must be a number, not 'x'"]


# -- the file system -----------------------------------------------------------------


def test_a_symlink_loop_and_a_dangling_link_are_reported(tmp_path):
    write(tmp_path, {"defs/ok.yaml": S})
    (tmp_path / "defs" / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "defs" / "gone.yaml").symlink_to("nowhere.yaml")
    lines = [
        "defs/gone.yaml:1:1: cannot read the file: No such file or directory",
        "defs/loop.yaml:1:1: cannot read the file: Too many levels of symbolic links",
    ]
    assert kpi(tmp_path, "validate", "defs") == (3, "", expected_stderr(lines, tmp_path, 3))
    assert api_problems(tmp_path) == lines


def test_a_pipe_named_like_a_definition_file_is_not_read(tmp_path):
    write(tmp_path, {"defs/ok.yaml": S})
    os.mkfifo(tmp_path / "defs" / "pipe.yaml")  # opening it would block forever
    assert kpi(tmp_path, "validate", "defs") == (0, "", "ok: 1 sources, 0 KPIs, 0 dashboards in defs\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_an_unreadable_file_is_reported(tmp_path):
    write(tmp_path, {"defs/a.yaml": S})
    (tmp_path / "defs" / "a.yaml").chmod(0)
    try:
        lines = ["defs/a.yaml:1:1: cannot read the file: Permission denied"]
        assert kpi(tmp_path, "validate", "defs") == (3, "", expected_stderr(lines, tmp_path, 3))
        assert api_problems(tmp_path) == lines
    finally:
        (tmp_path / "defs" / "a.yaml").chmod(0o644)


# -- the project file: kpi.yml and [tool.kpi] -----------------------------------------

DEFS = {"definitions/a.yaml": S + "kpis:\n  k: {value: {source: s, expr: count(*)}}\n"}
PROJECT = [
    ("kpi.yml-bomb", {"kpi.yml": laughs()}, ["error: {dir}/kpi.yml:6:12: invalid project file: alias *e expands to more than 250,000 values (the limit per file)"]),
    ("kpi.yml-deep", {"kpi.yml": "packs: " + "[" * 80 + "]" * 80 + "\n"},
     [f"error: {{dir}}/kpi.yml:1:71: invalid project file: nested more than {MAX_DEPTH} levels deep"]),
    ("kpi.yml-recursive", {"kpi.yml": "connections: &c {a: *c}\n"},
     ["error: {dir}/kpi.yml:1:21: invalid project file: alias *c is inside the node it names (a recursive value)"]),
    ("kpi.yml-list", {"kpi.yml": "- definitions\n"}, ["error: {dir}/kpi.yml:1: a project file must be a mapping, not a list"]),
    ("kpi.yml-text", {"kpi.yml": "# settings\ndefinitions\n"}, ["error: {dir}/kpi.yml:2: a project file must be a mapping, not text"]),
    ("kpi.yml-duplicate", {"kpi.yml": "definitions: a\ndefinitions: b\n"},
     ["error: {dir}/kpi.yml:2:1: invalid project file: duplicate key 'definitions' (first at line 1)"]),
    ("kpi.yml-latin-1", {"kpi.yml": "definitions: d\xe9f\n".encode("latin-1")},
     ["error: {dir}/kpi.yml:1:15: invalid project file: file is not UTF-8 text (byte 0xe9)"]),
    ("kpi.yml-nul", {"kpi.yml": "definitions: definitions\x00\n"},
     ["error: {dir}/kpi.yml:1:25: invalid project file: unacceptable character #x0000: control characters are not allowed"]),
    ("kpi.yml-tab", {"kpi.yml": "connections:\n\ta: duckdb://\n"},
     ["error: {dir}/kpi.yml:2:1: invalid project file: while scanning for the next token found character that cannot start any token"]),
    ("kpi.yml-too-large", {"kpi.yml": "#" * (MAX_FILE_BYTES + 1)},
     [f"error: {{dir}}/kpi.yml:1:1: invalid project file: file is larger than {MAX_FILE_BYTES / 1_000_000:g} MB"]),
    ("kpi.yml-packs-number", {"kpi.yml": "packs: 5\n"}, ["error: {dir}/kpi.yml: packs must be a list of definition pack names"]),
    ("kpi.yml-packs-mapping", {"kpi.yml": "packs: {commerce: 1}\n"}, ["error: {dir}/kpi.yml: packs must be a list of definition pack names"]),
    ("kpi.yml-packs-nested", {"kpi.yml": "packs: [[commerce]]\n"}, ["error: {dir}/kpi.yml: packs must be a list of definition pack names"]),
    ("kpi.yml-definitions-list", {"kpi.yml": "definitions: [a, b]\n"},
     ["error: {dir}/kpi.yml: definitions must be a folder name, e.g. definitions"]),
    ("kpi.yml-timeout-inf", {"kpi.yml": "connections:\n  a: {url: 'duckdb://', timeout: .inf}\n"},
     ["error: {dir}/kpi.yml: connection a: timeout inf is not a timeout: give seconds from 0.001 to 604800 (7 days)"]),
    ("kpi.yml-timeout-nan", {"kpi.yml": "connections:\n  a: {url: 'duckdb://', timeout: .nan}\n"},
     ["error: {dir}/kpi.yml: connection a: timeout nan is not a timeout: give seconds from 0.001 to 604800 (7 days)"]),
    ("kpi.yml-timeout-1e400", {"kpi.yml": "connections:\n  a: {url: 'duckdb://', timeout: 1e400}\n"},
     ["error: {dir}/kpi.yml:2:34: invalid project file: number out of range: 1e400 (floats end near 1.8e308)"]),
    ("kpi.yml-timezone-0x_", {"kpi.yml": "timezone: 0x_\n"},
     ["error: {dir}/kpi.yml: timezone '0x_' is not an IANA time zone (e.g. Europe/Berlin, UTC)"]),
    ("kpi.yml-cache-list", {"kpi.yml": "cache: [a]\n"}, ["error: {dir}/kpi.yml: cache must be a folder name, e.g. .kpi-cache"]),
    ("tool.kpi-number", {"pyproject.toml": "[tool]\nkpi = 5\n"}, ["error: {dir}/pyproject.toml: [tool.kpi] must be a table"]),
    ("tool.kpi-timeout-nan", {"pyproject.toml": "[tool.kpi]\nconnections = {a = {url = 'duckdb://', timeout = nan}}\n"},
     ["error: {dir}/pyproject.toml: connection a: timeout nan is not a timeout: give seconds from 0.001 to 604800 (7 days)"]),
    ("tool.kpi-timeout-huge", {"pyproject.toml": "[tool.kpi]\nconnections = {a = {url = 'duckdb://', timeout = 1" + "0" * 400 + "}}\n"},
     ["error: {dir}/pyproject.toml: connection a: timeout inf is not a timeout: give seconds from 0.001 to 604800 (7 days)"]),
    ("tool.kpi-packs-text", {"pyproject.toml": "[tool.kpi]\npacks = 'commerce'\n"},
     ["error: {dir}/pyproject.toml: packs must be a list of definition pack names"]),
]


@pytest.mark.parametrize(("files", "lines"), [c[1:] for c in PROJECT], ids=[c[0] for c in PROJECT])
def test_hostile_project_files_are_one_line_each(tmp_path, files, lines):
    write(tmp_path, {**DEFS, **files})
    expected = expected_stderr(lines, tmp_path, 2)
    assert kpi(tmp_path, "validate") == (2, "", expected)
    assert kpi(tmp_path, "run") == (2, "", expected)


@pytest.mark.parametrize("project", ["", "# nothing\n", "---\n", "~\n", "null\n"])
def test_an_empty_project_file_is_no_settings(tmp_path, project):
    write(tmp_path, {**DEFS, "kpi.yml": project})
    assert kpi(tmp_path, "validate") == (0, "", "ok: 1 sources, 1 KPIs, 0 dashboards in {}\n".format(tmp_path / "definitions"))


@pytest.mark.parametrize("path", ["x" * 5000, "defs\x00", "/proc/self/fd/99999/a.yaml"], ids=["too-long", "nul", "no-fd"])
def test_load_refuses_paths_that_cannot_exist_with_its_own_error(path):
    import kpi_engine

    with pytest.raises(kpi_engine.SelectionError, match="^definitions not found: "):
        kpi_engine.load(path)
