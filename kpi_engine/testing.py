"""Test helpers for kpi-engine and its plugins (opt in; nothing here is loaded by default).

A plugin's tests that need a server call :func:`unavailable` when it does not answer:
locally the test is skipped with the reason; under ``KPI_ENGINE_REQUIRE_SERVERS=1`` (what
CI sets) it fails, so a missing server can never turn a green run into a hollow one.
"""

from __future__ import annotations

import os

REQUIRE_SERVERS_ENV = "KPI_ENGINE_REQUIRE_SERVERS"


def unavailable(reason: str) -> None:
    """Skip the running test for ``reason``; fail instead when ``KPI_ENGINE_REQUIRE_SERVERS`` is set."""
    import pytest

    if os.environ.get(REQUIRE_SERVERS_ENV):
        pytest.fail(f"{reason} ({REQUIRE_SERVERS_ENV} is set, so this must not be skipped)")
    pytest.skip(reason)


def invoke(args, env=None, catch_exceptions: bool = False):
    """``kpi ARGS`` in this process through :func:`kpi_engine.cli.main`, the console script's
    entry point with its exit codes and one-line errors; a ``click.testing.Result``.

    What a plugin's tests use to check what a user sees, without a subprocess.
    """
    from click.testing import CliRunner

    from .cli import main

    class Main:  # CliRunner calls .main(); ours maps errors to exit codes as the console script does
        name = "kpi"

        def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
            main(list(args or []))

    return CliRunner().invoke(Main(), list(args), env=env, catch_exceptions=catch_exceptions)
