"""The base rules: DuckDB's SQL as sqlglot renders it, for DuckDB and any engine without rules of its own.

Time formats (``time: {column, format}``, :mod:`kpi_engine.timeformats`) are converted to
the UTC time without a zone here: ``TO_TIMESTAMP(s) AT TIME ZONE 'UTC'`` (DuckDB's
TO_TIMESTAMP is a TIMESTAMPTZ, which ``date_trunc`` would bucket in the session's time
zone, the machine's), ``EPOCH_MS(CAST(ms AS BIGINT))`` and, for ISO text,
``CAST(... AS TIMESTAMP)`` or, with an offset, ``CAST(... AS TIMESTAMPTZ) AT TIME ZONE
'UTC'`` (executed in tests/test_time_formats.py; sqlglot's ``UnixToTime`` alone is right
for none of the executed engines: SQLite gets ``UNIX_TO_TIME()``, MySQL and PostgreSQL a
value in the session's time zone).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from ..periods import as_datetime

from .timeparts import portable_times

DATE = exp.DataType.build("date")
TIMESTAMP = exp.DataType.build("timestamp")
TIMESTAMPTZ = exp.DataType.build("timestamptz")
BIGINT = exp.DataType.build("bigint")
# grain -> (unit, size): only DAY and MONTH additions, which every engine sqlglot targets has.
_SHIFT = {"day": ("DAY", 1), "week": ("DAY", 7), "month": ("MONTH", 1), "quarter": ("MONTH", 3), "year": ("MONTH", 12)}




#: ISO 8601 as ``format: iso`` reads it: a date, optionally a time (T or space, minutes,
#: seconds, any fraction) and then an offset (Z, +HH:MM, +HHMM, +HH). Written without
#: backslashes, which engines' string literals treat differently.
ISO_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"


def has_offset(text: exp.Expression) -> exp.Expression:
    """Whether ISO 8601 ``text`` ends in an offset: ``Z`` (either case), or a ``+`` or ``-``
    after the date (``YYYY-MM-DD`` is 10 characters; the time after it holds neither)."""
    after_date = exp.Substring(this=text.copy(), start=exp.Literal.number(11))
    return exp.or_(
        exp.In(this=exp.Right(this=text.copy(), expression=exp.Literal.number(1)),
               expressions=[exp.Literal.string("Z"), exp.Literal.string("z")]),
        exp.Like(this=after_date, expression=exp.Literal.string("%+%")),
        exp.Like(this=after_date.copy(), expression=exp.Literal.string("%-%")),
        copy=False,
    )


class Rules:
    """Dialect-sensitive builders; subclass per engine family and override what differs.

    Every method returns a new sqlglot tree and never mutates its arguments.
    """

    #: sqlglot dialect names these rules serve.
    names: tuple[str, ...] = ()
    #: Compile with the one-reference assembly (:mod:`kpi_engine.wide`): every scan CTE
    #: read once, where the per-KPI assembly reads a scan once per KPI reading it. Needed
    #: where the engine may evaluate a CTE at each reference (Spark, BigQuery, Trino,
    #: MariaDB), so True unless an engine's rules say False; only an engine known to
    #: compute a CTE read several times once may (PostgreSQL, SQLite, Snowflake). DuckDB
    #: is one too, but keeps True: its memory peak is lower with the wide row. Both
    #: assemblies give the same rows.
    wide_assembly: bool = True
    #: The engine has ``UNION ALL BY NAME``: the wide assembly stacks its members with it
    #: instead of padding each with NULL columns (a smaller statement, quicker to build).
    union_by_name: bool = False
    #: Engine functions the rules call by name (sqlglot knows them only as
    #: :class:`~sqlglot.exp.Anonymous`): the only such calls a statement may hold
    #: (:func:`~kpi_engine.allowlist.check_statement`).
    functions: frozenset[str] = frozenset()
    #: Date parts and units the rules spell beyond :data:`~kpi_engine.allowlist.STATEMENT_KEYWORDS`.
    keywords: frozenset[str] = frozenset()
    #: The engine gives every column of a result one type, so the time check reads a time
    #: column's type from a query over no rows (:mod:`kpi_engine.timeformats`). False where
    #: each value has a type of its own (SQLite): the check reads the smallest and the largest.
    typed_columns: bool = True
    #: ``format: iso`` reads text that is no time as NULL here (MySQL's CAST, SQLite's
    #: strftime) where other engines fail the statement: the time check counts such values.
    lenient_text: bool = False

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        """The first day, as a DATE, of the ``grain`` bucket holding ``time``; weeks start on Monday."""
        return exp.Cast(this=exp.DateTrunc(this=time.copy(), unit=exp.var(grain.upper())), to=DATE.copy())

    def time_from(self, time: exp.Expression, time_format: str | None) -> exp.Expression:
        """The time a source's ``time`` column holds in ``time_format`` (see
        :data:`~kpi_engine.model.TIME_FORMATS`; None: ``time`` itself), as a timestamp without
        time zone holding the UTC time (then read like any stored time: as it is, or in the
        source's ``timezone:``)."""
        if time_format is None:
            return time.copy()
        if time_format == "epoch_s":
            return self.from_epoch(time, 0)
        if time_format == "epoch_ms":
            return self.from_epoch(time, 3)
        if time_format == "iso":
            return self.from_iso(time)
        raise ValueError(f"unknown time format '{time_format}'")

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        """``value`` seconds (``scale`` 0) or milliseconds (3) after 1970-01-01 00:00:00 UTC.

        Here DuckDB's: ``TO_TIMESTAMP(s) AT TIME ZONE 'UTC'`` (TO_TIMESTAMP is a TIMESTAMPTZ,
        bucketed in the session's time zone; at UTC it is a plain TIMESTAMP) and the exact
        ``EPOCH_MS(CAST(ms AS BIGINT))``, a plain TIMESTAMP.
        """
        if scale == 3:
            return exp.UnixToTime(this=exp.Cast(this=value.copy(), to=BIGINT.copy()), scale=exp.Literal.number(3))
        return exp.AtTimeZone(this=exp.UnixToTime(this=value.copy()), zone=exp.Literal.string("UTC"))

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        """ISO 8601 text (``2024-01-15``, ``2024-01-15T10:30:00.5``, ``...Z``, ``...+02:00``):
        with an offset, the UTC time of that instant; without, the time as written.

        Here DuckDB's and PostgreSQL's: ``CAST(x AS TIMESTAMP)`` would drop an offset
        silently, and ``CAST(x AS TIMESTAMPTZ)`` reads text without one in the session's
        time zone, so text with an offset (:func:`has_offset`) takes the second, at UTC,
        and the rest the first. Text that is no time fails the statement.
        """
        instant = exp.AtTimeZone(this=exp.Cast(this=text.copy(), to=TIMESTAMPTZ.copy()), zone=exp.Literal.string("UTC"))
        return exp.Case(ifs=[exp.If(this=has_offset(text), true=instant)],
                        default=exp.Cast(this=text.copy(), to=TIMESTAMP.copy()))

    def iso_shape(self, text: exp.Expression) -> exp.Expression:
        """Whether ``text`` has the form ``format: iso`` reads (:data:`ISO_PATTERN`): what the
        time check counts, so that no engine's own reading of other forms (PostgreSQL's
        ``05/01/2024``, a trailing ``PST`` dropped) goes unnoticed."""
        return exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(ISO_PATTERN))

    def timestamp_literal(self, value: date | datetime) -> exp.Expression:
        """A period bound comparable with a DATE or TIMESTAMP time column."""
        return exp.Cast(this=exp.Literal.string(as_datetime(value).isoformat(sep=" ")), to=TIMESTAMP.copy())

    def shift_bucket(self, bucket: exp.Expression, grain: str, periods: int) -> exp.Expression:
        """The DATE ``periods`` grains after the bucket start ``bucket`` (weeks as 7 days, quarters as 3 months)."""
        unit, step = _SHIFT[grain]
        moved = exp.DateAdd(this=bucket.copy(), expression=exp.Literal.number(step * periods), unit=exp.var(unit))
        return exp.Cast(this=moved, to=DATE.copy())

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        """``part`` (one of :data:`~kpi_engine.dialects.timeparts.PARTS`) of ``time``, as DuckDB computes it.

        An integer, except ``epoch`` (DOUBLE seconds). Here DuckDB's own ``EXTRACT``.
        """
        return exp.Extract(this=exp.var(part.upper()), expression=time.copy())

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        """The ``unit`` boundaries from ``start`` to ``end`` (see :mod:`~kpi_engine.dialects.timeparts`).

        Here DuckDB's own ``DATE_DIFF``.
        """
        return exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var(unit.upper()))

    def local_time(self, time: exp.Expression, zone: str, start=None, end=None) -> exp.Expression:
        """The UTC time ``time`` as local time in the IANA ``zone`` (``start``/``end``: the
        request's bounds, for rules that build an offset table)."""
        utc = exp.AtTimeZone(this=time.copy(), zone=exp.Literal.string("UTC"))
        return exp.AtTimeZone(this=utc, zone=exp.Literal.string(zone))

    def offset_case(self, time: exp.Expression, zone: str, start, end, value) -> exp.Expression:
        """``CASE WHEN time < change1 THEN value(offset0) ... ELSE value(offsetN) END`` over the
        zone's UTC offset changes (seconds): for engines without time-zone support."""
        from ..timezones import offsets_between

        low = as_datetime(start) if start is not None else None
        high = as_datetime(end) if end is not None else None
        first, changes = offsets_between(zone, low, high)
        if not changes:
            return value(first)
        ifs, offset = [], first
        for moment, following in changes:
            ifs.append(exp.If(this=exp.LT(this=time.copy(), expression=self.timestamp_literal(moment)), true=value(offset)))
            offset = following
        return exp.Case(ifs=ifs, default=value(offset))

    def finalize(self, statement: exp.Expression) -> exp.Expression:
        """A rewritten copy of a whole statement: :meth:`portable`, then :meth:`rewrite`;
        ``statement`` is unchanged."""
        return self.rewrite(self.portable(statement.copy()))

    def portable(self, tree: exp.Expression) -> exp.Expression:
        """``tree`` with every date part and date difference built by :meth:`date_part` and
        :meth:`date_diff`, rewritten in place (the caller owns it).

        The compiler applies it to each definition tree as it enters the statement, which
        is cheaper than walking the whole statement.
        """
        return portable_times(tree, self)

    def rewrite(self, statement: exp.Expression) -> exp.Expression:
        """The last rewrite of a whole statement the caller owns, in place where it can be;
        here none. Subclasses override it and call it first."""
        return statement
