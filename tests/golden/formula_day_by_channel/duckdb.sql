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
), "_kpi_w" AS (
  SELECT
    "u"."period_start" AS "period_start",
    "u"."channel" AS "channel",
    MAX("u"."_c0") AS "_c0",
    MAX("u"."_c1") AS "_c1",
    MAX("u"."_p0") AS "_p0",
    MAX("u"."_p1") AS "_p1"
  FROM (
    SELECT
      "s_orders"."period_start" AS "period_start",
      "s_orders"."channel" AS "channel",
      "s_orders"."a0" AS "_c0",
      1 AS "_p0"
    FROM "s_orders"
    UNION ALL BY NAME
    SELECT
      "s_ad_spend"."period_start" AS "period_start",
      "s_ad_spend"."channel" AS "channel",
      "s_ad_spend"."a0" AS "_c1",
      1 AS "_p1"
    FROM "s_ad_spend"
  ) AS "u"
  GROUP BY
    "u"."period_start",
    "u"."channel"
)
SELECT
  0 AS "_ord",
  'roas' AS "kpi",
  "_kpi_w"."period_start" AS "period_start",
  "_kpi_w"."channel" AS "channel",
  CAST(CASE WHEN NOT "_kpi_w"."_p0" IS NULL THEN CAST("_kpi_w"."_c0" AS DOUBLE) END AS DOUBLE) AS "numerator",
  CAST(CASE WHEN NOT "_kpi_w"."_p1" IS NULL THEN CAST("_kpi_w"."_c1" AS DOUBLE) END AS DOUBLE) AS "denominator",
  CAST(CASE WHEN NOT "_kpi_w"."_p0" IS NULL THEN CAST("_kpi_w"."_c0" AS DOUBLE) END AS DOUBLE) / NULLIF(
    CAST(CASE WHEN NOT "_kpi_w"."_p1" IS NULL THEN CAST("_kpi_w"."_c1" AS DOUBLE) END AS DOUBLE),
    0
  ) AS "value"
FROM "_kpi_w"
ORDER BY
  "_ord",
  "period_start",
  "channel"
