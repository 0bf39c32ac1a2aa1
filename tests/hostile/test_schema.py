"""Hostile corpus, category ``schema``: valid YAML of the wrong shape for definitions.

A list or a mapping where a name, a text or a number is expected, a scalar where a
mapping is, names that are not names: each is one problem at the line of the value
(exit 3), through ``kpi validate``, ``kpi run`` and ``kpi_engine.load`` (see
``loader_cases`` for what every run asserts).
"""

from __future__ import annotations

import pytest

from .loader_cases import api_problems, expected_stderr, kpi, write

HEAD = "sources:\n  s: {table: t, time: at, dimensions: [c]}\n"
KPI = HEAD + "kpis:\n  k: %s\n"  # the KPI's mapping starts on line 4, column 6


def K(fields: str) -> str:  # noqa: N802 - reads like the YAML it writes
    """A file whose KPI ``k`` is ``{fields}``, on line 4."""
    return KPI % ("{" + fields + "}")


COUNT = "{source: s, expr: count(*)}"
VALUE = "value: " + COUNT
DASHBOARD = KPI % ("{" + VALUE + "}") + "dashboards:\n  d: %s\n"  # the dashboard on line 6, column 6

# (id, text of defs/a.yaml, problem lines of `kpi validate defs`, exit 3)
CASES = [
    # a list or a mapping where a name is expected
    ("numerator-source-list", K("numerator: {source: [s], expr: count(*)}, denominator: " + COUNT),
     ["defs/a.yaml:4:27: kpi k: numerator: source must be a source name, not a list"]),
    ("denominator-source-mapping", K("numerator: " + COUNT + ", denominator: {source: {s: 1}, expr: count(*)}"),
     ["defs/a.yaml:4:69: kpi k: denominator: source must be a source name, not a mapping"]),
    ("value-source-number", KPI % "{value: {source: 5, expr: count(*)}}", ["defs/a.yaml:4:23: kpi k: value: source must be a source name, not 5"]),
    ("metric-type-list", KPI % "{metric: {type: [top], source: s}}",
     ["defs/a.yaml:4:22: kpi k: metric: type must be a metric type name, not a list"]),
    ("metric-source-list", KPI % "{metric: {type: top, source: [s], item: c, expr: count(*)}}",
     ["defs/a.yaml:4:35: kpi k: metric: source must be a source name, not a list"]),
    ("dashboard-kpi-list", KPI % ("{" + VALUE + "}") + "dashboards:\n  d:\n    kpis:\n      - k\n      - [k]\n",
     ["defs/a.yaml:9:9: dashboard d: kpis must list kpi names, not a list"]),
    ("dashboard-kpi-mapping", DASHBOARD % "{kpis: [k, {k: 1}]}", ["defs/a.yaml:6:17: dashboard d: kpis must list kpi names, not a mapping"]),
    ("dashboard-kpis-mapping", DASHBOARD % "{kpis: {k: 1}}", ["defs/a.yaml:6:13: dashboard d: kpis must be a non-empty list of kpi names"]),
    ("dashboard-kpis-text", DASHBOARD % "{kpis: k}", ["defs/a.yaml:6:13: dashboard d: kpis must be a non-empty list of kpi names"]),
    ("dashboard-title-mapping", DASHBOARD % "{kpis: [k], title: {a: 1}}", ["defs/a.yaml:6:25: dashboard d: title must be text, not a mapping"]),
    ("dashboard-description-list", DASHBOARD % "{kpis: [k], description: [a]}",
     ["defs/a.yaml:6:31: dashboard d: description must be text, not a list"]),
    ("tags-mapping", K(VALUE + ", tags: {a: 1}"), ["defs/a.yaml:4:49: kpi k: tags must be a list of words"]),
    ("tags-nested", K(VALUE + ", tags: [a, [b]]"), ["defs/a.yaml:4:49: kpi k: tags must be a list of words"]),
    ("dimension-list", "sources:\n  s: {table: t, dimensions: [c, [d]]}\n",
     ["defs/a.yaml:2:33: source s: dimensions must list column names, not a list"]),
    ("dimension-mapping", "sources:\n  s: {table: t, dimensions: [c, {d: e}]}\n",
     ["defs/a.yaml:2:33: source s: dimensions must list column names, not a mapping"]),
    ("dimension-expression-list", "sources:\n  s: {table: t, dimensions: {c: [d]}}\n",
     ["defs/a.yaml:2:33: source s: c: expected an SQL expression (text)"]),
    ("dimensions-text", "sources:\n  s: {table: t, dimensions: c}\n",
     ["defs/a.yaml:2:29: source s: dimensions must be a list of columns or a mapping name: expression"]),
    ("targets-by-value-list", K(VALUE + ", targets: [{by: {c: [1]}, target: 1}]"),
     ["defs/a.yaml:4:62: kpi k: targets[0].by: the value of c must be a single value, not a list"]),
    ("targets-by-list", K(VALUE + ", targets: [{by: [c], target: 1}]"),
     ["defs/a.yaml:4:53: kpi k: targets[0].by must map dimensions to values, e.g. {channel: email}"]),
    ("targets-from-list", K(VALUE + ", targets: [{from: [2024-01-01], target: 1}]"),
     ["defs/a.yaml:4:60: kpi k: targets[0].from must be a date (YYYY-MM-DD)"]),
    ("targets-mapping", K(VALUE + ", targets: {a: 1}"),
     ["defs/a.yaml:4:52: kpi k: targets must be a list of rules: {by: {dimension: value}, from: DATE, to: DATE, target, thresholds}"]),
    # names that are not names
    ("kpi-name-number", HEAD + "kpis:\n  1: {" + VALUE + "}\n",
     ["defs/a.yaml:4:3: invalid kpi name '1': use letters, digits and _, not starting with a digit"]),
    ("kpi-name-null", HEAD + "kpis:\n  ~: {" + VALUE + "}\n",
     ["defs/a.yaml:4:3: invalid kpi name 'None': use letters, digits and _, not starting with a digit"]),
    ("kpi-name-date", HEAD + "kpis:\n  2024-01-01: {" + VALUE + "}\n",
     ["defs/a.yaml:4:3: invalid kpi name '2024-01-01': use letters, digits and _, not starting with a digit"]),
    ("source-name-space", "sources:\n  'my source': {table: t}\n",
     ["defs/a.yaml:2:3: invalid source name 'my source': use letters, digits and _, not starting with a digit"]),
    ("dashboard-name-unicode", DASHBOARD.replace("  d:", "  \"tableau\u00a0de\u00a0bord\":") % "{kpis: [k]}",
     ["defs/a.yaml:6:3: invalid dashboard name 'tableau\u00a0de\u00a0bord': use letters, digits and _, not starting with a digit"]),
    ("long-kpi-name", HEAD + "kpis:\n  " + "é" * 500 + ": {" + VALUE + "}\n",
     ["defs/a.yaml:4:3: invalid kpi name '" + "é" * 39 + "…': use letters, digits and _, not starting with a digit"]),
    # scalars where mappings or lists are expected, and the other way round
    ("kpis-list", "kpis: [a, b]\n", ["defs/a.yaml:1:1: 'kpis' must be a mapping of names to definitions"]),
    ("sources-text", "sources: orders\n", ["defs/a.yaml:1:1: 'sources' must be a mapping of names to definitions"]),
    ("dashboards-number", "dashboards: 3\n", ["defs/a.yaml:1:1: 'dashboards' must be a mapping of names to definitions"]),
    ("kpi-list", "kpis:\n  k: [1]\n", ["defs/a.yaml:2:3: kpi k: a kpi must be a mapping"]),
    ("kpi-null", "kpis:\n  k:\n", ["defs/a.yaml:2:3: kpi k: a kpi must be a mapping"]),
    ("source-null", "sources:\n  s:\n", ["defs/a.yaml:2:3: source s: a source must be a mapping"]),
    ("numerator-list", K("numerator: [s], denominator: " + COUNT), ["defs/a.yaml:4:18: kpi k: numerator must be a mapping"]),
    ("metric-list", KPI % "{metric: [top]}",
     ["defs/a.yaml:4:15: kpi k: metric must be a mapping with type, source and the type's parameters"]),
    ("thresholds-list", K(VALUE + ", thresholds: [1, 2]"), ["defs/a.yaml:4:55: kpi k: thresholds must be a mapping"]),
    ("title-list", K(VALUE + ", title: [a]"), ["defs/a.yaml:4:50: kpi k: title must be text"]),
    ("stage-mapping", K(VALUE + ", stage: {a: 1}"), ["defs/a.yaml:4:50: kpi k: stage must be text"]),
    ("unit-list", K(VALUE + ", unit: [percent]"),
     ["defs/a.yaml:4:49: kpi k: unit must be one of percent, ratio, currency, count, seconds, number, not a list"]),
    ("unit-boolean", K(VALUE + ", unit: true"),
     ["defs/a.yaml:4:49: kpi k: unit must be one of percent, ratio, currency, count, seconds, number, not True"]),
    ("direction-mapping", K(VALUE + ", direction: {a: 1}"),
     ["defs/a.yaml:4:54: kpi k: direction must be one of higher, lower, range, not a mapping"]),
    ("target-period-list", KPI % "{value: {source: s, expr: sum(x)}, target_period: [month]}",
     ["defs/a.yaml:4:56: kpi k: target_period must be one of day, week, month, quarter, year, not a list"]),
    ("target-pair-higher", K(VALUE + ", target: [1, 2]"),
     ["defs/a.yaml:4:51: kpi k: target must be a number ([low, high] pairs are for direction: range)"]),
    ("range-nested", K(VALUE + ", direction: range, target: [[1], 2]"),
     ["defs/a.yaml:4:69: kpi k: target must be a number, not a list"]),
    ("min-denominator-list", K("numerator: " + COUNT + ", denominator: " + COUNT + ", min_denominator: [1]"),
     ["defs/a.yaml:4:106: kpi k: min_denominator must be a number, not a list"]),
    ("min-sample-list", K(VALUE + ", sample: count(*), min_sample: [1]"),
     ["defs/a.yaml:4:73: kpi k: min_sample must be a number, not a list"]),
    ("min-sample-nan", K(VALUE + ", sample: count(*), min_sample: .nan"),
     ["defs/a.yaml:4:73: kpi k: min_sample must be a number, not nan"]),
    ("sample-mapping", K(VALUE + ", sample: {a: 1}"), ["defs/a.yaml:4:51: kpi k: sample: expected an SQL expression (text)"]),
    ("sample-list", K(VALUE + ", sample: [count(*)]"), ["defs/a.yaml:4:51: kpi k: sample: expected an SQL expression (text)"]),
    ("sample-boolean", K(VALUE + ", sample: true, min_sample: 3"),
     ["defs/a.yaml:4:51: kpi k: sample: expected an SQL expression (text)"]),
    ("confidence-list", K("numerator: " + COUNT + ", denominator: " + COUNT + ", unit: percent, confidence: [0.95]"),
     ["defs/a.yaml:4:116: kpi k: confidence must be a number, not a list"]),
    ("confidence-mapping", K("numerator: " + COUNT + ", denominator: " + COUNT + ", unit: percent, confidence: {level: 0.95}"),
     ["defs/a.yaml:4:116: kpi k: confidence must be a number, not a mapping"]),
    ("confidence-infinite", K("numerator: " + COUNT + ", denominator: " + COUNT + ", unit: percent, confidence: .inf"),
     ["defs/a.yaml:4:116: kpi k: confidence must be a number, not inf"]),
    ("confidence-boolean", K("numerator: " + COUNT + ", denominator: " + COUNT + ", unit: percent, confidence: true"),
     ["defs/a.yaml:4:116: kpi k: confidence must be a number, not True"]),
    ("metric-limit-list", KPI % "{metric: {type: top, source: s, item: c, expr: count(*), limit: [3]}}",
     ["defs/a.yaml:4:70: kpi k: metric: limit must be a positive whole number, not a list"]),
    ("formula-list", HEAD + "kpis:\n  a: {" + VALUE + "}\n  k: {formula: [a]}\n",
     ["defs/a.yaml:5:16: kpi k: formula: expected an SQL expression (text)"]),
    ("expr-mapping", KPI % "{value: {source: s, expr: {count: 1}}}", ["defs/a.yaml:4:32: kpi k: expr: expected an SQL expression (text)"]),
    ("where-list", KPI % "{value: {source: s, expr: count(*), where: [a]}}",
     ["defs/a.yaml:4:49: kpi k: where: expected an SQL expression (text)"]),
    ("time-list", "sources:\n  s: {table: t, time: [at]}\n",
     ["defs/a.yaml:2:23: source s: time must be a column (or an expression), or a mapping {column: ..., format: "
      "epoch_s | epoch_ms | iso}, not a list"]),
    # time: {column, format} (kpi_engine.timeformats)
    ("time-format-list", "sources:\n  s: {table: t, time: {column: at, format: [epoch_s]}}\n",
     ["defs/a.yaml:2:44: source s: time: format must be one of epoch_s, epoch_ms, iso, not a list"]),
    ("time-format-mapping", "sources:\n  s: {table: t, time: {column: at, format: {epoch_s: 1}}}\n",
     ["defs/a.yaml:2:44: source s: time: format must be one of epoch_s, epoch_ms, iso, not a mapping"]),
    ("time-format-number", "sources:\n  s: {table: t, time: {column: at, format: 1000}}\n",
     ["defs/a.yaml:2:44: source s: time: format must be one of epoch_s, epoch_ms, iso, not 1000"]),
    ("time-format-unknown", "sources:\n  s: {table: t, time: {column: at, format: unix}}\n",
     ["defs/a.yaml:2:44: source s: time: format must be one of epoch_s, epoch_ms, iso, not 'unix' (did you mean 'epoch_s'?)"]),
    ("time-format-misspelt", "sources:\n  s: {table: t, time: {column: at, format: epoch_msec}}\n",
     ["defs/a.yaml:2:44: source s: time: format must be one of epoch_s, epoch_ms, iso, not 'epoch_msec' (did you mean 'epoch_ms'?)"]),
    ("time-format-key-misspelt", "sources:\n  s: {table: t, time: {column: at, fromat: iso}}\n",
     ["defs/a.yaml:2:36: source s: unknown key 'fromat' (did you mean 'format'?)"]),
    ("time-format-missing", "sources:\n  s: {table: t, time: {column: at}}\n",
     ["defs/a.yaml:2:23: source s: time: missing field 'format' (epoch_s, epoch_ms, iso; a column holding times "
      "needs no format: time: ts)"]),
    ("time-column-missing", "sources:\n  s: {table: t, time: {format: iso}}\n",
     ["defs/a.yaml:2:23: source s: time: missing field 'column'"]),
    ("time-column-list", "sources:\n  s: {table: t, time: {column: [at], format: iso}}\n",
     ["defs/a.yaml:2:32: source s: time: column: expected an SQL expression (text)"]),
    ("time-column-aggregate", "sources:\n  s: {table: t, time: {column: max(at), format: iso}}\n",
     ["defs/a.yaml:2:32: source s: time: column: aggregate 'MAX(\"at\")' is not allowed in a time column"]),
    ("time-column-statement", "sources:\n  s: {table: t, time: {column: 'at; drop table t', format: iso}}\n",
     ["defs/a.yaml:2:39: source s: time: column: not an SQL expression: Invalid expression / Unexpected token"]),
    ("time-timezone-list-format", "sources:\n  s: {table: t, time: {column: at, format: epoch_s}, timezone: [UTC]}\n",
     ["defs/a.yaml:2:64: source s: timezone must be the name of an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC), not a list"]),
    ("timezone-list", "sources:\n  s: {table: t, time: at, timezone: [UTC]}\n",
     ["defs/a.yaml:2:37: source s: timezone must be the name of an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC), not a list"]),
    ("table-list", "sources:\n  s: {table: [t]}\n", ["defs/a.yaml:2:14: source s: table must be a table name, e.g. orders or analytics.orders"]),
    ("path-mapping", "sources:\n  s: {path: {a: b}}\n", ["defs/a.yaml:2:13: source s: path must be a file path or glob, or a list of them"]),
    ("sql-list", "sources:\n  s: {sql: [select 1]}\n", ["defs/a.yaml:2:12: source s: sql must be one SELECT statement"]),
    ("override-list", "sources:\n  s: {table: t, override: [true]}\n", ["defs/a.yaml:2:3: source s: override must be true (or left out)"]),
    ("source-description-list", "sources:\n  s: {table: t, description: [a]}\n",
     ["defs/a.yaml:2:30: source s: description must be text, not a list"]),
    ("every-problem-at-once", "sources:\n  s: {table: [t]}\nkpis:\n  k: {value: {source: [s], expr: count(*)}, tags: {a: 1}}\n",
     ["defs/a.yaml:2:14: source s: table must be a table name, e.g. orders or analytics.orders",
      "defs/a.yaml:4:23: kpi k: value: source must be a source name, not a list",
      "defs/a.yaml:4:51: kpi k: tags must be a list of words"]),
]


@pytest.mark.parametrize(("text", "lines"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_wrong_shapes_are_one_line_at_their_value(tmp_path, text, lines):
    write(tmp_path, {"defs/a.yaml": text})
    expected = expected_stderr(lines, tmp_path, 3)
    assert kpi(tmp_path, "validate", "defs") == (3, "", expected)
    assert kpi(tmp_path, "run", "defs") == (3, "", expected)
    assert api_problems(tmp_path) == lines
