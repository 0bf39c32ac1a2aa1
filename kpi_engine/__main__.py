"""The ``kpi`` command (console script and ``python -m kpi_engine``).

Ctrl-C and SIGTERM handling is installed before the CLI and its libraries are imported, so
an interrupt at any moment, imports included, ends with ``aborted`` and exit 130 (143 for
SIGTERM) and no traceback (:mod:`kpi_engine.interrupts`).
"""

from __future__ import annotations

from kpi_engine import interrupts


def main() -> None:
    try:
        interrupts.install()
        from kpi_engine.cli.commands import main as run  # click, and what each command needs later

        run()
    except interrupts.Interrupted as interrupted:  # commands.main reports its own; this is during the import
        interrupts.abort(interrupted.exit_code)
    except KeyboardInterrupt:  # Python's own handler, before install() replaced it
        interrupts.abort(130)
    finally:
        interrupts.finish()


if __name__ == "__main__":
    main()
