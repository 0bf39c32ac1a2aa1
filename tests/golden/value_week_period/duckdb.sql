WITH "s_orders" AS (
  SELECT
    CAST(DATE_TRUNC('WEEK', ordered_at) AS DATE) AS "period_start",
    SUM(amount) AS "a0"
  FROM orders
  WHERE
    ordered_at >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
    AND ordered_at < CAST('2024-04-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(DATE_TRUNC('WEEK', ordered_at) AS DATE)
), "_kpi_w" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a0" AS "_c0",
    1 AS "_p0"
  FROM "s_orders"
)
SELECT
  0 AS "_ord",
  'revenue' AS "kpi",
  "_kpi_w"."period_start" AS "period_start",
  CAST("_kpi_w"."_c0" AS DOUBLE) AS "numerator",
  CAST(NULL AS DOUBLE) AS "denominator",
  CAST("_kpi_w"."_c0" AS DOUBLE) AS "value"
FROM "_kpi_w"
ORDER BY
  "_ord",
  "period_start"
