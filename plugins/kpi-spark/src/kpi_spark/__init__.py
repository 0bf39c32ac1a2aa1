"""kpi-spark: the Apache Spark adapter for kpi-engine (``spark://`` and ``sc://``).

The ``kpi_engine`` entry point names this module, so kpi-engine imports it every time
it discovers plugins. It holds only the hook implementation (and
:func:`stop_local_session`, re-exported lazily). The adapter is named by its import
path, so it and pyspark are imported when a connection is opened and no other command
pays for them; ``kpi plugins`` imports it, reporting a broken pyspark install as this
plugin's failure instead of breaking ``kpi``.
"""

from kpi_engine import AdapterSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    """``spark://local[N]`` (a local session), ``spark://HOST:PORT``, ``spark://`` and ``sc://HOST:PORT`` (Spark Connect)."""
    return [
        AdapterSpec(
            name="spark",
            schemes=("spark", "sc"),
            dialect="spark",
            factory="kpi_spark.adapter:SparkAdapter",
            description="Apache Spark: local or standalone sessions (spark://), Spark Connect (sc://); Arrow results",
            reads_files=False,
        ),
    ]


def stop_local_session() -> None:
    """Stop the classic Spark session kpi-spark started in this process (see :mod:`kpi_spark.session`)."""
    from .session import stop_local_session as stop

    stop()
