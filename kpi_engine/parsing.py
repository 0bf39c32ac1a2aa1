"""Parse a definitions tree (YAML) into a :class:`~kpi_engine.model.Catalog`, or report every problem.

:func:`kpi_engine.loader.load` calls this on a cache miss. It is the only place
definition YAML is touched. It validates structure itself (unknown
keys, missing fields, types) because it must report ``file:line:col`` for each problem
and keep going; attrs classes are built only from values already checked.
"""

from __future__ import annotations

import io
import math
import os
import re
from datetime import timedelta
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlglot
from attrs import evolve
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from . import durations, textfile, yamlfile
from .data_roots import OutsideRoots, confine_sql, local_file, resolve_roots
from .errors import DefinitionError, Problem
from .loader import definition_files
from .allowlist import Refused, check_source_query, check_table
from .expressions import (
    MAX_DEPTH, MAX_SQL_LENGTH, READ_DIALECT, ExpressionProblem, declared_sample, nesting, parse_expression,
)
from .model import (
    DIRECTIONS,
    FINER_GRAINS,
    Freshness,
    GRAINS,
    Metric,
    UNITS,
    Band,
    Catalog,
    Dashboard,
    Dimension,
    Expression,
    Kpi,
    Location,
    Measure,
    Source,
    TIME_FORMATS,
    TargetRule,
    Thresholds,
)
from .rates import rate_problem
from .specs import DefinitionPack, FunctionSpec, MetricTypeSpec
from .suggest import did_you_mean
from .timezones import known

TOP_KEYS = ("sources", "kpis", "dashboards")
FRESHNESS_KEYS = ("warn_after", "critical_after")
SOURCE_KEYS = ("table", "path", "sql", "time", "timezone", "freshness", "dimensions", "description")
KPI_KEYS = (
    "title", "description", "stage", "unit", "direction", "target", "thresholds", "tags",
    "numerator", "denominator", "value", "formula", "metric", "min_denominator", "targets", "target_period",
    "min_sample", "sample", "confidence", "additive", "finer_grains", "alert_change", "mature_after", "min_grain",
)
TARGET_RULE_KEYS = ("by", "from", "to", "target", "thresholds")
MEASURE_KEYS = ("source", "expr", "where")
TIME_KEYS = ("column", "format")
#: Names people give the time formats, for the hint when ``format:`` is not one of them.
_FORMAT_ALIASES = {
    **dict.fromkeys(("epoch", "unix", "unixepoch", "unix_epoch", "seconds", "s", "epoch_seconds", "unix_seconds"), "epoch_s"),
    **dict.fromkeys(("ms", "millis", "milliseconds", "epoch_millis", "epoch_milliseconds", "unix_ms"), "epoch_ms"),
    **dict.fromkeys(("iso8601", "iso_8601", "iso-8601", "rfc3339", "text", "string"), "iso"),
}
THRESHOLD_KEYS = ("warn", "critical")
DASHBOARD_KEYS = ("title", "description", "kpis")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
def _shown(value: Any) -> str:
    """A user's value for a one-line message: short text, or what kind of value it is."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return yamlfile.shorten(value)


def _what(value: Any) -> str:
    """``value`` after "not" in a message: ``a list``, ``a mapping``, quoted text, or the value (``2.5``, ``inf``)."""
    if isinstance(value, (Mapping, list, tuple)):
        return _shown(value)
    return f"'{_shown(value)}'" if isinstance(value, str) else yamlfile.shorten(repr(value))


def _plain(value: Any) -> Any:
    """Python-built documents as plain dicts and lists, which the YAML dumper accepts."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Loader:
    def __init__(
        self, root: Path, functions: Mapping[str, FunctionSpec], metric_types: Mapping[str, MetricTypeSpec],
        data_roots: tuple[Path, ...] | None = None,
    ):
        self.root = root
        #: Resolved folders sources may read files from (kpi_engine.data_roots); a pack's own folder is added for its sources.
        self.data_roots = data_roots if data_roots is not None else resolve_roots(root)
        self.metric_types = {k.lower(): v for k, v in metric_types.items()}
        self.functions = functions
        self.problems: list[Problem] = []

    # -- problem reporting -------------------------------------------------------------

    def _display(self, file: Path) -> str:
        try:
            return str(file.relative_to(Path.cwd()))
        except (ValueError, OSError):  # elsewhere, or the working directory is gone
            return str(file)

    def problem(self, message: str, at: Location | None, kind: str | None = None, name: str | None = None) -> None:
        if at is None:
            self.problems.append(Problem(message, kind=kind, name=name))
        else:
            self.problems.append(Problem(message, at.file, at.line, at.col, kind, name))

    # -- reading ------------------------------------------------------------------------

    def load(self, files: list[Path], packs: tuple[DefinitionPack, ...] = ()) -> Catalog:
        # name -> (node, location, base directory, pack name or None for local files)
        raw: dict[str, dict[str, tuple[Any, Location, Path, str | None]]] = {k: {} for k in TOP_KEYS}
        inputs = [(pack.name, shown, base, entries) for pack in packs for shown, base, entries in self._pack(pack)]
        inputs += [(None, self._display(f), f.parent, self._read(f)) for f in files]
        for origin, _, base, entries in inputs:
            for kind, name, node, at in entries:
                singular = kind[:-1]
                override = self._override(node, at, singular, name, origin)
                seen = raw[kind].get(name)
                if seen is None:
                    if override:
                        self.problem(f"override: true, but no definition pack defines {singular} '{name}'", at, singular, name)
                    raw[kind][name] = (node, at, base, origin)
                elif seen[3] is not None and origin is None and override:
                    raw[kind][name] = (node, at, base, origin)  # the documented way to replace a pack's definition
                elif seen[3] is not None and origin is None:
                    self.problem(
                        f"{singular} '{name}' is already defined by definition pack '{seen[3]}' (at {seen[1]}); "
                        "rename yours, or add 'override: true' to replace it", at, singular, name,
                    )
                elif seen[3] is not None and origin is not None and seen[3] != origin:
                    self.problem(f"{singular} '{name}' is defined by definition packs '{seen[3]}' (at {seen[1]}) and '{origin}'", at, singular, name)
                else:
                    self.problem(f"duplicate {singular} name (first defined at {seen[1]})", at, singular, name)

        pack_folders = {p.name: _folder_of(Path(p.path)) for p in packs if p.path is not None}
        sources, readable = {}, dict.fromkeys(self.data_roots)
        for name, (node, at, base, origin) in raw["sources"].items():
            roots = self.data_roots + ((pack_folders[origin],) if origin in pack_folders else ())
            source = self._source(name, node, at, base, roots)
            if source is not None:
                sources[name] = source
                if source.kind != "table":  # a pack's folder is readable at run time only if its sources may read files
                    readable.update(dict.fromkeys(roots))
        kpis = {}
        for name, (node, at, _, _) in raw["kpis"].items():
            kpi = self._kpi(name, node, at, sources, raw["sources"])
            if kpi is not None:
                kpis[name] = kpi
        self._check_formulas(kpis, raw["kpis"])
        dashboards = {}
        for name, (node, at, _, _) in raw["dashboards"].items():
            dashboard = self._dashboard(name, node, at, raw["kpis"])
            if dashboard is not None:
                dashboards[name] = dashboard
        if self.problems:
            # File order, then position: the order an editor or CI annotator walks them.
            raise DefinitionError(sorted(self.problems, key=lambda p: (p.file or "", p.line or 0, p.col or 0)))
        return Catalog(
            root=str(self.root), sources=sources, kpis=kpis, dashboards=dashboards,
            data_roots=tuple(str(r) for r in readable),
        )

    def _pack(self, pack: DefinitionPack) -> Iterator[tuple[str, Path, Iterator]]:
        """(shown name, base directory, entries) for each file or document of a pack."""
        if pack.path is not None:
            root = Path(pack.path)
            if not root.exists():
                self.problem(f"definition pack '{pack.name}': {root} does not exist", None)
                return
            for file in definition_files(root):
                yield self._display(file), file.parent, self._read(file)
            return
        for i, document in enumerate(pack.documents, start=1):
            shown = f"<pack {pack.name} document {i}>"
            buffer = io.StringIO()
            try:
                yamlfile.dump(_plain(document), buffer)
            except Exception as error:  # a document that is not plain data: a plugin bug
                self.problem(f"definition pack '{pack.name}': document {i} is not plain data ({error})", Location(shown, 1))
                continue
            yield shown, Path.cwd(), self._read_text(buffer.getvalue(), shown)

    def _override(self, node: Any, at: Location, kind: str, name: str, origin: str | None) -> bool:
        """Take ``override: true`` off a local definition; packs may not use it."""
        if not isinstance(node, yamlfile.YamlMap) or "override" not in node:
            return False
        value = node.pop("override")
        if origin is not None:
            self.problem("override is for local definitions replacing a pack's, not for packs", at, kind, name)
            return False
        if value is not True:
            self.problem("override must be true (or left out)", at, kind, name)
            return False
        return True

    def _read(self, file: Path) -> Iterator[tuple[str, str, Any, Location]]:
        shown = self._display(file)
        try:
            text = textfile.read(file)
        except textfile.FileTextError as error:
            self.problem(error.reason, Location(shown, error.line, error.column))
            return
        yield from self._read_text(text, shown)

    def _read_text(self, text: str, shown: str) -> Iterator[tuple[str, str, Any, Location]]:
        try:
            document = yamlfile.load_mapping(text)
        except yamlfile.NotAMapping as error:
            self.problem(
                f"a definition file must be a mapping with sources, kpis or dashboards, not {error.kind}",
                Location(shown, error.line, error.column),
            )
            return
        except yamlfile.YamlError as error:
            self.problem(f"invalid YAML: {error.reason}", Location(shown, error.line, error.column))
            return
        if document is None:
            return
        for key in document:
            at = self._key_at(document, key, shown)
            if key not in TOP_KEYS:
                self.problem(f"unknown top-level key '{_shown(key)}'{did_you_mean(str(key), TOP_KEYS)}", at)
                continue
            section = document[key]
            if section is None:
                continue
            if not isinstance(section, yamlfile.YamlMap):
                self.problem(f"'{key}' must be a mapping of names to definitions", at)
                continue
            for name in section:
                entry_at = self._key_at(section, name, shown)
                singular = key[:-1]
                if not isinstance(name, str) or not NAME.match(name):
                    self.problem(
                        f"invalid {singular} name '{_shown(name)}': use letters, digits and _, not starting with a digit",
                        entry_at,
                    )
                    continue
                yield key, name, section[name], entry_at

    def _text(self, value: Any, at: Location, kind: str, name: str, what: str, *, single: bool = False) -> bool:
        """Whether ``value`` is text (``single``: a name, a scalar that is no list or mapping); else report it at ``at``."""
        if isinstance(value, str) if not single else not isinstance(value, (Mapping, list, tuple)):
            return True
        self.problem(f"{what}, not {_what(value)}", at, kind, name)
        return False

    @staticmethod
    def _key_at(node: yamlfile.YamlMap, key: Any, file: str) -> Location:
        try:
            line, col = node.lc.key(key)
            return Location(file, line + 1, col + 1)
        except (KeyError, TypeError, AttributeError):
            return Location(file, (node.lc.line or 0) + 1, (node.lc.col or 0) + 1)

    @staticmethod
    def _value_at(node: yamlfile.YamlMap, key: Any, file: str) -> Location:
        try:
            line, col = node.lc.value(key)
            return Location(file, line + 1, col + 1)
        except (KeyError, TypeError, AttributeError):
            return _Loader._key_at(node, key, file)

    def _mapping(self, node: Any, at: Location, kind: str, name: str, allowed: tuple[str, ...], what: str) -> bool:
        if not isinstance(node, yamlfile.YamlMap):
            self.problem(f"{what} must be a mapping", at, kind, name)
            return False
        ok = True
        for key in node:
            if key not in allowed:
                self.problem(
                    f"unknown key '{_shown(key)}'{did_you_mean(str(key), allowed)}",
                    self._key_at(node, key, at.file), kind, name,
                )
                ok = False
        return ok

    def _expression(
        self, node: yamlfile.YamlMap, key: str, at: Location, kind: str, name: str, role: str,
        label: str | None = None,
    ) -> Expression | None:
        """``node[key]`` parsed and gated for ``role``; a problem is reported as ``label`` (default ``key``)."""
        value = node[key]
        value_at = self._value_at(node, key, at.file)
        try:
            tree = parse_expression(value, self.functions, role=role)
        except ExpressionProblem as problem:
            self.problem(f"{label or key}: {problem.message}", self._offset(value, value_at, problem), kind, name)
            return None
        return Expression(str(value), tree)

    @staticmethod
    def _offset(value: Any, at: Location, problem: ExpressionProblem) -> Location:
        if problem.line is None:
            return at
        if isinstance(value, yamlfile.BlockText):
            # The value mark points at the `|`/`>` indicator; the text starts a line below.
            return Location(at.file, at.line + problem.line, problem.col or 1)
        if problem.line == 1:
            return Location(at.file, at.line, at.col + max((problem.col or 1) - 1, 0))
        return Location(at.file, at.line + problem.line - 1, problem.col or 1)

    def _node_at(self, value: Any, at: Location, node: Any) -> Location:
        """Where ``node`` (parsed from the text ``value`` written at ``at``) starts, from sqlglot's token offsets."""
        start = node.meta.get("start") if node is not None else None
        if not isinstance(start, int) or not isinstance(value, str):
            return at
        line = value.count("\n", 0, start) + 1
        col = start - value.rfind("\n", 0, start)
        return self._offset(value, at, ExpressionProblem("", line, col))

    # -- sources ------------------------------------------------------------------------

    def _source(self, name: str, node: Any, at: Location, base: Path, roots: tuple[Path, ...]) -> Source | None:
        if not self._mapping(node, at, "source", name, SOURCE_KEYS, "a source"):
            return None
        given = [k for k in ("table", "path", "sql") if k in node]
        if len(given) != 1:
            what = "one of table, path or sql is required" if not given else f"give only one of {', '.join(given)}"
            self.problem(what, at, "source", name)
            return None
        kind = given[0]
        value = node[kind]
        value_at = self._value_at(node, kind, at.file)
        fields: dict[str, Any] = {}
        if kind == "table":
            table = self._table(value, value_at, name)
            if table is None:
                return None
            fields["table"] = table
        elif kind == "path":
            paths = [value] if isinstance(value, str) else value
            if not isinstance(paths, (list, yamlfile.YamlSeq)) or not paths or not all(isinstance(p, str) and p for p in paths):
                self.problem("path must be a file path or glob, or a list of them", value_at, "source", name)
                return None
            read = []
            for i, path in enumerate(paths):
                try:
                    read.append(local_file(path, base, roots))
                except OutsideRoots as error:
                    where = value_at if isinstance(value, str) else _item_at(value, i, value_at)
                    self.problem(f"path: {error.message}", where, "source", name)
                    return None
            fields["paths"] = tuple(read)
        else:
            query = self._source_sql(value, value_at, name)
            if query is None:
                return None
            # The files a sql: source reads are checked against the data roots here, on the gated query.
            try:
                fields["sql"] = confine_sql(query, base, roots)
            except OutsideRoots as error:
                self.problem(f"sql: {error.message}", self._node_at(value, value_at, error.at), "source", name)
                return None
        if "time" in node and node["time"] is not None:
            time = self._time(node, at, name)
            if time is None:
                return None
            fields["time"], fields["time_format"] = time
        if node.get("timezone") is not None:
            zone = node["timezone"]
            zone_at = self._value_at(node, "timezone", at.file)
            if not isinstance(zone, str) or not known(zone):
                example = "(e.g. Europe/Berlin, America/New_York, UTC)"
                message = (f"timezone '{_shown(zone)}' is not an IANA time zone {example}" if isinstance(zone, str)
                           else f"timezone must be the name of an IANA time zone {example}, not {_what(zone)}")
                self.problem(message, zone_at, "source", name)
                return None
            if "time" not in node:
                self.problem("timezone needs a time column", zone_at, "source", name)
                return None
            fields["timezone"] = zone
        if node.get("freshness") is not None:
            freshness = self._freshness(node, at, name)
            if freshness is None:
                return None
            fields["freshness"] = freshness
        dimensions = self._dimensions(node, at, name)
        if dimensions is None:
            return None
        description = node.get("description") or ""
        if not self._text(description, self._value_at(node, "description", at.file), "source", name, "description must be text"):
            return None
        return Source(name=name, location=at, dimensions=dimensions, description=str(description), **fields)

    def _freshness(self, node: yamlfile.YamlMap, at: Location, name: str) -> Freshness | None:
        """``freshness: {warn_after: 1d, critical_after: 2d}`` (either or both); the source needs a time column."""
        value, value_at = node["freshness"], self._value_at(node, "freshness", at.file)
        if not self._mapping(value, value_at, "source", name, FRESHNESS_KEYS, "freshness"):
            return None
        if "time" not in node:
            self.problem("freshness needs a time column: it is measured from the newest time value", value_at, "source", name)
            return None
        limits = {}
        for key in FRESHNESS_KEYS:
            if value.get(key) is not None:
                limits[key] = self._duration(value, key, value_at, "source", name, f"freshness: {key}")
                if limits[key] is None:
                    return None
        if not limits:
            self.problem("freshness needs warn_after, critical_after or both (e.g. {warn_after: 1d, critical_after: 2d})",
                         value_at, "source", name)
            return None
        warn, critical = limits.get("warn_after"), limits.get("critical_after")
        if warn is not None and critical is not None and warn > critical:
            self.problem("freshness: warn_after must not be longer than critical_after", value_at, "source", name)
            return None
        return Freshness(warn_after=warn, critical_after=critical)

    def _duration(self, node: yamlfile.YamlMap, key: str, at: Location, kind: str, name: str, what: str) -> timedelta | None:
        try:
            return durations.parse(node[key])
        except ValueError as error:
            self.problem(f"{what} {_what(node[key])} is not a duration: {error}", self._value_at(node, key, at.file), kind, name)
            return None

    def _time(self, node: yamlfile.YamlMap, at: Location, name: str) -> tuple[Expression, str | None] | None:
        """``time:``: a column (or row-level expression) holding times, or ``{column: ..., format: ...}``
        for one holding epoch numbers or ISO text; (the expression, the format or None)."""
        value = node["time"]
        value_at = self._value_at(node, "time", at.file)
        if isinstance(value, (list, yamlfile.YamlSeq)) or isinstance(value, bool):
            self.problem(
                f"time must be a column (or an expression), or a mapping {{column: ..., format: "
                f"{' | '.join(TIME_FORMATS)}}}, not {_what(value)}", value_at, "source", name,
            )
            return None
        if not isinstance(value, yamlfile.YamlMap):
            expression = self._expression(node, "time", at, "source", name, "time")
            return None if expression is None else (expression, None)
        if not self._mapping(value, value_at, "source", name, TIME_KEYS, "time"):
            return None
        ok = True
        for required in TIME_KEYS:
            if value.get(required) is None:
                hint = (f" ({', '.join(TIME_FORMATS)}; a column holding times needs no format: time: ts)"
                        if required == "format" else "")
                self.problem(f"time: missing field '{required}'{hint}", value_at, "source", name)
                ok = False
        if not ok:
            return None
        time_format = value["format"]
        if not isinstance(time_format, str) or time_format not in TIME_FORMATS:
            hint = ""
            if isinstance(time_format, str):
                alias = _FORMAT_ALIASES.get(time_format.strip().lower())
                hint = f" (did you mean '{alias}'?)" if alias else did_you_mean(time_format, TIME_FORMATS)
            self.problem(
                f"time: format must be one of {', '.join(TIME_FORMATS)}, not {_what(time_format)}{hint}",
                self._value_at(value, "format", at.file), "source", name,
            )
            return None
        column = self._expression(value, "column", value_at, "source", name, "time", label="time: column")
        return None if column is None else (column, str(time_format))

    def _table(self, value: Any, at: Location, name: str) -> exp.Table | None:
        if not isinstance(value, str) or not value.strip():
            self.problem("table must be a table name, e.g. orders or analytics.orders", at, "source", name)
            return None
        try:
            table = sqlglot.parse_one(value, read=READ_DIALECT, into=exp.Table)
        except (ParseError, TokenError, RecursionError):
            table = None
        if not isinstance(table, exp.Table) or any(
            not isinstance(n, (exp.Table, exp.Identifier, exp.Dot)) for n in table.walk()
        ):
            self.problem(f"'{_shown(value)}' is not a table name", at, "source", name)
            return None
        try:
            check_table(table)
        except Refused as refused:
            self.problem(f"table: {refused.message}", at, "source", name)
            return None
        return table

    def _source_sql(self, value: Any, at: Location, name: str) -> exp.Query | None:
        if not isinstance(value, str) or not value.strip():
            self.problem("sql must be one SELECT statement", at, "source", name)
            return None
        if len(value) > MAX_SQL_LENGTH:
            self.problem(f"sql is longer than {MAX_SQL_LENGTH} characters", at, "source", name)
            return None
        if nesting(value) > MAX_DEPTH:
            self.problem(f"sql is nested more than {MAX_DEPTH} levels deep", at, "source", name)
            return None
        try:
            statements = [s for s in sqlglot.parse(value, read=READ_DIALECT) if s is not None]
        except (ParseError, TokenError) as error:
            first = str(error).splitlines()[0]
            self.problem(f"sql: not valid SQL: {first}", at, "source", name)
            return None
        except RecursionError:
            self.problem("sql: nested too deeply", at, "source", name)
            return None
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            self.problem("sql must be exactly one SELECT statement", at, "source", name)
            return None
        query = statements[0]
        try:
            check_source_query(query)
        except Refused as refused:
            self.problem(f"sql: {refused.message}", self._node_at(value, at, refused.node), "source", name)
            return None
        return query

    def _dimensions(self, node: yamlfile.YamlMap, at: Location, name: str) -> tuple[Dimension, ...] | None:
        raw = node.get("dimensions")
        if raw is None:
            return ()
        dims_at = self._value_at(node, "dimensions", at.file)
        dims: list[Dimension] = []
        ok = True
        if isinstance(raw, (list, yamlfile.YamlSeq)):
            for i, item in enumerate(raw):
                item_at = _item_at(raw, i, dims_at)
                if not isinstance(item, str) or not NAME.match(item):
                    message = f"dimension '{_shown(item)}' must be a column name" if isinstance(item, str) else (
                        f"dimensions must list column names, not {_what(item)}")
                    self.problem(message, item_at, "source", name)
                    ok = False
                    continue
                dims.append(Dimension(item, Expression(item, exp.column(item))))
        elif isinstance(raw, yamlfile.YamlMap):
            for dim_name in raw:
                dim_at = self._key_at(raw, dim_name, at.file)
                if not isinstance(dim_name, str) or not NAME.match(dim_name):
                    self.problem(f"invalid dimension name '{_shown(dim_name)}'", dim_at, "source", name)
                    ok = False
                    continue
                expression = self._expression(raw, dim_name, dim_at, "source", name, "dimension")
                if expression is None:
                    ok = False
                    continue
                dims.append(Dimension(dim_name, expression))
        else:
            self.problem("dimensions must be a list of columns or a mapping name: expression", dims_at, "source", name)
            return None
        names = [d.name for d in dims]
        for dup in {n for n in names if names.count(n) > 1}:
            self.problem(f"dimension '{dup}' is declared twice", dims_at, "source", name)
            ok = False
        return tuple(dims) if ok else None

    # -- kpis ---------------------------------------------------------------------------

    def _kpi(
        self, name: str, node: Any, at: Location, sources: dict[str, Source], raw_sources: Mapping[str, Any]
    ) -> Kpi | None:
        if not self._mapping(node, at, "kpi", name, KPI_KEYS, "a kpi"):
            return None
        shape = self._kpi_shape(name, node, at, sources, raw_sources)
        if shape is None:
            return None
        fields, ok = shape
        ok = self._kpi_labels(node, at, name, fields) and ok
        ok = self._kpi_guards(node, at, name, fields) and ok
        direction = fields.get("direction", "higher")
        lines = self._lines(node, at, name, direction)
        if lines is None:
            return None
        fields["target"], fields["thresholds"] = lines
        if node.get("targets") is not None:
            rules = self._target_rules(node, at, name, direction, sources, fields)
            ok = ok and rules is not None
            fields["targets"] = rules or ()
        if not ok:
            return None
        return self._kpi_consistent(Kpi(name=name, location=at, **fields), node, at)

    def _kpi_shape(
        self, name: str, node: yamlfile.YamlMap, at: Location, sources: dict[str, Source], raw_sources: Mapping[str, Any]
    ) -> tuple[dict[str, Any], bool] | None:
        """What the KPI computes (numerator/denominator, value, metric or formula) as fields,
        and whether they all read well; ``None`` when the shape itself is missing or ambiguous."""
        shapes = [k for k in ("value", "formula", "metric") if k in node]
        has_ratio = "numerator" in node or "denominator" in node
        if has_ratio:
            shapes.insert(0, "numerator/denominator")
        if not shapes:
            self.problem("missing field: give numerator and denominator, value, formula or metric", at, "kpi", name)
            return None
        if len(shapes) > 1:
            self.problem(f"give only one of {' , '.join(shapes)}".replace(" , ", ", "), at, "kpi", name)
            return None
        fields: dict[str, Any] = {}
        ok = True
        if has_ratio:
            for side in ("numerator", "denominator"):
                if side not in node:
                    self.problem(f"missing field '{side}' (or use value: for a KPI without one)", at, "kpi", name)
                    ok = False
                    continue
                measure = self._measure(node, side, at, name, sources, raw_sources)
                ok = ok and measure is not None
                fields[side] = measure
        elif "value" in node:
            measure = self._measure(node, "value", at, name, sources, raw_sources)
            ok = measure is not None
            fields["numerator"] = measure
        elif "metric" in node:
            metric = self._metric(node, at, name, raw_sources)
            ok = metric is not None
            fields["metric"] = metric
        else:
            formula = self._expression(node, "formula", at, "kpi", name, "formula")
            ok = formula is not None
            fields["formula"] = formula
            if formula is not None:  # named once here, so a cached run never walks the tree for them
                fields["uses"] = tuple(dict.fromkeys(c.name for c in formula.tree.find_all(exp.Column)))
        return fields, ok

    def _kpi_labels(self, node: yamlfile.YamlMap, at: Location, name: str, fields: dict[str, Any]) -> bool:
        """``title``, ``description``, ``stage``, ``unit``, ``direction`` and ``tags`` into ``fields``."""
        ok = True
        for key in ("title", "description", "stage"):
            if key in node and node[key] is not None:
                if not isinstance(node[key], str):
                    self.problem(f"{key} must be text", self._value_at(node, key, at.file), "kpi", name)
                    ok = False
                else:
                    fields[key] = str(node[key])
        for key, choices in (("unit", UNITS), ("direction", DIRECTIONS)):
            if key in node:
                value = node[key]
                if not isinstance(value, str) or value not in choices:
                    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
                    self.problem(
                        f"{key} must be one of {', '.join(choices)}, not {_what(value)}{hint}",
                        self._value_at(node, key, at.file), "kpi", name,
                    )
                    ok = False
                else:
                    fields[key] = str(value)
        if "tags" in node:
            tags = node["tags"]
            if isinstance(tags, str):
                tags = [tags]
            if not isinstance(tags, (list, yamlfile.YamlSeq)) or not all(isinstance(t, str) for t in tags):
                self.problem("tags must be a list of words", self._value_at(node, "tags", at.file), "kpi", name)
                ok = False
            else:
                fields["tags"] = tuple(str(t) for t in tags)
        return ok

    def _kpi_guards(self, node: yamlfile.YamlMap, at: Location, name: str, fields: dict[str, Any]) -> bool:
        """What keeps a row from being judged rashly, into ``fields``: ``min_sample`` (or its
        older spelling ``min_denominator``), ``sample``, ``confidence``; and ``target_period``."""
        ok = True
        for key in ("min_denominator", "min_sample"):
            if node.get(key) is not None:
                minimum_at = self._value_at(node, key, at.file)
                good, minimum = self._number(node[key], minimum_at, name, key)
                if good and minimum < 0:
                    self.problem(f"{key} must not be negative", minimum_at, "kpi", name)
                    good = False
                ok = ok and good
                fields[key] = minimum
        if node.get("sample") is not None:
            sample = self._expression(node, "sample", at, "kpi", name, "measure")
            ok = ok and sample is not None
            fields["sample"] = sample
        if node.get("confidence") is not None:
            level_at = self._value_at(node, "confidence", at.file)
            good, level = self._number(node["confidence"], level_at, name, "confidence")
            if good and not 0 < level < 1:
                self.problem(f"confidence must be between 0 and 1 (e.g. 0.95), not {level:g}", level_at, "kpi", name)
                good = False
            ok = ok and good
            fields["confidence"] = level
        if node.get("alert_change") is not None:
            change_at = self._value_at(node, "alert_change", at.file)
            good, change = self._number(node["alert_change"], change_at, name, "alert_change")
            if good and not change > 0:
                self.problem("alert_change must be a share of the compared value above 0 (0.2 is a 20% change)",
                             change_at, "kpi", name)
                good = False
            ok = ok and good
            fields["alert_change"] = change
        if node.get("mature_after") is not None:
            fields["mature_after"] = self._duration(node, "mature_after", at, "kpi", name, "mature_after")
            ok = ok and fields["mature_after"] is not None
        if node.get("min_grain") is not None:
            grain = node["min_grain"]
            if not isinstance(grain, str) or grain not in GRAINS:
                hint = did_you_mean(grain, GRAINS) if isinstance(grain, str) else ""
                self.problem(f"min_grain must be one of {', '.join(GRAINS)}, not {_what(grain)}{hint}",
                             self._value_at(node, "min_grain", at.file), "kpi", name)
                ok = False
            else:
                fields["min_grain"] = grain
        if node.get("target_period") is not None:
            period = node["target_period"]
            if not isinstance(period, str) or period not in GRAINS:
                hint = did_you_mean(period, GRAINS) if isinstance(period, str) else ""
                self.problem(
                    f"target_period must be one of {', '.join(GRAINS)}, not {_what(period)}{hint}",
                    self._value_at(node, "target_period", at.file), "kpi", name,
                )
                ok = False
            else:
                fields["target_period"] = str(node["target_period"])
        for key, allowed in (("additive", (True, False)), ("finer_grains", FINER_GRAINS)):
            if key not in node:
                continue
            value = node[key]
            value_at = self._value_at(node, key, at.file)
            if "target_period" not in node:
                self.problem(f"{key} goes with target_period: it says how a total's target adds up", value_at, "kpi", name)
                ok = False
            elif isinstance(value, bool) != (key == "additive") or value not in allowed:
                words = "true or false" if key == "additive" else " or ".join(allowed)
                self.problem(f"{key} must be {words}, not {_what(value)}", value_at, "kpi", name)
                ok = False
            else:
                fields[key] = value
        return ok

    def _kpi_consistent(self, kpi: Kpi, node: yamlfile.YamlMap, at: Location) -> Kpi | None:
        """``kpi`` once its keys agree with its kind (with the sample its function declares,
        if it needs one); ``None`` after reporting each key that does not."""
        problems: list[tuple[str, str]] = []  # (key, message)
        if kpi.target_period is not None and kpi.divides:
            problems.append(("target_period", "target_period is for totals (a value, like revenue or orders): a rate has no pace"))
        if kpi.min_denominator is not None and kpi.min_sample is not None:
            problems.append(("min_denominator", "give min_sample or min_denominator (its older spelling), not both"))
        elif kpi.min_denominator is not None and not kpi.divides:
            problems.append((
                "min_denominator",
                "min_denominator applies to a KPI with a denominator (numerator/denominator, a formula a / b, "
                "or a ratio metric type); use min_sample with a sample: for other KPIs",
            ))
        if kpi.sample is not None and kpi.kind in ("ratio", "formula"):
            whose = "a ratio's sample is its denominator" if kpi.kind == "ratio" else (
                "a formula takes none (min_sample on a formula a / b reads its denominator)")
            problems.append(("sample", f"sample: is for value and metric KPIs; {whose}"))
        elif kpi.min_sample is not None and kpi.sample_kind is None:
            if kpi.kind == "value":
                # A function may say what its value rests on: nps(score) rests on the answers.
                try:
                    derived = declared_sample(kpi.numerator.expr.text, self.functions)
                except ExpressionProblem as problem:
                    problems.append(("value", f"value: {problem.message}"))
                else:
                    if derived is not None:
                        kpi = evolve(kpi, sample=Expression(derived.sql(dialect=READ_DIALECT), derived))
                    else:
                        problems.append(("min_sample", "min_sample on a value KPI needs sample: an aggregate counting "
                                                       "what the value rests on, e.g. sample: count(*)"))
            elif kpi.kind == "metric":
                problems.append(("min_sample", f"min_sample: metric type '{kpi.metric.type_name}' declares no sample; "
                                               f"add sample: an aggregate over {kpi.metric.source}, e.g. sample: count(*)"))
            else:
                problems.append(("min_sample", "min_sample on a formula needs a / b (its sample is the denominator); "
                                               "put min_sample on the KPIs it combines"))
        if kpi.confidence is not None:
            problem = rate_problem(kpi)
            if problem is not None:
                problems.append(("confidence", problem))
        for key, message in problems:
            self.problem(message, self._value_at(node, key, at.file), "kpi", kpi.name)
        return None if problems else kpi

    def _measure(
        self, node: yamlfile.YamlMap, side: str, at: Location, name: str, sources: dict[str, Source],
        raw_sources: Mapping[str, Any],
    ) -> Measure | None:
        spec = node[side]
        side_at = self._value_at(node, side, at.file)
        if not self._mapping(spec, side_at, "kpi", name, MEASURE_KEYS, side):
            return None
        ok = True
        for required in ("source", "expr"):
            if required not in spec:
                self.problem(f"{side}: missing field '{required}'", side_at, "kpi", name)
                ok = False
        if not ok:
            return None
        source = spec["source"]
        source_at = self._value_at(spec, "source", at.file)
        if not self._text(source, source_at, "kpi", name, f"{side}: source must be a source name"):
            ok = False
        elif source not in raw_sources:
            self.problem(f"{side}: unknown source '{_shown(source)}'{did_you_mean(source, raw_sources)}", source_at, "kpi", name)
            ok = False
        expr = self._expression(spec, "expr", side_at, "kpi", name, "measure")
        where = None
        if "where" in spec and spec["where"] is not None:
            where = self._expression(spec, "where", side_at, "kpi", name, "condition")
            ok = ok and where is not None
        if expr is None or not ok:
            return None
        return Measure(source=str(source), expr=expr, where=where, location=side_at)

    def _metric(self, node: yamlfile.YamlMap, at: Location, name: str, raw_sources: Mapping[str, Any]) -> Metric | None:
        spec = node["metric"]
        spec_at = self._value_at(node, "metric", at.file)
        if not isinstance(spec, yamlfile.YamlMap):
            self.problem("metric must be a mapping with type, source and the type's parameters", spec_at, "kpi", name)
            return None
        type_name = spec.get("type")
        known = sorted(self.metric_types)
        if type_name is None:
            listed = ", ".join(known) or "none installed"
            self.problem(f"metric: missing field 'type' (installed metric types: {listed})", spec_at, "kpi", name)
            return None
        if not self._text(type_name, self._value_at(spec, "type", at.file), "kpi", name, "metric: type must be a metric type name"):
            return None
        metric_type = self.metric_types.get(type_name.lower())
        if metric_type is None:
            listed = ", ".join(known) or "none installed"
            self.problem(
                f"metric: unknown metric type '{_shown(type_name)}'{did_you_mean(type_name, known)} (installed: {listed})",
                self._value_at(spec, "type", at.file), "kpi", name,
            )
            return None
        params = {p.name: p for p in metric_type.params}
        if not self._mapping(spec, spec_at, "kpi", name, ("type", "source", "where", *params), f"metric {metric_type.name}"):
            return None
        ok = True
        for required in ["source", *(p.name for p in metric_type.params if p.required)]:
            if required not in spec:
                self.problem(f"metric {metric_type.name}: missing field '{required}'", spec_at, "kpi", name)
                ok = False
        if not ok:
            return None
        source = spec["source"]
        if not self._text(source, self._value_at(spec, "source", at.file), "kpi", name, "metric: source must be a source name"):
            ok = False
        elif source not in raw_sources:
            self.problem(
                f"metric: unknown source '{_shown(source)}'{did_you_mean(source, raw_sources)}",
                self._value_at(spec, "source", at.file), "kpi", name,
            )
            ok = False
        where = None
        if spec.get("where") is not None:
            where = self._expression(spec, "where", spec_at, "kpi", name, "condition")
            ok = ok and where is not None
        values: dict[str, Any] = {}
        for param in metric_type.params:
            if param.name not in spec or spec[param.name] is None:
                values[param.name] = param.default
                continue
            value = self._param(spec, param, spec_at, name)
            if value is None:
                ok = False
            values[param.name] = value
        if not ok:
            return None
        return Metric(type=metric_type, source=str(source), where=where, params=values, location=spec_at)

    def _param(self, spec: yamlfile.YamlMap, param: Any, spec_at: Location, name: str) -> Any:
        """One metric parameter read as its kind says; ``None`` after reporting a problem."""
        if param.kind in ("measure", "dimension", "condition"):
            return self._expression(spec, param.name, spec_at, "kpi", name, param.kind)
        value = spec[param.name]
        value_at = self._value_at(spec, param.name, spec_at.file)
        if param.kind == "text":
            if isinstance(value, str) and value:
                return str(value)
            self.problem(f"metric: {param.name} must be text", value_at, "kpi", name)
            return None
        if param.kind == "integer":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return int(value)
            self.problem(f"metric: {param.name} must be a positive whole number, not {_what(value)}", value_at, "kpi", name)
            return None
        good, number = self._number(value, value_at, name, f"metric: {param.name}")
        return number if good else None

    def _number(self, value: Any, at: Location, name: str, what: str) -> tuple[bool, float | None]:
        if value is None:
            return True, None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
            self.problem(f"{what} must be a number, not {_what(value)}", at, "kpi", name)
            return False, None
        return True, float(value)

    def _line(self, value: Any, at: Location, name: str, what: str, direction: str) -> tuple[bool, Any]:
        if direction != "range":
            if isinstance(value, (list, yamlfile.YamlSeq)):
                self.problem(f"{what} must be a number ([low, high] pairs are for direction: range)", at, "kpi", name)
                return False, None
            return self._number(value, at, name, what)
        if value is None:
            return True, None
        if not isinstance(value, (list, yamlfile.YamlSeq)) or len(value) != 2:
            self.problem(f"{what} must be a [low, high] pair for direction: range (null for an open side)", at, "kpi", name)
            return False, None
        ok_low, low = self._number(value[0], at, name, what)
        ok_high, high = self._number(value[1], at, name, what)
        if not (ok_low and ok_high):
            return False, None
        if low is None and high is None:
            self.problem(f"{what} must bound at least one side", at, "kpi", name)
            return False, None
        if low is not None and high is not None and low > high:
            self.problem(f"{what} is [low, high] but {low:g} > {high:g}", at, "kpi", name)
            return False, None
        return True, Band(low, high)

    def _lines(self, node: yamlfile.YamlMap, at: Location, name: str, direction: str) -> tuple[Any, Thresholds] | None:
        ok = True
        target = None
        if "target" in node:
            ok, target = self._line(node["target"], self._value_at(node, "target", at.file), name, "target", direction)
        warn = critical = None
        th_at = at
        if "thresholds" in node and node["thresholds"] is not None:
            th = node["thresholds"]
            th_at = self._value_at(node, "thresholds", at.file)
            if not self._mapping(th, th_at, "kpi", name, THRESHOLD_KEYS, "thresholds"):
                return None
            if "warn" in th:
                good, warn = self._line(th["warn"], self._value_at(th, "warn", at.file), name, "thresholds.warn", direction)
                ok = ok and good
            if "critical" in th:
                good, critical = self._line(
                    th["critical"], self._value_at(th, "critical", at.file), name, "thresholds.critical", direction
                )
                ok = ok and good
        if not ok:
            return None
        message = _order_problem(direction, target, warn, critical)
        if message:
            self.problem(f"thresholds in the wrong order for direction {direction}: {message}", th_at, "kpi", name)
            return None
        return target, Thresholds(warn=warn, critical=critical)

    def _target_rules(
        self, node: yamlfile.YamlMap, at: Location, name: str, direction: str, sources: Mapping[str, Source], fields: dict
    ) -> tuple[TargetRule, ...] | None:
        raw = node["targets"]
        raw_at = self._value_at(node, "targets", at.file)
        if not isinstance(raw, (list, yamlfile.YamlSeq)) or not raw:
            self.problem("targets must be a list of rules: {by: {dimension: value}, from: DATE, to: DATE, target, thresholds}",
                         raw_at, "kpi", name)
            return None
        known = self._dimensions_of(fields, sources)
        rules, ok = [], True
        for i, entry in enumerate(raw):
            entry_at = _item_at(raw, i, raw_at)
            if not self._mapping(entry, entry_at, "kpi", name, TARGET_RULE_KEYS, f"targets[{i}]"):
                ok = False
                continue
            if not any(k in entry for k in ("by", "from", "to")):
                self.problem(f"targets[{i}]: say which rows it is for with by:, from: or to:", entry_at, "kpi", name)
                ok = False
                continue
            by: dict[str, str] = {}
            if entry.get("by") is not None:
                if not isinstance(entry["by"], yamlfile.YamlMap) or not entry["by"]:
                    self.problem(f"targets[{i}].by must map dimensions to values, e.g. {{channel: email}}", entry_at, "kpi", name)
                    ok = False
                    continue
                for dim, value in entry["by"].items():
                    if not self._text(value, self._value_at(entry["by"], dim, at.file), "kpi", name,
                                      f"targets[{i}].by: the value of {_shown(dim)} must be a single value", single=True):
                        ok = False
                        continue
                    if known is not None and dim not in known:
                        listed = f" (it has: {', '.join(sorted(known))})" if known else ""
                        self.problem(f"targets[{i}].by: no dimension '{_shown(dim)}' in the KPI's sources{did_you_mean(str(dim), known)}{listed}",
                                     self._key_at(entry["by"], dim, at.file), "kpi", name)
                        ok = False
                    by[str(dim)] = str(value)
            bounds = {}
            for key in ("from", "to"):
                if entry.get(key) is not None:
                    bounds[key] = _date_value(entry[key])
                    if bounds[key] is None:
                        self.problem(f"targets[{i}].{key} must be a date (YYYY-MM-DD)", self._value_at(entry, key, at.file), "kpi", name)
                        ok = False
            lines = self._lines(entry, entry_at, name, direction)
            if lines is None:
                ok = False
                continue
            rules.append(TargetRule(entry_at, by, bounds.get("from"), bounds.get("to"), lines[0], lines[1]))
        return tuple(rules) if ok else None

    @staticmethod
    def _dimensions_of(fields: dict, sources: Mapping[str, Source]) -> set[str] | None:
        """Dimension names every source of the KPI declares; ``None`` when unknown (a formula, a broken source)."""
        names = [m.source for m in (fields.get("numerator"), fields.get("denominator")) if m is not None]
        if fields.get("metric") is not None:
            names.append(fields["metric"].source)
        if not names or any(n not in sources for n in names):
            return None
        return set.intersection(*({d.name for d in sources[n].dimensions} for n in names))

    def _check_formulas(self, kpis: dict[str, Kpi], raw_kpis: Mapping[str, Any]) -> None:
        for kpi in kpis.values():
            for ref in kpi.depends_on:
                if ref not in raw_kpis:
                    self.problem(f"formula: unknown kpi '{ref}'{did_you_mean(ref, raw_kpis)}", kpi.location, "kpi", kpi.name)
                elif ref in kpis and kpis[ref].lists:
                    self.problem(
                        f"formula: kpi '{ref}' is a ranked list (several rows per period), so it cannot be combined",
                        kpi.location, "kpi", kpi.name,
                    )
        reported: set[str] = set()
        for start in kpis:
            path = _find_cycle(start, kpis)
            if path and not reported.intersection(path):
                reported.update(path)
                self.problem(f"formula cycle: {' -> '.join(path)}", kpis[start].location, "kpi", start)

    # -- dashboards ---------------------------------------------------------------------

    def _dashboard(self, name: str, node: Any, at: Location, raw_kpis: Mapping[str, Any]) -> Dashboard | None:
        if not self._mapping(node, at, "dashboard", name, DASHBOARD_KEYS, "a dashboard"):
            return None
        if "kpis" not in node:
            self.problem("missing field 'kpis'", at, "dashboard", name)
            return None
        names = node["kpis"]
        names_at = self._value_at(node, "kpis", at.file)
        if not isinstance(names, (list, yamlfile.YamlSeq)) or not names:
            self.problem("kpis must be a non-empty list of kpi names", names_at, "dashboard", name)
            return None
        ok = True
        for i, kpi in enumerate(names):
            kpi_at = _item_at(names, i, names_at)
            if not self._text(kpi, kpi_at, "dashboard", name, "kpis must list kpi names"):
                ok = False
            elif kpi not in raw_kpis:
                self.problem(f"unknown kpi '{_shown(kpi)}'{did_you_mean(kpi, raw_kpis)}", kpi_at, "dashboard", name)
                ok = False
        for key in ("title", "description"):
            if node.get(key) is not None and not self._text(node[key], self._value_at(node, key, at.file), "dashboard", name, f"{key} must be text"):
                ok = False
        if not ok:
            return None
        return Dashboard(
            name=name, location=at, title=str(node.get("title") or ""),
            description=str(node.get("description") or ""), kpis=tuple(str(k) for k in names),
        )


def _folder_of(path: Path) -> Path:
    """A definition pack's folder, resolved: its ``path``, or the folder of its one file."""
    return Path(os.path.realpath(path if path.is_dir() else path.parent))


def _item_at(sequence: Any, index: int, fallback: Location) -> Location:
    """Where item ``index`` of a YAML list was written; ``fallback`` when the reader kept no mark."""
    try:
        line, col = sequence.lc.item(index)
    except (AttributeError, KeyError, IndexError, TypeError):
        return fallback
    return Location(fallback.file, line + 1, col + 1)


def _date_value(value: Any):
    """A YAML date (or ISO text) as a ``date``; ``None`` when it is not one."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _find_cycle(start: str, kpis: Mapping[str, Kpi]) -> list[str] | None:
    """The first formula cycle through ``start``, as ``[start, ..., start]``, if any."""
    stack = [(start, [start])]
    while stack:
        name, path = stack.pop()
        kpi = kpis.get(name)
        if kpi is None:
            continue
        for ref in kpi.depends_on:
            if ref == start:
                return [*path, ref]
            if ref not in path:
                stack.append((ref, [*path, ref]))
    return None


def _order_problem(direction: str, target: Any, warn: Any, critical: Any) -> str | None:
    """Why the lines are out of order for ``direction``, or ``None``."""
    if direction == "range":
        named = [(n, b) for n, b in (("critical", critical), ("warn", warn), ("target", target)) if b is not None]
        for (outer_name, outer), (inner_name, inner) in zip(named, named[1:]):
            low_ok = outer.low is None or (inner.low is not None and inner.low >= outer.low)
            high_ok = outer.high is None or (inner.high is not None and inner.high <= outer.high)
            if not (low_ok and high_ok):
                return f"the {inner_name} band {inner} must lie inside the {outer_name} band {outer}"
        return None
    named = [(n, v) for n, v in (("critical", critical), ("warn", warn), ("target", target)) if v is not None]
    sign = "<=" if direction == "higher" else ">="
    for (a_name, a), (b_name, b) in zip(named, named[1:]):
        if (direction == "higher" and a > b) or (direction == "lower" and a < b):
            return f"{a_name} ({a:g}) must be {sign} {b_name} ({b:g})"
    return None
