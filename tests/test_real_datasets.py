"""The engine on real public data, checked against published figures and hand-written SQL.

``tests/real_datasets/<dataset>/`` maps KPIs shaped like the shipped catalog onto three
public datasets kept outside the repository (``shared/datasets``, see its README.md): UCI
Online Retail (invoices and cancellations), UCI Online Shoppers (web sessions with a
purchase flag) and Olist (payments, and a B2B seller funnel). Every value the engine
returns is compared with

- the figures the datasets' READMEs cite, written here as literals with the README line, and
- an independent computation: SQL written by hand in a separate DuckDB connection, or
  pyarrow.compute over the Parquet file - never the engine's own output.

The data is found through ``KPI_ENGINE_DATASETS``, else a ``shared/datasets`` folder beside
the repository or one of its parents; without it the module is skipped.
"""

from __future__ import annotations

import math
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import kpi_engine
from engines.duckdb_per_kpi import per_kpi_assembly

REPO = Path(__file__).resolve().parents[1]
DEFINITIONS = Path(__file__).resolve().parent / "real_datasets"
FILES = {
    "uci_online_retail": ["online_retail.parquet"],
    "uci_online_shoppers": ["online_shoppers_intention.parquet"],
    "olist": ["order_payments.parquet", "marketing_qualified_leads.parquet", "closed_deals.parquet"],
}


def _find_datasets() -> tuple[Path | None, str]:
    """(the datasets folder, "") or (None, why it was not found)."""
    env = os.environ.get("KPI_ENGINE_DATASETS")
    if env:
        candidates, where = [Path(env)], f"KPI_ENGINE_DATASETS={env} is not a folder"
    else:
        candidates = [parent / "shared" / "datasets" for parent in REPO.parents]
        where = f"no shared/datasets folder beside {REPO} or its parents (set KPI_ENGINE_DATASETS)"
    for folder in candidates:
        if folder.is_dir():
            missing = [f"{name}/{file}" for name, files in FILES.items() for file in files
                       if not (folder / name / file).is_file()]  # fmt: skip
            if missing:
                return None, f"{folder} lacks {', '.join(missing)}"
            return folder, ""
    return None, where


DATASETS, _why = _find_datasets()
if DATASETS is None:
    pytest.skip(f"real datasets not available: {_why}", allow_module_level=True)


def parquet(dataset: str, file: str) -> str:
    return str(DATASETS / dataset / file)


RETAIL = parquet("uci_online_retail", "online_retail.parquet")
SHOPPERS = parquet("uci_online_shoppers", "online_shoppers_intention.parquet")
PAYMENTS = parquet("olist", "order_payments.parquet")
LEADS = parquet("olist", "marketing_qualified_leads.parquet")
DEALS = parquet("olist", "closed_deals.parquet")


# -- running the engine and the reference --------------------------------------------------


class Runner:
    """An engine over one dataset's definitions, copied beside a ``data`` link to the dataset.

    The link leads out of the definitions directory, so the dataset is a data root too.
    """

    def __init__(self, folder: Path, data: Path):
        self.folder = folder
        self.engine = kpi_engine.Engine(kpi_engine.load(folder, data_roots=[folder, data]), connection="duckdb://")

    def run(self, kpis, grain=None, by=()) -> dict[tuple, dict]:
        """{(kpi, period_start?, *by): row}.

        The request also runs with the per-KPI assembly PostgreSQL, SQLite and Snowflake
        get: its rows must be the same, so the checks below hold for both.
        """
        # Olist's lead_outcomes is a sql: source with read_parquet('data/...'): relative to
        # its file like a path: source, whatever the working directory (it is another one).
        out = self._rows(kpis, grain, by)
        with per_kpi_assembly():
            per_kpi = self._rows(kpis, grain, by)
        assert per_kpi.keys() == out.keys()
        for key, row in out.items():
            for column in ("numerator", "denominator", "value"):
                assert close(per_kpi[key][column], row[column]), (key, column, per_kpi[key][column], row[column])
            assert per_kpi[key]["status"] == row["status"], key
        return out

    def _rows(self, kpis, grain, by) -> dict[tuple, dict]:
        table = self.engine.run(kpis=list(kpis), grain=grain, by=list(by))
        out = {}
        for row in table.to_pylist():
            key = (row["kpi"], *((row["period_start"],) if grain else ()), *(row[d] for d in by))
            assert key not in out, f"duplicate row {key}"
            out[key] = row
        return out


def _runner(tmp_path_factory, dataset: str):
    folder = tmp_path_factory.mktemp("real") / dataset
    shutil.copytree(DEFINITIONS / dataset, folder)
    (folder / "data").symlink_to(DATASETS / dataset, target_is_directory=True)
    runner = Runner(folder, DATASETS / dataset)
    yield runner
    runner.engine.close()


@pytest.fixture(scope="module")
def retail(tmp_path_factory):
    yield from _runner(tmp_path_factory, "uci_online_retail")


@pytest.fixture(scope="module")
def shoppers(tmp_path_factory):
    yield from _runner(tmp_path_factory, "uci_online_shoppers")


@pytest.fixture(scope="module")
def olist(tmp_path_factory):
    yield from _runner(tmp_path_factory, "olist")


@pytest.fixture(scope="module")
def sql():
    """Hand-written SQL in a connection of its own: ``sql(query, params) -> list[dict]``."""
    con = duckdb.connect()

    def query(text: str, params=None) -> list[dict]:
        result = con.execute(text, params or {})
        names = [d[0] for d in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]

    yield query
    con.close()


def ratio(numerator, denominator):
    return None if numerator is None or not denominator else numerator / denominator


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def grouped(sql, query: str, params: dict, keys: dict[str, str], grain: str | None, by, time: str | None):
    """Run ``query`` (with ``{keys}`` and ``{group}`` placeholders) grouped by grain and ``by``."""
    exprs = ([f"date_trunc('{grain}', {time})::date"] if grain else []) + [keys[d] for d in by]
    select = "".join(f"{e} as k{i}, " for i, e in enumerate(exprs))
    group = "group by " + ", ".join(f"k{i}" for i in range(len(exprs))) if exprs else ""
    rows = sql(query.format(keys=select, group=group), params)
    return {tuple(r[f"k{i}"] for i in range(len(exprs))): r for r in rows}


def assert_rows_match(actual: dict, expected: dict) -> None:
    """Engine rows against {key: (numerator, denominator, value)}: same keys, same numbers."""
    assert set(actual) == set(expected), (
        f"engine only: {sorted(set(actual) - set(expected), key=str)[:5]}, "
        f"reference only: {sorted(set(expected) - set(actual), key=str)[:5]}"
    )
    for key, numbers in expected.items():
        row = actual[key]
        for name, want in zip(("numerator", "denominator", "value"), numbers):
            assert close(row[name], want), f"{key} {name}: engine {row[name]!r}, SQL {want!r}"


def status(value, direction, warn, critical) -> str:
    """The shipped catalog's rule for one-sided lines (README "Compliance")."""
    if value is None:
        return "no_data"
    worse = (lambda v, line: v < line) if direction == "higher" else (lambda v, line: v > line)
    return "critical" if worse(value, critical) else "warn" if worse(value, warn) else "ok"


# -- UCI Online Retail: invoices, cancellations, revenue -------------------------------------

RETAIL_KPIS = [
    "invoices", "invoice_lines", "orders", "cancellations", "cancellation_rate",
    "revenue", "average_order_value", "active_customers", "customers",
]  # fmt: skip
RETAIL_KEYS = {
    "country": "Country",
    "invoice_kind": "case when InvoiceNo like 'C%' then 'cancellation' "
    "when InvoiceNo like 'A%' then 'adjustment' else 'order' end",
}
RETAIL_SQL = """
    select {keys}
        count(distinct InvoiceNo) as invoices,
        count(*) as lines,
        count(distinct InvoiceNo) filter (where is_order) as orders,
        count(distinct InvoiceNo) filter (where InvoiceNo like 'C%') as cancellations,
        count(distinct InvoiceNo) filter (where InvoiceNo not like 'A%') as orders_and_cancellations,
        sum(Quantity * UnitPrice) as net_revenue,
        sum(Quantity * UnitPrice) filter (where is_order) as sales,
        count(distinct CustomerID) filter (where is_order) as active_customers,
        count(distinct CustomerID) as customers
    from (select *, InvoiceNo not like 'C%' and InvoiceNo not like 'A%' as is_order from read_parquet($path))
    {group}
"""


def retail_expected(sql, grain=None, by=()) -> dict[tuple, tuple]:
    out = {}
    for key, r in grouped(sql, RETAIL_SQL, {"path": RETAIL}, RETAIL_KEYS, grain, by, "InvoiceDate").items():
        for kpi, numbers in {
            "invoices": (r["invoices"], None, r["invoices"]),
            "invoice_lines": (r["lines"], None, r["lines"]),
            "orders": (r["orders"], None, r["orders"]),
            "cancellations": (r["cancellations"], None, r["cancellations"]),
            "cancellation_rate": (
                r["cancellations"],
                r["orders_and_cancellations"],
                ratio(r["cancellations"], r["orders_and_cancellations"]),
            ),
            "revenue": (r["net_revenue"], None, r["net_revenue"]),
            "average_order_value": (r["sales"], r["orders"], ratio(r["sales"], r["orders"])),
            "active_customers": (r["active_customers"], None, r["active_customers"]),
            "customers": (r["customers"], None, r["customers"]),
        }.items():
            out[(kpi, *key)] = numbers
    return out


def test_retail_totals_match_the_published_figures(retail):
    rows = retail.run(RETAIL_KPIS)
    value = {kpi: rows[(kpi,)]["value"] for kpi in RETAIL_KPIS}
    # uci_online_retail/README.md:18-20 "Published profile figures (541,909 rows, 25,900 invoices,
    # 4,372 customers, ... net revenue 9,747,747.93)"
    assert value["invoice_lines"] == 541_909
    assert value["invoices"] == 25_900
    assert value["customers"] == 4_372
    assert value["revenue"] == pytest.approx(9_747_747.93, abs=0.005)
    # README.md:27 "prefix C = cancellation (3,836 invoices, 9,288 lines); prefix A = bad-debt
    # adjustment (3 lines)": each A-line is an invoice of its own (A563185..A563187).
    assert value["cancellations"] == 3_836
    assert value["orders"] == 25_900 - 3_836 - 3 == 22_061
    assert rows[("cancellation_rate",)]["numerator"] == 3_836
    assert rows[("cancellation_rate",)]["denominator"] == 25_900 - 3
    assert value["cancellation_rate"] == pytest.approx(3_836 / 25_897)  # 14.81%
    # Not in the README: checked against SQL below and pyarrow here.
    assert value["average_order_value"] == pytest.approx(483.0072, abs=1e-4)  # 10,655,622.48 / 22,061
    assert value["active_customers"] == 4_339  # 33 customers only ever cancelled


def test_retail_totals_match_pyarrow(retail):
    table = pq.read_table(RETAIL, columns=["InvoiceNo", "Quantity", "UnitPrice", "CustomerID"])
    amount = pc.multiply(pc.cast(table["Quantity"], "float64"), table["UnitPrice"])
    cancellation = pc.starts_with(table["InvoiceNo"], "C")
    is_order = pc.invert(pc.or_(cancellation, pc.starts_with(table["InvoiceNo"], "A")))
    orders = table.filter(is_order)

    rows = retail.run(RETAIL_KPIS)
    assert rows[("invoices",)]["value"] == pc.count_distinct(table["InvoiceNo"]).as_py()
    assert rows[("cancellations",)]["value"] == pc.count_distinct(table.filter(cancellation)["InvoiceNo"]).as_py()
    assert rows[("orders",)]["value"] == pc.count_distinct(orders["InvoiceNo"]).as_py()
    assert rows[("revenue",)]["value"] == pytest.approx(pc.sum(amount).as_py(), rel=1e-12)
    sales = pc.sum(amount.filter(is_order)).as_py()
    assert rows[("average_order_value",)]["numerator"] == pytest.approx(sales, rel=1e-12)
    assert rows[("average_order_value",)]["value"] == pytest.approx(sales / len(pc.unique(orders["InvoiceNo"])))
    # count_distinct counts null as a value by default ("only_valid" leaves it out, like SQL).
    assert rows[("active_customers",)]["value"] == pc.count_distinct(orders["CustomerID"], mode="only_valid").as_py()
    assert rows[("customers",)]["value"] == pc.count_distinct(table["CustomerID"], mode="only_valid").as_py()


def case_id(case) -> str:
    grain, by = case
    return f"{grain or 'total'}-{'-'.join(by) or 'all'}"


RETAIL_CASES = [
    (None, ()), ("quarter", ()), ("month", ()),
    (None, ("country",)), ("quarter", ("country",)), (None, ("invoice_kind",)),
]  # fmt: skip


@pytest.mark.parametrize(("grain", "by"), RETAIL_CASES, ids=map(case_id, RETAIL_CASES))
def test_retail_matches_sql(retail, sql, grain, by):
    assert_rows_match(retail.run(RETAIL_KPIS, grain, by), retail_expected(sql, grain, by))


def test_retail_quarters_cover_the_published_date_range(retail):
    rows = retail.run(["orders", "cancellation_rate"], grain="quarter")
    # uci_online_retail/README.md:1 "2010-12-01 .. 2011-12-09": Q4 2010 (December only) .. Q4 2011.
    quarters = sorted({key[1] for key in rows})
    assert quarters == [date(2010, 10, 1), date(2011, 1, 1), date(2011, 4, 1), date(2011, 7, 1), date(2011, 10, 1)]
    # Invoices never straddle quarters (SQL: no InvoiceNo has lines in two quarters), so
    # quarterly counts add up to the README's totals.
    assert sum(rows[("orders", q)]["value"] for q in quarters) == 22_061
    assert sum(rows[("cancellation_rate", q)]["numerator"] for q in quarters) == 3_836


def test_retail_by_country_and_kind_match_the_published_figures(retail):
    by_country = retail.run(["invoice_lines", "orders"], by=["country"])
    countries = {key[1] for key in by_country}
    # uci_online_retail/README.md:34 "38 values incl. 'Unspecified', 'European Community';
    # United Kingdom = 91.4% of lines"
    assert len(countries) == 38 and {"Unspecified", "European Community"} <= countries
    lines = {key[1]: row["value"] for key, row in by_country.items() if key[0] == "invoice_lines"}
    assert sum(lines.values()) == 541_909
    assert round(lines["United Kingdom"] / 541_909, 3) == 0.914
    # Every invoice has one country, so the countries' orders add up to all orders.
    assert sum(row["value"] for key, row in by_country.items() if key[0] == "orders") == 22_061

    by_kind = retail.run(["invoice_lines", "invoices"], by=["invoice_kind"])
    # README.md:27 "prefix C = cancellation (3,836 invoices, 9,288 lines); prefix A = ... (3 lines)"
    assert by_kind[("invoices", "cancellation")]["value"] == 3_836
    assert by_kind[("invoice_lines", "cancellation")]["value"] == 9_288
    assert by_kind[("invoice_lines", "adjustment")]["value"] == 3
    assert by_kind[("invoice_lines", "order")]["value"] == 541_909 - 9_288 - 3


# -- UCI Online Shoppers: sessions, conversion, bounces --------------------------------------

SHOPPER_KPIS = [
    "sessions", "new_visitor_rate", "conversion_rate", "bounce_rate", "average_page_bounce_rate",
    "average_page_exit_rate", "pages_per_session", "session_duration",
]  # fmt: skip
# The lines copied from the shipped catalog, restated for the hand-written status.
SHOPPER_LINES = {
    "conversion_rate": ("higher", 0.03, 0.025, 0.02),
    "bounce_rate": ("lower", 0.40, 0.45, 0.55),
    "new_visitor_rate": ("lower", 0.40, 0.45, 0.55),
}
SHOPPER_KEYS = {
    "visitor_type": "VisitorType",
    "month": "Month",
    "day_type": "case when Weekend then 'weekend' else 'weekday' end",
}
SHOPPER_SQL = """
    select {keys}
        count(*) as sessions,
        count(*) filter (where Revenue) as purchases,
        count(*) filter (where VisitorType = 'New_Visitor') as new_visitors,
        count(*) filter (where pages <= 1) as single_page,
        sum(pages) as pages,
        avg(BounceRates) as page_bounce,
        avg(ExitRates) as page_exit,
        avg(Administrative_Duration + Informational_Duration + ProductRelated_Duration)
            filter (where pages > 1) as engaged_seconds
    from (select *, Administrative + Informational + ProductRelated as pages from read_parquet($path))
    {group}
"""


def shoppers_expected(sql, by=()) -> dict[tuple, tuple]:
    out = {}
    for key, r in grouped(sql, SHOPPER_SQL, {"path": SHOPPERS}, SHOPPER_KEYS, None, by, None).items():
        n = r["sessions"]
        for kpi, numbers in {
            "sessions": (n, None, n),
            "new_visitor_rate": (r["new_visitors"], n, ratio(r["new_visitors"], n)),
            "conversion_rate": (r["purchases"], n, ratio(r["purchases"], n)),
            "bounce_rate": (r["single_page"], n, ratio(r["single_page"], n)),
            "average_page_bounce_rate": (r["page_bounce"], None, r["page_bounce"]),
            "average_page_exit_rate": (r["page_exit"], None, r["page_exit"]),
            "pages_per_session": (r["pages"], n, ratio(r["pages"], n)),
            "session_duration": (r["engaged_seconds"], None, r["engaged_seconds"]),
        }.items():
            out[(kpi, *key)] = numbers
    return out


def test_shoppers_totals_match_the_published_figures(shoppers):
    rows = shoppers.run(["sessions", "conversion_rate"])
    # uci_online_shoppers/README.md:18 "online_shoppers_intention.parquet - 12,330 rows";
    # README.md:32 "Revenue ... session ended with a purchase (1,908 TRUE = 15.47%)"
    assert rows[("sessions",)]["value"] == 12_330
    conversion = rows[("conversion_rate",)]
    assert (conversion["numerator"], conversion["denominator"]) == (1_908, 12_330)
    assert round(conversion["value"], 4) == 0.1547
    assert conversion["status"] == "ok" and conversion["attainment"] == pytest.approx(1_908 / 12_330 / 0.03)


SHOPPER_CASES = [(), ("visitor_type",), ("month",), ("day_type",), ("visitor_type", "day_type")]


@pytest.mark.parametrize("by", SHOPPER_CASES, ids=["-".join(b) or "total" for b in SHOPPER_CASES])
def test_shoppers_match_sql(shoppers, sql, by):
    actual = shoppers.run(SHOPPER_KPIS, by=by)
    expected = shoppers_expected(sql, by)
    assert_rows_match(actual, expected)
    for key, (_, _, value) in expected.items():
        if key[0] in SHOPPER_LINES:
            direction, target, warn, critical = SHOPPER_LINES[key[0]]
            assert actual[key]["target"] == target
            assert actual[key]["status"] == status(value, direction, warn, critical), key


def test_shoppers_conversion_by_visitor_type_matches_pyarrow(shoppers):
    table = pq.read_table(SHOPPERS, columns=["VisitorType", "Revenue"])
    counts = table.group_by("VisitorType").aggregate([("Revenue", "count"), ("Revenue", "sum")])
    expected = {
        r["VisitorType"]: (r["Revenue_sum"], r["Revenue_count"]) for r in counts.to_pylist()
    }  # New_Visitor 422 / 1,694 = 24.9%; Returning_Visitor 1,470 / 10,551 = 13.9%
    rows = shoppers.run(["conversion_rate"], by=["visitor_type"])
    assert {key[1]: (r["numerator"], r["denominator"]) for key, r in rows.items()} == expected
    assert rows[("conversion_rate", "New_Visitor")]["value"] > rows[("conversion_rate", "Returning_Visitor")]["value"]


def test_shoppers_months_and_weekend(shoppers):
    rows = shoppers.run(["sessions", "conversion_rate"], by=["month"])
    # uci_online_shoppers/README.md:28 "'Feb','Mar','May','June','Jul','Aug','Sep','Oct','Nov','Dec'"
    months = {key[1] for key in rows}
    assert months == {"Feb", "Mar", "May", "June", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    assert sum(rows[("sessions", m)]["value"] for m in months) == 12_330
    assert sum(rows[("conversion_rate", m)]["numerator"] for m in months) == 1_908
    # February: 3 purchases in 184 sessions (SQL), 1.6%, below the shipped 2% critical line.
    february = rows[("conversion_rate", "Feb")]
    assert (february["numerator"], february["denominator"], february["status"]) == (3, 184, "critical")

    days = shoppers.run(["conversion_rate"], by=["day_type"])
    # SQL: weekend 499 / 2,868 = 17.4%, weekday 1,409 / 9,462 = 14.9%.
    weekend, weekday = days[("conversion_rate", "weekend")], days[("conversion_rate", "weekday")]
    assert (weekend["numerator"], weekend["denominator"]) == (499, 2_868)
    assert (weekday["numerator"], weekday["denominator"]) == (1_409, 9_462)


# -- Olist: payments -------------------------------------------------------------------------

PAYMENT_KPIS = [
    "orders", "payments", "revenue", "average_order_value", "average_payment_value",
    "credit_card_share", "boleto_share", "voucher_share", "debit_card_share",
    "average_installments", "installment_payment_share",
]  # fmt: skip
SHARES = {
    "credit_card_share": "credit_card",
    "boleto_share": "boleto",
    "voucher_share": "voucher",
    "debit_card_share": "debit_card",
}
PAYMENT_SQL = """
    select {keys}
        count(distinct order_id) as orders,
        count(*) as payments,
        sum(payment_value) as amount,
        avg(payment_value) as mean_payment,
        count(distinct order_id) filter (where payment_type = 'credit_card') as credit_card,
        count(distinct order_id) filter (where payment_type = 'boleto') as boleto,
        count(distinct order_id) filter (where payment_type = 'voucher') as voucher,
        count(distinct order_id) filter (where payment_type = 'debit_card') as debit_card,
        avg(payment_installments) filter (where payment_type = 'credit_card') as card_installments,
        count(*) filter (where payment_type = 'credit_card' and payment_installments > 1) as split_card_payments,
        count(*) filter (where payment_type = 'credit_card') as card_payments
    from read_parquet($path)
    {group}
"""


def payments_expected(sql, by=()) -> dict[tuple, tuple]:
    out = {}
    keys = {"payment_type": "payment_type"}
    for key, r in grouped(sql, PAYMENT_SQL, {"path": PAYMENTS}, keys, None, by, None).items():
        n = r["orders"]
        numbers = {
            "orders": (n, None, n),
            "payments": (r["payments"], None, r["payments"]),
            "revenue": (r["amount"], None, r["amount"]),
            "average_order_value": (r["amount"], n, ratio(r["amount"], n)),
            "average_payment_value": (r["mean_payment"], None, r["mean_payment"]),
            "average_installments": (r["card_installments"], None, r["card_installments"]),
            "installment_payment_share": (
                r["split_card_payments"],
                r["card_payments"],
                ratio(r["split_card_payments"], r["card_payments"]),
            ),
        }
        numbers.update({kpi: (r[method], n, ratio(r[method], n)) for kpi, method in SHARES.items()})
        out.update({(kpi, *key): v for kpi, v in numbers.items()})
    return out


def test_olist_payments_match_the_published_figures(olist):
    rows = olist.run(PAYMENT_KPIS)
    # olist/README.md:28 "order_payments.parquet - 103,886 rows, one per payment of an order (99,440 orders)"
    assert rows[("orders",)]["value"] == 99_440
    assert rows[("payments",)]["value"] == 103_886
    for kpi in SHARES:
        assert rows[(kpi,)]["denominator"] == 99_440
    by_type = olist.run(["payments"], by=["payment_type"])
    # olist/README.md:33 "credit_card, boleto (bank slip), voucher, debit_card, not_defined"
    assert {key[1] for key in by_type} == {"credit_card", "boleto", "voucher", "debit_card", "not_defined"}
    assert sum(row["value"] for row in by_type.values()) == 103_886


@pytest.mark.parametrize("by", [(), ("payment_type",)], ids=["total", "payment_type"])
def test_olist_payments_match_sql(olist, sql, by):
    assert_rows_match(olist.run(PAYMENT_KPIS, by=by), payments_expected(sql, by))


def test_olist_payment_method_shares(olist, sql):
    # The share of each method is its own KPI (credit_card_share, ...): with --by payment_type
    # the denominator is sliced too, so every method would be 100% of itself.
    shares = olist.run(list(SHARES))
    reference = {
        r["payment_type"]: r["orders"]
        for r in sql(
            "select payment_type, count(distinct order_id) as orders from read_parquet($path) group by all",
            {"path": PAYMENTS},
        )
    }  # credit_card 76,505, boleto 19,784, voucher 3,866, debit_card 1,528, not_defined 3
    for kpi, method in SHARES.items():
        assert shares[(kpi,)]["numerator"] == reference[method]
        assert shares[(kpi,)]["value"] == pytest.approx(reference[method] / 99_440)
    assert shares[("credit_card_share",)]["value"] == pytest.approx(0.7694, abs=5e-5)
    # 2,246 orders (SQL) are paid two ways, so the methods' shares add up to more than 100%.
    total = sum(row["value"] for row in shares.values()) + reference["not_defined"] / 99_440
    assert total == pytest.approx(sum(reference.values()) / 99_440)
    assert sum(reference.values()) - 99_440 == 2_246

    sliced = olist.run(["credit_card_share"], by=["payment_type"])
    assert sliced[("credit_card_share", "credit_card")]["value"] == 1.0
    assert {row["value"] for key, row in sliced.items() if key[1] != "credit_card"} == {0.0}


# -- Olist: the seller acquisition funnel (MQL -> closed deal) ------------------------------

LEAD_SHARES = {
    "organic_search_lead_share": "organic_search",
    "paid_search_lead_share": "paid_search",
    "social_lead_share": "social",
}
FUNNEL_KPIS = ["leads", "lead_conversion_rate", "sales_cycle_days", *LEAD_SHARES]
FUNNEL_SQL = """
    select {keys}
        count(*) as leads,
        count(d.mql_id) as won,
        avg(date_diff('day', l.first_contact_date, d.won_date)) as cycle_days,
        count(*) filter (where l.origin = 'organic_search') as organic_search,
        count(*) filter (where l.origin = 'paid_search') as paid_search,
        count(*) filter (where l.origin = 'social') as social
    from read_parquet($leads) as l left join read_parquet($deals) as d on d.mql_id = l.mql_id
    {group}
"""


def funnel_expected(sql, grain=None, by=()) -> dict[tuple, tuple]:
    out = {}
    params = {"leads": LEADS, "deals": DEALS}
    groups = grouped(sql, FUNNEL_SQL, params, {"origin": "l.origin"}, grain, by, "l.first_contact_date")
    for key, r in groups.items():
        n = r["leads"]
        numbers = {
            "leads": (n, None, n),
            "lead_conversion_rate": (r["won"], n, ratio(r["won"], n)),
            "sales_cycle_days": (r["cycle_days"], None, r["cycle_days"]),
        }
        numbers.update({kpi: (r[origin], n, ratio(r[origin], n)) for kpi, origin in LEAD_SHARES.items()})
        out.update({(kpi, *key): v for kpi, v in numbers.items()})
    return out


def test_olist_funnel_matches_the_published_figures(olist):
    rows = olist.run(["leads", "closed_deals", "lead_conversion_rate"])
    # shared/datasets/README.md:7 and olist/README.md:45,53 "8,000 MQLs, 842 closed deals";
    # README.md:53 "all mql_id exist in marketing_qualified_leads", so every deal converts one lead.
    assert rows[("leads",)]["value"] == 8_000
    assert rows[("closed_deals",)]["value"] == 842
    conversion = rows[("lead_conversion_rate",)]
    assert (conversion["numerator"], conversion["denominator"]) == (842, 8_000)
    assert conversion["value"] == pytest.approx(0.10525)

    monthly = olist.run(["leads"], grain="month")
    # olist/README.md:49 "first contact, 2017-06-14 .. 2018-05-31": twelve months of leads.
    months = sorted(key[1] for key in monthly)
    assert months == [date(2017 + (5 + i) // 12, (5 + i) % 12 + 1, 1) for i in range(12)]
    assert sum(row["value"] for row in monthly.values()) == 8_000

    by_origin = olist.run(["leads"], by=["origin"])
    # olist/README.md:51 the ten origins, "NULL on 60"
    assert {key[1] for key in by_origin} == {
        "organic_search", "paid_search", "social", "unknown", "direct_traffic",
        "email", "referral", "other", "display", "other_publicities", None,
    }  # fmt: skip
    assert by_origin[("leads", None)]["value"] == 60
    assert sum(row["value"] for row in by_origin.values()) == 8_000


FUNNEL_CASES = [(None, ()), ("month", ()), (None, ("origin",)), ("month", ("origin",))]


@pytest.mark.parametrize(("grain", "by"), FUNNEL_CASES, ids=map(case_id, FUNNEL_CASES))
def test_olist_funnel_matches_sql(olist, sql, grain, by):
    assert_rows_match(olist.run(FUNNEL_KPIS, grain, by), funnel_expected(sql, grain, by))


@pytest.mark.parametrize("grain", [None, "month"])
def test_olist_closed_deals_match_sql(olist, sql, grain):
    period = "date_trunc('month', won_date)::date" if grain else "null"
    expected = {
        ("closed_deals", *((r["p"],) if grain else ())): (r["n"], None, r["n"])
        for r in sql(f"select {period} as p, count(*) as n from read_parquet($path) group by all", {"path": DEALS})
    }  # by won_date: 2017-12 (3) .. 2018-11 (6), peaking at 207 in 2018-04
    assert_rows_match(olist.run(["closed_deals"], grain), expected)


def test_olist_lead_conversion_by_origin(olist, sql):
    rows = olist.run(["lead_conversion_rate"], by=["origin"])
    reference = {
        r["origin"]: (r["won"], r["leads"])
        for r in sql(
            """select l.origin, count(d.mql_id) as won, count(*) as leads
               from read_parquet($leads) l left join read_parquet($deals) d using (mql_id) group by all""",
            {"leads": LEADS, "deals": DEALS},
        )
    }  # organic_search 271 / 2,296, paid_search 195 / 1,586, social 75 / 1,350, unknown 179 / 1,099 ...
    assert {key[1]: (r["numerator"], r["denominator"]) for key, r in rows.items()} == reference
    assert sum(won for won, _ in reference.values()) == 842


# -- distributions as ranked lists (the builtin breakdown type) --------------------------------


def _listed(runner: Runner, kpi: str, grain=None) -> list[dict]:
    return runner.engine.run(kpis=[kpi], grain=grain).to_pylist()


def test_olist_payment_method_share_as_one_ranked_list(olist, sql):
    rows = _listed(olist, "payment_method_share")
    reference = sql(
        "select payment_type, count(distinct order_id) as orders from read_parquet($path) "
        "group by all order by orders desc, payment_type",
        {"path": PAYMENTS},
    )
    assert [(r["item"], r["rank"], r["numerator"]) for r in rows] == [
        (r["payment_type"], i, r["orders"]) for i, r in enumerate(reference, 1)
    ]
    # The denominator is every order once (99,440 in the README), not the sum of the methods'
    # counts (an order paid two ways is in two of them).
    assert {r["denominator"] for r in rows} == {99_440}
    assert rows[0]["item"] == "credit_card" and rows[0]["value"] == pytest.approx(0.7694, abs=5e-5)


def test_olist_lead_distribution_by_origin_per_month(olist, sql):
    rows = _listed(olist, "lead_distribution_by_source", grain="month")
    reference = sql(
        "with l as (select date_trunc('month', first_contact_date)::date as month, origin from read_parquet($path)) "
        "select month, origin, count(*) as leads, (select count(*) from l as a where a.month = l.month) as total "
        "from l group by month, origin",
        {"path": LEADS},
    )
    expected = {(r["month"], r["origin"]): (r["leads"], r["total"]) for r in reference if r["origin"] is not None}
    got = {(r["period_start"], r["item"]): (r["numerator"], r["denominator"]) for r in rows}
    assert got == expected
    assert sum({month: total for (month, _), (_, total) in expected.items()}.values()) == 8_000  # every lead once
    for r in rows:  # ranked by leads within each month, ties by origin
        same = sorted((x for x in rows if x["period_start"] == r["period_start"]), key=lambda x: (-x["numerator"], x["item"]))
        assert same.index(r) + 1 == r["rank"]
