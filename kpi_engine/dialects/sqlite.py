"""SQLite: no rules of its own yet beyond the base (to be proven on the engine)."""

from __future__ import annotations

from .base import Rules


class SQLiteRules(Rules):
    names = ("sqlite",)
