"""Connection URLs: masking secrets before a URL reaches any message or log."""

from __future__ import annotations

import re
from urllib.parse import unquote

#: Query parameters that carry a secret (libpq, PyMySQL, ...); their values are masked too.
SECRET_PARAMETERS = frozenset({"password", "passwd", "pwd", "sslpassword", "token", "access_token", "secret"})


_SEMICOLON_SECRET = re.compile(
    r";(" + "|".join(sorted(SECRET_PARAMETERS)) + r")=[^;?#]*", re.IGNORECASE
)


def _userinfo_end(rest: str) -> int:
    """Where the user info of ``rest`` (the URL after ``scheme://``) ends: its last ``@``, or -1.

    Normally that is the last ``@`` of the host part. A password with an unencoded ``/``,
    ``?`` or ``#`` ends the host part early (libpq then reads the rest of the password as
    a port or a parameter, and may print it); then the user info runs to the last ``@``
    before the first ``/``, ``?`` or ``#`` that follows an ``@``.
    """
    ends = [i for i in (rest.find(c) for c in "/?#") if i >= 0]
    netloc = rest[: min(ends, default=len(rest))]
    if "@" in netloc:
        return netloc.rfind("@")
    after = rest[len(netloc):]
    path, _, query = after.partition("?")
    query, _, fragment = query.partition("#")
    keys = "".join(piece.partition("=")[0] for piece in query.split("&"))
    if "@" not in path + keys + fragment:
        return -1  # an '@' only in parameter values (application_name=a@b) is no user info
    first = rest.find("@")
    ends = [i for i in (rest.find(c, first) for c in "/?#") if i >= 0]
    return rest.rfind("@", 0, min(ends, default=len(rest)))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def url_scheme(url: str) -> str:
    """The scheme of ``url``, lower case (``""`` if none); the rest is not validated.

    :func:`urllib.parse.urlsplit` refuses ``spark://local[2]`` (brackets hold an IPv6
    host for it), so adapters' URLs must not go through it just to pick the adapter.
    """
    scheme, sep, _ = url.partition("://")
    return scheme.lower() if sep and _SCHEME.fullmatch(scheme) else ""


def url_password(url: str) -> str | None:
    """The password of ``url``'s user info as written (not decoded), or None; never raises."""
    _, sep, rest = url.partition("://")
    if not sep:
        return None
    at = _userinfo_end(rest)
    if at < 0 or ":" not in rest[:at]:
        return None
    return rest[rest.index(":") + 1 : at]


def mask_url(url: str) -> str:
    """``scheme://user:***@host/db``: every password replaced by ``***``, the rest kept.

    Masks the password of the user info and the values of secret query parameters
    (``?password=...``, see :data:`SECRET_PARAMETERS`). Never raises: several hosts, a
    bad port or an unencoded ``/``, ``?``, ``#`` or ``@`` in the password are masked too.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    at = _userinfo_end(rest)
    if at >= 0 and ":" in rest[:at]:
        rest = rest[: rest.index(":")] + ":***" + rest[at:]
    head, qmark, tail = rest.partition("?")
    if qmark:
        query, hash_, fragment = tail.partition("#")
        pieces = []
        for piece in query.split("&"):
            key, eq, _ = piece.partition("=")
            pieces.append(f"{key}=***" if eq and unquote(key).lower() in SECRET_PARAMETERS else piece)
        rest = head + "?" + "&".join(pieces) + hash_ + fragment
    # Spark Connect puts parameters in the path: sc://host:15002/;token=...;user_id=...
    rest = _SEMICOLON_SECRET.sub(lambda m: f";{m.group(1)}=***", rest)
    return f"{scheme}://{rest}"
