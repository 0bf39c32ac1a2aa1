WITH "s_orders" AS (
  SELECT
    CAST(DATE_TRUNC('DAY', ordered_at) AS DATE) AS "period_start",
    channel AS "channel",
    SUM(amount) AS "a0"
  FROM orders
  GROUP BY
    CAST(DATE_TRUNC('DAY', ordered_at) AS DATE),
    channel
), "s_ad_spend" AS (
  SELECT
    CAST(DATE_TRUNC('DAY', spent_on) AS DATE) AS "period_start",
    channel AS "channel",
    SUM(cost) AS "a0"
  FROM ad_spend
  GROUP BY
    CAST(DATE_TRUNC('DAY', spent_on) AS DATE),
    channel
), "k_revenue" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."channel" AS "channel",
    "s_orders"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a0" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_spend" AS (
  SELECT
    "s_ad_spend"."period_start" AS "period_start",
    "s_ad_spend"."channel" AS "channel",
    "s_ad_spend"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_ad_spend"."a0" AS DOUBLE) AS "value"
  FROM "s_ad_spend"
), "k_roas" AS (
  SELECT
    "u"."period_start" AS "period_start",
    "u"."channel" AS "channel",
    MAX("u"."_c0") AS "numerator",
    MAX("u"."_c1") AS "denominator",
    CAST(MAX("u"."_c0") AS DOUBLE) / NULLIF(CAST(MAX("u"."_c1") AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "k_revenue"."period_start" AS "period_start",
      "k_revenue"."channel" AS "channel",
      "k_revenue"."value" AS "_c0",
      NULL AS "_c1"
    FROM "k_revenue"
    UNION ALL
    SELECT
      "k_spend"."period_start" AS "period_start",
      "k_spend"."channel" AS "channel",
      NULL AS "_c0",
      "k_spend"."value" AS "_c1"
    FROM "k_spend"
  ) AS "u"
  GROUP BY
    "u"."period_start",
    "u"."channel"
)
SELECT
  0 AS "_ord",
  'roas' AS "kpi",
  "k_roas"."period_start",
  "k_roas"."channel",
  CAST("k_roas"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_roas"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_roas"."value" AS DOUBLE) AS "value"
FROM "k_roas"
ORDER BY
  "_ord",
  "period_start",
  "channel"
