"""kpi-commerce: commerce metrics for kpi-engine.

The ``kpi_engine`` entry point names this module, so it holds only the hook
implementations and their declarations. The builders live in submodules named as
``"module:attribute"`` strings: kpi-engine imports them (and sqlglot) only when a KPI
is compiled, so plugin discovery and runs served from the disk cache stay cheap.

- ``nps(score)``: the Net Promoter Score of 0-10 survey answers, on -100..100;
- metric types ``retention``, ``churn``, ``repeat_purchase`` and ``lifetime_value``:
  customers followed from one period to the next (``metric_types.py``);
- the ``commerce`` definition pack: a ``surveys`` source and the KPIs ``nps``,
  ``survey_response_count`` and ``promoter_share`` (``definitions/commerce.yaml``).

Hooks and their contracts: docs/plugin_hooks.md in the kpi-engine repository.
"""

from pathlib import Path

from kpi_engine import DefinitionPack, FunctionSpec, MetricParam, MetricTypeSpec, hookimpl

__all__ = ["DEFINITIONS", "kpi_register_definitions", "kpi_register_functions", "kpi_register_metric_types"]

#: The definition pack's directory, shipped inside the package.
DEFINITIONS = Path(__file__).resolve().parent / "definitions"


@hookimpl
def kpi_register_functions():
    """``nps(score)``: Net Promoter Score of 0-10 answers, -100..100."""
    return [
        FunctionSpec(
            name="nps",
            build="kpi_commerce.functions:nps",
            min_args=1,
            max_args=1,
            description="Net Promoter Score of 0-10 answers: 100 * (promoters 9-10 - detractors 0-6) / answers",
            # Its sample is the answers: `min_sample: 30` on a KPI computing nps(score) counts them.
            sample="kpi_commerce.functions:nps_sample",
        ),
    ]


@hookimpl
def kpi_register_definitions():
    """The ``commerce`` pack: customer-satisfaction KPIs over a ``surveys`` table."""
    return [
        DefinitionPack(
            name="commerce",
            path=DEFINITIONS,
            description="customer satisfaction: NPS, survey responses and promoter share over the surveys table",
        ),
    ]


@hookimpl
def kpi_register_metric_types():
    """Cohort metrics: retention, churn, repeat purchase and lifetime value of customers."""
    entity = MetricParam("entity", "dimension", description="who is followed, e.g. customer_id")
    value = MetricParam("value", "measure", description="value of the period, e.g. sum(revenue - cost)")
    # The rates count entities in their denominator (the cohort, the period's customers): that
    # is their sample for min_sample. lifetime_value divides by a churn rate, no count.
    declared = (
        ("retention", (entity,), "share of the entities active in the previous period that are active in this one",
         "denominator"),
        ("churn", (entity,), "share of the entities active in the previous period that are not active in this one",
         "denominator"),
        ("repeat_purchase", (entity,), "share of the period's active entities with more than one row so far",
         "denominator"),
        ("lifetime_value", (entity, value), "value per active entity in the period divided by the period's churn rate",
         None),
    )
    return [
        MetricTypeSpec(
            name=name, build=f"kpi_commerce.metric_types:{name}", params=params, description=description, sample=sample
        )
        for name, params, description, sample in declared
    ]
