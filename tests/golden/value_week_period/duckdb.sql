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
), "k_revenue" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a0" AS DOUBLE) AS "value"
  FROM "s_orders"
)
SELECT
  0 AS "_ord",
  'revenue' AS "kpi",
  "k_revenue"."period_start",
  CAST("k_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue"."value" AS DOUBLE) AS "value"
FROM "k_revenue"
ORDER BY
  "_ord",
  "period_start"
