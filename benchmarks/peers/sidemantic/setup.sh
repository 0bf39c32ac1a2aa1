#!/usr/bin/env bash
# Create (or bring up to date) the sidemantic venv: benchmarks/.venvs/sidemantic.
# Run from the repository root; safe to run again.
set -euo pipefail
venv=benchmarks/.venvs/sidemantic
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r benchmarks/peers/sidemantic/requirements.txt
"$venv/bin/python" benchmarks/peers/sidemantic/run.py --version
