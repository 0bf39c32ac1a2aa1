"""End-to-end values on a small DuckDB warehouse, checked against an independent oracle.

The warehouse (``tests/fixtures``) has ``orders`` as a ``table:`` source in a DuckDB
database file, ``sessions`` as a ``path:`` source (Parquet) and ``net_orders`` as a
``sql:`` source. Every numerator, denominator, value and status the engine returns is
compared with plain Python over the same rows (``fixtures.group``/``bucket``/...), or with
hand-written SQL in a separate DuckDB connection, never with the engine's own output.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import duckdb
import pytest

import kpi_engine
from fixtures import (
    ODD_STATUS,
    ORDER_COLUMNS,
    ORDERS,
    SESSION_COLUMNS,
    SESSIONS,
    build_warehouse,
    count,
    divide,
    duckdb_url,
    expected_status,
    group,
    total,
)

GRAINS = (None, "day", "week", "month", "quarter", "year")

# The lines of each KPI in fixtures.DEFINITIONS, restated here for the hand-written status.
LINES = {
    "conversion_rate": dict(direction="higher", target=0.5, warn=0.45, critical=0.2),
    "paid_conversion": dict(direction="higher"),
    "revenue": dict(direction="higher"),
    "paid_revenue_per_session": dict(direction="higher"),
    "orders_count": dict(direction="lower", target=2),
    "avg_order_value": dict(direction="range", target=(40, 80), warn=(30, 100), critical=(20, 150)),
    "odd_orders": dict(direction="higher"),
    "net_order_count": dict(direction="higher"),
}
RATIOS = {"conversion_rate", "paid_conversion", "paid_revenue_per_session"}
ALL = list(LINES)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("warehouse")
    defs, db = build_warehouse(root)
    return defs, db


@pytest.fixture(scope="module")
def engine(warehouse):
    defs, db = warehouse
    catalog = kpi_engine.load(defs)
    with kpi_engine.Engine(catalog, duckdb_url(db)) as eng:
        yield eng


# -- the oracle ---------------------------------------------------------------------------


def _orders(grain, by, start, end, where=None, rows=ORDERS):
    return group(rows, ORDER_COLUMNS, "ordered_at", grain, by, start, end, where)


def _sessions(grain, by, start, end):
    return group(SESSIONS, SESSION_COLUMNS, "started_at", grain, by, start, end)


def oracle(kpi: str, grain=None, by=(), start=None, end=None) -> dict[tuple, tuple]:
    """{(period_start?, *by): (numerator, denominator, value)} computed in plain Python."""
    whole = grain is None and not by  # one aggregate row even over no rows (SQL semantics)
    paid = lambda r: r["status"] == "paid"  # noqa: E731
    orders = _orders(grain, by, start, end)
    if kpi in ("conversion_rate", "paid_conversion", "paid_revenue_per_session"):
        num_groups = _orders(grain, by, start, end, where=paid if kpi != "conversion_rate" else None)
        den_groups = _sessions(grain, by, start, end)
        keys = set(num_groups) | set(den_groups) | ({()} if whole else set())
        out = {}
        for k in keys:
            den = count(den_groups.get(k, []))
            if kpi == "paid_revenue_per_session":
                num = total(num_groups.get(k, []), "revenue")  # sum over no rows: null
            else:
                num = count(num_groups.get(k, []))  # count over no rows: 0
            out[k] = (num, den, divide(num, den))
        return out
    if kpi == "net_order_count":
        rows = [r for r in ORDERS if r[3] != "refunded"]
        groups = _orders(grain, by, start, end, rows=rows)
    else:
        groups = orders
    if whole:
        groups = {(): groups.get((), [])}
    out = {}
    for k, rows in groups.items():
        n = count(rows)
        if kpi == "revenue":
            v = total(rows, "revenue")
            out[k] = (v, None, v)
        elif kpi == "orders_count" or kpi == "net_order_count":
            out[k] = (n, None, n)
        elif kpi == "odd_orders":
            c = count([r for r in rows if r["status"] == ODD_STATUS])
            out[k] = (c, None, c)
        elif kpi == "avg_order_value":
            rev = total(rows, "revenue")
            out[k] = (rev, n, divide(rev, n))
        else:
            raise AssertionError(kpi)
    return out


def expected_rows(kpis, grain=None, by=(), start=None, end=None) -> dict[tuple, tuple]:
    out = {}
    for kpi in kpis:
        for key, (num, den, value) in oracle(kpi, grain, by, start, end).items():
            ratio_den = den if kpi in RATIOS else "n/a"
            out[(kpi, *key)] = (num, den, value, expected_status(value=value, ratio_denominator=ratio_den, **LINES[kpi]))
    return out


def actual_rows(table, grain=None, by=()) -> dict[tuple, tuple]:
    out = {}
    for row in table.to_pylist():
        key = (row["kpi"],) + ((row["period_start"],) if grain else ()) + tuple(row[b] for b in by)
        assert key not in out, f"duplicate result row {key}"
        out[key] = (row["numerator"], row["denominator"], row["value"], row["status"])
    return out


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def assert_matches(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected), (
        f"missing {sorted(set(expected) - set(actual), key=str)}, extra {sorted(set(actual) - set(expected), key=str)}"
    )
    for key, exp_row in expected.items():
        act = actual[key]
        for what, a, e in zip(("numerator", "denominator", "value"), act[:3], exp_row[:3]):
            assert same(a, e), f"{key} {what}: engine {a!r}, expected {e!r}"
        assert act[3] == exp_row[3], f"{key} status: engine {act[3]!r}, expected {exp_row[3]!r} (value {act[2]!r})"


# -- every grain, with and without a dimension --------------------------------------------


@pytest.mark.parametrize("by", [(), ("channel",)], ids=["total", "by_channel"])
@pytest.mark.parametrize("grain", GRAINS, ids=[g or "none" for g in GRAINS])
def test_values_match_independent_computation(engine, grain, by):
    table = engine.run(kpis=ALL, grain=grain, by=list(by))
    assert_matches(actual_rows(table, grain, by), expected_rows(ALL, grain, by))


@pytest.mark.parametrize("grain", ["month", None])
def test_values_by_a_dimension_only_one_source_has_with_value_kpis(engine, grain):
    # `order_status` (an expression dimension, lower(status)) is a dimension of orders only:
    # KPIs over orders alone can slice by it.
    kpis = ["revenue", "orders_count", "odd_orders"]
    table = engine.run(kpis=kpis, grain=grain, by=["order_status"])
    assert_matches(actual_rows(table, grain, ("order_status",)), expected_rows(kpis, grain, ("order_status",)))
    odd = [r for r in table.to_pylist() if r["kpi"] == "odd_orders" and r["value"]]
    assert [r["order_status"] for r in odd] == ["it's \\ odd"]


# -- no fan-out, zero counts ----------------------------------------------------------------


def test_ratio_over_two_sources_does_not_fan_out(engine, warehouse):
    table = engine.run(kpis=["conversion_rate"], grain="month", by=["channel"])
    rows = {(r["period_start"], r["channel"]): r for r in table.to_pylist()}

    jan_web = rows[(date(2024, 1, 1), "web")]
    assert (jan_web["numerator"], jan_web["denominator"]) == (3, 7)
    assert jan_web["value"] == pytest.approx(3 / 7)

    # No order at all in January/app: count over no rows is 0, so 0 of 4 is a rate of 0.
    jan_app = rows[(date(2024, 1, 1), "app")]
    assert (jan_app["numerator"], jan_app["denominator"], jan_app["value"]) == (0, 4, 0)
    assert jan_app["status"] == "critical"  # judged, not no_data

    # The same numbers with hand-written SQL in a separate connection; and a naive join
    # of the fact tables, which the fixture is built to expose: it would say 21 of 21.
    _, db = warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        sessions_path = str(warehouse[0] / "data" / "sessions.parquet")
        separate = con.execute(
            """
            with o as (select date_trunc('month', ordered_at)::date p, channel c, count(*) n
                       from orders group by all),
                 s as (select date_trunc('month', started_at)::date p, channel c, count(*) n
                       from read_parquet(?) group by all)
            select coalesce(o.n, 0), coalesce(s.n, 0)
            from s left join o on o.p = s.p and o.c = s.c
            where s.p = date '2024-01-01' and s.c = 'web'
            """,
            [sessions_path],
        ).fetchone()
        naive = con.execute(
            """
            select count(o.order_id), count(s.session_id)
            from orders o join read_parquet(?) s
              on date_trunc('month', o.ordered_at) = date_trunc('month', s.started_at) and o.channel = s.channel
            where date_trunc('month', o.ordered_at) = date '2024-01-01' and o.channel = 'web'
            """,
            [sessions_path],
        ).fetchone()
    finally:
        con.close()
    assert separate == (3, 7)
    assert naive == (21, 21)


def test_numerator_side_without_rows_is_zero_for_counts_and_null_for_sums(engine):
    table = engine.run(kpis=["paid_conversion", "paid_revenue_per_session"], grain="month", by=["channel"])
    rows = {(r["kpi"], r["period_start"], r["channel"]): r for r in table.to_pylist()}
    count_side = rows[("paid_conversion", date(2024, 1, 1), "app")]
    assert (count_side["numerator"], count_side["denominator"], count_side["value"]) == (0, 4, 0)
    assert count_side["status"] == "unrated"
    sum_side = rows[("paid_revenue_per_session", date(2024, 1, 1), "app")]
    # Sum over no rows is null (DESIGN.md "Data flow"), so the value is null: no_data.
    assert sum_side["numerator"] is None and sum_side["denominator"] == 4
    assert sum_side["value"] is None and sum_side["status"] == "no_data"


def test_sum_over_rows_that_are_all_null_is_null(engine):
    table = engine.run(kpis=["revenue", "orders_count"], grain="day", by=["channel"])
    rows = {(r["kpi"], r["period_start"], r["channel"]): r for r in table.to_pylist()}
    leap_day = rows[("revenue", date(2024, 2, 29), "web")]  # one order, revenue NULL
    assert leap_day["numerator"] is None and leap_day["value"] is None
    assert leap_day["status"] == "no_data"
    assert rows[("orders_count", date(2024, 2, 29), "web")]["value"] == 1


def test_zero_denominator_is_no_data(engine):
    table = engine.run(kpis=["conversion_rate"], grain="month", by=["channel"])
    phone = [r for r in table.to_pylist() if r["channel"] == "phone"]
    assert len(phone) == 1
    assert (phone[0]["numerator"], phone[0]["denominator"]) == (1, 0)
    assert phone[0]["value"] is None and phone[0]["status"] == "no_data"


# -- dimensions and weeks ---------------------------------------------------------------------


def test_null_dimension_values_line_up_across_sources(engine):
    table = engine.run(kpis=["conversion_rate"], grain="month", by=["channel"])
    nulls = [r for r in table.to_pylist() if r["channel"] is None]
    # One row, not an orders-only row plus a sessions-only row.
    assert len(nulls) == 1
    row = nulls[0]
    assert row["period_start"] == date(2024, 2, 1)
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 2, 0.5)


def test_weeks_start_on_monday(engine):
    table = engine.run(kpis=["orders_count"], grain="week")
    weeks = {r["period_start"]: r["value"] for r in table.to_pylist()}
    assert all(d.weekday() == 0 for d in weeks), sorted(weeks)
    # Sunday 2024-01-14 23:59:59 belongs to the week of Monday 2024-01-08 (with Jan 8..14);
    # Monday 2024-01-15 00:00:00 opens the next week. Sunday 2023-12-31: week of 2023-12-25.
    assert weeks[date(2024, 1, 8)] == 1
    assert weeks[date(2024, 1, 15)] == 1
    assert weeks[date(2023, 12, 25)] == 1
    assert date(2024, 1, 14) not in weeks and date(2023, 12, 31) not in weeks


def test_quarter_and_year_boundaries(engine):
    quarters = {r["period_start"]: r["value"] for r in engine.run(kpis=["orders_count"], grain="quarter").to_pylist()}
    assert quarters == {date(2023, 10, 1): 1, date(2024, 1, 1): 9, date(2024, 4, 1): 1}
    years = {r["period_start"]: r["value"] for r in engine.run(kpis=["orders_count"], grain="year").to_pylist()}
    assert years == {date(2023, 1, 1): 1, date(2024, 1, 1): 10}


# -- periods: half-open, dates and timestamps ---------------------------------------------------


@pytest.mark.parametrize("grain", [None, "month"])
def test_period_with_dates_is_half_open(engine, grain):
    start, end = date(2024, 1, 15), date(2024, 4, 1)
    table = engine.run(kpis=ALL, grain=grain, by=["channel"], start=start, end=end)
    assert_matches(actual_rows(table, grain, ("channel",)), expected_rows(ALL, grain, ("channel",), start, end))
    counts = {r["channel"]: r["value"] for r in table.to_pylist() if r["kpi"] == "orders_count" and grain is None}
    if grain is None:
        # order 3 at exactly 2024-01-15 00:00:00 is in (from is inclusive); order 9 at exactly
        # 2024-04-01 00:00:00 is out (to is exclusive); orders 1 and 2 are before the period.
        assert counts == {"web": 3, None: 1, "phone": 1, "app": 2}


def test_period_with_timestamps_is_half_open(engine):
    start, end = datetime(2024, 1, 14, 23, 59, 59), datetime(2024, 2, 29, 18, 0, 0)
    table = engine.run(kpis=ALL, by=["channel"], start=start, end=end)
    assert_matches(actual_rows(table, None, ("channel",)), expected_rows(ALL, None, ("channel",), start, end))
    web = next(r for r in table.to_pylist() if r["kpi"] == "orders_count" and r["channel"] == "web")
    # order 2 sits exactly on --from (in), order 5 exactly on --to (out): orders 2, 3, 4.
    assert web["value"] == 3


def test_period_mixing_a_date_and_a_timestamp(engine):
    start, end = date(2024, 1, 15), datetime(2024, 2, 29, 18, 0, 0)
    table = engine.run(kpis=["orders_count"], by=["channel"], start=start, end=end)
    assert_matches(
        actual_rows(table, None, ("channel",)), expected_rows(["orders_count"], None, ("channel",), start, end)
    )


def test_empty_period_gives_no_data(engine):
    start, end = date(2025, 1, 1), date(2025, 2, 1)
    kpis = ["conversion_rate", "revenue", "paid_revenue_per_session", "avg_order_value"]
    whole = engine.run(kpis=kpis, start=start, end=end).to_pylist()
    assert [r["kpi"] for r in whole] == kpis
    assert all(r["status"] == "no_data" and r["value"] is None for r in whole), whole
    conversion = whole[0]
    assert (conversion["numerator"], conversion["denominator"]) == (0, 0)  # counts over no rows
    assert whole[1]["numerator"] is None  # sum over no rows

    bucketed = engine.run(kpis=kpis, grain="month", by=["channel"], start=start, end=end).to_pylist()
    assert [r["kpi"] for r in bucketed] == kpis  # every selected KPI still has a row
    assert all(r["status"] == "no_data" for r in bucketed), bucketed


# -- statuses, checked by hand ------------------------------------------------------------------


def test_statuses_by_hand(engine):
    table = engine.run(
        kpis=["conversion_rate", "avg_order_value", "orders_count", "revenue"], grain="month", by=["channel"]
    )
    got = {(r["kpi"], r["period_start"].isoformat(), r["channel"]): (r["value"], r["status"]) for r in table.to_pylist()}
    expected = {
        # higher; target 0.5, warn 0.45, critical 0.2
        ("conversion_rate", "2023-12-01", "web"): (1 / 2, "ok"),
        ("conversion_rate", "2024-01-01", "web"): (3 / 7, "warn"),  # 0.43 < 0.45
        ("conversion_rate", "2024-01-01", "app"): (0.0, "critical"),  # 0 orders, 4 sessions
        ("conversion_rate", "2024-02-01", "web"): (2 / 5, "warn"),
        ("conversion_rate", "2024-02-01", None): (1 / 2, "ok"),
        ("conversion_rate", "2024-02-01", "phone"): (None, "no_data"),  # 1 order, 0 sessions
        ("conversion_rate", "2024-03-01", "app"): (2 / 3, "ok"),
        ("conversion_rate", "2024-04-01", "app"): (1.0, "ok"),
        # range; warn band [30, 100], critical band [20, 150] (closed)
        ("avg_order_value", "2023-12-01", "web"): (10.0, "critical"),
        ("avg_order_value", "2024-01-01", "web"): (60.0, "ok"),  # (100 + 50 + 30) / 3
        ("avg_order_value", "2024-02-01", "web"): (40.0, "ok"),  # 80 / 2: the NULL revenue is skipped
        ("avg_order_value", "2024-02-01", None): (20.0, "warn"),  # on the critical band's edge
        ("avg_order_value", "2024-02-01", "phone"): (40.0, "ok"),
        ("avg_order_value", "2024-03-01", "app"): (15.0, "critical"),
        ("avg_order_value", "2024-04-01", "app"): (60.0, "ok"),
        # lower; a target alone is the warn line
        ("orders_count", "2023-12-01", "web"): (1.0, "ok"),
        ("orders_count", "2024-01-01", "web"): (3.0, "warn"),
        ("orders_count", "2024-02-01", "web"): (2.0, "ok"),  # equal to the line: not over it
        ("orders_count", "2024-02-01", None): (1.0, "ok"),
        ("orders_count", "2024-02-01", "phone"): (1.0, "ok"),
        ("orders_count", "2024-03-01", "app"): (2.0, "ok"),
        ("orders_count", "2024-04-01", "app"): (1.0, "ok"),
        # no target, no thresholds
        ("revenue", "2023-12-01", "web"): (10.0, "unrated"),
        ("revenue", "2024-01-01", "web"): (180.0, "unrated"),
        ("revenue", "2024-02-01", "web"): (80.0, "unrated"),
        ("revenue", "2024-02-01", None): (20.0, "unrated"),
        ("revenue", "2024-02-01", "phone"): (40.0, "unrated"),
        ("revenue", "2024-03-01", "app"): (30.0, "unrated"),
        ("revenue", "2024-04-01", "app"): (60.0, "unrated"),
    }
    assert set(got) == set(expected)
    for key, (value, status) in expected.items():
        assert same(got[key][0], value), (key, got[key])
        assert got[key][1] == status, (key, got[key])
    assert {s for _, s in got.values()} == {"ok", "warn", "critical", "no_data", "unrated"}


# -- the three kinds of source ---------------------------------------------------------------------


def test_table_path_and_sql_sources(engine):
    rows = {r["kpi"]: r for r in engine.run(kpis=["orders_count", "conversion_rate", "net_order_count"]).to_pylist()}
    assert rows["orders_count"]["value"] == len(ORDERS)  # table: source
    assert rows["conversion_rate"]["denominator"] == len(SESSIONS)  # path: source (Parquet)
    assert rows["net_order_count"]["value"] == sum(1 for o in ORDERS if o[3] != "refunded")  # sql: source


def test_where_literal_with_quote_and_backslash_matches_exactly(engine):
    rows = engine.run(kpis=["odd_orders"]).to_pylist()
    assert rows[0]["value"] == sum(1 for o in ORDERS if o[3] == ODD_STATUS) == 1


def test_source_without_time_serves_whole_table_kpis(engine):
    rows = engine.run(kpis=["whole_table_orders"], by=["channel"]).to_pylist()
    expected = {}
    for o in ORDERS:
        expected[o[2]] = expected.get(o[2], 0) + 1
    assert {r["channel"]: r["value"] for r in rows} == expected
