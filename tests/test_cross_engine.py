"""The shipped catalog on every engine: the same numbers everywhere, and the right ones.

One seeded demo dataset is loaded into each engine of ``tests/engines`` (DuckDB, SQLite,
PostgreSQL, MariaDB, Spark, as available), and the whole catalog (every KPI of
``load_shipped()``: ratios, values, formulas, ranked lists and cohorts) is evaluated at
every grain, with and without a dimension (Spark, the slow one, runs the whole catalog
for the whole period and by month, and the grain-sensitive KPIs at the other grains).
Every numerator, denominator and value (and every list's items and ranks) must agree to
1e-9 relative with an independent computation in plain Python over the same rows
(``ORACLE`` below, written from the definitions by hand, not from the engine), and so
with every other engine.
"""

from __future__ import annotations

import pytest

import kpi_engine
from engines import engines
from kpi_engine.demo.generator import generate_tables
from kpi_engine.shipped import load_shipped
from oracle import (
    Data,
    Formula,
    Ratio,
    assert_matches,
    at_least,
    at_most,
    both,
    breakdown,
    churn,
    count,
    count_distinct,
    count_of,
    differs,
    difference,
    equals,
    every,
    is_false,
    is_true,
    later,
    lifetime_value,
    maximum,
    mean,
    median,
    minimum,
    not_null,
    one_of,
    quotient,
    repeat_purchase,
    retention,
    top,
    total,
)

GRAINS = (None, "day", "week", "month", "quarter", "year")
SLICES = ((), ("channel",))

# Spark executes the whole catalog's statement slowly (20-60 s on two cores: about 100
# jobs and 480 tiny stages; planning takes a few seconds), so it gets the whole catalog
# for the whole period and by month only. At the other grains it runs the KPIs whose SQL
# depends on the grain beyond the period bucket every KPI shares: the cohorts (consecutive
# periods), a formula and a two-source ratio (aligned on the bucket) and a list (ranked
# per period).
FULL_GRAINS = {"spark": (None, "month")}
GRAIN_PROBES = {
    "customer_retention_rate", "online_retention_rate", "churn_rate", "repeat_purchase_rate",
    "customer_lifetime_value", "customer_acquisition_cost", "conversion_rate", "top_searched_keywords",
}


def scores(rows):
    return [r["score"] for r in rows if r["score"] is not None]


def net_promoter_score(rows):
    """Share of 9-10 answers minus share of 0-6 answers, in points; None without answers."""
    answers = scores(rows)
    if not answers:
        return None
    return 100 * (sum(s >= 9 for s in answers) / len(answers) - sum(s <= 6 for s in answers) / len(answers))


def gross_profit(rows):
    """``sum(revenue - cost)``: the rows where both are known."""
    return total("profit")([{"profit": None if r["revenue"] is None or r["cost"] is None else r["revenue"] - r["cost"]}
                            for r in rows])


def value(side):
    return Ratio(side)


def ratio(numerator, denominator):
    return Ratio(numerator, denominator)


margin = difference(total("revenue"), total("cost"))
qualified = one_of("stage", "lead", "prospect", "customer")

# The kpi-commerce plugin's definition pack joins the catalog when the plugin is installed.
COMMERCE_PACK = {
    "nps", "survey_response_count", "promoter_share", "customer_retention_rate", "online_retention_rate",
    "churn_rate", "repeat_purchase_rate", "customer_lifetime_value",
}

# Per KPI, written from definitions/*.yaml and the pack's commerce.yaml: (source, row
# filter, aggregate) per side, a formula over two KPIs, a ranked list, or a cohort.
ORACLE = {
    # acquisition.yaml
    "suspects": value(("leads", every, count)),
    "leads": value(("leads", qualified, count)),
    "prospects": value(("leads", one_of("stage", "prospect", "customer"), count)),
    "new_customers": value(("orders", is_true("is_first_order"), count)),
    "signups": value(("customers", every, count)),
    "lead_conversion_rate": ratio(("leads", equals("stage", "customer"), count), ("leads", qualified, count)),
    "lead_distribution_by_source": breakdown("leads", lambda r: r["source"], count, where=qualified),
    "campaign_spend": value(("campaigns", every, total("spend"))),
    "campaign_revenue": value(("campaigns", every, total("conversion_revenue"))),
    "cost_per_lead": ratio(("campaigns", every, total("spend")), ("leads", qualified, count)),
    "click_through_rate": ratio(("campaigns", every, total("clicks")), ("campaigns", every, total("impressions"))),
    "search_click_through_rate": ratio(("campaigns", equals("channel", "paid_search"), total("clicks")),
                                       ("campaigns", equals("channel", "paid_search"), total("impressions"))),
    "cost_per_click": ratio(("campaigns", differs("channel", "email"), total("spend")),
                            ("campaigns", differs("channel", "email"), total("clicks"))),
    "advertising_conversion_rate": ratio(("campaigns", equals("channel", "paid_search"), total("conversions")),
                                         ("campaigns", equals("channel", "paid_search"), total("clicks"))),
    "roas": Formula("campaign_revenue", "campaign_spend"),
    "customer_acquisition_cost": Formula("campaign_spend", "new_customers"),
    # audience.yaml
    "unique_visitors": value(("sessions", every, count_distinct("visitor_id"))),
    "sessions": value(("sessions", every, count)),
    "new_visitor_rate": ratio(("sessions", is_true("is_new_visitor"), count), ("sessions", every, count)),
    "repeat_visits": value(("sessions", is_false("is_new_visitor"), count)),
    "mobile_session_share": ratio(("sessions", equals("device", "mobile"), count), ("sessions", every, count)),
    "mobile_desktop_ratio": ratio(("sessions", equals("device", "mobile"), count),
                                  ("sessions", equals("device", "desktop"), count)),
    "email_opt_in_rate": ratio(("email_optins", every, count), ("sessions", every, count_distinct("visitor_id"))),
    # navigation.yaml
    "sessions_per_visitor": ratio(("sessions", every, count), ("sessions", every, count_distinct("visitor_id"))),
    "session_duration": value(("sessions", is_false("bounced"), mean("duration_s"))),
    "pages_per_session": ratio(("sessions", every, total("pages")), ("sessions", every, count)),
    "bounce_rate": ratio(("sessions", is_true("bounced"), count), ("sessions", every, count)),
    "add_to_cart_rate": ratio(("carts", every, count), ("sessions", every, count)),
    "searches": value(("searches", every, count)),
    "search_effectiveness_rate": ratio(("searches", is_true("clicked"), count), ("searches", every, count)),
    "zero_result_search_rate": ratio(("searches", equals("results", 0), count), ("searches", every, count)),
    "top_searched_keywords": top("searches", lambda r: r["query"], count, limit=10),
    "top_zero_result_keywords": top("searches", lambda r: r["query"], count, where=equals("results", 0), limit=10),
    "top_exit_pages": top("sessions", lambda r: r["exit_page"], count, limit=10),
    # transactions.yaml
    "transactions": value(("orders", every, count)),
    "revenue": value(("orders", every, total("revenue"))),
    "revenue_by_category": breakdown("order_lines", lambda r: r["category"], total("revenue")),
    "revenue_by_channel": breakdown("orders", lambda r: r["channel"], total("revenue")),
    "top_customers_by_revenue": top("orders", lambda r: r["customer_id"], total("revenue"), limit=10),
    "profit_margin": value(("orders", every, margin)),
    "profit_margin_rate": ratio(("orders", every, margin), ("orders", every, total("revenue"))),
    "category_margin_rate": ratio(("order_lines", every, margin), ("order_lines", every, total("revenue"))),
    "quotes_requested": value(("quotes", every, count)),
    "quote_conversion_rate": ratio(("quotes", equals("status", "won"), count),
                                   ("quotes", one_of("status", "won", "lost"), count)),
    "conversion_rate": ratio(("orders", every, count), ("sessions", every, count)),
    "cart_abandonment_rate": ratio(("carts", is_false("ordered"), count), ("carts", every, count)),
    "average_order_value": ratio(("orders", every, total("revenue")), ("orders", every, count)),
    "minimum_order_value": value(("orders", every, minimum("revenue"))),
    "median_order_value": value(("orders", every, median("revenue"))),
    "maximum_order_value": value(("orders", every, maximum("revenue"))),
    "active_customers": value(("orders", every, count_distinct("customer_id"))),
    "orders_per_active_customer": ratio(("orders", every, count), ("orders", every, count_distinct("customer_id"))),
    # local time of the order, 0-23, and the ISO weekday, 1 = Monday .. 7 = Sunday
    "orders_by_hour": breakdown("orders", lambda r: r["ordered_at"].hour, count),
    "orders_by_weekday": breakdown("orders", lambda r: r["ordered_at"].isoweekday(), count),
    "payment_method_share": breakdown("orders", lambda r: r["payment_method"], count),
    "return_rate": ratio(("returns", every, count), ("orders", every, count)),
    "refund_rate": ratio(("returns", equals("status", "refunded"), total("refund_amount")),
                         ("orders", every, total("revenue"))),
    # service.yaml
    "site_speed": value(("sessions", every, mean("load_time_s"))),
    "phone_wait_time": value(("calls", every, mean("wait_s"))),
    "call_answer_rate": ratio(("calls", is_true("answered"), count), ("calls", every, count)),
    "call_sla_compliance": ratio(("calls", both(is_true("answered"), at_most("wait_s", 20)), count),
                                 ("calls", every, count)),
    "calls_per_order": ratio(("calls", every, count), ("orders", every, count)),
    "emails_per_order": ratio(("tickets", equals("channel", "email"), count), ("orders", every, count)),
    "ticket_to_order_ratio": ratio(("tickets", every, count), ("orders", every, count)),
    "first_response_time": value(("tickets", every, mean("first_response_s"))),
    "ticket_resolution_time": value(("tickets", every, mean("resolution_s"))),
    "ticket_sla_compliance": ratio(("tickets", at_most("resolution_s", 172800), count), ("tickets", every, count)),
    "after_sales_dispute_rate": ratio(("disputes", every, count), ("orders", every, count)),
    "late_delivery_rate": ratio(("orders", later("delivered_at", "promised_at"), count),
                                ("orders", not_null("delivered_at"), count)),
    "sales_share_by_carrier": breakdown("orders", lambda r: r["carrier"], total("revenue")),
    "incident_rate_by_carrier": top("orders", lambda r: r["carrier"],
                                    quotient(count_of("shipping_incident"), count_of("delivered_at")),
                                    where=not_null("delivered_at"), limit=10),
    "shipping_incident_rate": ratio(("orders", not_null("delivered_at"), count_of("shipping_incident")),
                                    ("orders", not_null("delivered_at"), count)),
    # plugins/kpi-commerce/src/kpi_commerce/definitions/commerce.yaml
    "nps": value(("surveys", every, net_promoter_score)),
    "survey_response_count": value(("surveys", every, count)),
    "promoter_share": ratio(("surveys", at_least("score", 9), count), ("surveys", every, count_of("score"))),
    "customer_retention_rate": retention("purchases", "customer_id"),
    "online_retention_rate": retention("purchases", "customer_id", where=not_null("cart_id")),
    "churn_rate": churn("purchases", "customer_id"),
    "repeat_purchase_rate": repeat_purchase("purchases", "customer_id"),
    "customer_lifetime_value": lifetime_value("purchases", "customer_id", gross_profit),
}

# source -> (table, time column), from definitions/sources.yaml and commerce.yaml
SOURCES = {
    "campaigns": ("campaigns", "day"), "leads": ("leads", "created_at"), "customers": ("customers", "created_at"),
    "sessions": ("sessions", "started_at"), "searches": ("searches", "searched_at"),
    "email_optins": ("email_optins", "subscribed_at"), "carts": ("carts", "created_at"),
    "orders": ("orders", "ordered_at"), "order_lines": ("order_lines", "ordered_at"),
    "quotes": ("quotes", "requested_at"), "returns": ("returns", "requested_at"),
    "tickets": ("tickets", "created_at"), "calls": ("calls", "started_at"), "disputes": ("disputes", "opened_at"),
    "surveys": ("surveys", "answered_at"), "purchases": ("orders", "ordered_at"),
}


@pytest.fixture(scope="module")
def dataset():
    # scale 0.15, not smaller: at 0.05 no order had a return, a dispute or a shipping
    # incident, so five KPIs were only ever checked as zeros and nulls
    return generate_tables(seed=7, months=3, scale=0.15)


@pytest.fixture(scope="module")
def data(dataset):
    tables = {name: table.to_pylist() for name, table in dataset.items()}
    return Data(
        rows={source: tables[table] for source, (table, _) in SOURCES.items()},
        time={source: time for source, (_, time) in SOURCES.items()},
        oracle=ORACLE,
    )


@pytest.fixture(scope="module")
def catalog():
    return load_shipped()


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def engine(request, dataset, catalog, tmp_path_factory):
    """(engine name, an open kpi_engine.Engine) on an engine holding the dataset.

    One connection serves every grain and slice (Spark registers its views once).
    """
    with request.param.provision(dataset, tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(catalog, url) as running:
            yield request.param.NAME, running


def reads(catalog, kpi) -> set[str]:
    """The sources a KPI reads, through the KPIs a formula is built from."""
    found = set(kpi.sources)
    for part in kpi.depends_on:
        found |= reads(catalog, catalog.kpis[part])
    return found


def test_the_oracle_covers_the_whole_catalog(catalog):
    assert set(catalog.kpis) <= set(ORACLE)
    # the commerce pack's KPIs are there all together (plugin installed) or not at all
    assert set(ORACLE) - set(catalog.kpis) in (set(), COMMERCE_PACK)
    assert all(source in SOURCES for kpi in catalog.kpis.values() for source in reads(catalog, kpi))
    assert GRAIN_PROBES <= set(ORACLE)
    assert {n for n, k in catalog.kpis.items() if k.lists} == {n for n in catalog.kpis if ORACLE[n].lists}


def test_the_dataset_gives_every_kpi_something_to_check(data):
    """Every KPI has a month with a non-zero numerator, so no check passes on zeros and nulls alone."""
    idle = [n for n in ORACLE if not any(v[0] not in (None, 0) for v in data.compute(n, "month", ()).values())]
    assert not idle, f"the demo dataset leaves these KPIs at zero or null every month: {idle}"


@pytest.mark.parametrize("by", SLICES, ids=lambda b: "by_" + "_".join(b) if b else "total")
@pytest.mark.parametrize("grain", GRAINS, ids=lambda g: g or "whole")
def test_catalog_on_engine_matches_the_oracle(engine, catalog, data, grain, by):
    engine_name, running = engine
    names = [
        k.name for k in catalog.kpis.values()
        if all(catalog.sources[s].dimension(d) for s in reads(catalog, k) for d in by)
    ]
    if grain not in FULL_GRAINS.get(engine_name, GRAINS):
        names = [n for n in names if n in GRAIN_PROBES]
    assert names  # an empty selection would run the whole catalog
    table = running.run(kpis=names, grain=grain, by=list(by))
    keys = (["period_start"] if grain else []) + list(by)
    expected = {name: data.compute(name, grain, by) for name in names}
    assert_matches(table, expected, keys, lists={n for n in names if catalog.kpis[n].lists})
    if "nps" in names:
        # The NPS's sample (min_sample 30) is its answers: count(score), which the oracle
        # computes as the promoter share's denominator; every other KPI reports none.
        answers = {key: numbers[1] for key, numbers in data.compute("promoter_share", grain, by).items()}
        samples = {tuple(r[k] for k in keys): r["sample"] for r in table.to_pylist() if r["kpi"] == "nps"}
        assert samples == (answers or {(None,) * len(keys): None})
        assert all(r["sample"] is None for r in table.to_pylist() if r["kpi"] != "nps")
