"""kpi-postgres: the PostgreSQL adapter for kpi-engine (``postgresql://`` and ``postgres://``).

The ``kpi_engine`` entry point names this module, so kpi-engine imports it every time
it discovers plugins. It holds only the hook implementation; the adapter (and with it
the ADBC driver and pyarrow) is named by its import path and imported when a
``postgresql://`` connection opens, so other commands do not pay for it. ``kpi plugins``
imports it and reports a missing driver as this plugin's failure.
"""

from kpi_engine import AdapterSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    """``postgresql://`` and ``postgres://``: libpq URLs, read-only, via ADBC."""
    return [
        AdapterSpec(
            name="postgres",
            schemes=("postgresql", "postgres"),
            dialect="postgres",
            factory="kpi_postgres.adapter:PostgresAdapter",
            description="PostgreSQL via ADBC (libpq URL), read-only transactions, statement_timeout",
            reads_files=False,
        ),
    ]
