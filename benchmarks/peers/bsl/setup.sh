#!/usr/bin/env bash
# Create (or bring up to date) the boring-semantic-layer venv: benchmarks/.venvs/bsl.
# Run from the repository root; safe to run again.
set -euo pipefail
venv=benchmarks/.venvs/bsl
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r benchmarks/peers/bsl/requirements.txt
"$venv/bin/python" benchmarks/peers/bsl/run.py --version
