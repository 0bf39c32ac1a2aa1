WITH "s_orders" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE) AS "period_start",
    channel AS "channel",
    COUNT(CASE WHEN status <> 'cancelled' THEN 1 END) AS "a0"
  FROM orders
  GROUP BY
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE),
    channel
), "s_sessions" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE) AS "period_start",
    LOWER(utm_channel) AS "channel",
    COUNT(*) AS "a0"
  FROM sessions
  GROUP BY
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE),
    LOWER(utm_channel)
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
      "s_sessions"."period_start" AS "period_start",
      "s_sessions"."channel" AS "channel",
      "s_sessions"."a0" AS "_c1",
      1 AS "_p1"
    FROM "s_sessions"
  ) AS "u"
  GROUP BY
    "u"."period_start",
    "u"."channel"
)
SELECT
  0 AS "_ord",
  'conversion_rate' AS "kpi",
  "_kpi_w"."period_start" AS "period_start",
  "_kpi_w"."channel" AS "channel",
  CAST(COALESCE("_kpi_w"."_c0", 0) AS DOUBLE) AS "numerator",
  CAST(COALESCE("_kpi_w"."_c1", 0) AS DOUBLE) AS "denominator",
  CAST(COALESCE("_kpi_w"."_c0", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("_kpi_w"."_c1", 0) AS DOUBLE), 0) AS "value"
FROM "_kpi_w"
ORDER BY
  "_ord",
  "period_start",
  "channel"
