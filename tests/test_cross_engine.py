"""The shipped catalog on every engine: the same numbers everywhere, and the right ones.

One seeded demo dataset is loaded into each engine of ``tests/engines`` (DuckDB, SQLite,
PostgreSQL, MariaDB, Spark, as available), and the whole catalog is evaluated at every
grain, with and without a dimension. Every numerator, denominator and value must agree
to 1e-9 relative with an independent computation in plain Python over the same rows
(``ORACLE`` below, written from the definitions by hand, not from the engine) — and so
with every other engine.
"""

from __future__ import annotations

import pytest

import kpi_engine
from engines import engines
from kpi_engine.demo.generator import generate_tables
from kpi_engine.shipped import shipped_definitions
from oracle import assert_matches, count, count_distinct, evaluate, every, mean, total

GRAINS = (None, "day", "week", "month", "quarter", "year")
SLICES = ((), ("channel",))


def margin(rows):
    revenue, cost = total("revenue")(rows), total("cost")(rows)
    return None if revenue is None or cost is None else revenue - cost


def every(row):
    return True


def scores(rows):
    return [r["score"] for r in rows if r["score"] is not None]


def net_promoter_score(rows):
    """Share of 9-10 answers minus share of 0-6 answers, in points; None without answers."""
    answers = scores(rows)
    if not answers:
        return None
    return 100 * (sum(s >= 9 for s in answers) / len(answers) - sum(s <= 6 for s in answers) / len(answers))


# The kpi-commerce plugin's definition pack joins the catalog when the plugin is installed.
COMMERCE_PACK = {"nps", "survey_response_count", "promoter_share"}


# (source, row filter, aggregate) per side, written from definitions/*.yaml.
ORACLE = {
    "signups": (("customers", every, count), None),
    "new_customers": (("orders", lambda r: bool(r["is_first_order"]), count), None),
    "sessions": (("sessions", every, count), None),
    "sessions_per_visitor": (("sessions", every, count), ("sessions", every, count_distinct("visitor_id"))),
    "new_visitor_rate": (("sessions", lambda r: bool(r["is_new_visitor"]), count), ("sessions", every, count)),
    "mobile_session_share": (("sessions", lambda r: r["device"] == "mobile", count), ("sessions", every, count)),
    "bounce_rate": (("sessions", lambda r: bool(r["bounced"]), count), ("sessions", every, count)),
    "pages_per_session": (("sessions", every, total("pages")), ("sessions", every, count)),
    "session_duration": (("sessions", lambda r: not r["bounced"], mean("duration_s")), None),
    "add_to_cart_rate": (("carts", every, count), ("sessions", every, count)),
    "late_delivery_rate": (
        ("orders", lambda r: r["delivered_at"] is not None and r["delivered_at"] > r["promised_at"], count),
        ("orders", lambda r: r["delivered_at"] is not None, count),
    ),
    "ticket_to_order_ratio": (("tickets", every, count), ("orders", every, count)),
    "first_response_time": (("tickets", every, mean("first_response_s")), None),
    "orders": (("orders", every, count), None),
    "revenue": (("orders", every, total("revenue")), None),
    "conversion_rate": (("orders", every, count), ("sessions", every, count)),
    "cart_abandonment_rate": (("carts", lambda r: not r["ordered"], count), ("carts", every, count)),
    "average_order_value": (("orders", every, total("revenue")), ("orders", every, count)),
    "gross_profit": (("orders", every, margin), None),
    "profit_margin_rate": (("orders", every, margin), ("orders", every, total("revenue"))),
    "category_margin_rate": (("order_lines", every, margin), ("order_lines", every, total("revenue"))),
    "active_customers": (("orders", every, count_distinct("customer_id")), None),
    "quote_conversion_rate": (
        ("quotes", lambda r: r["status"] == "won", count),
        ("quotes", lambda r: r["status"] in ("won", "lost"), count),
    ),
    # plugins/kpi-commerce/src/kpi_commerce/definitions/commerce.yaml
    "nps": (("surveys", every, net_promoter_score), None),
    "survey_response_count": (("surveys", every, count), None),
    "promoter_share": (("surveys", lambda r: r["score"] is not None and r["score"] >= 9, count),
                       ("surveys", every, lambda rows: len(scores(rows)))),
}
TIME = {"customers": "created_at", "sessions": "started_at", "carts": "created_at", "orders": "ordered_at",
        "order_lines": "ordered_at", "quotes": "requested_at", "tickets": "created_at",
        "surveys": "answered_at"}


@pytest.fixture(scope="module")
def dataset():
    return generate_tables(seed=7, months=3, scale=0.05)


@pytest.fixture(scope="module")
def rows(dataset):
    return {name: table.to_pylist() for name, table in dataset.items()}


@pytest.fixture(scope="module")
def catalog():
    return kpi_engine.load(shipped_definitions())


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def connection(request, dataset, tmp_path_factory):
    with request.param.provision(dataset, tmp_path_factory.mktemp(request.param.NAME)) as url:
        yield url


def test_the_oracle_covers_the_whole_catalog(catalog):
    assert set(catalog.kpis) <= set(ORACLE)
    # the commerce pack's KPIs are there all together (plugin installed) or not at all
    assert set(ORACLE) - set(catalog.kpis) in (set(), COMMERCE_PACK)


@pytest.mark.parametrize("by", SLICES, ids=lambda b: "by_" + "_".join(b) if b else "total")
@pytest.mark.parametrize("grain", GRAINS, ids=lambda g: g or "whole")
def test_catalog_on_engine_matches_the_oracle(connection, catalog, rows, grain, by):
    names = [k.name for k in catalog.kpis.values() if all(catalog.sources[m.source].dimension(d) for m in k.measures for d in by)]
    with kpi_engine.Engine(catalog, connection) as engine:
        table = engine.run(kpis=names, grain=grain, by=list(by))
    keys = (["period_start"] if grain else []) + list(by)
    expected = {name: evaluate(rows, [s for s in ORACLE[name] if s], TIME, grain, by) for name in names}
    assert_matches(table, expected, keys)
