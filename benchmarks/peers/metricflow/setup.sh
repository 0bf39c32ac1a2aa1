#!/usr/bin/env bash
# Create (or update) the MetricFlow peer's virtualenv. Idempotent; run from the repo root:
#   bash benchmarks/peers/metricflow/setup.sh
set -euo pipefail
VENV=benchmarks/.venvs/metricflow
REQ=benchmarks/peers/metricflow/requirements.txt
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" benchmarks/peers/metricflow/run.py --version
