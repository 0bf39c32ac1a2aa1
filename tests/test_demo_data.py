"""The seeded demo dataset: determinism, integrity, realistic rates, and the cache.

Rates are recomputed here with hand-written SQL (DuckDB) or pyarrow compute over the
generated tables, never with the generator's own code. The bands come from
notes on realistic B2B-shop numbers (schema_spec.md), not from the generator's output.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import zlib

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kpi_engine.demo import database as demo_db
from kpi_engine.demo.generator import generate_tables

EXPECTED_COLUMNS = {
    "customers": {
        "customer_id": pa.int64(),
        "created_at": pa.timestamp("us"),
        "segment": pa.string(),
        "country": pa.string(),
        "acquisition_channel": pa.string(),
    },
    "sessions": {
        "session_id": pa.int64(),
        "visitor_id": pa.int64(),
        "customer_id": pa.int64(),
        "started_at": pa.timestamp("us"),
        "channel": pa.string(),
        "device": pa.string(),
        "pages": pa.int64(),
        "duration_s": pa.float64(),
        "bounced": pa.bool_(),
        "is_new_visitor": pa.bool_(),
        "landing_page": pa.string(),
        "exit_page": pa.string(),
        "load_time_s": pa.float64(),
    },
    "carts": {
        "cart_id": pa.int64(),
        "session_id": pa.int64(),
        "customer_id": pa.int64(),
        "created_at": pa.timestamp("us"),
        "channel": pa.string(),
        "device": pa.string(),
        "segment": pa.string(),
        "ordered": pa.bool_(),
    },
    "orders": {
        "order_id": pa.int64(),
        "customer_id": pa.int64(),
        "cart_id": pa.int64(),
        "quote_id": pa.int64(),
        "ordered_at": pa.timestamp("us"),
        "channel": pa.string(),
        "segment": pa.string(),
        "payment_method": pa.string(),
        "carrier": pa.string(),
        "revenue": pa.float64(),
        "cost": pa.float64(),
        "promised_at": pa.timestamp("us"),
        "delivered_at": pa.timestamp("us"),
        "is_first_order": pa.bool_(),
        "shipping_incident": pa.string(),
    },
    "order_lines": {
        "order_id": pa.int64(),
        "line_no": pa.int64(),
        "ordered_at": pa.timestamp("us"),
        "category": pa.string(),
        "quantity": pa.int64(),
        "unit_price": pa.float64(),
        "revenue": pa.float64(),
        "cost": pa.float64(),
        "channel": pa.string(),
        "segment": pa.string(),
    },
    "quotes": {
        "quote_id": pa.int64(),
        "customer_id": pa.int64(),
        "requested_at": pa.timestamp("us"),
        "channel": pa.string(),
        "segment": pa.string(),
        "status": pa.string(),
        "order_id": pa.int64(),
    },
    "tickets": {
        "ticket_id": pa.int64(),
        "customer_id": pa.int64(),
        "order_id": pa.int64(),
        "created_at": pa.timestamp("us"),
        "channel": pa.string(),
        "topic": pa.string(),
        "first_response_s": pa.float64(),
        "resolved_at": pa.timestamp("us"),
        "resolution_s": pa.float64(),
    },
    "surveys": {
        "survey_id": pa.int64(),
        "customer_id": pa.int64(),
        "order_id": pa.int64(),
        "answered_at": pa.timestamp("us"),
        "channel": pa.string(),
        "score": pa.int64(),
        "comment_length": pa.int64(),
    },
    "campaigns": {
        "campaign_id": pa.int64(),
        "campaign": pa.string(),
        "day": pa.timestamp("us"),
        "channel": pa.string(),
        "network": pa.string(),
        "impressions": pa.int64(),
        "clicks": pa.int64(),
        "spend": pa.float64(),
        "conversions": pa.int64(),
        "conversion_revenue": pa.float64(),
    },
    "leads": {
        "lead_id": pa.int64(),
        "created_at": pa.timestamp("us"),
        "source": pa.string(),
        "segment": pa.string(),
        "stage": pa.string(),
        "qualified_at": pa.timestamp("us"),
        "opportunity_at": pa.timestamp("us"),
        "won_at": pa.timestamp("us"),
        "customer_id": pa.int64(),
    },
    "searches": {
        "search_id": pa.int64(),
        "session_id": pa.int64(),
        "visitor_id": pa.int64(),
        "searched_at": pa.timestamp("us"),
        "query": pa.string(),
        "results": pa.int64(),
        "clicked": pa.bool_(),
        "channel": pa.string(),
        "device": pa.string(),
    },
    "calls": {
        "call_id": pa.int64(),
        "customer_id": pa.int64(),
        "order_id": pa.int64(),
        "started_at": pa.timestamp("us"),
        "queue": pa.string(),
        "wait_s": pa.float64(),
        "answered": pa.bool_(),
        "talk_s": pa.float64(),
    },
    "email_optins": {
        "optin_id": pa.int64(),
        "visitor_id": pa.int64(),
        "customer_id": pa.int64(),
        "subscribed_at": pa.timestamp("us"),
        "source": pa.string(),
        "channel": pa.string(),
        "device": pa.string(),
    },
    "returns": {
        "return_id": pa.int64(),
        "order_id": pa.int64(),
        "customer_id": pa.int64(),
        "requested_at": pa.timestamp("us"),
        "reason": pa.string(),
        "status": pa.string(),
        "refund_amount": pa.float64(),
        "refunded_at": pa.timestamp("us"),
        "channel": pa.string(),
        "segment": pa.string(),
        "carrier": pa.string(),
    },
    "disputes": {
        "dispute_id": pa.int64(),
        "order_id": pa.int64(),
        "customer_id": pa.int64(),
        "opened_at": pa.timestamp("us"),
        "reason": pa.string(),
        "amount": pa.float64(),
        "outcome": pa.string(),
        "resolved_at": pa.timestamp("us"),
        "channel": pa.string(),
        "segment": pa.string(),
        "carrier": pa.string(),
    },
}
# columns added to the first eight tables after their first release
ADDED_COLUMNS = {"sessions": ("landing_page", "exit_page", "load_time_s"), "orders": ("shipping_incident",),
                 "tickets": ("resolution_s",)}
TIME_COLUMNS = {"customers": "created_at", "sessions": "started_at", "carts": "created_at", "orders": "ordered_at",
                "order_lines": "ordered_at", "quotes": "requested_at", "tickets": "created_at",
                "surveys": "answered_at", "campaigns": "day", "leads": "created_at", "searches": "searched_at",
                "calls": "started_at", "email_optins": "subscribed_at", "returns": "requested_at",
                "disputes": "opened_at"}

START = datetime.date(2025, 11, 1)
END = datetime.datetime(2026, 11, 1)


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    # half the default traffic over the default year: ~48k sessions, ~1.7k orders
    return generate_tables(scale=0.5)


@pytest.fixture(scope="module")
def con(tables):
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def full_con():
    """The default dataset (scale 1): enough returns, disputes and calls for their rates."""
    connection = duckdb.connect()
    for name, table in generate_tables().items():
        connection.register(name, table)
    yield connection
    connection.close()


def one(con, query: str):
    rows = con.execute(query).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def monthly(con, query: str) -> dict[str, float]:
    """Run a query returning (month, value) rows."""
    return {month: value for month, value in con.execute(query).fetchall()}


# --- determinism ----------------------------------------------------------------------


def test_same_seed_gives_identical_tables():
    first = generate_tables(seed=7, months=3, scale=0.2)
    second = generate_tables(seed=7, months=3, scale=0.2)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].equals(second[name]), name


def test_other_seed_gives_other_tables():
    first = generate_tables(seed=7, months=3, scale=0.2)
    other = generate_tables(seed=8, months=3, scale=0.2)
    for name in ("sessions", "orders", "campaigns", "leads", "searches", "email_optins"):
        assert not first[name].equals(other[name]), name


def test_start_and_months_bound_the_data():
    tables = generate_tables(months=2, start=datetime.date(2024, 3, 1), scale=0.2)
    started = tables["sessions"]["started_at"]
    assert pc.min(started).as_py() >= datetime.datetime(2024, 3, 1)
    assert pc.max(started).as_py() < datetime.datetime(2024, 5, 1)
    for name, column in TIME_COLUMNS.items():
        if len(tables[name]) and name != "customers":
            assert pc.min(tables[name][column]).as_py() >= datetime.datetime(2024, 3, 1), name
            assert pc.max(tables[name][column]).as_py() < datetime.datetime(2024, 5, 1), name


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        generate_tables(months=0)
    with pytest.raises(ValueError):
        generate_tables(scale=0)


# --- schema and keys ------------------------------------------------------------------


def test_schema_is_exactly_the_documented_one(tables):
    assert set(tables) == set(EXPECTED_COLUMNS)
    for name, columns in EXPECTED_COLUMNS.items():
        schema = tables[name].schema
        assert schema.names == list(columns), name
        for column, type_ in columns.items():
            assert schema.field(column).type == type_, (name, column)


@pytest.mark.parametrize(
    ("table", "key"),
    [("customers", "customer_id"), ("sessions", "session_id"), ("carts", "cart_id"),
     ("orders", "order_id"), ("quotes", "quote_id"), ("tickets", "ticket_id"),
     ("surveys", "survey_id"), ("leads", "lead_id"), ("searches", "search_id"), ("calls", "call_id"),
     ("email_optins", "optin_id"), ("returns", "return_id"), ("disputes", "dispute_id")],
)
def test_primary_keys_are_unique_and_not_null(tables, table, key):
    column = tables[table][key]
    assert column.null_count == 0
    assert pc.count_distinct(column).as_py() == len(column)


def test_order_lines_key_is_order_and_line_number(con):
    assert one(con, "select count(*) from (select order_id, line_no from order_lines group by all having count(*) > 1)") == 0
    # line numbers run 1..n within an order
    assert one(con, "select count(*) from (select order_id from order_lines group by order_id "
                    "having min(line_no) <> 1 or max(line_no) <> count(*))") == 0


@pytest.mark.parametrize(
    ("table", "column", "allowed"),
    [
        ("customers", "segment", {"smb", "mid_market", "enterprise"}),
        ("sessions", "channel", {"organic", "paid_search", "email", "direct", "referral"}),
        ("sessions", "device", {"desktop", "mobile", "tablet"}),
        ("orders", "channel", {"organic", "paid_search", "email", "direct", "referral"}),
        ("orders", "payment_method", {"card", "invoice", "bank_transfer", "paypal"}),
        ("orders", "carrier", {"dhl", "ups", "fedex", "dpd"}),
        ("quotes", "status", {"open", "won", "lost"}),
        ("tickets", "channel", {"email", "phone", "chat"}),
        ("tickets", "topic", {"delivery", "billing", "product", "returns", "account"}),
        ("surveys", "channel", {"organic", "paid_search", "email", "direct", "referral"}),
        ("surveys", "score", set(range(11))),
        ("campaigns", "channel", {"paid_search", "paid_social", "display", "email"}),
        ("campaigns", "network", {"google_ads", "bing_ads", "linkedin", "display_network", "newsletter"}),
        ("leads", "source", {"web_form", "trade_fair", "referral", "paid_search", "cold_outreach", "partner"}),
        ("leads", "segment", {"smb", "mid_market", "enterprise"}),
        ("leads", "stage", {"suspect", "lead", "prospect", "customer"}),
        ("searches", "channel", {"organic", "paid_search", "email", "direct", "referral"}),
        ("searches", "device", {"desktop", "mobile", "tablet"}),
        ("calls", "queue", {"sales", "support", "billing"}),
        ("email_optins", "source", {"checkout", "newsletter_form", "account_signup", "trade_fair"}),
        ("email_optins", "channel", {"organic", "paid_search", "email", "direct", "referral"}),
    ],
)
def test_categorical_values(tables, table, column, allowed):
    values = tables[table][column]
    assert values.null_count == 0
    assert set(pc.unique(values).to_pylist()) == allowed


@pytest.mark.parametrize(
    ("table", "column", "allowed"),
    [
        ("orders", "shipping_incident", {None, "damaged", "lost", "wrong_address", "delayed_in_transit"}),
        ("returns", "reason", {"damaged", "wrong_item", "defective", "not_needed", "late_delivery"}),
        ("returns", "status", {"refunded", "rejected", "pending"}),
        ("returns", "carrier", {"dhl", "ups", "fedex", "dpd"}),
        ("disputes", "reason", {"damaged", "missing_items", "billing", "quality", "late_delivery"}),
        ("disputes", "outcome", {"credited", "rejected", "open"}),
    ],
)
def test_categorical_values_of_rare_events(full_con, table, column, allowed):
    # a few dozen rows a year: the full-size dataset has every value
    assert {row[0] for row in full_con.execute(f"select distinct {column} from {table}").fetchall()} == allowed


def test_order_line_categories(tables):
    categories = set(pc.unique(tables["order_lines"]["category"]).to_pylist())
    assert 6 <= len(categories) <= 10
    assert {"office_supplies", "it_hardware", "furniture"} <= categories


# --- referential integrity ------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "column", "parent", "key"),
    [
        ("sessions", "customer_id", "customers", "customer_id"),
        ("carts", "customer_id", "customers", "customer_id"),
        ("carts", "session_id", "sessions", "session_id"),
        ("orders", "customer_id", "customers", "customer_id"),
        ("orders", "cart_id", "carts", "cart_id"),
        ("orders", "quote_id", "quotes", "quote_id"),
        ("order_lines", "order_id", "orders", "order_id"),
        ("quotes", "customer_id", "customers", "customer_id"),
        ("quotes", "order_id", "orders", "order_id"),
        ("tickets", "customer_id", "customers", "customer_id"),
        ("tickets", "order_id", "orders", "order_id"),
        ("surveys", "customer_id", "customers", "customer_id"),
        ("surveys", "order_id", "orders", "order_id"),
        ("leads", "customer_id", "customers", "customer_id"),
        ("searches", "session_id", "sessions", "session_id"),
        ("searches", "visitor_id", "sessions", "visitor_id"),
        ("calls", "customer_id", "customers", "customer_id"),
        ("calls", "order_id", "orders", "order_id"),
        ("email_optins", "visitor_id", "sessions", "visitor_id"),
        ("email_optins", "customer_id", "customers", "customer_id"),
        ("returns", "order_id", "orders", "order_id"),
        ("returns", "customer_id", "customers", "customer_id"),
        ("disputes", "order_id", "orders", "order_id"),
        ("disputes", "customer_id", "customers", "customer_id"),
    ],
)
def test_foreign_keys_resolve(con, child, column, parent, key):
    orphans = one(con, f"select count(*) from {child} c where c.{column} is not null "
                       f"and not exists (select 1 from {parent} p where p.{key} = c.{column})")
    assert orphans == 0


def test_non_nullable_references(tables):
    for table, column in [("orders", "customer_id"), ("quotes", "customer_id"), ("tickets", "customer_id"),
                          ("surveys", "customer_id"), ("surveys", "answered_at"), ("surveys", "score"),
                          ("carts", "session_id"), ("order_lines", "order_id"),
                          ("sessions", "landing_page"), ("sessions", "exit_page"), ("sessions", "load_time_s"),
                          *((table, column) for table in ("campaigns", "leads", "searches", "calls", "email_optins",
                                                          "returns", "disputes")
                            for column in EXPECTED_COLUMNS[table]
                            if column not in ("customer_id", "order_id", "qualified_at", "opportunity_at", "won_at",
                                              "talk_s", "refund_amount", "refunded_at", "resolved_at"))]:
        assert tables[table][column].null_count == 0, (table, column)
    # anonymous visitors and guest carts exist
    assert 0 < tables["sessions"]["customer_id"].null_count < len(tables["sessions"])
    assert 0 < tables["carts"]["customer_id"].null_count < len(tables["carts"])


def test_customers_exist_before_their_first_activity(con):
    late_signups = one(con, """
        with activity as (
            select customer_id, started_at as activity_at from sessions where customer_id is not null
            union all select customer_id, created_at from carts where customer_id is not null
            union all select customer_id, ordered_at from orders
            union all select customer_id, requested_at from quotes
            union all select customer_id, created_at from tickets
        )
        select count(*) from customers c
        join (select customer_id, min(activity_at) as first_at from activity group by 1) a using (customer_id)
        where c.created_at > a.first_at
    """)
    assert late_signups == 0


def test_session_and_cart_agree(con):
    mismatches = one(con, """
        select count(*) from carts c join sessions s using (session_id)
        where c.created_at < s.started_at
           or c.channel <> s.channel or c.device <> s.device
           or c.customer_id is distinct from s.customer_id
           or s.bounced
    """)
    assert mismatches == 0
    assert one(con, "select count(*) from (select session_id from carts group by 1 having count(*) > 1)") == 0


def test_segments_follow_the_customer(con):
    for table in ("carts", "orders", "quotes"):
        wrong = one(con, f"select count(*) from {table} t join customers c using (customer_id) "
                         f"where t.segment is distinct from c.segment")
        assert wrong == 0, table
    assert one(con, "select count(*) from carts where (customer_id is null) <> (segment is null)") == 0
    wrong_lines = one(con, """
        select count(*) from order_lines l join orders o using (order_id)
        where l.segment <> o.segment or l.channel <> o.channel or l.ordered_at <> o.ordered_at
    """)
    assert wrong_lines == 0


def test_every_ordered_cart_has_exactly_one_order_of_the_same_customer(con):
    assert one(con, """
        select count(*) from carts c
        where c.ordered and (select count(*) from orders o where o.cart_id = c.cart_id) <> 1
    """) == 0
    assert one(con, """
        select count(*) from carts c join orders o using (cart_id)
        where not c.ordered or c.customer_id is distinct from o.customer_id
           or o.ordered_at < c.created_at or o.channel <> c.channel
    """) == 0
    # orders without a cart come from quotes or offline
    assert one(con, "select count(*) from orders where cart_id is null and quote_id is null") > 0
    assert one(con, "select count(*) from orders where cart_id is not null and quote_id is not null") == 0


def test_won_quotes_and_their_orders(con):
    assert one(con, "select count(*) from quotes where (status = 'won') <> (order_id is not null)") == 0
    assert one(con, """
        select count(*) from quotes q join orders o using (order_id)
        where o.quote_id <> q.quote_id or o.ordered_at <= q.requested_at or o.customer_id <> q.customer_id
    """) == 0
    assert one(con, """
        select count(*) from orders o where o.quote_id is not null
        and not exists (select 1 from quotes q where q.quote_id = o.quote_id and q.order_id = o.order_id)
    """) == 0
    # only recent quotes are still open
    oldest_open = one(con, "select min(requested_at) from quotes where status = 'open'")
    assert oldest_open is not None and oldest_open >= END - datetime.timedelta(days=35)


def test_first_orders_mark_new_customers(con):
    # at most one first order per customer, and it is that customer's earliest order
    assert one(con, "select count(*) from (select customer_id from orders where is_first_order "
                    "group by 1 having count(*) > 1)") == 0
    assert one(con, """
        select count(*) from orders o
        where o.is_first_order
          and exists (select 1 from orders e where e.customer_id = o.customer_id and e.ordered_at < o.ordered_at)
    """) == 0
    # a customer who signed up during the period and ordered has exactly one first order
    assert one(con, f"""
        select count(*) from customers c
        where c.created_at >= timestamp '{START}'
          and exists (select 1 from orders o where o.customer_id = c.customer_id)
          and (select count(*) from orders o where o.customer_id = c.customer_id and o.is_first_order) <> 1
    """) == 0
    # existing accounts also order, so not every customer with orders is new
    assert 0 < one(con, "select avg(is_first_order::int) from orders") < 0.5


def test_tickets_follow_their_orders(con):
    assert one(con, """
        select count(*) from tickets t join orders o using (order_id)
        where t.customer_id <> o.customer_id or t.created_at < o.ordered_at
    """) == 0
    assert one(con, "select count(*) from tickets where resolved_at < created_at or first_response_s < 0") == 0
    assert one(con, "select count(*) from tickets where order_id is null") > 0


# --- money ----------------------------------------------------------------------------


def test_line_revenue_and_cost_sum_to_the_order(tables):
    lines = tables["order_lines"]
    sums = lines.group_by("order_id").aggregate([("revenue", "sum"), ("cost", "sum")])
    joined = tables["orders"].select(["order_id", "revenue", "cost"]).join(sums, "order_id")
    assert len(joined) == len(tables["orders"])  # every order has lines
    for column in ("revenue", "cost"):
        diff = pc.abs(pc.subtract(joined[column], joined[f"{column}_sum"]))
        assert pc.max(diff).as_py() < 0.005, column


def test_money_is_in_cents_and_lines_are_consistent(tables):
    lines = tables["order_lines"]
    expected = pc.round(pc.multiply(pc.cast(lines["quantity"], pa.float64()), lines["unit_price"]), 2)
    assert pc.max(pc.abs(pc.subtract(expected, lines["revenue"]))).as_py() < 0.005
    for table, column in [("orders", "revenue"), ("orders", "cost"), ("order_lines", "unit_price"),
                          ("order_lines", "cost")]:
        values = tables[table][column]
        assert pc.all(pc.equal(pc.round(values, 2), values)).as_py(), (table, column)
        assert pc.min(values).as_py() > 0, (table, column)
    assert pc.min(lines["quantity"]).as_py() >= 1
    assert pc.all(pc.less(tables["orders"]["cost"], tables["orders"]["revenue"])).as_py()


# --- sessions and time patterns -------------------------------------------------------


def test_bounced_sessions_have_one_page_and_no_duration(con):
    assert one(con, "select count(*) from sessions where bounced and (pages <> 1 or duration_s <> 0)") == 0
    assert one(con, "select count(*) from sessions where not bounced and (pages < 2 or duration_s <= 0)") == 0


def test_each_new_visitor_is_new_once_and_first(con):
    assert one(con, "select count(*) from (select visitor_id from sessions where is_new_visitor "
                    "group by 1 having count(*) > 1)") == 0
    assert one(con, """
        select count(*) from sessions s where s.is_new_visitor and exists
        (select 1 from sessions e where e.visitor_id = s.visitor_id and e.session_id < s.session_id)
    """) == 0


def test_traffic_has_seasonality_growth_and_business_hours(con):
    sessions = monthly(con, "select strftime(started_at, '%Y-%m'), count(*) from sessions group by 1")
    assert len(sessions) == 12
    # about 8,000 sessions a month at scale 1.0; this fixture is scale 0.5
    assert 3_000 <= sum(sessions.values()) / 12 <= 5_000
    assert sessions["2025-11"] > sessions["2026-08"] * 1.3  # Q4 busy, August quiet
    assert sessions["2026-10"] > sessions["2026-08"] * 1.3
    assert sessions["2026-10"] > sessions["2026-02"]
    assert min(sessions, key=sessions.get) == "2026-08"
    weekend = one(con, "select avg((isodow(started_at) >= 6)::int) from sessions")
    assert 0.08 <= weekend <= 0.2
    office_hours = one(con, "select avg((hour(started_at) between 8 and 17)::int) from sessions "
                            "where isodow(started_at) <= 5")
    assert office_hours >= 0.7


# --- rates within realistic bands ------------------------------------------------------


def test_rates_over_the_whole_period(con):
    assert 0.60 <= one(con, "select avg((device = 'desktop')::int) from sessions") <= 0.70
    assert 0.08 <= one(con, "select (select count(*) from carts) / (select count(*) from sessions)") <= 0.12
    assert 0.55 <= one(con, "select avg((not ordered)::int) from carts") <= 0.70
    assert 0.025 <= one(con, "select (select count(*) from orders) / (select count(*) from sessions)") <= 0.04
    assert 0.25 <= one(con, "select (sum(revenue) - sum(cost)) / sum(revenue) from orders") <= 0.40
    assert 0.04 <= one(con, "select count(*) filter (where delivered_at > promised_at) "
                            "/ count(*) filter (where delivered_at is not null) from orders") <= 0.09
    assert 0.10 <= one(con, "select (select count(*) from tickets) / (select count(*) from orders)") <= 0.25
    assert 0.25 <= one(con, "select avg((status = 'won')::int) from quotes") <= 0.40
    assert 0.30 <= one(con, "select avg(bounced::int) from sessions") <= 0.50
    assert 0.30 <= one(con, "select avg(is_new_visitor::int) from sessions") <= 0.50
    assert 0.6 <= one(con, "select avg((payment_method = 'invoice')::int) * 2 from orders") <= 1.2


def test_rates_differ_by_month_and_stay_in_band(con):
    by_month = {
        "sessions_per_visitor": monthly(con, "select strftime(started_at, '%Y-%m'), "
                                             "count(*) / count(distinct visitor_id) from sessions group by 1"),
        "cart_abandonment": monthly(con, "select strftime(created_at, '%Y-%m'), avg((not ordered)::int) "
                                         "from carts group by 1"),
        "profit_margin": monthly(con, "select strftime(ordered_at, '%Y-%m'), (sum(revenue) - sum(cost)) "
                                      "/ sum(revenue) from orders group by 1"),
    }
    bands = {"sessions_per_visitor": (1.25, 1.85), "cart_abandonment": (0.5, 0.8), "profit_margin": (0.2, 0.42)}
    for kpi, values in by_month.items():
        low, high = bands[kpi]
        assert len(values) == 12, kpi
        assert all(low <= v <= high for v in values.values()), (kpi, values)
        assert max(values.values()) - min(values.values()) > 0.02, (kpi, values)


def test_one_carrier_is_clearly_late_more_often(con):
    late = dict(con.execute("""
        select carrier, count(*) filter (where delivered_at > promised_at)
                        / count(*) filter (where delivered_at is not null)
        from orders group by 1
    """).fetchall())
    worst, *others = sorted(late, key=late.get, reverse=True)
    assert all(late[worst] > 1.8 * late[other] for other in others), late


def test_order_values_by_segment(con):
    aov = dict(con.execute("select segment, avg(revenue) from orders group by 1").fetchall())
    assert aov["smb"] < aov["mid_market"] < aov["enterprise"]
    assert 300 <= one(con, "select avg(revenue) from orders") <= 3_000


def test_deliveries(con):
    assert one(con, "select count(*) from orders where delivered_at is not null and delivered_at <= ordered_at") == 0
    # promised 2-5 working days after the order: never on a weekend, at most a week later
    assert one(con, """
        select count(*) from orders
        where isodow(promised_at) >= 6
           or date_diff('day', ordered_at::date, promised_at::date) not between 2 and 7
    """) == 0
    # the last days of the period are not delivered yet, plus a few lost parcels earlier
    undelivered = con.execute(f"""
        select count(*) filter (where ordered_at >= timestamp '{END}' - interval 3 day),
               count(*) filter (where ordered_at >= timestamp '{END}' - interval 3 day and delivered_at is null),
               count(*) filter (where ordered_at < timestamp '{END}' - interval 30 day and delivered_at is null)
        from orders
    """).fetchone()
    assert undelivered[0] > 0 and undelivered[1] == undelivered[0]
    assert 0 < undelivered[2] < 0.02 * one(con, "select count(*) from orders")


def test_surveys_follow_delivered_orders(con, tables):
    # about one delivered order in four is rated, a few customers answer the account survey instead
    rated = one(con, "select count(*) from surveys") / one(con, "select count(*) from orders where delivered_at is not null")
    assert 0.2 <= rated <= 0.35
    assert 0.03 <= tables["surveys"]["order_id"].null_count / len(tables["surveys"]) <= 0.2
    # at most one survey per order; answered after the delivery, by its customer, on its channel
    assert one(con, "select count(*) from (select order_id from surveys where order_id is not null "
                    "group by 1 having count(*) > 1)") == 0
    assert one(con, """
        select count(*) from surveys s join orders o using (order_id)
        where o.delivered_at is null or s.answered_at <= o.delivered_at
           or s.customer_id <> o.customer_id or s.channel <> o.channel
    """) == 0
    assert one(con, f"select count(*) from surveys where answered_at >= timestamp '{END}'") == 0
    # ids follow the answer time
    assert one(con, "select count(*) from (select survey_id, lag(answered_at) over (order by survey_id) prev, "
                    "answered_at from surveys) where prev > answered_at") == 0
    assert one(con, "select count(*) from surveys where comment_length < 0 or comment_length > 2000") == 0
    commented = dict(con.execute("select score <= 6, avg((comment_length > 0)::int) from surveys group by 1").fetchall())
    assert commented[True] > commented[False] + 0.15  # detractors say why


NPS_SQL = "100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(score)"


def test_survey_scores_are_a_realistic_nps_mix(con):
    promoters, detractors, nps = one(con, f"select avg((score >= 9)::int), avg((score <= 6)::int), {NPS_SQL} from surveys")
    assert 0.45 <= promoters <= 0.60
    assert 0.15 <= detractors <= 0.25
    assert 20 <= nps <= 45
    by_month = monthly(con, f"select strftime(answered_at, '%Y-%m'), {NPS_SQL} from surveys group by 1")
    assert len(by_month) == 12
    assert all(-10 <= v <= 70 for v in by_month.values()), by_month
    assert max(by_month.values()) - min(by_month.values()) > 10, by_month
    # a late delivery costs a lot of goodwill
    late = dict(con.execute(f"""
        select o.delivered_at > o.promised_at, {NPS_SQL}
        from surveys s join orders o using (order_id) group by 1
    """).fetchall())
    assert late[True] < late[False] - 30, late


def test_surveys_come_last_and_leave_the_other_tables_unchanged(monkeypatch):
    from kpi_engine.demo import generator

    # without any survey response, every draw of the other tables is the same ...
    full = generate_tables(seed=7, months=3, scale=0.2)
    monkeypatch.setattr(generator, "_SURVEY_RESPONSE", 0.0)
    monkeypatch.setattr(generator, "_SURVEY_RELATIONSHIP", 0.0)
    without = generate_tables(seed=7, months=3, scale=0.2)
    assert len(without["surveys"]) == 0 < len(full["surveys"])
    for name in full:
        if name != "surveys":
            assert without[name].equals(full[name]), name


# --- the core tables keep their values ---------------------------------------------------

# Fingerprints of the first eight tables at the default seed, scale 0.2, recorded before
# any later table or column existed: rows, the sum of one column, and a CRC-32 of every
# value of the original columns. The later tables and columns draw from streams of their
# own, so adding or changing them never moves these.
CORE_FINGERPRINTS = {
    "customers": (469, "customer_id", 110215, 3616672253),
    "sessions": (19282, "pages", 65241, 1190939569),
    "carts": (1821, "session_id", 17517342, 3666692677),
    "orders": (689, "revenue", 848407.4, 1918011626),
    "order_lines": (1486, "quantity", 21568, 1771664701),
    "quotes": (173, "customer_id", 31096, 998158524),
    "tickets": (116, "first_response_s", 707946.0, 4292110922),
    "surveys": (196, "score", 1551, 2082759186),
}


def crc32_of(table: pa.Table, columns) -> int:
    crc = 0
    for column in columns:
        crc = zlib.crc32(repr(table[column].to_pylist()).encode(), crc)
    return crc


def test_the_core_tables_keep_their_values():
    tables = generate_tables(scale=0.2)
    for name, (rows, column, total, crc) in CORE_FINGERPRINTS.items():
        table = tables[name]
        original = [c for c in EXPECTED_COLUMNS[name] if c not in ADDED_COLUMNS.get(name, ())]
        assert len(table) == rows, name
        assert round(pc.sum(table[column]).as_py(), 1) == total, name
        assert crc32_of(table, original) == crc, name


def test_each_later_table_draws_from_its_own_stream(monkeypatch):
    from kpi_engine.demo import aftersales

    full = generate_tables(seed=7, months=3, scale=0.2)
    monkeypatch.setattr(aftersales, "_RETURN_BASE", 0.0)
    monkeypatch.setattr(aftersales, "_RETURN_LATE", 0.0)
    monkeypatch.setattr(aftersales, "_RETURN_AFTER", {})
    without = generate_tables(seed=7, months=3, scale=0.2)
    assert len(without["returns"]) == 0 < len(full["returns"])
    for name in full:
        if name != "returns":
            assert without[name].equals(full[name]), name


LATER_TABLES = ("campaigns", "leads", "searches", "calls", "email_optins", "returns", "disputes")


def test_later_tables_stay_in_the_period_and_number_rows_in_time_order(con):
    for table in LATER_TABLES:
        column = TIME_COLUMNS[table]
        low, high = one(con, f"select min({column}), max({column}) from {table}")
        assert low >= datetime.datetime(2025, 11, 1) and high < END, table
    for table, column in [("leads", "qualified_at"), ("leads", "opportunity_at"), ("leads", "won_at"),
                          ("returns", "refunded_at"), ("disputes", "resolved_at")]:
        assert one(con, f"select max({column}) from {table}") < END, (table, column)
    for table in LATER_TABLES[1:]:
        key = next(iter(EXPECTED_COLUMNS[table]))
        assert one(con, f"select count(*) from (select lag({TIME_COLUMNS[table]}) over (order by {key}) prev, "
                        f"{TIME_COLUMNS[table]} t from {table}) where prev > t") == 0, table


# --- pages, speed and site search --------------------------------------------------------

CATEGORY_NAMES = ("office_supplies", "it_hardware", "furniture", "packaging", "cleaning", "safety", "catering",
                  "printing")
PAGES = {"/", "/search", "/cart", "/checkout", "/checkout/payment", "/account", "/quote-request", "/contact",
         "/blog", "/delivery-info", *(f"/{kind}/{name}" for kind in ("category", "product") for name in CATEGORY_NAMES)}


def test_entry_and_exit_pages_agree_with_the_visit(con, tables):
    for column in ("landing_page", "exit_page"):
        assert set(pc.unique(tables["sessions"][column]).to_pylist()) <= PAGES, column
    assert one(con, "select count(*) from sessions where bounced and exit_page <> landing_page") == 0
    assert one(con, "select count(*) from sessions where landing_page like '/checkout%'") == 0
    # only visits that searched start (with a search at once) or end on the search page
    assert one(con, """
        select count(*) from sessions s where landing_page = '/search' and not exists
        (select 1 from searches q where q.session_id = s.session_id and q.searched_at = s.started_at)
    """) == 0
    assert one(con, """
        select count(*) from sessions s where exit_page = '/search'
        and not exists (select 1 from searches q where q.session_id = s.session_id)
    """) == 0
    assert one(con, """
        select count(*) from sessions s where exit_page like '/checkout%'
        and not exists (select 1 from carts c where c.session_id = s.session_id)
    """) == 0


def test_top_exit_pages_are_realistic(con):
    exits = dict(con.execute("select regexp_extract(exit_page, '^/[a-z-]*'), count(*) / sum(count(*)) over () "
                             "from sessions group by 1").fetchall())
    assert set(sorted(exits, key=exits.get)[-3:]) == {"/product", "/category", "/"}, exits
    assert exits["/cart"] > 0.02 and exits["/checkout"] > 0.02 and exits["/search"] > 0.01, exits


def test_page_load_times(con):
    assert one(con, "select count(*) from sessions where load_time_s is null or load_time_s <= 0") == 0
    medians = dict(con.execute("select device, median(load_time_s) from sessions group by 1").fetchall())
    assert 1.7 <= medians["desktop"] <= 2.1
    assert 2.5 <= medians["mobile"] <= 3.1
    assert medians["desktop"] < medians["tablet"] < medians["mobile"]
    by_month = monthly(con, "select strftime(started_at, '%Y-%m'), median(load_time_s) from sessions "
                            "where device = 'desktop' group by 1")
    assert by_month["2025-11"] > 1.1 * by_month["2026-08"], by_month  # the busy season is slower
    assert one(con, "select quantile_cont(load_time_s, 0.95) / median(load_time_s) from sessions") > 1.8


def test_searches_happen_during_their_visit(con):
    assert one(con, """
        select count(*) from searches q join sessions s using (session_id)
        where q.visitor_id <> s.visitor_id or q.channel <> s.channel or q.device <> s.device or s.bounced
           or q.searched_at < s.started_at or q.searched_at > s.started_at + to_seconds(s.duration_s)
    """) == 0
    # each search is a page of the visit, which also had another page
    assert one(con, "select count(*) from (select session_id, count(*) n from searches group by 1) q "
                    "join sessions s using (session_id) where q.n >= s.pages") == 0
    assert one(con, "select count(*) from searches where results < 0 or (results = 0 and clicked)") == 0
    # the same query always finds the same number of results
    assert one(con, "select count(*) from (select query from searches group by 1 "
                    "having count(distinct results) > 1)") == 0


def test_site_search_rates(full_con):
    searching = one(full_con, "select count(distinct session_id) "
                              "/ (select count(*) from sessions where not bounced) from searches")
    assert 0.20 <= searching <= 0.25
    zero_results, effectiveness = one(full_con, "select avg((results = 0)::int), avg(clicked::int) from searches")
    assert 0.08 <= zero_results <= 0.12
    assert 0.55 <= effectiveness <= 0.65
    assert 150 <= one(full_con, "select count(distinct query) from searches") <= 250
    # Zipf-like: ten queries make up about half of all searches
    top_ten = one(full_con, "select sum(n) / (select count(*) from searches) "
                            "from (select count(*) n from searches group by query order by n desc limit 10)")
    assert 0.4 <= top_ten <= 0.65
    # visits that end up with a cart search more
    with_cart = dict(full_con.execute("""
        select exists (select 1 from carts c where c.session_id = s.session_id),
               avg((exists (select 1 from searches q where q.session_id = s.session_id))::int)
        from sessions s where not bounced group by 1
    """).fetchall())
    assert with_cart[True] > 1.5 * with_cart[False]


# --- e-mail opt-ins ----------------------------------------------------------------------


def test_email_optins_come_from_visits(con):
    assert one(con, "select count(*) from (select visitor_id from email_optins group by 1 having count(*) > 1)") == 0
    # given during a visit of that visitor, on its channel and device (at checkout: when ordering)
    assert one(con, """
        select count(*) from email_optins o where not exists (
            select 1 from sessions s
            where s.visitor_id = o.visitor_id and s.channel = o.channel and s.device = o.device
              and s.customer_id is not distinct from o.customer_id
              and o.subscribed_at between s.started_at and s.started_at + interval 1 day)
    """) == 0
    assert one(con, "select count(*) from email_optins where source in ('checkout', 'account_signup') "
                    "and customer_id is null") == 0
    assert one(con, "select count(*) from email_optins o join customers c using (customer_id) "
                    "where o.source = 'account_signup' and c.created_at > o.subscribed_at") == 0


def test_email_opt_in_rate(full_con):
    by_month = monthly(full_con, """
        with visitors as (select strftime(started_at, '%Y-%m') m, count(distinct visitor_id) n
                          from sessions group by 1),
             optins as (select strftime(subscribed_at, '%Y-%m') m, count(*) k from email_optins group by 1)
        select m, k / n from visitors join optins using (m)
    """)
    assert len(by_month) == 12
    assert all(0.012 <= v <= 0.035 for v in by_month.values()), by_month
    assert 0.015 <= sum(by_month.values()) / 12 <= 0.03
    # trade-fair sign-ups are confirmed from the e-mail in the weeks after the March and October fairs
    fair_months = monthly(full_con, "select strftime(subscribed_at, '%Y-%m'), count(*) from email_optins "
                                    "where source = 'trade_fair' group by 1")
    assert fair_months and set(fair_months) <= {"2026-03", "2026-04", "2026-10"}, fair_months
    assert one(full_con, "select count(*) from email_optins where source = 'trade_fair' and channel <> 'email'") == 0


# --- marketing: campaigns and leads ------------------------------------------------------


def test_campaign_rows(con):
    assert one(con, "select count(*) from (select campaign_id, day from campaigns "
                    "group by all having count(*) > 1)") == 0
    assert one(con, "select count(*) from (select campaign_id from campaigns "
                    "group by 1 having count(distinct (campaign, channel, network)) > 1)") == 0
    assert 6 <= one(con, "select count(distinct campaign_id) from campaigns") <= 12
    assert one(con, "select count(*) from campaigns where day <> date_trunc('day', day)") == 0
    assert one(con, """
        select count(*) from campaigns
        where clicks > impressions or clicks < 0 or spend < 0 or conversions < 0
           or (conversions = 0) <> (conversion_revenue = 0)
           or spend <> round(spend, 2) or conversion_revenue <> round(conversion_revenue, 2)
    """) == 0
    networks = dict(con.execute("select channel, list(distinct network order by network) "
                                "from campaigns group by 1").fetchall())
    assert networks == {"paid_search": ["bing_ads", "google_ads"], "paid_social": ["linkedin"],
                        "display": ["display_network"], "email": ["newsletter"]}


def test_campaign_efficiency(full_con):
    channels = {row[0]: row[1:] for row in full_con.execute("""
        select channel, sum(clicks) / sum(impressions), sum(spend) / sum(clicks), sum(conversion_revenue) / sum(spend)
        from campaigns group by 1
    """).fetchall()}
    ctr_bands = {"paid_search": (0.03, 0.05), "paid_social": (0.006, 0.01), "display": (0.003, 0.006),
                 "email": (0.02, 0.04)}
    for channel, (low, high) in ctr_bands.items():
        assert low <= channels[channel][0] <= high, (channel, channels[channel])
    for channel in ("paid_search", "paid_social", "display"):
        assert 1.2 <= channels[channel][1] <= 3.5, (channel, channels[channel])
    assert 1.0 <= channels["display"][2] <= 3.0
    assert channels["email"][2] > 20
    assert 4 <= one(full_con, "select sum(conversion_revenue) / sum(spend) from campaigns") <= 7
    assert one(full_con, "select max(spend / impressions) from campaigns where channel = 'email'") < 0.01
    # paid-search clicks follow the paid-search sessions; the platforms claim real orders
    assert 1.0 <= one(full_con, "select (select sum(clicks) from campaigns where channel = 'paid_search') "
                                "/ (select count(*) from sessions where channel = 'paid_search')") <= 1.25
    assert 0.8 <= one(full_con, "select (select sum(conversions) from campaigns where channel = 'paid_search') "
                                "/ (select count(*) from orders where channel = 'paid_search')") <= 1.6
    # the newsletter goes to a list that grows with the opt-ins
    sends = [row[0] for row in full_con.execute("select impressions from campaigns "
                                                "where campaign = 'Newsletter' order by day").fetchall()]
    assert sends == sorted(sends) and sends[-1] > sends[0]


def test_leads_move_through_the_funnel_in_order(con):
    assert one(con, """
        select count(*) from leads where
            qualified_at < created_at or opportunity_at < qualified_at or won_at < opportunity_at
            or (opportunity_at is not null and qualified_at is null)
            or (won_at is not null and opportunity_at is null)
            or stage <> case when won_at is not null then 'customer' when opportunity_at is not null then 'prospect'
                             when qualified_at is not null then 'lead' else 'suspect' end
            or (customer_id is not null) <> (stage = 'customer')
    """) == 0
    # a won lead is an account of its segment that existed when the deal closed, each account once
    assert one(con, "select count(*) from leads l join customers c using (customer_id) "
                    "where c.segment <> l.segment or c.created_at > l.won_at") == 0
    assert one(con, "select count(*) from (select customer_id from leads where customer_id is not null "
                    "group by 1 having count(*) > 1)") == 0
    # sales works office hours
    assert one(con, """
        select count(*) from leads
        where isodow(qualified_at) >= 6 or hour(qualified_at) not between 8 and 17
           or isodow(won_at) >= 6 or hour(won_at) not between 8 and 17
    """) == 0


def test_lead_funnel_rates(full_con):
    assert 200 <= one(full_con, "select count(*) / 12 from leads") <= 450  # a few hundred suspects a month
    # cohorts old enough to have gone through the funnel
    to_lead, to_prospect, to_customer = one(full_con, """
        select count(qualified_at) / count(*), count(opportunity_at) / count(qualified_at),
               count(won_at) / count(opportunity_at)
        from leads where created_at < timestamp '2026-07-01'
    """)
    assert 0.45 <= to_lead <= 0.55
    assert 0.35 <= to_prospect <= 0.45
    assert 0.22 <= to_customer <= 0.33
    qualified = dict(full_con.execute("select source, count(qualified_at) / count(*) from leads group by 1").fetchall())
    assert qualified["referral"] > qualified["cold_outreach"] + 0.2
    # trade-fair leads come in on the few days of the fairs
    assert 2 <= one(full_con, "select count(distinct created_at::date) from leads where source = 'trade_fair'") <= 6


# --- after sales: incidents, returns, disputes, calls, ticket resolution ----------------


def test_shipping_incidents(con):
    # lost parcels are never delivered; a delay in transit makes the delivery late
    assert one(con, """
        select count(*) from orders
        where (shipping_incident = 'lost') <> (delivered_at is null and shipping_incident is not null)
           or (shipping_incident = 'delayed_in_transit' and delivered_at <= promised_at)
    """) == 0
    # a parcel is declared lost only a week after its promised delivery
    assert one(con, f"select count(*) from orders where shipping_incident = 'lost' "
                    f"and promised_at > timestamp '{END}' - interval 7 day") == 0


def test_shipping_incident_rates(full_con):
    overall = one(full_con, "select count(shipping_incident) / count(*) from orders where delivered_at is not null")
    assert 0.01 <= overall <= 0.02
    by_carrier = dict(full_con.execute("select carrier, count(shipping_incident) / count(*) from orders "
                                       "where delivered_at is not null group by 1").fetchall())
    assert 0.025 <= by_carrier["dpd"] <= 0.05, by_carrier
    assert all(by_carrier["dpd"] > 2 * by_carrier[c] for c in ("dhl", "ups", "fedex")), by_carrier
    assert all(0.003 <= by_carrier[c] <= 0.02 for c in ("dhl", "ups")), by_carrier
    late = dict(full_con.execute("select delivered_at > promised_at, count(shipping_incident) / count(*) "
                                 "from orders where delivered_at is not null group by 1").fetchall())
    assert late[True] > 3 * late[False]


def test_ticket_resolution_time_is_exact(con):
    assert one(con, """
        select count(*) from tickets
        where (resolution_s is null) <> (resolved_at is null)
           or resolution_s * 1000000 <> epoch_us(resolved_at) - epoch_us(created_at)
    """) == 0
    within_two_days, median_hours = one(con, "select avg((resolution_s <= 172800)::int), median(resolution_s) / 3600 "
                                             "from tickets where resolution_s is not null")
    assert 0.72 <= within_two_days <= 0.92
    assert 12 <= median_hours <= 26


def test_returns_follow_delivered_orders(con):
    assert one(con, "select count(*) from (select order_id from returns group by 1 having count(*) > 1)") == 0
    assert one(con, """
        select count(*) from returns r join orders o using (order_id)
        where o.delivered_at is null or r.requested_at <= o.delivered_at
           or r.requested_at > o.delivered_at + interval 30 day
           or r.customer_id <> o.customer_id or r.channel <> o.channel or r.segment <> o.segment
           or r.carrier <> o.carrier
           or r.refund_amount <= 0 or r.refund_amount > o.revenue or r.refund_amount <> round(r.refund_amount, 2)
    """) == 0
    assert one(con, """
        select count(*) from returns
        where (status = 'refunded') <> (refund_amount is not null)
           or (status = 'refunded') <> (refunded_at is not null)
           or refunded_at <= requested_at
    """) == 0
    # only the last days' requests are still pending
    oldest_pending = one(con, "select min(requested_at) from returns where status = 'pending'")
    assert oldest_pending is None or oldest_pending >= END - datetime.timedelta(days=40)


def test_return_rates(full_con):
    assert 0.03 <= one(full_con, "select (select count(*) from returns) "
                                 "/ (select count(*) from orders where delivered_at is not null)") <= 0.05
    assert 0.7 <= one(full_con, "select avg((status = 'refunded')::int) from returns") <= 0.9
    rate = dict(full_con.execute("""
        select coalesce(o.shipping_incident = 'damaged', false), avg((r.order_id is not null)::int)
        from orders o left join returns r using (order_id) where o.delivered_at is not null group by 1
    """).fetchall())
    assert rate[True] > 5 * rate[False]
    late = dict(full_con.execute("""
        select o.delivered_at > o.promised_at, avg((r.order_id is not null)::int)
        from orders o left join returns r using (order_id)
        where o.delivered_at is not null and o.shipping_incident is null group by 1
    """).fetchall())
    assert late[True] > late[False]


def test_disputes_follow_their_orders(full_con):
    assert one(full_con, """
        select count(*) from disputes d join orders o using (order_id)
        where d.opened_at <= o.ordered_at or d.opened_at < o.delivered_at
           or (o.delivered_at is null and o.shipping_incident is distinct from 'lost')
           or d.customer_id <> o.customer_id or d.channel <> o.channel or d.segment <> o.segment
           or d.carrier <> o.carrier
           or d.amount <= 0 or d.amount > o.revenue or d.amount <> round(d.amount, 2)
           or (d.outcome = 'open') <> (d.resolved_at is null) or d.resolved_at <= d.opened_at
    """) == 0
    assert 0.006 <= one(full_con, "select (select count(*) from disputes) / (select count(*) from orders)") <= 0.016
    rate = dict(full_con.execute("""
        select o.shipping_incident is not null or coalesce(o.delivered_at > o.promised_at, false),
               avg((d.order_id is not null)::int)
        from orders o left join disputes d using (order_id) group by 1
    """).fetchall())
    assert rate[True] > 5 * rate[False]


def test_calls_reach_the_service_desk_in_office_hours(con):
    assert one(con, """
        select count(*) from calls
        where isodow(started_at) >= 6 or hour(started_at) not between 8 and 17
           or wait_s < 0 or (talk_s is null) = answered or talk_s <= 0
    """) == 0
    assert one(con, """
        select count(*) from calls c join orders o using (order_id)
        where c.customer_id is distinct from o.customer_id or c.started_at <= o.ordered_at or c.queue = 'sales'
    """) == 0
    assert one(con, "select count(*) from calls c join customers u using (customer_id) "
                    "where u.created_at > c.started_at") == 0
    # prospects calling sales are not customers yet
    assert one(con, "select count(*) from calls where customer_id is null") > 0


def test_call_rates(full_con):
    assert 6 <= one(full_con, "select (select count(*) from orders) / (select count(*) from calls)") <= 10
    answered, service_level = one(full_con, "select avg(answered::int), avg((answered and wait_s <= 20)::int) "
                                            "from calls")
    assert 0.86 <= answered <= 0.94
    assert 0.74 <= service_level <= 0.84
    waits = dict(full_con.execute("select isodow(started_at) = 1 and hour(started_at) < 12, median(wait_s) "
                                  "from calls group by 1").fetchall())
    assert waits[True] > 1.3 * waits[False]  # Monday mornings
    busy = dict(full_con.execute("select month(started_at) in (11, 12, 1), median(wait_s) "
                                 "from calls group by 1").fetchall())
    assert busy[True] > busy[False]
    # trouble with an order makes the phone ring
    called = dict(full_con.execute("""
        select o.shipping_incident is not null, avg((exists (select 1 from calls c where c.order_id = o.order_id))::int)
        from orders o group by 1
    """).fetchall())
    assert called[True] > 4 * called[False]


# --- the cache ------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path):
    """An empty cache folder of its own: the test's tmp_path also holds its working directory."""
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder


def test_database_is_built_once_and_reused(cache):
    path = demo_db.demo_database(cache, seed=5, scale=0.2)
    assert path == cache / f"{demo_db.cache_stem()}-s5-x0.2.duckdb"
    parquet = demo_db.demo_parquet_dir(cache, seed=5, scale=0.2)
    assert parquet == cache / f"{demo_db.cache_stem()}-s5-x0.2"
    stamps = {p: p.stat().st_mtime_ns for p in [path, *parquet.iterdir()]}
    assert sorted(p.name for p in parquet.iterdir()) == sorted(f"{t}.parquet" for t in EXPECTED_COLUMNS)

    assert demo_db.demo_database(cache, seed=5, scale=0.2) == path
    assert demo_db.demo_parquet_dir(cache, seed=5, scale=0.2) == parquet
    assert {p: p.stat().st_mtime_ns for p in [path, *parquet.iterdir()]} == stamps
    # nothing but the two results in the cache directory: no temporary leftovers
    assert sorted(p.name for p in cache.iterdir()) == sorted([path.name, parquet.name])


def test_database_holds_the_generated_tables(cache):
    path = demo_db.demo_database(cache, seed=5, scale=0.2)
    expected = generate_tables(seed=5, scale=0.2)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert sorted(r[0] for r in con.execute("show tables").fetchall()) == sorted(expected)
        for name, table in expected.items():
            stored = con.table(name).to_arrow_table()
            assert stored.cast(table.schema).equals(table), name
    finally:
        con.close()
    parquet = demo_db.demo_parquet_dir(cache, seed=5, scale=0.2)
    for name, table in expected.items():
        assert pq.read_table(parquet / f"{name}.parquet").equals(table), name


def test_other_arguments_never_reuse_a_file(cache):
    paths = {
        demo_db.demo_database(cache, seed=5, scale=0.2),
        demo_db.demo_database(cache, seed=6, scale=0.2),
        demo_db.demo_database(cache, seed=5, scale=0.25),
    }
    assert len(paths) == 3


def test_a_crashed_build_leaves_nothing_to_reuse(cache, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_db.pq, "write_table", crash)
    with pytest.raises(RuntimeError):
        demo_db.demo_parquet_dir(cache, seed=5, scale=0.2)
    # the database landed whole before the crash; the parquet folder did not land at all
    assert sorted(p.name for p in cache.iterdir()) == [f"{demo_db.cache_stem()}-s5-x0.2.duckdb"]
    monkeypatch.undo()
    parquet = demo_db.demo_parquet_dir(cache, seed=5, scale=0.2)
    assert len(list(parquet.glob("*.parquet"))) == len(EXPECTED_COLUMNS)


def test_a_crash_while_writing_the_database_leaves_nothing(cache, monkeypatch):
    real_connect = duckdb.connect

    class Exploding:
        def __init__(self, path):
            self.con = real_connect(path)

        def from_arrow(self, table):
            self.con.from_arrow(table).create("partial")
            raise RuntimeError("killed")

        def close(self):
            self.con.close()

    monkeypatch.setattr(demo_db.duckdb, "connect", Exploding)
    with pytest.raises(RuntimeError):
        demo_db.demo_database(cache, seed=5, scale=0.2)
    assert list(cache.iterdir()) == []


def test_cache_name_follows_every_generator_module(tmp_path, monkeypatch):
    # a copy of the package, so its modules can be edited
    for module in pathlib.Path(demo_db.__file__).parent.glob("*.py"):
        (tmp_path / module.name).write_bytes(module.read_bytes())
    monkeypatch.setattr(demo_db, "__file__", str(tmp_path / "database.py"))
    stems = [demo_db.cache_stem()]
    for name in ("generator.py", "_shared.py"):
        with (tmp_path / name).open("a") as module:
            module.write("# changed\n")
        stems.append(demo_db.cache_stem())
    (tmp_path / "later_tables.py").write_text("# a new module of the generator\n")
    stems.append(demo_db.cache_stem())
    assert len(set(stems)) == len(stems)
    # the cache code itself is not part of the data
    with (tmp_path / "database.py").open("a") as module:
        module.write("# changed\n")
    assert demo_db.cache_stem() == stems[-1]


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert demo_db.default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("KPI_ENGINE_CACHE")
    assert demo_db.default_cache_dir() == tmp_path / "xdg" / "kpi-engine"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert demo_db.default_cache_dir() == tmp_path / "home" / ".cache" / "kpi-engine"


def test_default_cache_dir_is_used_without_an_argument(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(tmp_path / "cache"))
    path = demo_db.demo_database(seed=5, scale=0.2)
    assert path.parent == tmp_path / "cache"
    assert path.is_file() and os.path.getsize(path) > 0
    assert isinstance(path, pathlib.Path)
