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
), "k_conversion_rate" AS (
  SELECT
    "u"."period_start" AS "period_start",
    "u"."channel" AS "channel",
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_orders"."period_start" AS "period_start",
      "s_orders"."channel" AS "channel",
      "s_orders"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_orders"
    UNION ALL
    SELECT
      "s_sessions"."period_start" AS "period_start",
      "s_sessions"."channel" AS "channel",
      NULL AS "_c0",
      "s_sessions"."a0" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
  GROUP BY
    "u"."period_start",
    "u"."channel"
)
SELECT
  0 AS "_ord",
  'conversion_rate' AS "kpi",
  "k_conversion_rate"."period_start",
  "k_conversion_rate"."channel",
  CAST("k_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_conversion_rate"."value" AS DOUBLE) AS "value"
FROM "k_conversion_rate"
ORDER BY
  "_ord",
  "period_start",
  "channel"
