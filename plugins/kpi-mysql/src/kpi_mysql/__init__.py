"""kpi-mysql: the kpi-engine adapter for MySQL and MariaDB.

The ``kpi_engine`` entry point names this module, so it is imported by every ``kpi``
command: it holds only the hook implementation. The adapter is named by its import
path, so it (and PyMySQL) is imported when a connection is opened (see
:mod:`kpi_mysql.adapter`); ``kpi plugins`` imports it to report a missing driver.
"""

from kpi_engine import AdapterSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    """``mysql://``, ``mariadb://`` and ``mysql+pymysql://``: one server, read-only, SQL in the mysql dialect."""
    return [
        AdapterSpec(
            name="mysql",
            schemes=("mysql", "mariadb", "mysql+pymysql"),
            dialect="mysql",
            factory="kpi_mysql.adapter:MySQLAdapter",
            description="MySQL 8.0.17+ and MariaDB 10.2+ through PyMySQL: read-only session, per-statement timeout",
            reads_files=False,
        ),
    ]
