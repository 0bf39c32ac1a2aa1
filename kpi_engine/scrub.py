"""Secret values of the connections in use, and scrubbing them out of every message.

:func:`kpi_engine.urls.mask_url` hides the password of a URL *as a URL*. That is not
enough: a driver may quote the password decoded, re-encoded, in a libpq ``key=value``
string, or a piece of it that a parser took for a host or a port, and a plugin may
print a URL in its own words. So the engine also keeps every secret value of the
connections it was given (:func:`remember`), and its error boundaries (the
:class:`~kpi_engine.engine.Engine` methods, the CLI's stderr lines) pass every message
through :func:`scrub`, which replaces each known secret, in every spelling listed in
:func:`spellings`, with ``***``. It knows nothing of any adapter, so third-party
adapters are covered the same way.

What is secret (:func:`connection_secrets`):

- the password of a URL's user info, as each parser would read it: up to the last
  ``@`` (:func:`~kpi_engine.urls.url_password`), up to the first ``@`` (libpq), and
  :func:`urllib.parse.urlsplit`'s, plus every piece of it between ``@ : / ? # & ; =``
  of 4 characters or more, since a parser that split it elsewhere may quote those;
- the value of every ``key=value`` parameter (after ``?``, ``&``, ``;`` or ``#``)
  whose key is not in :data:`PUBLIC_PARAMETERS`: an allowlist, so ``password=``,
  ``sslpassword=``, ``token=`` and any parameter this module has never heard of are
  secret;
- every value a ``${VAR}`` reference put into a project connection
  (:mod:`kpi_engine.project`), wherever it stands in the URL;
- always: the passwords in ``KPI_CONNECTION``, ``PGPASSWORD`` and ``MYSQL_PWD``.

Secrets of fewer than :data:`SHORT` characters are replaced only where they stand
alone (not inside a longer word or number): scrubbing every ``a`` or ``5`` would make
messages unreadable and protect nothing. The registry is per process and only grows:
masking a value that is no longer in use costs nothing.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit

from .urls import url_password

MASK = "***"
#: Secrets shorter than this are scrubbed only where they stand alone.
SHORT = 4
#: Query parameters whose values are not secret (an allowlist: any other value is).
PUBLIC_PARAMETERS = frozenset({
    # libpq
    "host", "hostaddr", "port", "dbname", "user", "options", "application_name", "fallback_application_name",
    "connect_timeout", "client_encoding", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
    "tcp_user_timeout", "sslmode", "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslrootcert", "sslcrl",
    "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode",
    "krbsrvname", "gsslib", "gssdelegation", "service", "target_session_attrs", "load_balance_hosts",
    "channel_binding", "require_auth", "replication",
    # kpi-mysql / PyMySQL
    "database", "charset", "unix_socket", "ssl_ca", "ssl_cert", "ssl_key", "ssl_verify_cert", "ssl_verify_identity",
    "ssl_disabled", "read_timeout", "write_timeout",
    # kpi-spark (spark:// and Spark Connect's sc://)
    "views", "user_id", "use_ssl", "session_id", "user_agent", "grpc_max_message_size",
})
#: Environment variables whose values are always secret (libpq's and the MySQL client's password).
PASSWORD_VARIABLES = ("PGPASSWORD", "MYSQL_PWD")
CONNECTION_VARIABLE = "KPI_CONNECTION"

_DELIMITERS = re.compile(r"[@:/?#&;=]")
_PARAMETER_SPLIT = re.compile(r"[?&;#]")
_HEX = re.compile(r"%[0-9A-F]{2}")

_lock = threading.Lock()
_known: set[str] = set()
_pattern: tuple[tuple[str, ...], re.Pattern[str] | None] = ((), None)


def connection_secrets(url: str) -> frozenset[str]:
    """Every secret value of a connection string (see the module docstring), as written in it.

    Never raises; a string without ``://`` is read as if it had one, so a URL whose
    scheme was forgotten (``me:pw@host/db``) still counts.
    """
    text = url if "://" in url else f"x://{url}"
    found: set[str] = set()
    rest = text.split("://", 1)[1]
    passwords = {url_password(text)}
    stop = re.search(r"[@/]", rest)  # libpq: the user info ends at the first '@' before any '/'
    if stop and stop.group() == "@" and ":" in rest[: stop.start()]:
        passwords.add(rest[rest.index(":") + 1 : stop.start()])
    try:
        passwords.add(urlsplit(text).password)
    except ValueError:
        pass
    for password in filter(None, passwords):
        found.add(password)
        found.update(_pieces(password), _pieces(unquote(password)))
    for piece in _PARAMETER_SPLIT.split(rest)[1:]:
        key, eq, value = piece.partition("=")
        if eq and value and unquote(key).strip().lower() not in PUBLIC_PARAMETERS:
            found.add(value)
            found.update(_pieces(value))
    return frozenset(found)


def _pieces(value: str) -> set[str]:
    """Runs of ``value`` between delimiters, where another parser may have cut it; :data:`SHORT` characters or more."""
    cuts = [0, *(m.start() for m in _DELIMITERS.finditer(value)), len(value)]
    if len(cuts) > 12:  # a pathological value: pieces at its first and last cuts are enough
        cuts = cuts[:6] + cuts[-6:]
    pieces = set()
    for i, start in enumerate(cuts):
        for end in cuts[i + 1 :]:
            piece = value[start:end].strip("@:/?#&;=")
            if len(piece) >= SHORT and piece != value:
                pieces.add(piece)
    return pieces


def spellings(secret: str) -> set[str]:
    """The forms ``secret`` may take in a message: as written, percent-decoded (``+`` as
    a plus or a space), percent-encoded (upper- and lower-case hex, once and twice), in a
    libpq ``key='...'`` value, an ODBC ``{...}`` value, an SQL string literal, a Python
    or JSON string (``repr``, ``\\u`` escapes), UTF-8 bytes shown as ``b'...'`` or read as
    Latin-1, and its Unicode normal forms."""
    forms: set[str] = set()
    for plain in {secret, unquote(secret), unquote_plus(secret)}:
        for text in {plain, *(unicodedata.normalize(f, plain) for f in ("NFC", "NFD", "NFKC"))}:
            encoded = quote(text, safe="")
            forms.update({
                text,
                encoded,
                _HEX.sub(lambda m: m.group(0).lower(), encoded),
                quote(text),
                quote_plus(text),
                quote(encoded, safe=""),
                text.replace("\\", "\\\\").replace("'", "\\'"),
                text.replace("}", "}}"),
                text.replace("'", "''"),
                repr(text)[1:-1],
                json.dumps(text)[1:-1],
                text.encode("unicode_escape").decode("ascii"),
                repr(text.encode("utf-8", "surrogatepass"))[2:-1],
                text.encode("utf-8", "surrogatepass").decode("latin-1"),
            })
    return {form for form in forms if form}


def remember(values: Iterable[str]) -> None:
    """Scrub ``values`` (each in every spelling) from every message from now on, in this process."""
    new = {v for v in values if isinstance(v, str) and v}
    with _lock:
        _known.update(new)


def forget() -> None:
    """Forget every secret :func:`remember` was given (tests; a process done with its connections)."""
    with _lock:
        _known.clear()


def remember_url(url: str) -> None:
    """:func:`remember` every secret of the connection string ``url``."""
    remember(connection_secrets(url))


def _ambient() -> tuple[str, ...]:
    values = [os.environ.get(name, "") for name in PASSWORD_VARIABLES]
    connection = os.environ.get(CONNECTION_VARIABLE, "")
    return (*values, *(connection_secrets(connection) if connection else ()))


def _compiled() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        known = tuple(sorted(_known))
    secrets = known + _ambient()
    cached_for, pattern = _pattern
    if cached_for == secrets:
        return pattern
    anywhere, alone = set(), set()
    for secret in secrets:
        for form in spellings(secret) if secret else ():
            (anywhere if len(form) >= SHORT else alone).add(form)
    parts = []
    if anywhere:  # longest first: a secret that contains another is replaced whole
        parts.append("|".join(map(re.escape, sorted(anywhere, key=len, reverse=True))))
    if alone:
        parts.append(r"(?<![\w%])(?:" + "|".join(map(re.escape, sorted(alone, key=len, reverse=True))) + r")(?!\w)")
    pattern = re.compile("|".join(parts)) if parts else None
    _pattern = (secrets, pattern)
    return pattern


def scrub(text: str) -> str:
    """``text`` with every known secret, in every spelling, replaced by ``***``."""
    pattern = _compiled()
    return pattern.sub(MASK, text) if pattern is not None and text else text


def scrub_error(error: BaseException) -> BaseException:
    """``error``, its message scrubbed: the same object, its ``args`` (and a
    :class:`~kpi_engine.errors.DefinitionError`'s problems, and ``__notes__``) rewritten.

    An exception whose text still holds a secret after that (its ``__str__`` does not
    come from ``args``) is replaced by a ``RuntimeError`` with the scrubbed text. When
    an exception it was raised from or during holds a secret, that chain is cut.
    """
    from attrs import evolve

    from .errors import DefinitionError

    pattern = _compiled()
    if pattern is None:
        return error
    error.args = tuple(scrub(a) if isinstance(a, str) else a for a in error.args)
    if isinstance(error, DefinitionError):
        error.problems = tuple(evolve(p, message=scrub(p.message)) for p in error.problems)
    notes = getattr(error, "__notes__", None)
    if isinstance(notes, list):
        error.__notes__ = [scrub(n) if isinstance(n, str) else n for n in notes]
    if _holds_secret(error):
        replacement = RuntimeError(f"{type(error).__name__}: {scrub(_text(error))}")
        replacement.__suppress_context__ = True
        return replacement
    chained, seen = error.__cause__ or error.__context__, {id(error)}
    while chained is not None and id(chained) not in seen:
        if _holds_secret(chained):
            error.__cause__ = None
            error.__suppress_context__ = True
            break
        seen.add(id(chained))
        chained = chained.__cause__ or chained.__context__
    return error


def boundary(method: Callable) -> Callable:
    """The error boundary of a public API method (:class:`~kpi_engine.engine.Engine`'s,
    :class:`~kpi_engine.api.Project`'s): no exception leaves it holding a secret of a
    connection (:func:`scrub_error`)."""

    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as error:
            scrubbed = scrub_error(error)
            if scrubbed is error:
                raise
            raise scrubbed from None

    return guarded


def _text(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:
        return ""


def _holds_secret(error: BaseException) -> bool:
    text = _text(error)
    return scrub(text) != text
