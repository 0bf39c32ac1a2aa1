"""Hostile corpus, category ``cli``: every option of every command given a value it must not choke on.

Each case runs one command (in-process, through ``main`` as the console script does) and
expects exit 2 with exactly one error line naming the option (click's ``Usage:``/``Try``
preamble aside), exit 4 with one line for a connection that cannot work, or a correct
result. Always: no traceback, nothing written anywhere (the shop's files and the working
directory are unchanged). The options, from ``kpi_engine/cli/options.py`` and each
command's ``--help``:

- shared by validate, list, compile, run, check, crosscheck, demo: ``DEFS``,
  ``--project-dir``, ``--disable-plugin``, ``--pack``, ``--cache-dir``, ``--no-cache``;
- selection (list, compile, run, check, crosscheck, demo): ``--kpi``, ``--dashboard``, ``--tag``;
- query (compile, run, check, crosscheck, demo): ``--grain``, ``--by``, ``--from``, ``--to``,
  ``--period``, ``--as-of``, ``--compare``, ``--flat-within``, ``--trend``;
- connection (compile, run, check): ``--connection``, ``--timeout``; output (run, check,
  demo): ``--format``, ``-o``;
- own: validate ``--format``; list ``--format``; compile ``--dialect``, ``--explain``;
  check ``--fail-on``; connections ``--project-dir``, ``--format``; connections test
  ``NAME|URL``, ``--disable-plugin``, ``--timeout``; crosscheck ``--connection``,
  ``--against``, ``--timeout``, ``--tolerance``, ``--abs-tolerance``, ``--format``, ``-o``;
  plugins ``--disable-plugin``, ``--format``; demo ``--seed``, ``--scale``.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

import kpi_engine
from kpi_engine import ConnectOptions, SelectionError
from kpi_engine.testing import invoke

NUL, LONG, NL = "\x00", "x" * 10_000, "a\nb"




def kpi(*args: str, env: dict | None = None):
    return invoke(args, env=env)


_HINT = re.compile(r" \(see kpi( [a-z]+)* --help\)$")


def message_lines(result) -> list[str]:
    """stderr's lines, a usage error's pointer to ``--help`` taken off (it must be there).

    A usage error is one line (no click usage banner): ``Error: ... (see kpi run --help)``.
    """
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert not any(line.startswith(("Usage: ", "Try '")) for line in lines), lines
    for i, line in enumerate(lines):
        if line.startswith("Error: "):
            assert _HINT.search(line), line
            lines[i] = _HINT.sub("", line)
    return lines


def snapshot(*folders: Path) -> dict[str, bytes | None]:
    return {str(p): (p.read_bytes() if p.is_file() else None) for f in folders for p in sorted(f.rglob("*"))}


SHOP = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
    target: 100
    target_period: month
    tags: [daily]
  order_count: {value: {source: orders, expr: count(*)}, tags: [daily]}
dashboards:
  daily: {kpis: [revenue, order_count]}
"""
# Orders at both ends of the dates Python and the engines represent, and in between.
ORDERS = [("0001-01-01 00:00:00", "web", 1.0), ("0001-01-02 12:00:00", "app", 2.0), ("2024-06-01 08:00:00", "web", 3.0),
          ("9999-12-30 00:00:00", "web", 4.0), ("9999-12-31 23:59:59", "app", 5.0)]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """(tmp folder, definitions dir, duckdb URL, a plain file, a FIFO), shared read-only by every case."""
    tmp = tmp_path_factory.mktemp("cli_values")
    defs = tmp / "definitions"
    defs.mkdir()
    (defs / "shop.yaml").write_text(SHOP)
    db = tmp / "shop.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE orders (ordered_at TIMESTAMP, channel VARCHAR, revenue DOUBLE)")
    con.executemany("INSERT INTO orders VALUES (?, ?, ?)", ORDERS)
    con.close()
    (tmp / "plain.txt").write_text("not a folder\n")
    os.mkfifo(tmp / "fifo")
    (tmp / "empty").mkdir()
    return tmp, defs, f"duckdb:///{db}"


def expand(args: tuple[str, ...], shop) -> list[str]:
    tmp, defs, url = shop
    return [a.format(defs=defs, url=url, tmp=tmp) if "{" in a else a for a in args]


INVALID = r"Error: Invalid value for '{option}': "
TIMEOUT = r"(nan|inf|-inf|-1|0|1e\+300|1e-300|604801|0\.0001) is not a timeout: give seconds from 0\.001 to 604800 \(7 days\)"


def invalid(option: str, rest: str) -> str:
    return INVALID.format(option=re.escape(option)) + rest


RUN = ("run", "{defs}", "--connection", "{url}")
COMPILE = ("compile", "{defs}")
CHECK = ("check", "{defs}", "--connection", "{url}")
CROSS = ("crosscheck", "{defs}", "--connection", "{url}", "--against", "{url}")

# (id, arguments, expected exit code, regex the one error line matches in full)
CASES = [
    # --timeout, on every command that takes one
    *[(f"timeout_{cmd[0]}_{value}", (*cmd, "--timeout", value), 2, invalid("--timeout", TIMEOUT))
      for cmd in (RUN, CHECK, COMPILE, CROSS) for value in ("nan", "inf", "1e300")],
    *[(f"timeout_run_{value}", (*RUN, "--timeout", value), 2, invalid("--timeout", TIMEOUT))
      for value in ("-inf", "-1", "0", "1e-300", "604801", "0.0001")],
    ("timeout_run_abc", (*RUN, "--timeout", "abc"), 2, invalid("--timeout", r"'abc' is not a number of seconds")),
    ("timeout_run_empty", (*RUN, "--timeout", ""), 2, invalid("--timeout", r"'' is not a number of seconds")),
    ("timeout_connections_test_inf", ("connections", "test", "duckdb://", "--timeout", "inf"), 2,
     invalid("--timeout", TIMEOUT)),
    ("timeout_connections_test_nan", ("connections", "test", "duckdb://", "--timeout", "nan"), 2,
     invalid("--timeout", TIMEOUT)),
    # --from / --to / --as-of
    ("from_year_zero", (*RUN, "--from", "0000-01-01"), 2,
     invalid("--from", r"'0000-01-01' is not a date \(YYYY-MM-DD\) or timestamp \(YYYY-MM-DDTHH:MM\[:SS\]\)")),
    ("from_february_30", (*RUN, "--from", "2024-02-30"), 2, invalid("--from", r"'2024-02-30' is not a date .*")),
    ("to_month_13", (*RUN, "--to", "2024-13-01"), 2, invalid("--to", r"'2024-13-01' is not a date .*")),
    ("from_year_99999", (*RUN, "--from", "99999-01-01"), 2, invalid("--from", r"'99999-01-01' is not a date .*")),
    ("from_empty", (*RUN, "--from", ""), 2, invalid("--from", r"'' is not a date .*")),
    ("from_nul", (*RUN, "--from", NUL), 2, invalid("--from", r"'\\x00' is not a date .*")),
    ("from_newline", (*RUN, "--from", "2024-01-01\n2024"), 2, invalid("--from", r"'2024-01-01\\n2024' is not a date .*")),
    ("from_10000_chars", (*RUN, "--from", LONG), 2, invalid("--from", r"'x{60}\.\.\.' is not a date .*")),
    ("from_utc_offset", (*RUN, "--from", "2024-01-01T00:00+05:00", "--to", "2024-02-01"), 2,
     invalid("--from", r"2024-01-01T00:00:00\+05:00 has a UTC offset; give a local date or timestamp \(it is compared "
             r"with each source's time as stored, or in its timezone:\)")),
    ("to_zulu", (*RUN, "--to", "2024-01-01T00:00Z"), 2, invalid("--to", r"2024-01-01T00:00:00\+00:00 has a UTC offset; .*")),
    ("from_offset_25_hours", (*RUN, "--from", "2024-01-01T00:00+25:00"), 2, invalid("--from", r"'2024-01-01T00:00\+25:00' is not a date .*")),
    ("as_of_offset", (*RUN, "--period", "mtd", "--as-of", "2024-03-05T10:00-03:30"), 2,
     invalid("--as-of", r"2024-03-05T10:00:00-03:30 has a UTC offset; .*")),
    ("from_after_to", (*RUN, "--from", "2025-03-01", "--to", "2025-01-01"), 2,
     r"error: the period is empty or reversed: --from must be before --to"),
    ("from_equals_to", (*RUN, "--from", "2025-03-01T10:00", "--to", "2025-03-01T10:00"), 2,
     r"error: the period is empty or reversed: --from must be before --to"),
    ("as_of_without_period", (*RUN, "--as-of", "2024-01-01"), 2,
     r"error: --as-of needs --period: it is the day a named period is resolved for"),
    # comparisons and named periods past year 1 or 9999
    ("compare_millennia_no_grain", (*RUN, "--from", "0001-01-01", "--to", "9999-12-31", "--compare", "previous_period"), 2,
     r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-01-01 - 3652058 days\); compare a "
     r"later or shorter period"),
    ("compare_millennia_day_grain", (*RUN, "--grain", "day", "--from", "0001-01-01", "--to", "9999-12-31", "--compare",
                                     "previous_period"), 2,
     r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-01-01 - 1 day\); compare a later or "
     r"shorter period"),
    ("compare_last_year_day_grain", (*RUN, "--grain", "day", "--from", "0001-01-01", "--compare", "same_period_last_year"),
     2, r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-01-01 - 364 days\); .*"),
    ("compare_last_year_month_grain", (*RUN, "--grain", "month", "--from", "0001-06-01", "--compare",
                                       "same_period_last_year"), 2,
     r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-06-01 - 12 months\); .*"),
    ("compare_to_year_one", (*RUN, "--grain", "week", "--to", "0001-01-03", "--compare", "previous_period"), 2,
     r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-01-03 - 7 days\); .*"),
    ("compare_unknown", (*RUN, "--compare", "last_decade"), 2,
     invalid("--compare", r"'last_decade' is not one of 'previous_period', 'same_period_last_year'\.")),
    ("period_last_9999_years", (*RUN, "--period", "last_9999_years", "--as-of", "2026-01-01"), 2,
     r"error: --period last_9999_years as of 2026-01-01 reaches outside the years 1 to 9999"),
    ("period_today_at_9999", (*RUN, "--period", "today", "--as-of", "9999-12-31"), 2,
     r"error: --period today as of 9999-12-31 reaches outside the years 1 to 9999"),
    ("period_yesterday_at_year_one", (*RUN, "--period", "yesterday", "--as-of", "0001-01-01"), 2,
     r"error: --period yesterday as of 0001-01-01 reaches outside the years 1 to 9999"),
    ("period_mtd_compare_at_year_one", (*RUN, "--period", "mtd", "--as-of", "0001-01-05", "--compare", "previous_period"),
     2, r"error: --compare: the comparison range would begin before 0001-01-01 \(0001-01-01 - 5 days\); .*"),
    ("period_last_0_days", (*RUN, "--period", "last_0_days"), 2, r"error: unknown period 'last_0_days': use one of .*"),
    ("period_last_99999_days", (*RUN, "--period", "last_99999_days"), 2, r"error: unknown period 'last_99999_days': .*"),
    ("period_empty", (*RUN, "--period", ""), 2, invalid("--period", r"must not be empty")),
    ("period_newline", (*RUN, "--period", "mtd\nx"), 2, invalid("--period", r"'mtd\\nx' contains a non-printable character")),
    ("period_and_from", (*RUN, "--period", "mtd", "--from", "2024-01-01"), 2, r"error: give --period or --from/--to, not both"),
    # --grain, --trend, --flat-within
    ("grain_unknown", (*RUN, "--grain", "fortnight"), 2,
     invalid("--grain", r"'fortnight' is not one of 'day', 'week', 'month', 'quarter', 'year'\.")),
    ("grain_empty", (*RUN, "--grain", ""), 2, invalid("--grain", r"'' is not one of .*")),
    ("trend_1", (*RUN, "--grain", "month", "--trend", "1"), 2, invalid("--trend", r"1 is not in the range x>=2\.")),
    ("trend_negative", (*RUN, "--grain", "month", "--trend", "-5"), 2, invalid("--trend", r"-5 is not in the range x>=2\.")),
    ("trend_float", (*RUN, "--grain", "month", "--trend", "1e3"), 2, invalid("--trend", r"'1e3' is not a valid integer range\.")),
    ("trend_without_grain", (*RUN, "--trend", "3"), 2,
     r"error: --trend N needs --grain and N of at least 2: it fits a line over the last N buckets"),
    ("flat_within_nan", (*RUN, "--flat-within", "nan"), 2, invalid("--flat-within", r"nan is not a finite number")),
    ("flat_within_inf", (*RUN, "--flat-within", "inf"), 2, invalid("--flat-within", r"inf is not a finite number")),
    ("flat_within_negative", (*RUN, "--flat-within", "-1"), 2, invalid("--flat-within", r"-1\.0 is not in the range x>=0\.")),
    # --by
    ("by_sql_injection", (*RUN, "--kpi", "revenue", "--by", "x; drop"), 2,
     r"error: .*shop\.yaml:4:3: kpi revenue: source 'orders' has no dimension 'x; drop' \(it has: channel\)"),
    ("by_dotted", (*RUN, "--kpi", "revenue", "--by", "a.b"), 2, r"error: .*: source 'orders' has no dimension 'a\.b' .*"),
    ("by_star", (*RUN, "--kpi", "revenue", "--by", "*"), 2, r"error: .*: source 'orders' has no dimension '\*' .*"),
    ("by_quoted", (*RUN, "--kpi", "revenue", "--by", '"channel"'), 2,
     r"error: .*: source 'orders' has no dimension '\"channel\"' \(did you mean 'channel'\?\) .*"),
    ("by_result_column", (*RUN, "--by", "status"), 2, r"error: --by status: 'status' is a result column name; .*"),
    ("by_twice", (*RUN, "--by", "channel", "--by", "channel"), 2, r"error: --by names a dimension twice"),
    ("by_empty", (*RUN, "--by", ""), 2, invalid("--by", r"must not be empty")),
    ("by_nul", (*RUN, "--by", NUL), 2, invalid("--by", r"'\\x00' contains a non-printable character")),
    ("by_newline", (*RUN, "--by", NL), 2, invalid("--by", r"'a\\nb' contains a non-printable character")),
    ("by_10000_chars", (*RUN, "--by", LONG), 2, invalid("--by", r"'x{60}\.\.\.' is 10,000 characters long, more than 200")),
    # --kpi, --dashboard, --tag
    ("kpi_sql_injection", (*RUN, "--kpi", "x; drop table orders"), 2, r"error: unknown kpi 'x; drop table orders'"),
    ("kpi_star", (*RUN, "--kpi", "*"), 2, r"error: unknown kpi '\*'"),
    ("kpi_typo", (*RUN, "--kpi", "revenu"), 2, r"error: unknown kpi 'revenu' \(did you mean 'revenue'\?\)"),
    ("kpi_empty", (*RUN, "--kpi", ""), 2, invalid("--kpi", r"must not be empty")),
    ("kpi_nul", (*RUN, "--kpi", f"revenue{NUL}"), 2, invalid("--kpi", r"'revenue\\x00' contains a non-printable character")),
    ("kpi_newline", (*RUN, "--kpi", NL), 2, invalid("--kpi", r"'a\\nb' contains a non-printable character")),
    ("kpi_line_separator", (*RUN, "--kpi", "a\u2028b"), 2, invalid("--kpi", r"'a\\u2028b' contains a non-printable character")),
    ("kpi_10000_chars", (*RUN, "--kpi", LONG), 2, invalid("--kpi", r"'x{60}\.\.\.' is 10,000 characters long, more than 200")),
    ("kpi_list_command", ("list", "{defs}", "--kpi", "../../etc/passwd"), 2, r"error: unknown kpi '\.\./\.\./etc/passwd'"),
    ("dashboard_star", (*RUN, "--dashboard", "*"), 2, r"error: unknown dashboard '\*'"),
    ("dashboard_empty", (*CHECK, "--dashboard", ""), 2, invalid("--dashboard", r"must not be empty")),
    ("tag_quote", (*RUN, "--tag", "'; drop"), 2, r"error: no kpi is tagged ''; drop'"),
    ("tag_empty", (*COMPILE, "--tag", ""), 2, invalid("--tag", r"must not be empty")),
    # --connection
    ("connection_garbage", (*("run", "{defs}"), "--connection", "garbage"), 2,
     r"error: unknown connection 'garbage' \(known: none: add them under connections: in kpi\.yml\)"),
    ("connection_scheme_only", ("run", "{defs}", "--connection", "://"), 2, r"error: no adapter for connection :// \(installed schemes: .*\)"),
    ("connection_unknown_scheme", ("run", "{defs}", "--connection", "nosuch://host/db"), 2,
     r"error: no adapter for connection nosuch://host/db \(installed schemes: .*\)"),
    ("connection_empty", ("run", "{defs}", "--connection", ""), 2, invalid("--connection", r"must not be empty")),
    ("connection_nul", ("run", "{defs}", "--connection", f"duckdb://{NUL}"), 2,
     invalid("--connection", r"'duckdb://\\x00' contains a non-printable character")),
    ("connection_newline", ("run", "{defs}", "--connection", "duckdb://\n/x"), 2,
     invalid("--connection", r"'duckdb://\\n/x' contains a non-printable character")),
    ("connection_10000_chars", ("run", "{defs}", "--connection", "duckdb:///" + LONG), 2,
     invalid("--connection", r"'duckdb:///x{50}\.\.\.' is 10,010 characters long, more than 4,096")),
    ("connection_malformed_duckdb", ("run", "{defs}", "--connection", "duckdb://x"), 4,
     r"error: connection duckdb://x: kpi revenue, order_count \(source orders\): malformed duckdb URL 'duckdb://x': "
     r"use duckdb:// or duckdb:///path/to/file\.db"),
    ("connection_missing_file", ("run", "{defs}", "--connection", "duckdb:////nonexistent/x.db"), 4,
     r"error: connection duckdb:////nonexistent/x\.db: .*: duckdb database file not found: /nonexistent/x\.db"),
    ("connection_sqlite_no_file", ("run", "{defs}", "--connection", "sqlite://"), 4,
     r"error: connection sqlite://: .*: malformed sqlite URL 'sqlite://': name a database file, .*"),
    ("connection_bad_ipv6", ("run", "{defs}", "--connection", "mysql://u@[::1:99999/x"), 4,
     r"error: connection mysql://u@\[::1:99999/x: .*: malformed mysql URL: Invalid IPv6 URL"),
    # --dialect, --format, --fail-on
    ("dialect_unknown", (*COMPILE, "--dialect", "nosuch"), 2, r"Error: Invalid value for --dialect: unknown dialect 'nosuch'"),
    ("dialect_bad_setting", (*COMPILE, "--dialect", "duckdb, foo=bar"), 2,
     r"Error: Invalid value for --dialect: unknown dialect 'duckdb, foo=bar'"),
    ("dialect_dunder", (*COMPILE, "--dialect", "__class__"), 2, r"Error: Invalid value for --dialect: unknown dialect '__class__'"),
    ("dialect_empty", (*COMPILE, "--dialect", ""), 2, invalid("--dialect", r"must not be empty")),
    ("dialect_explain_nul", (*COMPILE, "--explain", "--dialect", NUL), 2,
     invalid("--dialect", r"'\\x00' contains a non-printable character")),
    ("format_run_unknown", (*RUN, "--format", "xml"), 2, invalid("--format", r"'xml' is not one of 'table', 'json', 'csv', 'parquet'\.")),
    ("format_validate_unknown", ("validate", "{defs}", "--format", "gitlab"), 2, invalid("--format", r"'gitlab' is not one of 'text', 'github'\.")),
    ("format_list_unknown", ("list", "{defs}", "--format", "yaml"), 2, invalid("--format", r"'yaml' is not one of 'table', 'json'\.")),
    ("format_plugins_unknown", ("plugins", "--format", "xml"), 2, invalid("--format", r"'xml' is not one of 'table', 'json'\.")),
    ("format_connections_unknown", ("connections", "--format", "xml"), 2, invalid("--format", r"'xml' is not one of 'table', 'json'\.")),
    ("format_crosscheck_csv", (*CROSS, "--format", "csv"), 2, invalid("--format", r"'csv' is not one of 'table', 'json'\.")),
    ("fail_on_unknown", (*CHECK, "--fail-on", "nope"), 2, invalid("--fail-on", r"'nope' is not one of 'critical', 'warn', 'no_data'\.")),
    ("fail_on_empty", (*CHECK, "--fail-on", ""), 2, invalid("--fail-on", r"'' is not one of 'critical', 'warn', 'no_data'\.")),
    # --project-dir, --pack, --disable-plugin, --cache-dir, -o, DEFS
    ("project_dir_file", (*RUN, "--project-dir", "{tmp}/plain.txt"), 2, r"error: project directory not found: .*/plain\.txt"),
    ("project_dir_fifo", (*RUN, "--project-dir", "{tmp}/fifo"), 2, r"error: project directory not found: .*/fifo"),
    ("project_dir_missing", (*RUN, "--project-dir", "{tmp}/nowhere"), 2, r"error: project directory not found: .*/nowhere"),
    ("project_dir_empty", (*RUN, "--project-dir", ""), 2, invalid("--project-dir", r"must not be empty")),
    ("project_dir_nul", (*RUN, "--project-dir", f"{{tmp}}{NUL}"), 2,
     invalid("--project-dir", r"'.*\\x00' contains a non-printable character")),
    ("connections_project_dir_fifo", ("connections", "--project-dir", "{tmp}/fifo"), 2, r"error: project directory not found: .*/fifo"),
    ("pack_unknown", (*RUN, "--pack", "nosuch"), 2, r"error: unknown definition pack 'nosuch' \(installed: .*\)"),
    ("pack_empty", ("validate", "{defs}", "--pack", ""), 2, invalid("--pack", r"must not be empty")),
    ("pack_nul", ("validate", "{defs}", "--pack", NUL), 2, invalid("--pack", r"'\\x00' contains a non-printable character")),
    ("disable_plugin_empty", ("plugins", "--disable-plugin", ""), 2, invalid("--disable-plugin", r"must not be empty")),
    ("disable_plugin_newline", ("connections", "test", "duckdb://", "--disable-plugin", NL), 2,
     invalid("--disable-plugin", r"'a\\nb' contains a non-printable character")),
    ("cache_dir_empty", (*RUN, "--cache-dir", ""), 2, invalid("--cache-dir", r"must not be empty")),
    ("cache_dir_nul", (*RUN, "--cache-dir", f"{{tmp}}/c{NUL}"), 2, invalid("--cache-dir", r"'.*\\x00' contains a non-printable character")),
    ("output_empty", (*RUN, "-o", ""), 2, invalid("-o' / '--output", r"must not be empty")),
    ("output_nul", (*RUN, "-o", f"{{tmp}}/out{NUL}.json"), 2, invalid("-o' / '--output", r"'.*\\x00\.json' contains a non-printable character")),
    ("output_10000_chars", (*RUN, "-o", "{tmp}/" + LONG), 2, invalid("-o' / '--output", r"'.*\.\.\.' is 10,0\d\d characters long, more than 4,096")),
    ("output_directory", (*RUN, "-o", "{tmp}/empty"), 2, r"error: cannot write .*/empty: is a directory; give a file path, or - for stdout"),
    ("output_missing_folder", (*RUN, "-o", "{tmp}/nowhere/out.json"), 2, r"error: cannot write .*/nowhere/out\.json: No such file or directory"),
    ("crosscheck_output_empty", (*CROSS, "-o", ""), 2, invalid("-o' / '--output", r"must not be empty")),
    ("defs_empty", ("validate", ""), 2, invalid("[DEFS]", r"must not be empty")),
    ("defs_nul", ("validate", NUL), 2, invalid("[DEFS]", r"'\\x00' contains a non-printable character")),
    ("defs_missing", ("validate", "{tmp}/nowhere"), 2, r"error: definitions not found: .*/nowhere"),
    ("defs_fifo", ("validate", "{tmp}/fifo"), 2, r"error: no definition files \(\*\.yaml, \*\.yml\) under .*/fifo"),
    ("defs_folder_without_yaml", ("list", "{tmp}/empty"), 2, r"error: no definition files \(\*\.yaml, \*\.yml\) under .*/empty"),
    # crosscheck's own, connections test, demo
    ("tolerance_nan", (*CROSS, "--tolerance", "nan"), 2, invalid("--tolerance", r"nan is not a finite number")),
    ("tolerance_negative", (*CROSS, "--tolerance", "-1"), 2, invalid("--tolerance", r"-1\.0 is not in the range x>=0\.")),
    ("abs_tolerance_inf", (*CROSS, "--abs-tolerance", "inf"), 2, invalid("--abs-tolerance", r"inf is not a finite number")),
    ("against_empty", ("crosscheck", "{defs}", "--connection", "{url}", "--against", ""), 2, invalid("--against", r"must not be empty")),
    ("against_missing", ("crosscheck", "{defs}", "--connection", "{url}"), 2, r"Error: Missing option '--against'\."),
    ("connections_test_empty", ("connections", "test", ""), 2, invalid("NAME|URL", r"must not be empty")),
    ("connections_test_nul", ("connections", "test", NUL), 2, invalid("NAME|URL", r"'\\x00' contains a non-printable character")),
    ("connections_test_unknown", ("connections", "test", "nosuch"), 2, r"error: unknown connection 'nosuch' \(known: .*\)"),
    ("demo_scale_nan", ("demo", "--scale", "nan"), 2, invalid("--scale", r"nan is not a finite number")),
    ("demo_scale_zero", ("demo", "--scale", "0"), 2, invalid("--scale", r"0\.0 is not in the range 0\.01<=x<=50\.")),
    ("demo_scale_huge", ("demo", "--scale", "1e300"), 2, invalid("--scale", r"1e\+300 is not in the range 0\.01<=x<=50\.")),
    ("demo_seed_text", ("demo", "--seed", "abc"), 2, invalid("--seed", r"'abc' is not a valid integer\.")),
    ("demo_timeout_unknown_option", ("demo", "--timeout", "5"), 2, r"Error: No such option '--timeout'\. Did you mean '--to'\?"),
    ("unknown_option", (*RUN, "--nosuch"), 2, r"Error: No such option '--nosuch'\. Did you mean '--no-cache'\?"),
]


@pytest.mark.parametrize(("args", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_option_values_are_one_clear_line(shop, args, code, message):
    tmp = shop[0]
    before = snapshot(tmp, Path.cwd())
    result = kpi(*expand(args, shop))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = message_lines(result)
    assert len(lines) == 1, lines
    assert re.fullmatch(message, lines[0]), lines[0]
    assert result.stdout == ""
    assert snapshot(tmp, Path.cwd()) == before


# -- correct results where a value is extreme but meaningful ---------------------------------------------


def rows(shop, *args: str) -> list[dict]:
    result = kpi(*expand((*RUN, "--format", "json", *args), shop))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def test_day_grain_over_the_whole_calendar_is_one_bucket_per_day_with_data(shop):
    found = rows(shop, "--kpi", "order_count", "--grain", "day", "--from", "0001-01-01", "--to", "9999-12-31T23:59:59.999999")
    assert [(r["period_start"], r["value"]) for r in found] == [
        ("0001-01-01", 1), ("0001-01-02", 1), ("2024-06-01", 1), ("9999-12-30", 1), ("9999-12-31", 1),
    ]


def test_day_grain_compared_over_millennia(shop):
    found = rows(shop, "--kpi", "revenue", "--grain", "day", "--from", "0001-01-02", "--to", "9999-12-31",
                 "--compare", "previous_period")
    assert [(r["period_start"], r["value"], r["compare_value"], r["verdict"]) for r in found] == [
        ("0001-01-02", 2, 1, "improving"), ("2024-06-01", 3, None, None), ("9999-12-30", 4, None, None),
    ]


def test_a_huge_trend_window_takes_every_bucket(shop):
    found = rows(shop, "--kpi", "order_count", "--grain", "year", "--trend", "1000000000000")
    assert [(r["period_start"], r["trend"]) for r in found] == [
        ("0001-01-01", None), ("2024-01-01", "down"), ("9999-01-01", "flat"),
    ]


def test_periods_at_the_ends_of_the_calendar(shop):
    assert [r["value"] for r in rows(shop, "--kpi", "order_count", "--period", "wtd", "--as-of", "0001-01-02")] == [2]
    assert [r["value"] for r in rows(shop, "--kpi", "order_count", "--period", "yesterday", "--as-of", "9999-12-31")] == [1]


def test_the_last_month_of_year_9999_has_no_pace(shop):
    (row,) = rows(shop, "--kpi", "revenue", "--from", "9999-12-01", "--to", "9999-12-31")
    assert (row["value"], row["pace"]) == (4, None)
    (row,) = rows(shop, "--kpi", "revenue", "--from", "2024-06-01", "--to", "2024-06-16")
    assert row["pace"] == pytest.approx(3 * 30 / 15)


def test_the_longest_timeout_runs(shop):
    assert [r["value"] for r in rows(shop, "--kpi", "order_count", "--timeout", "604800")] == [5]
    assert [r["value"] for r in rows(shop, "--kpi", "order_count", "--timeout", "0.001e3")] == [5]


def test_a_plugin_name_that_is_not_installed_disables_nothing(shop):
    assert [r["value"] for r in rows(shop, "--kpi", "order_count", "--disable-plugin", "nosuch")] == [5]


def test_a_cache_dir_that_is_a_file_is_one_warning(shop):
    tmp = shop[0]
    result = kpi(*expand((*RUN, "--kpi", "order_count", "--format", "json", "--cache-dir", "{tmp}/plain.txt"), shop))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == f"warning: cache {tmp}/plain.txt is not usable (Not a directory); running without it"
    assert (tmp / "plain.txt").read_text() == "not a folder\n"


# -- the same limits through the library and the project file ----------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0, 0.0, 1e300, True, "5"])
def test_the_api_refuses_a_bad_timeout(shop, value):
    catalog = kpi_engine.load(shop[1])
    with pytest.raises(SelectionError, match=r"^timeout: .* is not (a timeout|a number of seconds)"):
        kpi_engine.Engine(catalog, shop[2], timeout=value)
    with pytest.raises(ValueError, match=r"^timeout: "):
        ConnectOptions(timeout=value)


def test_the_api_refuses_a_bound_with_a_utc_offset(shop):
    from datetime import datetime, timezone

    with kpi_engine.Engine(kpi_engine.load(shop[1]), shop[2]) as engine:
        with pytest.raises(SelectionError, match=r"^--from 2024-01-01T00:00:00\+00:00 has a UTC offset"):
            engine.run(start=datetime(2024, 1, 1, tzinfo=timezone.utc), end=datetime(2024, 2, 1))


@pytest.mark.parametrize(("timeout", "shown"), [(".nan", "nan"), (".inf", "inf"), ("1e300", "1e\\+300"), ("'10'", "'10'")])
def test_a_connection_timeout_in_kpi_yml_is_checked(shop, tmp_path, timeout, shown):
    (tmp_path / "kpi.yml").write_text(textwrap.dedent(f"""\
        connections:
          shop: {{url: "{shop[2]}", timeout: {timeout}}}
        """))
    result = kpi("run", str(shop[1]), "--project-dir", str(tmp_path), "--connection", "shop")
    assert result.exit_code == 2
    assert re.fullmatch(rf"error: {re.escape(str(tmp_path))}/kpi\.yml: connection shop: timeout {shown} is not "
                        r"(a timeout: give seconds from 0\.001 to 604800 \(7 days\)|a number of seconds)", result.stderr.strip())


@pytest.mark.subprocess
def test_no_thread_prints_a_traceback_in_a_real_process(shop):
    """A Timer given an overflowing timeout used to raise OverflowError inside its thread."""
    for value in ("inf", "1e300"):
        done = subprocess.run(
            [sys.executable, "-m", "kpi_engine", "run", str(shop[1]), "--connection", shop[2], "--timeout", value],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and "Exception in thread" not in done.stderr
        assert done.stderr.splitlines()[-1].startswith("Error: Invalid value for '--timeout': ")
