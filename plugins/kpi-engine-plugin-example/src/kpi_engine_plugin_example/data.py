"""The dataset ``exampledb://`` serves: two tiny tables as plain Python columns.

Plain lists keep this importable without pyarrow or DuckDB, so tests can compute
expected numbers from the very same values without going through the engine.
"""

from __future__ import annotations

from datetime import datetime

VISITS = {
    "visit_id": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    "started_at": [
        datetime(2025, 1, 3, 9, 15),
        datetime(2025, 1, 4, 12, 0),
        datetime(2025, 1, 9, 18, 30),
        datetime(2025, 1, 15, 8, 45),
        datetime(2025, 1, 21, 20, 5),
        datetime(2025, 1, 28, 7, 50),
        datetime(2025, 2, 2, 10, 10),
        datetime(2025, 2, 5, 14, 0),
        datetime(2025, 2, 11, 16, 25),
        datetime(2025, 2, 17, 11, 40),
        datetime(2025, 2, 22, 19, 55),
        datetime(2025, 2, 27, 9, 0),
    ],
    "channel": ["web", "web", "app", "web", "app", "web", "web", "app", "web", "app", "web", "app"],
    "device": [
        "desktop", "mobile", "mobile", "desktop", "mobile", "desktop",
        "mobile", "mobile", "desktop", "mobile", "desktop", "mobile",
    ],
}

ORDERS = {
    "order_id": [101, 102, 103, 104, 105, 106, 107],
    "ordered_at": [
        datetime(2025, 1, 3, 9, 40),
        datetime(2025, 1, 9, 18, 55),
        datetime(2025, 1, 15, 9, 5),
        datetime(2025, 2, 2, 10, 30),
        datetime(2025, 2, 11, 16, 50),
        datetime(2025, 2, 17, 12, 0),
        datetime(2025, 2, 22, 20, 15),
    ],
    "channel": ["web", "app", "web", "web", "web", "app", "web"],
    "revenue": [120.0, 45.5, 80.0, 210.0, 64.0, 99.9, 38.0],
    "cost": [70.0, 30.0, 52.0, 120.0, 40.0, 61.0, 30.0],
}

TABLES = {"visits": VISITS, "orders": ORDERS}
