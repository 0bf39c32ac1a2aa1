"""Metric types on every engine, against numbers worked out by hand.

The core's ``top`` and kpi-commerce's ``retention``, ``churn``, ``repeat_purchase`` and
``lifetime_value`` (plus its ``nps()`` function) are evaluated over one small hand-made
shop, loaded once into each engine of ``tests/engines`` (DuckDB, SQLite, PostgreSQL,
MariaDB, Spark, as available). Every expected figure below is written literally, with
its working in a comment, never computed by the engine or by code mirroring it; values
are compared to 1e-9. All the runs of one engine share one provisioned dataset and one
connection (Spark starts once), and each run evaluates every KPI it can in one
statement.

The loader's and compiler's reports for metric types (one line with file:line, exit 2
with no traceback when a plugin's type fails) and a metric type from a team's own
plugin, registered with ``get_plugins(extra=[...])``, are checked at the end.

kpi-commerce lives in this repository (plugins/kpi-commerce); its own tests
(plugins/kpi-commerce/tests) cover its declarations and loader checks without servers.
This module holds the engine-wide examples because the engine provisioning helpers
(``tests/engines``) live here.
"""

from __future__ import annotations

import importlib
import math
import sys
from datetime import date, datetime

import pyarrow as pa
import pytest
from click.testing import CliRunner
from sqlglot import exp

import kpi_engine
from engines import engines
from kpi_engine import DefinitionError, MetricParam, MetricTypeSpec, SelectionError, hookimpl
from kpi_engine.testing import unavailable

try:
    import kpi_commerce
except ImportError:  # the in-repo plugin is not installed: only the core's `top` runs
    kpi_commerce = None

# -- the shop, by hand ---------------------------------------------------------------------

# (order_id, customer_id, ordered_at, channel, revenue, cost, cart_id); ordered_on is the
# date of ordered_at. Margin (revenue - cost) in the last comment column.
ORDERS = [
    (1, 1, datetime(2024, 1, 5, 10), "web", 100.0, 60.0, 11),  # 40
    (2, 2, datetime(2024, 1, 10, 12), "web", 50.0, 30.0, None),  # 20
    (3, 3, datetime(2024, 1, 20, 9), "app", 80.0, 50.0, 13),  # 30
    (4, 2, datetime(2024, 2, 2, 8), "web", 40.0, 20.0, 14),  # 20
    (5, 3, datetime(2024, 2, 14, 18), "web", 60.0, 40.0, None),  # 20
    (6, 4, datetime(2024, 2, 20, 11), "app", 30.0, 10.0, 16),  # 20  } two orders of customer 4
    (7, 4, datetime(2024, 2, 20, 11), "app", 20.0, 10.0, 17),  # 10  } at the same instant
    (8, 6, datetime(2024, 2, 25, 16), "app", 55.0, 35.0, 18),  # 20
    (9, 2, datetime(2024, 3, 3, 10), "web", 70.0, 40.0, 19),  # 30
    (10, None, datetime(2024, 3, 10, 13), "web", 75.0, 25.0, None),  # 50, a guest: no customer
    (11, 3, datetime(2024, 3, 15, 15), "app", 90.0, 50.0, 20),  # 40
    (12, 6, datetime(2024, 3, 20, 12), "app", 65.0, 40.0, 22),  # 25
    (13, 4, datetime(2024, 3, 28, 20), "app", 10.0, 5.0, None),  # 5
    # nothing in April
    (14, 5, datetime(2024, 5, 6, 9), "web", 25.0, 15.0, 21),  # 10
    (15, 2, datetime(2024, 5, 9, 9, 30), "web", 35.0, 20.0, None),  # 15
    (16, 5, datetime(2024, 5, 30, 23), "web", 45.0, 25.0, 23),  # 20
]
# Customers active per month (a guest is nobody):
#   Jan {1,2,3}   Feb {2,3,4,6}   Mar {2,3,4,6}   Apr {}   May {2,5}
# per channel:
#   web: Jan {1,2}  Feb {2,3}  Mar {2}  Apr {}  May {2,5}
#   app: Jan {3}    Feb {4,6}  Mar {3,4,6}  Apr {}  May {}
# online (cart_id is not null): Jan {1,3}  Feb {2,4,6}  Mar {2,3,6}  Apr {}  May {5}

# (answered_on, channel, score): a DATE time column; None is a survey left unanswered.
SURVEYS = [
    # January: 5 promoters (10, 9, 9, 10, 9), 2 passives (7, 8), 3 detractors (6, 0, 3), 1 blank
    (date(2024, 1, 3), "web", 10), (date(2024, 1, 4), "web", 9), (date(2024, 1, 9), "web", 9),
    (date(2024, 1, 12), "web", 7), (date(2024, 1, 15), "web", 6),
    (date(2024, 1, 16), "app", 10), (date(2024, 1, 22), "app", 9), (date(2024, 1, 25), "app", 8),
    (date(2024, 1, 28), "app", 0), (date(2024, 1, 31), "app", 3), (date(2024, 1, 31), "app", None),
    # February: 1 promoter (10), 1 passive (8), 2 detractors (6, 5)
    (date(2024, 2, 1), "web", 10), (date(2024, 2, 29), "web", 6),
    (date(2024, 2, 10), "app", 8), (date(2024, 2, 11), "app", 5),
]


def tables() -> dict[str, pa.Table]:
    orders = pa.table(
        {
            "order_id": pa.array([r[0] for r in ORDERS], pa.int64()),
            "customer_id": pa.array([r[1] for r in ORDERS], pa.int64()),
            "ordered_at": pa.array([r[2] for r in ORDERS], pa.timestamp("us")),
            "ordered_on": pa.array([r[2].date() for r in ORDERS], pa.date32()),
            "channel": pa.array([r[3] for r in ORDERS], pa.string()),
            "revenue": pa.array([r[4] for r in ORDERS], pa.float64()),
            "cost": pa.array([r[5] for r in ORDERS], pa.float64()),
            "cart_id": pa.array([r[6] for r in ORDERS], pa.int64()),
        }
    )
    surveys = pa.table(
        {
            "answered_on": pa.array([r[0] for r in SURVEYS], pa.date32()),
            "channel": pa.array([r[1] for r in SURVEYS], pa.string()),
            "score": pa.array([r[2] for r in SURVEYS], pa.int64()),
        }
    )
    return {"orders": orders, "surveys": surveys}


CORE_DEFINITIONS = """\
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel]
  orders_by_day:          # the same rows, with a DATE time column
    table: orders
    time: ordered_on
    dimensions: [channel]
  surveys:
    table: surveys
    time: answered_on
    dimensions: [channel]
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
  top_customers:
    metric: {type: top, source: orders, item: customer_id, expr: sum(revenue), limit: 3}
  busiest_customers:
    metric: {type: top, source: orders, item: customer_id, expr: count(*)}
  top_online_customers:
    metric: {type: top, source: orders, item: customer_id, expr: count(*), limit: 2, where: cart_id is not null}
  revenue_by_channel:
    metric: {type: breakdown, source: orders, item: channel, expr: sum(revenue)}
  leading_channel_by_customers:
    metric: {type: breakdown, source: orders, item: channel, expr: count(distinct customer_id), limit: 1}
"""

COMMERCE_DEFINITIONS = """\
  retention:
    metric: {type: retention, source: orders, entity: customer_id}
  churn:
    metric: {type: churn, source: orders, entity: customer_id}
  online_retention:
    metric: {type: retention, source: orders, entity: customer_id, where: cart_id is not null}
  daily_retention:
    metric: {type: retention, source: orders_by_day, entity: customer_id}
  repeat_purchase:
    metric: {type: repeat_purchase, source: orders, entity: customer_id}
  daily_repeat_purchase:
    metric: {type: repeat_purchase, source: orders_by_day, entity: customer_id}
  lifetime_value:
    metric: {type: lifetime_value, source: orders, entity: customer_id, value: sum(revenue - cost)}
  nps:
    value: {source: surveys, expr: nps(score)}
"""

COMMERCE_KPIS = (
    "retention", "churn", "online_retention", "daily_retention", "repeat_purchase",
    "daily_repeat_purchase", "lifetime_value", "nps",
)
TOP_KPIS = ("top_customers", "busiest_customers", "top_online_customers")
BREAKDOWN_KPIS = ("revenue_by_channel", "leading_channel_by_customers")


def commerce(names):
    return [n for n in names if n in COMMERCE_KPIS] if kpi_commerce is not None else []


# Each run of an engine: (grain, by, start, end, KPIs), all in one statement. Each KPI
# costs Spark a few jobs whatever the statement, so every example is evaluated once.
RUNS = {
    "month": (
        "month", (), None, None,
        ("revenue", "top_customers", "busiest_customers", *BREAKDOWN_KPIS, "retention", "churn", "online_retention",
         "daily_retention", "repeat_purchase", "daily_repeat_purchase", "lifetime_value", "nps"),
    ),
    "quarter": ("quarter", (), None, None, ("retention", "repeat_purchase", "lifetime_value", "nps")),
    "by_channel_february_march": (
        "month", ("channel",), date(2024, 2, 1), date(2024, 4, 1),
        ("top_customers", "retention", "churn", "repeat_purchase", "lifetime_value", "nps"),
    ),
    "whole": (
        None, (), None, None,
        ("revenue", *TOP_KPIS, *BREAKDOWN_KPIS, "retention", "churn", "lifetime_value", "repeat_purchase", "nps"),
    ),
}


@pytest.fixture(scope="module")
def plugins() -> kpi_engine.Plugins:
    # Installed plugins (the servers' adapters) plus this checkout's kpi-commerce.
    return kpi_engine.get_plugins(extra=[kpi_commerce] if kpi_commerce is not None else [])


@pytest.fixture(scope="module")
def catalog(plugins, tmp_path_factory):
    folder = tmp_path_factory.mktemp("defs")
    text = CORE_DEFINITIONS + (COMMERCE_DEFINITIONS if kpi_commerce is not None else "")
    (folder / "shop.yaml").write_text(text)
    return kpi_engine.load(folder, plugins.functions, metric_types=plugins.metric_types)


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def results(request, plugins, catalog, tmp_path_factory):
    """{run name: result table} of one engine: every run of RUNS on one provisioned copy."""
    with request.param.provision(tables(), tmp_path_factory.mktemp(request.param.NAME)) as url:
        out = {}
        with kpi_engine.Engine(catalog, url, plugins=plugins) as engine:
            for name, (grain, by, start, end, kpis) in RUNS.items():
                selected = [k for k in kpis if k not in COMMERCE_KPIS] + commerce(kpis)
                if selected:  # none: a commerce-only run without kpi-commerce
                    out[name] = engine.run(kpis=selected, grain=grain, by=list(by), start=start, end=end)
        yield out


@pytest.fixture
def needs_commerce():
    if kpi_commerce is None:
        unavailable("kpi-commerce is not installed: python -m pip install -e plugins/kpi-commerce")


# -- comparison ----------------------------------------------------------------------------


def rows_of(table: pa.Table, kpi: str) -> list[dict]:
    return [r for r in table.to_pylist() if r["kpi"] == kpi]


def key_of(row: dict, keys: tuple[str, ...]) -> tuple:
    return tuple(str(row[k]) if k == "period_start" and row[k] is not None else row[k] for k in keys)


def same(got, expected) -> bool:
    if expected is None or got is None:
        return got is expected
    return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)


def check_ratios(table: pa.Table, kpi: str, expected: dict, keys=("period_start",)) -> None:
    """``expected``: {key: (numerator, denominator, value)}; exactly these rows, nothing else.

    A key is the period as text ('2024-02-01'), then each slice; a value of None must
    come with status no_data.
    """
    rows = rows_of(table, kpi)
    got = {key_of(r, keys): (r["numerator"], r["denominator"], r["value"], r["status"]) for r in rows}
    want = {k if isinstance(k, tuple) else (k,): v for k, v in expected.items()}
    assert sorted(got, key=repr) == sorted(want, key=repr), kpi
    for key, (numerator, denominator, value) in want.items():
        g = got[key]
        assert same(g[0], numerator) and same(g[1], denominator) and same(g[2], value), (kpi, key, g)
        assert (g[3] == "no_data") == (value is None), (kpi, key, g)
    if "item" in table.column_names:  # selected beside a list KPI: no entries of its own
        assert all(r["item"] is None and r["rank"] is None for r in rows), kpi


def check_list(table: pa.Table, kpi: str, expected: dict, keys=("period_start",)) -> None:
    """``expected``: {key: [item, value, item, value, ...] in rank order}; exactly these entries."""
    got: dict[tuple, list] = {}
    for r in rows_of(table, kpi):
        assert r["denominator"] is None and same(r["value"], r["numerator"]), r
        got.setdefault(key_of(r, keys), []).append((r["rank"], r["item"], r["value"]))
    want = {k if isinstance(k, tuple) else (k,): v for k, v in expected.items()}
    assert sorted(got, key=repr) == sorted(want, key=repr), kpi
    for key, flat in want.items():
        entries = sorted(got[key])
        assert [rank for rank, _, _ in entries] == list(range(1, len(flat) // 2 + 1)), (kpi, key, entries)
        assert [item for _, item, _ in entries] == [str(i) for i in flat[::2]], (kpi, key, entries)
        assert all(same(v, e) for (_, _, v), e in zip(entries, flat[1::2])), (kpi, key, entries)


def check_breakdown(table: pa.Table, kpi: str, expected: dict, keys=("period_start",)) -> None:
    """``expected``: {key: [(item, numerator, denominator), ...] in rank order}; value = share."""
    got: dict[tuple, list] = {}
    for r in rows_of(table, kpi):
        got.setdefault(key_of(r, keys), []).append((r["rank"], r["item"], r["numerator"], r["denominator"], r["value"]))
    want = {k if isinstance(k, tuple) else (k,): v for k, v in expected.items()}
    assert sorted(got, key=repr) == sorted(want, key=repr), kpi
    for key, entries in want.items():
        have = sorted(got[key])
        assert [(rank, item) for rank, item, *_ in have] == [(i, e[0]) for i, e in enumerate(entries, 1)], (kpi, key, have)
        for (_, _, numerator, denominator, value), (_, n, d) in zip(have, entries):
            assert same(numerator, n) and same(denominator, d) and same(value, n / d), (kpi, key, have)


# -- breakdown --------------------------------------------------------------------------------

# Revenue per channel and month (the guest's order has a channel, so it counts):
#   Jan: web 100+50 = 150, app 80                    total 230
#   Feb: web 40+60 = 100, app 30+20+55 = 105         total 205
#   Mar: web 70+75 = 145, app 90+65+10 = 165         total 310
#   May: web 25+35+45 = 105                          total 105
#   whole: web 500, app 350                          total 850


def test_breakdown_gives_each_entry_its_share_of_the_total(results):
    check_breakdown(results["month"], "revenue_by_channel", {
        "2024-01-01": [("web", 150, 230), ("app", 80, 230)],
        "2024-02-01": [("app", 105, 205), ("web", 100, 205)],
        "2024-03-01": [("app", 165, 310), ("web", 145, 310)],
        "2024-05-01": [("web", 105, 105)],
    })
    check_breakdown(results["whole"], "revenue_by_channel", {(): [("web", 500, 850), ("app", 350, 850)]}, keys=())


def test_breakdown_total_is_the_aggregate_over_all_rows_not_the_sum_of_entries(results):
    # Distinct customers per channel, first entry only (limit 1); ties by item:
    #   Jan: web {1,2}, app {3}           all {1,2,3}    -> web 2/3
    #   Feb: web {2,3}, app {4,6}         all {2,3,4,6}  -> a tie: app 2/4
    #   Mar: web {2} (guest: nobody), app {3,4,6}  all {2,3,4,6}  -> app 3/4
    #   May: web {2,5}                    all {2,5}      -> web 2/2
    #   whole: web {1,2,3,5}, app {3,4,6}: 4 + 3 = 7 entries' sum, but 6 customers in all
    check_breakdown(results["month"], "leading_channel_by_customers", {
        "2024-01-01": [("web", 2, 3)],
        "2024-02-01": [("app", 2, 4)],
        "2024-03-01": [("app", 3, 4)],
        "2024-05-01": [("web", 2, 2)],
    })
    check_breakdown(results["whole"], "leading_channel_by_customers", {(): [("web", 4, 6)]}, keys=())


# -- top ------------------------------------------------------------------------------------

# Revenue per customer and month (guest = the NULL customer):
#   Jan: c1 100, c2 50, c3 80
#   Feb: c2 40, c3 60, c4 30+20 = 50, c6 55
#   Mar: c2 70, c3 90, c4 10, c6 65, guest 75
#   May: c2 35, c5 25+45 = 70


def test_top_by_month_keeps_the_limit_and_never_ranks_a_null_item(results):
    check_list(results["month"], "top_customers", {
        "2024-01-01": ["1", 100, "3", 80, "2", 50],
        "2024-02-01": ["3", 60, "6", 55, "4", 50],  # c2 (40) is fourth: cut by limit 3
        "2024-03-01": ["3", 90, "2", 70, "6", 65],  # the guest's 75 would be second: a NULL item is not ranked
        "2024-05-01": ["5", 70, "2", 35],  # only two customers; April has no entry at all
    })


def test_top_breaks_ties_by_the_item(results):
    # Orders per customer and month; equal counts ranked by customer id ascending.
    check_list(results["month"], "busiest_customers", {
        "2024-01-01": ["1", 1, "2", 1, "3", 1],
        "2024-02-01": ["4", 2, "2", 1, "3", 1, "6", 1],
        "2024-03-01": ["2", 1, "3", 1, "4", 1, "6", 1],  # the guest's order counts for nobody
        "2024-05-01": ["5", 2, "2", 1],
    })


def test_top_over_the_whole_range(results):
    # Orders per customer: c1 1, c2 4, c3 3, c4 3, c5 2, c6 2 (guest 1, not ranked);
    # default limit 10 keeps all six, ties (c3/c4, c5/c6) by id.
    check_list(results["whole"], "busiest_customers", {(): ["2", 4, "3", 3, "4", 3, "5", 2, "6", 2, "1", 1]}, keys=())
    # Revenue: c1 100, c2 50+40+70+35 = 195, c3 80+60+90 = 230, c4 60, c5 70, c6 120, guest 75.
    check_list(results["whole"], "top_customers", {(): ["3", 230, "2", 195, "6", 120]}, keys=())


def test_top_where_filters_rows_before_grouping(results):
    # Online orders (cart_id not null) per customer: c1 1 (o1), c2 2 (o4, o9), c3 2 (o3, o11),
    # c4 2 (o6, o7), c5 2 (o14, o16), c6 2 (o8, o12): a five-way tie at 2, cut at limit 2
    # by id: c2 then c3, with 2 each (counting every order would give c2 4, c3 3).
    check_list(results["whole"], "top_online_customers", {(): ["2", 2, "3", 2]}, keys=())


def test_top_by_channel_ranks_within_each_slice(results):
    # --by channel --from 2024-02-01 --to 2024-04-01: February and March only.
    keys = ("period_start", "channel")
    check_list(results["by_channel_february_march"], "top_customers", {
        ("2024-02-01", "web"): ["3", 60, "2", 40],
        ("2024-02-01", "app"): ["6", 55, "4", 50],
        ("2024-03-01", "web"): ["2", 70],  # the guest's 75 is web too, and not ranked
        ("2024-03-01", "app"): ["3", 90, "6", 65, "4", 10],
    }, keys)


def test_a_plain_kpi_beside_a_list_has_no_item_or_rank(results):
    # Revenue per month, guest included: Jan 230, Feb 205, Mar 70+75+90+65+10 = 310, May 105.
    check_ratios(results["month"], "revenue", {
        "2024-01-01": (230, None, 230), "2024-02-01": (205, None, 205),
        "2024-03-01": (310, None, 310), "2024-05-01": (105, None, 105),
    })
    check_ratios(results["whole"], "revenue", {(): (850, None, 850)}, keys=())
    # by channel, a plain KPI too: NPS in February, web 10, 6: 100 * (1 - 1) / 2 = 0; app 8, 5: 100 * (0 - 1) / 2 = -50
    if kpi_commerce is not None:
        check_ratios(results["by_channel_february_march"], "nps", {
            ("2024-02-01", "web"): (0, None, 0), ("2024-02-01", "app"): (-50, None, -50),
        }, ("period_start", "channel"))
    for name in ("month", "by_channel_february_march", "whole"):
        table = results[name]
        assert table.schema.field("item").type == pa.string() and table.schema.field("rank").type == pa.int64()


# -- kpi-commerce: retention, churn, repeat purchase, lifetime value, NPS -----------------------
#
# Customers active per month (from ORDERS):
#   Jan {1,2,3}   Feb {2,3,4,6}   Mar {2,3,4,6}   Apr {}   May {2,5}
# retention(P) = |active(P-1) ∩ active(P)| / |active(P-1)|, churn = 1 - retention:
#   Feb |{2,3}| / |{1,2,3}| = 2/3      Mar |{2,3,4,6}| / 4 = 1      Apr 0 / |{2,3,4,6}| = 0
#   Jan and May: nobody active the month before, no row; June: after May, the last month
#   with activity, so no data yet rather than zero retention: no row.


def test_retention_and_churn_by_month(results, needs_commerce):
    table = results["month"]
    check_ratios(table, "retention", {"2024-02-01": (2, 3, 2 / 3), "2024-03-01": (4, 4, 1.0), "2024-04-01": (0, 4, 0.0)})
    check_ratios(table, "churn", {"2024-02-01": (1, 3, 1 / 3), "2024-03-01": (0, 4, 0.0), "2024-04-01": (4, 4, 1.0)})
    # Same rows over a DATE time column (orders_by_day: ordered_on).
    check_ratios(table, "daily_retention", {"2024-02-01": (2, 3, 2 / 3), "2024-03-01": (4, 4, 1.0), "2024-04-01": (0, 4, 0.0)})


def test_online_retention_filters_activity_with_where(results, needs_commerce):
    # Online (cart_id not null): Jan {1,3}  Feb {2,4,6}  Mar {2,3,6}  Apr {}  May {5}
    #   Feb |{}| / |{1,3}| = 0      Mar |{2,6}| / |{2,4,6}| = 2/3      Apr 0 / 3 = 0
    check_ratios(results["month"], "online_retention", {
        "2024-02-01": (0, 2, 0.0), "2024-03-01": (2, 3, 2 / 3), "2024-04-01": (0, 3, 0.0),
    })


def test_repeat_purchase_by_month(results, needs_commerce):
    # Active customers with more than one order so far (up to the end of the month):
    #   Jan {1,2,3}: each has one order                                    0/3
    #   Feb {2,3,4,6}: c2, c3 ordered in Jan; c4 twice on Feb 20 11:00
    #       (same instant, same day); c6 once                               3/4
    #   Mar {2,3,4,6}: all ordered before                                   4/4
    #   May {2,5}: c2 ordered before; c5 twice in May (6th and 30th)        2/2
    expected = {
        "2024-01-01": (0, 3, 0.0), "2024-02-01": (3, 4, 0.75),
        "2024-03-01": (4, 4, 1.0), "2024-05-01": (2, 2, 1.0),
    }
    check_ratios(results["month"], "repeat_purchase", expected)
    check_ratios(results["month"], "daily_repeat_purchase", expected)


def test_repeat_purchase_without_grain(results, needs_commerce):
    # Customers {1..6}; more than one order: c2 (4), c3 (3), c4 (3), c5 (2), c6 (2); not c1: 5/6
    check_ratios(results["whole"], "repeat_purchase", {(): (5, 6, 5 / 6)}, keys=())


def test_lifetime_value_by_month(results, needs_commerce):
    # value per active customer / churn, margins of customers' orders (the guest's not counted):
    #   Feb: (20 + 20 + 20 + 10 + 20) / |{2,3,4,6}| = 90 / 4 = 22.5; churn 1/3: 22.5 * 3 = 67.5
    #   Mar: (30 + 40 + 25 + 5) / 4 = 25; churn 0: no finite lifetime, value NULL -> no_data
    #   Apr: churn 1 but nobody active, no value: no row
    check_ratios(results["month"], "lifetime_value", {"2024-02-01": (22.5, 1 / 3, 67.5), "2024-03-01": (25, 0, None)})


def test_nps_by_month(results, needs_commerce):
    # Jan: 10 answers (the blank is none): 5 promoters, 2 passives, 3 detractors: 100 * (5 - 3) / 10 = 20
    # Feb: 10, 8, 6, 5: 1 promoter, 2 detractors: 100 * (1 - 2) / 4 = -25
    check_ratios(results["month"], "nps", {"2024-01-01": (20, None, 20), "2024-02-01": (-25, None, -25)})


def test_by_quarter(results, needs_commerce):
    # Q1 {1,2,3,4,6}, Q2 {2,5}: retention Q2 = |{2}| / 5 = 0.2 (churn 0.8); Q1 has no
    # previous quarter with activity, Q3 comes after the last quarter with activity.
    table = results["quarter"]
    check_ratios(table, "retention", {"2024-04-01": (1, 5, 0.2)})
    # Q1: c1 once; c2, c3, c4 (twice at once), c6 (Feb, Mar) more: 4/5; Q2: c2, c5: 2/2
    check_ratios(table, "repeat_purchase", {"2024-01-01": (4, 5, 0.8), "2024-04-01": (2, 2, 1.0)})
    # Q2: margins 10 + 15 + 20 = 45 over {2,5}: 22.5; / churn 0.8 = 28.125
    check_ratios(table, "lifetime_value", {"2024-04-01": (22.5, 0.8, 28.125)})
    # Q1: 14 answers, 6 promoters, 5 detractors: 100 * (6 - 5) / 14
    check_ratios(table, "nps", {"2024-01-01": (100 / 14, None, 100 / 14)})


def test_by_channel_activity_is_per_slice_and_from_reads_the_period_before(results, needs_commerce):
    # --by channel --from 2024-02-01 --to 2024-04-01: February and March are asked for;
    # January is read for February's cohort; April is not asked for, so not reported.
    # web: Jan {1,2}  Feb {2,3}  Mar {2}
    # app: Jan {3}    Feb {4,6}  Mar {3,4,6}
    # c3 buys app in Jan and web in Feb: lost in app, new in web, retained nowhere.
    table, keys = results["by_channel_february_march"], ("period_start", "channel")
    check_ratios(table, "retention", {
        ("2024-02-01", "web"): (1, 2, 0.5),  # {2} of {1,2}
        ("2024-03-01", "web"): (1, 2, 0.5),  # {2} of {2,3}
        ("2024-02-01", "app"): (0, 1, 0.0),  # {} of {3}
        ("2024-03-01", "app"): (2, 2, 1.0),  # {4,6} of {4,6}
    }, keys)
    check_ratios(table, "churn", {
        ("2024-02-01", "web"): (1, 2, 0.5), ("2024-03-01", "web"): (1, 2, 0.5),
        ("2024-02-01", "app"): (1, 1, 1.0), ("2024-03-01", "app"): (0, 2, 0.0),
    }, keys)
    # More than one order so far in the same channel, orders before --from included:
    #   web Feb {2,3}: c2 (web in Jan) yes, c3 (its first web order) no    1/2
    #   web Mar {2}: yes                                                     1/1
    #   app Feb {4,6}: c4 twice at once yes, c6 no                           1/2
    #   app Mar {3,4,6}: c3 (app in Jan), c4, c6 (app in Feb) yes            3/3
    check_ratios(table, "repeat_purchase", {
        ("2024-02-01", "web"): (1, 2, 0.5), ("2024-03-01", "web"): (1, 1, 1.0),
        ("2024-02-01", "app"): (1, 2, 0.5), ("2024-03-01", "app"): (3, 3, 1.0),
    }, keys)
    # web Feb: (20 + 20) / |{2,3}| = 20, churn 1/2: 40; web Mar: 30 / |{2}| = 30, churn 1/2: 60
    # app Feb: (20 + 10 + 20) / |{4,6}| = 25, churn 1: 25; app Mar: (40 + 25 + 5) / 3, churn 0: no_data
    check_ratios(table, "lifetime_value", {
        ("2024-02-01", "web"): (20, 0.5, 40), ("2024-03-01", "web"): (30, 0.5, 60),
        ("2024-02-01", "app"): (25, 1, 25), ("2024-03-01", "app"): (70 / 3, 0, None),
    }, keys)


def test_without_grain_consecutive_periods_have_no_data(results, needs_commerce):
    table = results["whole"]
    for kpi in ("retention", "churn", "lifetime_value"):
        check_ratios(table, kpi, {(): (None, None, None)}, keys=())
    # 14 answers over the whole range: 100 * (6 - 5) / 14
    check_ratios(table, "nps", {(): (100 / 14, None, 100 / 14)}, keys=())
    assert "item" not in results["quarter"].column_names  # no list KPI asked for: no list columns


# -- loader and compiler reports -------------------------------------------------------------

PROBLEMS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  misspelt_type:
    metric: {type: tpo, source: orders, item: customer_id, expr: count(*)}
  misspelt_key:
    metric: {type: top, source: orders, item: customer_id, expr: count(*), limt: 3}
  missing_item:
    metric: {type: top, source: orders, expr: count(*)}
  aggregate_item:
    metric: {type: top, source: orders, item: count(*), expr: count(*)}
  row_level_expr:
    metric: {type: top, source: orders, item: customer_id, expr: revenue}
  fractional_limit:
    metric: {type: top, source: orders, item: customer_id, expr: count(*), limit: 2.5}
  text_limit:
    metric: {type: top, source: orders, item: customer_id, expr: count(*), limit: "3"}
  misspelt_source:
    metric: {type: top, source: ordres, item: customer_id, expr: count(*)}
  ranked:
    metric: {type: top, source: orders, item: customer_id, expr: count(*)}
  twice_ranked:
    formula: ranked * 2
"""


def test_each_metric_problem_is_one_line_at_its_place(tmp_path):
    (tmp_path / "bad.yaml").write_text(PROBLEMS)
    with pytest.raises(DefinitionError) as caught:
        kpi_engine.load(tmp_path, metric_types=kpi_engine.get_plugins(load_entrypoints=False).metric_types)
    lines = [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems]
    assert all("\n" not in line for line in lines)
    expected = [
        "bad.yaml:5:20: kpi misspelt_type: metric: unknown metric type 'tpo' (did you mean 'top'?) (installed: ",
        "bad.yaml:7:76: kpi misspelt_key: unknown key 'limt' (did you mean 'limit'?)",
        "bad.yaml:9:13: kpi missing_item: metric top: missing field 'item'",
        "bad.yaml:11:47: kpi aggregate_item: item: aggregate 'COUNT(*)' is not allowed in a dimension",
        "bad.yaml:13:66: kpi row_level_expr: expr: expression must aggregate, e.g. count(*) or sum(revenue)",
        "bad.yaml:15:83: kpi fractional_limit: metric: limit must be a positive whole number, not 2.5",
        "bad.yaml:17:83: kpi text_limit: metric: limit must be a positive whole number, not '3'",
        "bad.yaml:19:33: kpi misspelt_source: metric: unknown source 'ordres' (did you mean 'orders'?)",
        "bad.yaml:22:3: kpi twice_ranked: formula: kpi 'ranked' is a ranked list (several rows per period), so it cannot be combined",
    ]
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected):
        assert line.startswith(start), (line, start)
    assert lines[0].endswith("(installed: breakdown, top)")  # the builtins alone


# A team's own plugin: one metric type that works, one whose build raises.


def first_time_share(query):
    """Of the entities active in the period, the share whose first row ever is in it (needs a grain)."""
    entity = query.params["entity"]
    known = exp.Not(this=exp.Is(this=entity.copy(), expression=exp.Null()))
    keys = [("period_start", query.bucket(query.time))] + [(n, e) for n, e in query.dimensions]
    in_request = [known, query.period(query.time, query.start, query.end)]
    rows = (
        exp.select(*(exp.alias_(e, exp.to_identifier(n, quoted=True)) for n, e in keys), exp.alias_(entity.copy(), "e"))
        .from_(query.relation.copy())
        .where(exp.and_(*[c for c in in_request if c is not None], *([query.where.copy()] if query.where else [])))
    )
    history = [known.copy(), query.period(query.time, None, query.end)]
    firsts = (
        exp.select(exp.alias_(entity.copy(), "e"), exp.alias_(query.bucket(exp.Min(this=query.time.copy())), "first_period"))
        .from_(query.relation.copy())
        .where(exp.and_(*[c for c in history if c is not None], *([query.where.copy()] if query.where else [])))
        .group_by(entity.copy())
    )
    r, f = "r", "f"
    new = exp.Case(ifs=[exp.If(
        this=exp.EQ(this=exp.column("first_period", f), expression=exp.column("period_start", r, quoted=True)),
        true=exp.column("e", r),
    )])
    names = [n for n, _ in keys]
    return (
        exp.select(
            *(exp.column(n, r, quoted=True) for n in names),
            exp.alias_(exp.Count(this=exp.Distinct(expressions=[new])), "numerator"),
            exp.alias_(exp.Count(this=exp.Distinct(expressions=[exp.column("e", r)])), "denominator"),
        )
        .from_(exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier(r))))
        .join(exp.Subquery(this=firsts, alias=exp.TableAlias(this=exp.to_identifier(f))),
              on=exp.EQ(this=exp.column("e", r), expression=exp.column("e", f)))
        .group_by(*(exp.column(n, r, quoted=True) for n in names))
    )


def explode(query):
    raise RuntimeError("the team's builder has a bug")


class TeamPlugin:
    """What a team's own plugin module holds: one hook, two metric types."""

    @hookimpl
    def kpi_register_metric_types(self):
        return [
            MetricTypeSpec(
                name="first_time_share", build=first_time_share,
                params=(MetricParam("entity", "dimension"),),
                description="share of the period's active entities seen for the first time",
            ),
            MetricTypeSpec(name="explode", build=explode, description="always fails to build"),
        ]


TEAM_DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  new_customer_share:
    metric: {type: first_time_share, source: orders, entity: customer_id}
  web_new_customer_share:
    metric: {type: first_time_share, source: orders, entity: customer_id, where: channel = 'web'}
  busiest_customers:
    metric: {type: top, source: orders, item: customer_id, expr: count(*), limit: 1}
"""


@pytest.mark.parametrize("engine", [m for m in engines() if m.NAME in ("duckdb", "sqlite")], ids=lambda m: m.NAME)
def test_a_teams_own_metric_type_works_end_to_end(engine, tmp_path):
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[TeamPlugin()])
    assert "first_time_share" in plugins.metric_types and plugins.failures == ()
    (tmp_path / "team.yaml").write_text(TEAM_DEFINITIONS)
    catalog = kpi_engine.load(tmp_path / "team.yaml", plugins.functions, metric_types=plugins.metric_types)
    with engine.provision(tables(), tmp_path) as url, kpi_engine.Engine(catalog, url, plugins=plugins) as engine_:
        table = engine_.run(grain="month")
    # First orders: c1, c2, c3 in Jan; c4, c6 in Feb; c5 in May.
    #   Jan {1,2,3} all new 3/3; Feb {2,3,4,6}: 4, 6 new 2/4; Mar {2,3,4,6}: 0/4; May {2,5}: 5 new 1/2
    check_ratios(table, "new_customer_share", {
        "2024-01-01": (3, 3, 1.0), "2024-02-01": (2, 4, 0.5), "2024-03-01": (0, 4, 0.0), "2024-05-01": (1, 2, 0.5),
    })
    # Web only: Jan {1,2} new; Feb {2,3}: c3's first web order 1/2; Mar {2}: 0/1; May {2,5}: 5 new 1/2
    check_ratios(table, "web_new_customer_share", {
        "2024-01-01": (2, 2, 1.0), "2024-02-01": (1, 2, 0.5), "2024-03-01": (0, 1, 0.0), "2024-05-01": (1, 2, 0.5),
    })
    check_list(table, "busiest_customers", {
        "2024-01-01": ["1", 1], "2024-02-01": ["4", 2], "2024-03-01": ["2", 1], "2024-05-01": ["5", 2],
    })


def test_a_type_whose_build_raises_is_one_line_naming_the_kpi_and_the_type(tmp_path):
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[TeamPlugin()])
    (tmp_path / "team.yaml").write_text("sources:\n  orders: {table: orders, time: ordered_at}\n"
                                        "kpis:\n  doomed:\n    metric: {type: explode, source: orders}\n")
    catalog = kpi_engine.load(tmp_path, plugins.functions, metric_types=plugins.metric_types)
    with kpi_engine.Engine(catalog, "duckdb://", plugins=plugins) as engine:
        with pytest.raises(SelectionError) as caught:
            engine.compile(grain="month")
    assert str(caught.value) == (
        f"{tmp_path}/team.yaml:4:3: kpi doomed: metric type explode failed to build its query: "
        "RuntimeError: the team's builder has a bug"
    )


EXPLODING_PLUGIN = '''\
from kpi_engine import MetricTypeSpec, hookimpl


def explode(query):
    raise RuntimeError("the team's builder has a bug")


@hookimpl
def kpi_register_metric_types():
    return [MetricTypeSpec(name="explode", build=explode)]
'''


def test_the_cli_exits_2_with_one_line_when_a_plugin_type_fails(tmp_path, monkeypatch):
    # An installed distribution, as pip would leave it: a module and an entry point.
    site = tmp_path / "site"
    site.mkdir()
    (site / "team_metrics.py").write_text(EXPLODING_PLUGIN)
    info = site / "team_metrics-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: team-metrics\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[kpi_engine]\nteam_metrics = team_metrics\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    monkeypatch.delenv("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "team.yaml").write_text("sources:\n  orders: {table: orders, time: ordered_at}\n"
                                    "kpis:\n  doomed:\n    metric: {type: explode, source: orders}\n")
    try:
        for command in ("run", "compile"):
            result = CliRunner().invoke(_Main(), [command, str(defs), "--connection", "duckdb://", "--grain", "month"])
            assert result.exit_code == 2, (command, result.output, result.stderr)
            assert result.stdout == "" and "Traceback" not in result.stderr
            (line,) = [x for x in result.stderr.splitlines() if not x.startswith("warning:")]
            assert line.endswith(
                "team.yaml:4:3: kpi doomed: metric type explode failed to build its query: "
                "RuntimeError: the team's builder has a bug"
            ), line
    finally:
        sys.modules.pop("team_metrics", None)


class _Main:
    """CliRunner drives ``main``: click's and the engine's errors become exit codes there."""

    name = "kpi"

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        from kpi_engine.cli import main

        main(list(args or []))
