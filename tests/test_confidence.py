"""A rate with ``confidence`` is judged on its Wilson interval: statuses at the lines.

The rule (kpi_engine/compliance.py): a line trips only when the whole interval is past it.
``higher``: critical when even ``high`` < critical; ``lower``: critical when even ``low`` >
critical; ``range``: a band trips when the interval lies wholly outside it. Intervals are
written by hand here; the Wilson bounds themselves are tested in test_intervals.py (1 of 3
at 95% is [0.0615, 0.7923], 0 of 3 is [0, 0.5615]: (z²/3) / (1 + z²/3) = 1.280486 / 2.280486).
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from sqlglot import exp

from kpi_engine.compliance import judge, status
from kpi_engine.model import Band, Catalog, Expression, Kpi, Location, Measure, Thresholds

AT = Location("k.yaml", 1)
COUNT = Measure("orders", Expression("count(*)", exp.Count(this=exp.Star())))


def rate(direction="higher", target=None, warn=None, critical=None, confidence=0.95, **extra) -> Kpi:
    return Kpi(
        name="rate", location=AT, unit="percent", direction=direction, target=target,
        thresholds=Thresholds(warn=warn, critical=critical), numerator=COUNT, denominator=COUNT,
        confidence=confidence, **extra,
    )


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((0.4, 0.5), "ok"),         # high on the warn line is not below it
        ((0.4, 0.4999), "warn"),
        ((0.2, 0.3), "warn"),       # high on the critical line is not below it
        ((0.1, 0.2999), "critical"),
        ((0.0, 0.9), "ok"),         # an interval reaching above the lines: not shown to be short
    ],
)
def test_higher_trips_a_line_only_when_even_high_is_below_it(interval, expected):
    # The value (0.25) would be warn on its own for every row; the interval decides.
    assert status(rate("higher", warn=0.5, critical=0.3), 0.25, 100, interval=interval) == expected


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((0.05, 0.9), "ok"),        # low on the warn line is not above it
        ((0.0501, 0.06), "warn"),
        ((0.10, 0.5), "warn"),      # low on the critical line is not above it
        ((0.1001, 0.5), "critical"),
    ],
)
def test_lower_trips_a_line_only_when_even_low_is_above_it(interval, expected):
    assert status(rate("lower", warn=0.05, critical=0.10), 0.3, 100, interval=interval) == expected


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((0.3, 0.7), "ok"),
        ((0.05, 0.25), "ok"),       # reaches into the warn band
        ((0.85, 0.95), "warn"),     # wholly above the warn band, but touches the critical one
        ((0.0, 0.1), "warn"),       # ends on the critical band's low side: still in it
        ((0.0, 0.09), "critical"),  # wholly below the critical band
        ((0.91, 0.99), "critical"),
    ],
)
def test_range_trips_a_band_only_when_the_interval_lies_wholly_outside_it(interval, expected):
    k = rate("range", warn=Band(0.2, 0.8), critical=Band(0.1, 0.9))
    value = sum(interval) / 2
    assert status(k, value, 100, interval=interval) == expected


def test_one_late_delivery_out_of_three_is_not_critical():
    # late_delivery_rate: lower, warn 5%, critical 10%. 1 of 3 is 33%: critical on its own;
    # its 95% interval [0.0615, 0.7923] is wholly above 5% but not wholly above 10%: warn.
    late = rate("lower", warn=0.05, critical=0.10)
    assert status(late, 1 / 3, 3) == "critical"
    assert status(late, 1 / 3, 3, interval=(0.0615, 0.7923)) == "warn"


def test_the_target_is_the_warn_line_for_the_interval_too():
    # higher, target 50%: 0 of 3 is [0, 0.5615], which reaches the target: ok, not warn.
    assert status(rate("higher", target=0.5), 0.0, 3, interval=(0.0, 0.5615)) == "ok"
    assert status(rate("higher", target=0.5), 0.0, 30, interval=(0.0, 0.1135)) == "warn"


def _catalog(*kpis: Kpi) -> Catalog:
    return Catalog(root=".", kpis={k.name: k for k in kpis})


def test_judge_adds_low_and_high_after_value_and_judges_on_them():
    late = rate("lower", warn=0.05, critical=0.10)
    table = pa.table({
        "kpi": ["rate"] * 5,
        "numerator": [1.0, 0.0, 3.0, None, 2.5],
        "denominator": [3.0, 3.0, 3.0, 0.0, 4.0],
        "value": [1 / 3, 0.0, 1.0, None, 0.625],
    })
    judged = judge(table, _catalog(late))
    assert judged.column_names == ["kpi", "numerator", "denominator", "value", "low", "high", "target", "attainment", "status"]
    rows = judged.to_pylist()
    assert [round(r["low"], 4) if r["low"] is not None else None for r in rows] == [0.0615, 0.0, 0.4385, None, None]
    assert [round(r["high"], 4) if r["high"] is not None else None for r in rows] == [0.7923, 0.5615, 1.0, None, None]
    # 3 of 3 is [0.4385, 1]: even its low end is above 10%, so critical. A row that is
    # no count (2.5 of 4) gets no interval and is judged on its value.
    assert [r["status"] for r in rows] == ["warn", "ok", "critical", "no_data", "critical"]
    assert [r["value"] for r in rows][:3] == [1 / 3, 0.0, 1.0]  # the value stays the plain ratio


def test_judge_adds_no_interval_columns_without_confidence():
    plain = rate("lower", warn=0.05, critical=0.10, confidence=None)
    table = pa.table({"kpi": ["rate"], "numerator": [1.0], "denominator": [3.0], "value": [1 / 3]})
    judged = judge(table, _catalog(plain))
    assert "low" not in judged.column_names and judged.column("status").to_pylist() == ["critical"]


def test_a_sample_under_the_minimum_is_no_data_whatever_the_interval():
    guarded = rate("lower", warn=0.05, critical=0.10, min_sample=5)
    table = pa.table({"kpi": ["rate", "rate"], "numerator": [3.0, 3.0], "denominator": [3.0, 5.0], "value": [1.0, 0.6]})
    rows = judge(table, _catalog(guarded)).to_pylist()
    assert [(r["status"], r["note"]) for r in rows] == [
        ("no_data", "denominator 3 is under min_sample 5: too few to judge"), ("critical", None),
    ]
    assert round(rows[0]["low"], 4) == 0.4385  # the interval is still shown
