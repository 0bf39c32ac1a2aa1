"""``postgresql://`` and ``postgres://``: one read-only PostgreSQL connection through ADBC.

The URL is a libpq connection URI, handed to libpq after three additions (see
:func:`connection_uri`):

- ``options`` gains ``-c default_transaction_read_only=on`` and, with a timeout,
  ``-c statement_timeout=<ms>``, after whatever ``options`` the URL (or ``PGOPTIONS``)
  already carries, so the adapter's settings win over the user's;
- ``connect_timeout=10`` unless the URL or ``PGCONNECT_TIMEOUT`` sets one, so an address
  that drops packets fails in seconds instead of hanging;
- ``fallback_application_name=kpi-engine``, so DBAs see who runs the queries.

Queries are fetched Arrow-native: the ADBC driver runs ``COPY (query) TO STDOUT (FORMAT
binary)`` and decodes the stream in C++ into a :class:`pyarrow.Table`, with no Python
object per row. Each :meth:`PostgresAdapter.execute` runs in its own transaction, which
is rolled back afterwards, whether the query failed or not: no transaction stays open
between queries, and an error never leaves the connection unusable.

Every failure is raised as :class:`kpi_engine.ExecutionError` (a cancelled statement as
its subclass :class:`kpi_engine.QueryTimeout`) with one line of text from
the server (or libpq), with the password (from the URL's user info, a ``password=``
parameter or ``PGPASSWORD``) replaced by ``***`` wherever it appears: libpq echoes the
whole URI in some parse errors.
"""

from __future__ import annotations

import math
import os
import re
import threading
from urllib.parse import quote, unquote, urlsplit

import pyarrow as pa
import pyarrow.compute as pc
from kpi_engine import ConnectOptions, ExecutionError, QueryTimeout, warn_privileged, cancel_on_interrupt

SCHEMES = ("postgresql", "postgres")
READ_ONLY_OPTION = "-c default_transaction_read_only=on"
CONNECT_TIMEOUT = 10  # seconds, when neither the URL nor PGCONNECT_TIMEOUT sets one
APPLICATION_NAME = "kpi-engine"

#: Predefined roles whose members can act on the server beyond reading tables.
PRIVILEGED_ROLES = ("pg_write_server_files", "pg_execute_server_program", "pg_read_server_files", "pg_signal_backend")
PRIVILEGES_QUERY = (
    "SELECT current_user::text, r.rolsuper, ARRAY(SELECT p.rolname::text FROM pg_roles p WHERE p.rolname = ANY(ARRAY["
    + ", ".join(f"'{name}'" for name in PRIVILEGED_ROLES)  # fixed names above, no user text
    + "]) AND pg_has_role(current_user, p.oid, 'MEMBER') ORDER BY 1) FROM pg_roles r WHERE r.rolname = current_user"
)

QUERY_CANCELED = "57014"  # SQLSTATE query_canceled: statement_timeout (or a cancel request)
USER_CANCEL = b"canceling statement due to user request"  # the server's text for a cancel request


def _split_query(query: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` as raw (still percent-encoded) pairs, in order.

    Not :func:`urllib.parse.parse_qsl`: it turns ``+`` into a space, which libpq does
    not, so re-encoding its output would change a password such as ``a+b``.
    """
    pairs = []
    for piece in query.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((key, value))
    return pairs


def _param(pairs: list[tuple[str, str]], name: str) -> list[str]:
    return [unquote(value) for key, value in pairs if unquote(key) == name]


def connection_uri(url: str, timeout: float | None = None) -> str:
    """The libpq URI the adapter connects with: ``url`` plus the read-only and timeout
    settings (see the module docstring). Raises :class:`ExecutionError` (without
    repeating the URL) when ``url`` is not a ``postgresql://``/``postgres://`` URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ExecutionError("malformed PostgreSQL URL (check the host part and any [ ] brackets)") from None
    if parts.scheme not in SCHEMES:
        raise ExecutionError(f"not a PostgreSQL URL: the scheme must be postgresql:// or postgres://, not {parts.scheme}://")
    pairs = _split_query(parts.query)
    if parts.fragment or "@" in parts.path or any("@" in unquote(key) for key, _ in pairs):
        # A '/', '?' or '#' in the password ends the host part early: libpq would then
        # read (and echo in its error) a piece of the password as a port or parameter.
        raise ExecutionError(
            "malformed PostgreSQL URL: percent-encode '/', '?', '#' and '@' in the user name and password"
            " (%2F, %3F, %23, %40)"
        )
    existing = _param(pairs, "options")
    # libpq ignores PGOPTIONS when the URI has options=, so carry PGOPTIONS over.
    ours = [*(existing or [os.environ.get("PGOPTIONS", "")]), READ_ONLY_OPTION]
    if timeout:
        ours.append(f"-c statement_timeout={max(1, math.ceil(timeout * 1000))}")
    options = " ".join(o.strip() for o in ours if o.strip())
    rebuilt = [(k, v) for k, v in pairs if unquote(k) != "options"]
    rebuilt.append(("options", quote(options, safe="")))
    if not _param(pairs, "connect_timeout") and not os.environ.get("PGCONNECT_TIMEOUT"):
        rebuilt.append(("connect_timeout", str(CONNECT_TIMEOUT)))
    if not _param(pairs, "fallback_application_name"):
        rebuilt.append(("fallback_application_name", APPLICATION_NAME))
    query = "&".join(f"{k}={v}" for k, v in rebuilt)
    # Reassembled by hand: urlunsplit would drop the empty authority of postgresql:///db.
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}"


def secrets_in(url: str) -> tuple[str, ...]:
    """Every spelling of a password ``url`` (or the environment) gives libpq, longest first."""
    found: set[str] = set()
    netloc = url.split("://", 1)[1].split("/", 1)[0] if "://" in url else ""
    userinfo = netloc.rpartition("@")[0]
    if ":" in userinfo:
        found.add(userinfo.split(":", 1)[1])
    query = url.split("?", 1)[1] if "?" in url else ""
    found.update(value for key, value in _split_query(query.split("#", 1)[0]) if unquote(key) == "password")
    if os.environ.get("PGPASSWORD"):
        found.add(os.environ["PGPASSWORD"])
    spellings = found | {unquote(s) for s in found} | {quote(unquote(s), safe="") for s in found}
    return tuple(sorted((s for s in spellings if s), key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


_PREFIXES = re.compile(
    r"^(?:[A-Z_]+: )?(?:\[libpq\] )?(?:Failed to connect: |Failed to execute query: |could not begin COPY: )*"
    r"(?:ERROR: |FATAL: )?"
)


def one_line(error: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """The server's primary message, else the first line of the driver's, redacted.

    ADBC errors read ``IO: [libpq] Failed to connect: connection to server at ... failed:
    FATAL:  database "x" does not exist`` followed by hints and the query; the first
    line without the driver's prefixes is what a user needs.
    """
    details = dict(getattr(error, "details", None) or ())
    primary = details.get(b"PG_DIAG_MESSAGE_PRIMARY")
    if primary:
        text = primary.decode("utf-8", "replace")
    else:
        lines = [line for line in str(error).splitlines() if line.strip()]
        text = lines[0] if lines else type(error).__name__
        text = re.sub(r"\s+", " ", text).strip()
        text = _PREFIXES.sub("", text)
        text = re.sub(r"\.? SQLSTATE: \w+$", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate:
        text = f"{text} (SQLSTATE {sqlstate})"
    return redact(text, secrets)


class PostgresAdapter:
    """One read-only PostgreSQL connection (see the module docstring)."""

    dialect = "postgres"

    def __init__(self, url: str, options: ConnectOptions):
        from adbc_driver_postgresql import dbapi  # heavy: imported when a connection opens

        self._dbapi = dbapi
        self._con = None
        self.timeout = options.timeout
        self._secrets = secrets_in(url)
        uri = connection_uri(url, options.timeout)
        try:
            self._con = dbapi.connect(uri, autocommit=False)
        except Exception as error:  # any driver failure, so no message escapes unredacted
            raise ExecutionError(f"cannot connect: {one_line(error, self._secrets)}") from None
        self._warn_if_privileged()

    def _warn_if_privileged(self) -> None:
        """Say once (kpi_engine.warn_privileged) when the role can do more than read: a
        read-only session does not stop a superuser's or a privileged role's functions."""
        try:
            with self._con.cursor() as cursor:
                cursor.execute(PRIVILEGES_QUERY)
                role, superuser, members = cursor.fetchone()
        except self._dbapi.Error:
            return  # a server that hides pg_roles: nothing to say, the query itself will tell
        finally:
            self._end_transaction(self._con)
        warn_privileged("PostgreSQL", role, ["superuser"] if superuser else list(members or []))  # a superuser is all of them

    def execute(self, sql: str) -> pa.Table:
        """Run one SELECT in its own read-only transaction; its whole result as Arrow."""
        con = self._con
        if con is None:
            raise ExecutionError("the PostgreSQL connection is closed")
        try:
            # SIGTERM under `kpi` sends a cancel request; Ctrl-C is ADBC's own (see _interrupted).
            with con.cursor() as cursor, cancel_on_interrupt(cursor.adbc_cancel):
                cursor.execute(sql)
                table = cursor.fetch_arrow_table()
        except self._dbapi.Error as error:
            if _interrupted(error):
                raise KeyboardInterrupt from None
            raise self._query_failure(error) from None
        finally:
            self._end_transaction(con)
        return plain_types(table)

    def _query_failure(self, error: BaseException) -> ExecutionError:
        if getattr(error, "sqlstate", None) == QUERY_CANCELED:
            # QueryTimeout: the engine does not retry KPI by KPI, which would only wait longer.
            if self.timeout:
                return QueryTimeout(f"query cancelled after the {self.timeout:g} s timeout (statement_timeout)")
            return QueryTimeout(one_line(error, self._secrets))  # the server's own statement_timeout
        return ExecutionError(one_line(error, self._secrets))

    def _end_transaction(self, con) -> None:
        # Rolled back after success too: the transaction was read-only, and ending it
        # releases its snapshot and locks instead of idling in transaction.
        try:
            con.rollback()
        except self._dbapi.Error:
            pass  # a lost connection: the next execute() reports it

    def close(self) -> None:
        """Release the connection; safe to call more than once."""
        con, self._con = self._con, None
        if con is not None:
            try:
                con.close()
            except self._dbapi.Error:
                pass

    def __repr__(self) -> str:
        return f"<PostgresAdapter {'closed' if self._con is None else 'open'}>"


def _interrupted(error: BaseException) -> bool:
    """Whether ``error`` is the statement ADBC cancelled on Ctrl-C.

    While a call blocks on the main thread, ADBC swaps in its own SIGINT handler, which
    sends a cancel request and leaves only the cancelled statement to report: Python never
    sees the signal. A cancel request from elsewhere (``pg_cancel_backend``) reads the
    same, and is taken for Ctrl-C too; a statement timeout has a message of its own.
    """
    details = dict(getattr(error, "details", None) or ())
    return (
        getattr(error, "sqlstate", None) == QUERY_CANCELED
        and details.get(b"PG_DIAG_MESSAGE_PRIMARY") == USER_CANCEL
        and threading.current_thread() is threading.main_thread()
    )


# -- result types --------------------------------------------------------------------------

_MAX_DECIMAL128 = 38


def plain_types(table: pa.Table) -> pa.Table:
    """``table`` with the driver's opaque extension columns made plain Arrow.

    The ADBC driver returns ``numeric`` (and types it has no Arrow type for) as an
    ``arrow.opaque`` extension over strings. A ``numeric`` becomes ``decimal128(p, s)``:
    from the column's declared precision and scale, or, for an unconstrained numeric,
    the smallest that holds every value; ``float64`` when that exceeds 38 digits or a
    value is NaN or infinite. Other opaque types become their storage (text).
    """
    if not any(isinstance(f.type, pa.BaseExtensionType) for f in table.schema):
        return table
    columns, fields = [], []
    for field, column in zip(table.schema, table.columns):
        if isinstance(field.type, pa.BaseExtensionType):
            storage = pa.chunked_array([chunk.storage for chunk in column.chunks], type=field.type.storage_type)
            if getattr(field.type, "type_name", None) == "numeric" and pa.types.is_string(storage.type):
                column = _numeric(storage, (field.metadata or {}).get(b"POSTGRESQL:typmod"))
            else:
                column = storage
            field = pa.field(field.name, column.type, field.nullable, field.metadata)
        columns.append(column)
        fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=table.schema.metadata))


def _numeric(values: pa.ChunkedArray, typmod: bytes | None) -> pa.ChunkedArray:
    texts = [v for v in values.to_pylist() if v is not None]
    if any(not re.fullmatch(r"-?\d+(\.\d+)?", t) for t in texts):  # NaN, Infinity, -Infinity
        return pc.cast(values, pa.float64())
    modifier = int(typmod) if typmod and typmod.lstrip(b"-").isdigit() else -1
    precision, scale = ((modifier - 4) >> 16) & 0xFFFF, (((modifier - 4) & 0x7FF) ^ 0x400) - 0x400
    if modifier < 4 or not 0 <= scale <= precision:  # unconstrained, or PostgreSQL 15's odd scales
        scale = max((len(t.partition(".")[2]) for t in texts), default=0)
        digits = max((len(t.lstrip("-").partition(".")[0].lstrip("0")) for t in texts), default=0)
        precision = max(1, digits + scale)
    if precision > _MAX_DECIMAL128:
        return pc.cast(values, pa.float64())
    return pc.cast(values, pa.decimal128(precision, scale))
