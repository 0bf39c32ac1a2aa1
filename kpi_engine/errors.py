"""Exceptions with an exit code each; the CLI maps them one-to-one onto DESIGN.md's codes."""

from __future__ import annotations

from attrs import frozen

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID_DEFINITIONS = 3
EXIT_RUNTIME = 4


@frozen
class Problem:
    """One thing wrong with the definitions, rendered GCC-style.

    ``str(problem)`` is ``file:line:col: kind name: message``; parts that are unknown
    are left out, so editors and CI annotators can always parse the prefix.
    """

    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    kind: str | None = None  # "kpi", "source", "dashboard"
    name: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        subject = f"{self.kind} {self.name}: " if self.kind and self.name else ""
        return f"{where}{subject}{self.message}"


class KpiEngineError(Exception):
    """Base of every error kpi-engine raises on purpose; ``exit_code`` is the CLI's."""

    exit_code = EXIT_RUNTIME


class DefinitionError(KpiEngineError):
    """The definitions are invalid; ``problems`` lists every problem found, in file order."""

    exit_code = EXIT_INVALID_DEFINITIONS

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SelectionError(KpiEngineError):
    """The request does not fit the catalog: unknown KPI, dimension or grain (a usage error)."""

    exit_code = EXIT_USAGE


class ScanRefused(SelectionError):
    """A dialect's rules cannot compute something the scan ``scan`` (a CTE alias) needs.

    Raised from :meth:`~kpi_engine.dialects.base.Rules.rewrite`, which sees only the
    statement; the compiler turns it into a :class:`SelectionError` naming the KPIs that
    read the scan, at their definitions.
    """

    def __init__(self, scan: str, reason: str):
        self.scan = scan
        self.reason = reason
        super().__init__(reason)


class OutputError(KpiEngineError):
    """The result could not be written where ``-o`` points (a usage error)."""

    exit_code = EXIT_USAGE


class PluginError(KpiEngineError):
    """A plugin broke its contract (bad declaration, duplicate name)."""

    exit_code = EXIT_RUNTIME


class UnsafeStatement(KpiEngineError):
    """A compiled statement failed the allowlist or did not read back as the plan built it,
    so it was never sent: a bug in kpi-engine, a dialect's rules, a metric type or sqlglot,
    not in the definitions (they passed the gate when loaded)."""

    exit_code = EXIT_RUNTIME

    def __init__(self, dialect: str, reason: str):
        self.dialect = dialect
        self.reason = reason
        super().__init__(f"refused the SQL compiled for {dialect}: {reason}; this is a bug, please report it")


class PluginCrash(PluginError):
    """Plugin code raised a ``BaseException`` that is not an ``Exception`` (``sys.exit()``, say).

    :func:`~kpi_engine.plugincalls.call_plugin` raises it in place of what the plugin
    raised, so that callers report it like any plugin failure; the message is what the
    plugin raised, ``SystemExit: 3``.
    """


class ExecutionError(KpiEngineError):
    """A connection or a query failed; the message never contains a password."""

    exit_code = EXIT_RUNTIME


class QueryTimeout(ExecutionError):
    """A statement ran past its timeout and was cancelled; retrying KPI by KPI would only wait longer."""


def one_line(error: BaseException) -> str:
    """``Type: first line of the message`` (or the type alone), for reports that must not
    show a traceback; a :class:`PluginCrash` is shown as what the plugin raised. An
    exception whose ``__str__`` raises is shown by its type."""
    try:
        text = str(error).strip().splitlines()
    except Exception:  # a plugin's exception type with a broken __str__
        text = []
    if isinstance(error, PluginCrash) and text:
        return text[0]
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
