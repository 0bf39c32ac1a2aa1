"""Metric functions of kpi-commerce, built as sqlglot trees (never SQL text)."""

from __future__ import annotations

from sqlglot import exp

__all__ = ["DETRACTOR_MAX", "PROMOTER_MIN", "nps", "nps_sample"]

#: Answers of 9 or 10 are promoters, 0 to 6 detractors, 7 and 8 passives (Reichheld, 2003).
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def _count_when(condition: exp.Expression) -> exp.Count:
    """``COUNT(CASE WHEN condition THEN 1 END)``: 0 over no rows, like count."""
    return exp.Count(this=exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))]))


def nps(score: exp.Expression) -> exp.Expression:
    """``nps(score)`` is ``100.0 * (promoters - detractors) / respondents``.

    Expands to ``100.0 * (COUNT(CASE WHEN s >= 9 THEN 1 END) - COUNT(CASE WHEN s <= 6
    THEN 1 END)) / COUNT(s)``: promoters answered 9-10, detractors 0-6, respondents are
    the rows with a non-null score (a null score is no answer and counts nowhere). The
    result lies in -100..100. The core compiles ``/`` as real division with ``NULLIF``
    on the divisor, so over no respondents the value is null (status ``no_data``),
    never a division error. ``score`` belongs to the caller's tree: it is copied.
    """
    promoters = _count_when(exp.GTE(this=score.copy(), expression=exp.Literal.number(PROMOTER_MIN)))
    detractors = _count_when(exp.LTE(this=score.copy(), expression=exp.Literal.number(DETRACTOR_MAX)))
    respondents = exp.Count(this=score.copy())
    difference = exp.Paren(this=exp.Sub(this=promoters, expression=detractors))
    return exp.Div(
        this=exp.Mul(this=exp.Literal.number("100.0"), expression=difference),
        expression=respondents,
    )


def nps_sample(score: exp.Expression) -> exp.Expression:
    """What ``nps(score)`` rests on: the answers, ``COUNT(score)`` (its own denominator).

    A KPI ``value: {expr: nps(score)}`` with ``min_sample`` counts these; the aggregate is
    the one ``nps`` divides by, so the engine computes it once for both.
    """
    return exp.Count(this=score.copy())
