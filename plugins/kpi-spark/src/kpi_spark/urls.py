"""Reading ``spark://`` and ``sc://`` connection URLs (no pyspark import here).

``spark://`` names a classic Spark session driven from this process:

- ``spark://local``, ``spark://local[N]``, ``spark://local[*]``: a local session that
  kpi-spark starts (once per process) with that master;
- ``spark://HOST:PORT``: a standalone cluster master (``spark://HOST:PORT`` is also
  Spark's own spelling), the driver running in this process;
- ``spark://`` (no host): the session already active in this process (a notebook, a
  ``spark-submit`` job, the pyspark shell).

Each may carry ``?views=DIR`` (repeatable): every ``DIR/<name>.parquet`` (a file or a
folder of part files) becomes a temporary view ``<name>`` of the connection's session.

``sc://HOST:PORT[/;param=value...]`` is a Spark Connect URL, passed to the Connect
client as it is (its ``;token=`` etc. are the client's); it takes no ``?`` parameters.

Brackets are allowed as written (``local[2]``) or percent-encoded (``local%5B2%5D``):
:func:`urllib.parse.urlsplit` refuses ``local[2]`` as an invalid IPv6 host, so nothing
here uses it on the host part.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from kpi_engine import ExecutionError

LOCAL = re.compile(r"local(\[(?P<threads>[1-9][0-9]*|\*)(,(?P<failures>[1-9][0-9]*))?\])?", re.IGNORECASE)
STANDALONE = re.compile(r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?P<port>[0-9]{1,5})")
PARAMETERS = ("views",)


@dataclass(frozen=True)
class SparkTarget:
    """Where a URL points.

    ``kind`` is ``"local"``, ``"standalone"``, ``"active"`` or ``"connect"``; ``master``
    is the Spark master for the first two (``local[2]``, ``spark://host:7077``);
    ``remote`` the Connect URL; ``views`` the folders whose Parquet files become views.
    """

    kind: str
    master: str | None = None
    remote: str | None = field(default=None, repr=False)  # may hold a ;token=
    views: tuple[Path, ...] = ()

    @property
    def threads(self) -> int | None:
        """Worker threads of a local master (``local`` is 1, ``local[*]`` the CPU count)."""
        if self.kind != "local" or self.master is None:
            return None
        match = LOCAL.fullmatch(self.master)
        threads = match.group("threads") if match else None
        if threads is None:
            return 1
        return (os.cpu_count() or 1) if threads == "*" else int(threads)


def parse(url: str) -> SparkTarget:
    """The :class:`SparkTarget` of a ``spark://`` or ``sc://`` URL; :class:`ExecutionError` if malformed.

    Messages never repeat the URL (the engine names the connection, masked).
    """
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("spark", "sc"):
        raise ExecutionError("kpi-spark serves spark:// and sc:// URLs only")
    if scheme == "sc":
        return _connect(url, rest)
    if "#" in rest:
        raise ExecutionError("a spark:// URL takes no '#' fragment")
    location, _, query = rest.partition("?")
    location = unquote(location).rstrip("/")
    views = _views(query)
    if location == "":
        return SparkTarget("active", views=views)
    if LOCAL.fullmatch(location):
        return SparkTarget("local", master=location.lower(), views=views)
    if STANDALONE.fullmatch(location):
        return SparkTarget("standalone", master=f"spark://{location}", views=views)
    raise ExecutionError(
        "malformed spark:// URL: use spark://local[N] (a local session), spark://HOST:PORT "
        "(a standalone master), spark:// (the active session) or sc://HOST:PORT (Spark Connect)"
    )


def _views(query: str) -> tuple[Path, ...]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ExecutionError("malformed spark:// URL parameters: use ?views=/path/to/dir") from None
    views: list[Path] = []
    for key, value in pairs:
        if key not in PARAMETERS:
            raise ExecutionError(f"unknown spark:// URL parameter '{key}' (known: {', '.join(PARAMETERS)})")
        if not value:
            raise ExecutionError("spark:// URL parameter 'views' needs a directory: ?views=/path/to/dir")
        views.append(Path(value).expanduser())
    return tuple(views)


def _connect(url: str, rest: str) -> SparkTarget:
    host = rest.split("/", 1)[0]
    if "?" in rest or "#" in rest:
        raise ExecutionError(
            "an sc:// URL takes Spark Connect parameters after '/;' (sc://host:15002/;token=...), not '?'"
        )
    if not host or host.startswith(":"):
        raise ExecutionError("malformed sc:// URL: use sc://HOST:PORT (Spark Connect, default port 15002)")
    return SparkTarget("connect", remote="sc://" + rest)


def endpoint(remote: str) -> tuple[str, int]:
    """(host, port) of a Connect URL, for a quick reachability check; port 15002 by default."""
    netloc = remote.partition("://")[2].split("/", 1)[0]
    netloc = netloc.rpartition("@")[2]
    if netloc.startswith("["):  # an IPv6 literal
        host, _, port = netloc[1:].partition("]")
        port = port.lstrip(":")
    else:
        host, _, port = netloc.partition(":")
    try:
        return host, int(port) if port else 15002
    except ValueError:
        raise ExecutionError("malformed sc:// URL: the port must be a number") from None
