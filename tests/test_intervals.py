"""Wilson score intervals, against bounds computed by hand.

Each expected bound below was worked out with pencil and calculator from

    centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

with z = 1.959964 (95%) or 1.644854 (90%), z² = 3.841459 or 2.705543, to 4 decimals.
For instance 1 of 3 at 95%: 1 + z²/n = 2.280486; centre = (0.333333 + 0.640243) /
2.280486 = 0.426917; half = 1.959964 · sqrt(0.074074 + 0.106707) / 2.280486 =
1.959964 · 0.425183 / 2.280486 = 0.365424; so [0.0615, 0.7923].
"""

from __future__ import annotations

import pytest

from kpi_engine.intervals import rate_interval, wilson, z_score


def test_z_is_the_two_sided_normal_quantile():
    assert z_score(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_score(0.90) == pytest.approx(1.644854, abs=1e-6)
    assert z_score(0.99) == pytest.approx(2.575829, abs=1e-6)


@pytest.mark.parametrize(
    ("successes", "trials", "confidence", "low", "high"),
    [
        # the example: 1 late delivery out of 3
        (1, 3, 0.95, 0.0615, 0.7923),
        # 90%: 1 + z²/3 = 1.901848, centre = 0.784257 / 1.901848 = 0.412366,
        # half = 1.644854 · sqrt(0.074074 + 0.075154) / 1.901848 = 0.334100
        (1, 3, 0.90, 0.0783, 0.7465),
        # 0 of 10: the low end is 0; high = (z²/n) / (1 + z²/n) = 0.384146 / 1.384146
        (0, 10, 0.95, 0.0, 0.2775),
        # 10 of 10: the mirror image
        (10, 10, 0.95, 0.7225, 1.0),
        # 3 of 20: 1 + z²/20 = 1.192073, centre = (0.15 + 0.096036) / 1.192073 = 0.206394,
        # half = 1.959964 · sqrt(0.006375 + 0.002401) / 1.192073 = 0.154025
        (3, 20, 0.95, 0.0524, 0.3604),
        # large n: 500 of 1000 is centred on 0.5; half = 1.959964 · sqrt(0.00025 + 0.00000096) / 1.003841 = 0.030930
        (500, 1000, 0.95, 0.4691, 0.5309),
        # and close to the textbook interval there: 19 of 303 (6.27%) at 95%
        (19, 303, 0.95, 0.0405, 0.0959),
    ],
)
def test_wilson_bounds_match_the_hand_computation(successes, trials, confidence, low, high):
    got = wilson(successes, trials, confidence)
    assert got == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


def test_the_ends_are_exact_at_none_and_all():
    assert wilson(0, 7, 0.95)[0] == 0.0
    assert wilson(7, 7, 0.95)[1] == 1.0


def test_the_interval_holds_the_rate_and_narrows_as_trials_grow():
    widths = []
    for n in (3, 30, 300, 3000):
        low, high = wilson(n // 3, n, 0.95)
        assert low <= (n // 3) / n <= high
        widths.append(high - low)
    assert widths == sorted(widths, reverse=True)


@pytest.mark.parametrize(("successes", "trials"), [(4, 3), (-1, 3), (0, 0), (1, -2)])
def test_no_interval_for_what_is_not_a_rate(successes, trials):
    with pytest.raises(ValueError):
        wilson(successes, trials, 0.95)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2])
def test_confidence_must_lie_between_0_and_1(confidence):
    with pytest.raises(ValueError):
        z_score(confidence)


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(None, 3.0), (1.0, None), (1.0, 0.0), (2.5, 4.0), (5.0, 4.0), (-1.0, 4.0), (float("nan"), 4.0), (True, 3)],
)
def test_a_row_that_is_no_count_of_successes_gets_no_interval(numerator, denominator):
    assert rate_interval(numerator, denominator, 0.95) == (None, None)


def test_a_row_of_counts_as_floats_gets_its_interval():
    # result rows carry counts as DOUBLE
    assert rate_interval(1.0, 3.0, 0.95) == wilson(1, 3, 0.95)
