"""``mysql://``: one PyMySQL connection to a MySQL or MariaDB server, read-only, bounded.

URL: ``mysql://user:password@host:port/database?option=value`` (also ``mariadb://`` and
SQLAlchemy's ``mysql+pymysql://``); user, password and database are percent-decoded.
Options (:data:`OPTIONS`): ``connect_timeout`` (seconds, default 10), ``unix_socket``,
``ssl_ca``, ``ssl_cert``, ``ssl_key``, ``ssl_verify_cert``, ``ssl_verify_identity``,
``ssl_disabled``. Anything else is refused, so a typo is not silently ignored.

Every session is set up the same way:

- ``SET SESSION TRANSACTION READ ONLY`` with autocommit: each statement is a read-only
  transaction, so INSERT, UPDATE, DELETE and CREATE/DROP TABLE are refused by the server
  (error 1792). Use a user with SELECT privileges only as well: that is the real guard.
  PyMySQL's defaults are kept where they are the safe side: no multi-statements, no
  ``LOAD DATA LOCAL INFILE``.
- the timeout (:attr:`kpi_engine.ConnectOptions.timeout`) per statement, by flavour:
  MariaDB ``max_statement_time`` in seconds (any statement), MySQL
  ``max_execution_time`` in milliseconds (SELECT only, which is all this runs). The
  socket's read timeout is that plus :data:`READ_TIMEOUT_GRACE`, a backstop for a
  server that does not cancel. Either way the error is :class:`kpi_engine.QueryTimeout`.
- ``utf8mb4`` on the wire, and ``NO_BACKSLASH_ESCAPES`` dropped from the session's
  ``sql_mode``: sqlglot writes ``'it''s \\\\ odd'`` for the text ``it's \\ odd``, which
  only means that text while backslash escapes are on.

Results come back through a plain (buffered) cursor, as the statement only returns
aggregated rows, and are turned into Arrow column by column from ``cursor.description``
(:func:`to_arrow`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pyarrow as pa
from kpi_engine import ConnectOptions, ExecutionError, QueryTimeout, warn_privileged, cancel_on_interrupt

SCHEMES = ("mysql", "mariadb", "mysql+pymysql")
DEFAULT_PORT = 3306
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Seconds the socket waits beyond the statement timeout before giving up on the server.
READ_TIMEOUT_GRACE = 10.0
#: sql_mode flags the SQL sqlglot writes for MySQL cannot run under.
UNSAFE_SQL_MODES = frozenset({"NO_BACKSLASH_ESCAPES"})

# Server error codes with a message of their own.
TIMEOUT_ERRORS = frozenset({1969, 3024, 1317})  # MariaDB max_statement_time, MySQL max_execution_time, interrupted
READ_ONLY_ERROR = 1792
LOST_CONNECTION_ERRORS = frozenset({2006, 2013})
#: Seconds the second connection that stops an interrupted statement waits to connect.
KILL_CONNECT_TIMEOUT = 5.0


#: Global privileges that reach beyond reading tables: server files, server settings.
POWERFUL = ("FILE", "SUPER")
_GLOBAL_GRANT = re.compile(r"^GRANT (.+?) ON \*\.\* TO ", re.IGNORECASE)


def global_powers(grants: Sequence[str]) -> list[str]:
    """Which of :data:`POWERFUL` the ``SHOW GRANTS`` lines give on ``*.*`` (``ALL PRIVILEGES`` gives both)."""
    found: set[str] = set()
    for grant in grants:
        match = _GLOBAL_GRANT.match(grant)
        if match is None:
            continue
        privileges = {p.strip().upper() for p in match.group(1).split(",")}
        found.update(POWERFUL if "ALL PRIVILEGES" in privileges or "ALL" in privileges else privileges & set(POWERFUL))
    return sorted(found)


def _positive_seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value <= 31536000):
        raise ExecutionError(f"option {name} in the mysql URL must be a number of seconds > 0, got '{text}'")
    return value


def _flag(name: str, text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ExecutionError(f"option {name} in the mysql URL must be true or false, got '{text}'")


def _text(name: str, text: str) -> str:
    return text


#: URL query options, each passed to ``pymysql.connect`` under its own name.
OPTIONS = {
    "connect_timeout": _positive_seconds,
    "unix_socket": _text,
    "ssl_ca": _text,
    "ssl_cert": _text,
    "ssl_key": _text,
    "ssl_verify_cert": _flag,
    "ssl_verify_identity": _flag,
    "ssl_disabled": _flag,
}


def connect_arguments(url: str) -> dict[str, Any]:
    """``pymysql.connect`` keyword arguments for ``url``; messages never quote the URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ExecutionError(f"malformed mysql URL: {error}") from None
    if parts.scheme not in SCHEMES:
        raise ExecutionError(f"not a mysql URL (scheme '{parts.scheme}'; expected one of {', '.join(SCHEMES)})")
    database = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
    if "/" in database:
        raise ExecutionError("the path of a mysql URL is one database name: mysql://user@host:3306/database")
    arguments: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": port or DEFAULT_PORT,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password is not None else "",
        "database": database or None,
        "connect_timeout": DEFAULT_CONNECT_TIMEOUT,
    }
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in OPTIONS:
            known = ", ".join(OPTIONS)
            raise ExecutionError(f"unknown option '{name}' in the mysql URL (known: {known})")
        arguments[name] = OPTIONS[name](name, value)
    return arguments


class MySQLAdapter:
    """One read-only connection to a MySQL or MariaDB server (see the module docstring)."""

    dialect = "mysql"

    def __init__(self, url: str, options: ConnectOptions):
        import pymysql  # imported when a connection is opened, not when plugins are listed

        self._pymysql = pymysql
        self.con = None
        self.timeout = options.timeout
        arguments = connect_arguments(url)
        password = arguments["password"]
        # Never let the password reach a message, even if a driver or server echoed it.
        self._secrets = tuple(s for s in {password, quote(password, safe="")} if s)
        self.flavour = "MySQL/MariaDB"
        if self.timeout:
            arguments["read_timeout"] = self.timeout + READ_TIMEOUT_GRACE
        try:
            self.con = pymysql.connect(
                **arguments,
                charset="utf8mb4",
                autocommit=True,
                local_infile=False,
                client_flag=0,  # in particular no MULTI_STATEMENTS: one statement per execute
                cursorclass=pymysql.cursors.Cursor,
                program_name="kpi-engine",
            )
        except pymysql.Error as error:
            raise ExecutionError(f"cannot connect: {self._describe(error)}") from None
        except (OSError, ValueError) as error:  # e.g. an unreadable ssl_ca file
            raise ExecutionError(f"cannot connect: {self._scrub(_first_line(error))}") from None
        self.flavour = "MariaDB" if "mariadb" in self.con.get_server_info().lower() else "MySQL"
        self._arguments = arguments
        self._thread_id = self.con.thread_id()
        try:
            self._prepare_session()
        except pymysql.Error as error:
            self.close()
            raise ExecutionError(f"cannot prepare the session: {self._describe(error)}") from None
        self._warn_if_privileged()

    def _warn_if_privileged(self) -> None:
        """Say once (kpi_engine.warn_privileged) when the user holds FILE or SUPER: a
        read-only transaction does not stop LOAD_FILE() or changing server settings."""
        try:
            with self.con.cursor() as cursor:
                cursor.execute("SELECT CURRENT_USER()")
                (user,) = cursor.fetchone()
                cursor.execute("SHOW GRANTS FOR CURRENT_USER()")
                grants = [row[0] for row in cursor.fetchall()]
        except self._pymysql.Error:
            return  # not allowed to see its own grants: nothing to say
        warn_privileged(self.flavour, str(user), global_powers(grants))

    def _prepare_session(self) -> None:
        with self.con.cursor() as cursor:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            cursor.execute("SELECT @@SESSION.sql_mode")
            (mode,) = cursor.fetchone()
            flags = [f for f in (mode or "").split(",") if f]
            kept = [f for f in flags if f.upper() not in UNSAFE_SQL_MODES]
            if kept != flags:
                cursor.execute("SET SESSION sql_mode = %s", (",".join(kept),))
            if self.timeout:
                if self.flavour == "MariaDB":
                    cursor.execute("SET SESSION max_statement_time = %s", (float(self.timeout),))
                else:
                    cursor.execute("SET SESSION max_execution_time = %s", (max(1, math.ceil(self.timeout * 1000)),))

    def execute(self, sql: str) -> pa.Table:
        """Run one SELECT and return its whole result as Arrow."""
        if self.con is None:
            raise ExecutionError("the mysql connection is closed")
        try:
            with self.con.cursor() as cursor, cancel_on_interrupt(self._kill_query):
                cursor.execute(sql)  # no arguments: PyMySQL leaves % in the text alone
                description = cursor.description
                rows = cursor.fetchall()
        except self._pymysql.Error as error:
            code = _code(error)
            if code in LOST_CONNECTION_ERRORS:
                self.close()
            timed_out = self.timeout and (code in TIMEOUT_ERRORS or code == 2013)
            # QueryTimeout: the engine does not retry KPI by KPI what would only time out again.
            raise (QueryTimeout if timed_out else ExecutionError)(self._describe(error)) from None
        return to_arrow(description, rows)

    def _kill_query(self) -> None:
        """Stop this session's statement on the server (Ctrl-C under ``kpi``): from a second
        connection, as the protocol has no cancel and a closed socket leaves it running."""
        arguments = {**self._arguments, "connect_timeout": min(self._arguments["connect_timeout"], KILL_CONNECT_TIMEOUT)}
        arguments.pop("read_timeout", None)
        killer = self._pymysql.connect(**arguments, autocommit=True, program_name="kpi-engine")
        try:
            with killer.cursor() as cursor:
                cursor.execute("KILL QUERY %s", (int(self._thread_id),))
        finally:
            killer.close()

    def close(self) -> None:
        """Release the connection; safe to call more than once."""
        con, self.con = getattr(self, "con", None), None
        if con is not None:
            try:
                con.close()
            except self._pymysql.Error:
                pass  # already closed by the server or the driver

    # -- messages -------------------------------------------------------------------------

    def _describe(self, error: BaseException) -> str:
        code = _code(error)
        text = _server_text(error)
        if code in TIMEOUT_ERRORS and self.timeout:
            return f"query cancelled after the {self.timeout:g} s timeout ({self.flavour} error {code})"
        if code == 2013 and self.timeout:
            return (
                f"no answer from the server within {self.timeout + READ_TIMEOUT_GRACE:g} s; "
                f"connection dropped ({self.flavour} error {code})"
            )
        message = f"{self.flavour} error {code}: {text}" if code else text
        if code == READ_ONLY_ERROR:
            message += " (kpi-engine sessions are read-only)"
        return self._scrub(message)

    def _scrub(self, message: str) -> str:
        for secret in self._secrets:
            message = message.replace(secret, "***")
        return message


def _code(error: BaseException) -> int | None:
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _server_text(error: BaseException) -> str:
    args = getattr(error, "args", ())
    if len(args) >= 2 and isinstance(args[1], str):
        return _first_line(args[1])
    return _first_line(error)


def _first_line(error: BaseException | str) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


# -- results as Arrow ---------------------------------------------------------------------

# MySQL protocol column types (pymysql.constants.FIELD_TYPE), spelled out so this module
# imports without PyMySQL.
_DECIMAL, _NEWDECIMAL = 0, 246
_INTEGERS = frozenset({1, 2, 3, 8, 9, 13})  # TINY, SHORT, LONG, LONGLONG, INT24, YEAR
_FLOATS = frozenset({4, 5})  # FLOAT, DOUBLE
_NULL = 6
_DATETIMES = frozenset({7, 12})  # TIMESTAMP, DATETIME
_DATES = frozenset({10, 14})  # DATE, NEWDATE
_TIME = 11
_BIT = 16


def _integers(values: Sequence[Any]) -> pa.Array:
    try:
        return pa.array(values, pa.int64())
    except (OverflowError, pa.ArrowInvalid):
        return pa.array(values, pa.uint64())  # BIGINT UNSIGNED above 2**63 - 1


def _only(kind: type, values: Sequence[Any]) -> list[Any]:
    # PyMySQL hands back the raw text for values it cannot convert, such as the zero
    # date '0000-00-00': no date, so null.
    return [v if isinstance(v, kind) else None for v in values]


def _array(type_code: int, values: Sequence[Any]) -> pa.Array:
    if type_code == _NULL:
        return pa.nulls(len(values))
    if type_code in _INTEGERS:
        return _integers(values)
    if type_code in _FLOATS:
        return pa.array(values, pa.float64())
    if type_code in (_DECIMAL, _NEWDECIMAL):
        # DECIMAL as float64: KPI values are divided and compared as floats anyway (the
        # compiler casts numerator, denominator and value to DOUBLE in SQL); a DECIMAL
        # reaching here is a dimension or a plugin's extra column.
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if type_code in _DATETIMES:
        return pa.array(_only(datetime, values), pa.timestamp("us"))
    if type_code in _DATES:
        return pa.array([v.date() if isinstance(v, datetime) else v for v in _only(date, values)], pa.date32())
    if type_code == _TIME:
        return pa.array(_only(timedelta, values), pa.duration("us"))
    if type_code == _BIT:
        return _integers([None if v is None else int.from_bytes(v, "big") for v in values])
    if any(isinstance(v, (bytes, bytearray)) for v in values):  # BLOB, BINARY, GEOMETRY
        return pa.array([v.encode() if isinstance(v, str) else v for v in values], pa.binary())
    return pa.array([None if v is None else str(v) for v in values], pa.string())  # CHAR, TEXT, ENUM, SET, JSON


def to_arrow(description: Sequence[Sequence[Any]] | None, rows: Sequence[Sequence[Any]]) -> pa.Table:
    """A :class:`pyarrow.Table` from a DB-API ``description`` and its rows, built column-wise.

    Types follow the MySQL column type of each result column, whatever the values:
    integers int64 (uint64 past its range), FLOAT/DOUBLE and DECIMAL float64, DATE
    date32, DATETIME/TIMESTAMP timestamp[us] (naive, in the session time zone), TIME
    duration[us], BIT int64, text string, binary data binary, and a column of the NULL
    type (``SELECT NULL``) null.
    """
    if not description:
        return pa.table({})
    columns = list(zip(*rows)) if rows else [()] * len(description)
    arrays = [_array(d[1], values) for d, values in zip(description, columns)]
    return pa.Table.from_arrays(arrays, names=[d[0] for d in description])
