"""kpi-postgres: the PostgreSQL adapter for kpi-engine (``postgresql://`` and ``postgres://``).

The ``kpi_engine`` entry point names this module, so kpi-engine imports it every time
it discovers plugins. It holds only the hook implementation; the adapter (and with it
the ADBC driver and pyarrow) is imported when the hook is called, so a missing driver is
reported as this plugin's failure instead of breaking ``kpi``.
"""

from kpi_engine import AdapterSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    """``postgresql://`` and ``postgres://``: libpq URLs, read-only, via ADBC."""
    from .adapter import PostgresAdapter

    return [
        AdapterSpec(
            name="postgres",
            schemes=("postgresql", "postgres"),
            dialect="postgres",
            factory=PostgresAdapter,
            description="PostgreSQL via ADBC (libpq URL), read-only transactions, statement_timeout",
            reads_files=False,
        ),
    ]
