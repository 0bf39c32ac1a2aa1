"""MySQL and MariaDB: no rules of their own yet beyond the base (to be proven on the engine)."""

from __future__ import annotations

from .base import Rules


class MySQLRules(Rules):
    names = ("mysql",)
