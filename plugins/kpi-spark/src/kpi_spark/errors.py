"""One clear line from a Spark, py4j or gRPC error: no Java stack, no plan, no SQL echo."""

from __future__ import annotations

import re

MAX_LENGTH = 400

_SQLSTATE = re.compile(r"\s*SQLSTATE: [0-9A-Z]{5}.*$")
_JAVA_CLASS = re.compile(r"^(?:[a-z_][a-z0-9_]*\.)+(?P<name>[A-Z][A-Za-z0-9_$]*(?:Exception|Error)): ")
_GRPC_DETAILS = re.compile(r'details = "(?P<details>[^"\n]*)')

#: Error conditions that mean "no such table", and what to do about it.
TABLE_HINT = "a Spark session sees its catalog's tables and the views a spark:// URL registers with ?views=DIR"


def condition(error: BaseException) -> str | None:
    """Spark's error condition (``TABLE_OR_VIEW_NOT_FOUND``, ...), if the error carries one."""
    for name in ("getCondition", "getErrorClass"):
        method = getattr(error, name, None)
        if method is not None:
            try:
                return method()
            except Exception:  # pyspark's accessors may reach into a dead JVM
                return None
    return None


def one_line(error: BaseException) -> str:
    """The first meaningful line of ``error``, without SQLSTATE, plan or stack trace."""
    text = str(error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if type(error).__name__ == "Py4JJavaError":
        # "An error occurred while calling o52.getResult.\n: org.apache.spark.SparkException: ..."
        java = [line[1:].strip() for line in lines if line.startswith(":")]
        lines = java or lines
    grpc = _GRPC_DETAILS.search(text)
    if grpc and (not lines or lines[0].startswith("<")):
        lines = [grpc.group("details")]
    line = lines[0] if lines else type(error).__name__
    line = _SQLSTATE.sub("", line)
    line = _JAVA_CLASS.sub(lambda m: m.group("name") + ": ", line).rstrip(" ;")
    if len(line) > MAX_LENGTH:
        line = line[: MAX_LENGTH - 3].rstrip() + "..."
    return line
