"""Shims for sqlglot renames, so the rest of the code names one spelling."""

from __future__ import annotations

from sqlglot import exp

# sqlglot 30 renamed the WITH clause argument from "with" to "with_".
WITH_ARG = "with_" if "with_" in exp.Select.arg_types else "with"
