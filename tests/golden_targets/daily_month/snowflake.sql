WITH "s_leads" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE) AS "period_start",
    COUNT(CASE WHEN stage IN ('prospect', 'customer') THEN 1 END) AS "a0"
  FROM leads
  GROUP BY
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE)
), "s_orders" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE) AS "period_start",
    COUNT(CASE WHEN is_first_order THEN 1 END) AS "a0",
    SUM(revenue) AS "a1",
    SUM(cost) AS "a2",
    COUNT(*) AS "a3",
    COUNT(DISTINCT customer_id) AS "a4",
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS "a5",
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS "a6"
  FROM orders
  GROUP BY
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE)
), "s_sessions" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE) AS "period_start",
    COUNT(DISTINCT visitor_id) AS "a0",
    AVG(CASE WHEN NOT bounced THEN duration_s END) AS "a1",
    COUNT(CASE WHEN bounced THEN 1 END) AS "a2",
    COUNT(*) AS "a3",
    AVG(load_time_s) AS "a4"
  FROM sessions
  GROUP BY
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE)
), "s_quotes" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', requested_at) AS DATE) AS "period_start",
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS "a0",
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS "a1"
  FROM quotes
  GROUP BY
    CAST(DATE_TRUNC('MONTH', requested_at) AS DATE)
), "s_carts" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE) AS "period_start",
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS "a0",
    COUNT(*) AS "a1"
  FROM carts
  GROUP BY
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE)
), "s_surveys" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', answered_at) AS DATE) AS "period_start",
    COUNT(score) AS "a0",
    COUNT(CASE WHEN score >= 9 THEN 1 END) AS "a1",
    COUNT(CASE WHEN score <= 6 THEN 1 END) AS "a2"
  FROM surveys
  GROUP BY
    CAST(DATE_TRUNC('MONTH', answered_at) AS DATE)
), "s_calls" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE) AS "period_start",
    AVG(wait_s) AS "a0"
  FROM calls
  GROUP BY
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE)
), "s_tickets" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE) AS "period_start",
    AVG(resolution_s) AS "a0"
  FROM tickets
  GROUP BY
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE)
), "s_disputes" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', opened_at) AS DATE) AS "period_start",
    COUNT(*) AS "a0"
  FROM disputes
  GROUP BY
    CAST(DATE_TRUNC('MONTH', opened_at) AS DATE)
), "k_prospects" AS (
  SELECT
    "s_leads"."period_start" AS "period_start",
    COALESCE("s_leads"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_leads"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_leads"
), "k_new_customers" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    COALESCE("s_orders"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_unique_visitors" AS (
  SELECT
    "s_sessions"."period_start" AS "period_start",
    COALESCE("s_sessions"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_session_duration" AS (
  SELECT
    "s_sessions"."period_start" AS "period_start",
    "s_sessions"."a1" AS "numerator",
    NULL AS "denominator",
    CAST("s_sessions"."a1" AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_bounce_rate" AS (
  SELECT
    "s_sessions"."period_start" AS "period_start",
    COALESCE("s_sessions"."a2", 0) AS "numerator",
    COALESCE("s_sessions"."a3", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a2", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a3", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_revenue" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a1" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a1" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_profit_margin" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a1" - "s_orders"."a2" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a1" - "s_orders"."a2" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_profit_margin_rate" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a1" - "s_orders"."a2" AS "numerator",
    "s_orders"."a1" AS "denominator",
    CAST("s_orders"."a1" - "s_orders"."a2" AS DOUBLE) / NULLIF(CAST("s_orders"."a1" AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_quote_conversion_rate" AS (
  SELECT
    "s_quotes"."period_start" AS "period_start",
    COALESCE("s_quotes"."a0", 0) AS "numerator",
    COALESCE("s_quotes"."a1", 0) AS "denominator",
    CAST(COALESCE("s_quotes"."a0", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_quotes"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_quotes"
), "k_transactions" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    COALESCE("s_orders"."a3", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a3", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_conversion_rate" AS (
  SELECT
    "u"."period_start" AS "period_start",
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_orders"."period_start" AS "period_start",
      "s_orders"."a3" AS "_c0",
      NULL AS "_c1"
    FROM "s_orders"
    UNION ALL
    SELECT
      "s_sessions"."period_start" AS "period_start",
      NULL AS "_c0",
      "s_sessions"."a3" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
  GROUP BY
    "u"."period_start"
), "k_cart_abandonment_rate" AS (
  SELECT
    "s_carts"."period_start" AS "period_start",
    COALESCE("s_carts"."a0", 0) AS "numerator",
    COALESCE("s_carts"."a1", 0) AS "denominator",
    CAST(COALESCE("s_carts"."a0", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_carts"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_carts"
), "k_average_order_value" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    "s_orders"."a1" AS "numerator",
    COALESCE("s_orders"."a3", 0) AS "denominator",
    CAST("s_orders"."a1" AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a3", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_active_customers" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    COALESCE("s_orders"."a4", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a4", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_site_speed" AS (
  SELECT
    "s_sessions"."period_start" AS "period_start",
    "s_sessions"."a4" AS "numerator",
    NULL AS "denominator",
    CAST("s_sessions"."a4" AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_nps" AS (
  SELECT
    "s_surveys"."period_start" AS "period_start",
    CAST(100.0 * (
      COALESCE("s_surveys"."a1", 0) - COALESCE("s_surveys"."a2", 0)
    ) AS DOUBLE) / NULLIF(CAST(COALESCE("s_surveys"."a0", 0) AS DOUBLE), 0) AS "numerator",
    NULL AS "denominator",
    CAST(100.0 * (
      COALESCE("s_surveys"."a1", 0) - COALESCE("s_surveys"."a2", 0)
    ) AS DOUBLE) / NULLIF(CAST(COALESCE("s_surveys"."a0", 0) AS DOUBLE), 0) AS "value",
    COALESCE("s_surveys"."a0", 0) AS "sample"
  FROM "s_surveys"
), "k_phone_wait_time" AS (
  SELECT
    "s_calls"."period_start" AS "period_start",
    "s_calls"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_calls"."a0" AS DOUBLE) AS "value"
  FROM "s_calls"
), "k_ticket_resolution_time" AS (
  SELECT
    "s_tickets"."period_start" AS "period_start",
    "s_tickets"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_tickets"."a0" AS DOUBLE) AS "value"
  FROM "s_tickets"
), "k_after_sales_dispute_rate" AS (
  SELECT
    "u"."period_start" AS "period_start",
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_disputes"."period_start" AS "period_start",
      "s_disputes"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_disputes"
    UNION ALL
    SELECT
      "s_orders"."period_start" AS "period_start",
      NULL AS "_c0",
      "s_orders"."a3" AS "_c1"
    FROM "s_orders"
  ) AS "u"
  GROUP BY
    "u"."period_start"
), "k_late_delivery_rate" AS (
  SELECT
    "s_orders"."period_start" AS "period_start",
    COALESCE("s_orders"."a5", 0) AS "numerator",
    COALESCE("s_orders"."a6", 0) AS "denominator",
    CAST(COALESCE("s_orders"."a5", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a6", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
)
SELECT
  0 AS "_ord",
  'prospects' AS "kpi",
  "k_prospects"."period_start",
  CAST("k_prospects"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_prospects"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_prospects"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_prospects"
UNION ALL
SELECT
  1 AS "_ord",
  'new_customers' AS "kpi",
  "k_new_customers"."period_start",
  CAST("k_new_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_new_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_new_customers"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_new_customers"
UNION ALL
SELECT
  2 AS "_ord",
  'unique_visitors' AS "kpi",
  "k_unique_visitors"."period_start",
  CAST("k_unique_visitors"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_unique_visitors"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_unique_visitors"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_unique_visitors"
UNION ALL
SELECT
  3 AS "_ord",
  'session_duration' AS "kpi",
  "k_session_duration"."period_start",
  CAST("k_session_duration"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_session_duration"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_session_duration"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_session_duration"
UNION ALL
SELECT
  4 AS "_ord",
  'bounce_rate' AS "kpi",
  "k_bounce_rate"."period_start",
  CAST("k_bounce_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_bounce_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_bounce_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_bounce_rate"
UNION ALL
SELECT
  5 AS "_ord",
  'revenue' AS "kpi",
  "k_revenue"."period_start",
  CAST("k_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_revenue"
UNION ALL
SELECT
  6 AS "_ord",
  'profit_margin' AS "kpi",
  "k_profit_margin"."period_start",
  CAST("k_profit_margin"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_profit_margin"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_profit_margin"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_profit_margin"
UNION ALL
SELECT
  7 AS "_ord",
  'profit_margin_rate' AS "kpi",
  "k_profit_margin_rate"."period_start",
  CAST("k_profit_margin_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_profit_margin_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_profit_margin_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_profit_margin_rate"
UNION ALL
SELECT
  8 AS "_ord",
  'quote_conversion_rate' AS "kpi",
  "k_quote_conversion_rate"."period_start",
  CAST("k_quote_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_quote_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_quote_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_quote_conversion_rate"
UNION ALL
SELECT
  9 AS "_ord",
  'transactions' AS "kpi",
  "k_transactions"."period_start",
  CAST("k_transactions"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_transactions"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_transactions"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_transactions"
UNION ALL
SELECT
  10 AS "_ord",
  'conversion_rate' AS "kpi",
  "k_conversion_rate"."period_start",
  CAST("k_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_conversion_rate"
UNION ALL
SELECT
  11 AS "_ord",
  'cart_abandonment_rate' AS "kpi",
  "k_cart_abandonment_rate"."period_start",
  CAST("k_cart_abandonment_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_cart_abandonment_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_cart_abandonment_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_cart_abandonment_rate"
UNION ALL
SELECT
  12 AS "_ord",
  'average_order_value' AS "kpi",
  "k_average_order_value"."period_start",
  CAST("k_average_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_average_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_average_order_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_average_order_value"
UNION ALL
SELECT
  13 AS "_ord",
  'active_customers' AS "kpi",
  "k_active_customers"."period_start",
  CAST("k_active_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_active_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_active_customers"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_active_customers"
UNION ALL
SELECT
  14 AS "_ord",
  'site_speed' AS "kpi",
  "k_site_speed"."period_start",
  CAST("k_site_speed"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_site_speed"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_site_speed"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_site_speed"
UNION ALL
SELECT
  15 AS "_ord",
  'nps' AS "kpi",
  "k_nps"."period_start",
  CAST("k_nps"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_nps"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_nps"."value" AS DOUBLE) AS "value",
  CAST("k_nps"."sample" AS DOUBLE) AS "sample"
FROM "k_nps"
UNION ALL
SELECT
  16 AS "_ord",
  'phone_wait_time' AS "kpi",
  "k_phone_wait_time"."period_start",
  CAST("k_phone_wait_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_phone_wait_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_phone_wait_time"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_phone_wait_time"
UNION ALL
SELECT
  17 AS "_ord",
  'ticket_resolution_time' AS "kpi",
  "k_ticket_resolution_time"."period_start",
  CAST("k_ticket_resolution_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_ticket_resolution_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_ticket_resolution_time"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_ticket_resolution_time"
UNION ALL
SELECT
  18 AS "_ord",
  'after_sales_dispute_rate' AS "kpi",
  "k_after_sales_dispute_rate"."period_start",
  CAST("k_after_sales_dispute_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_after_sales_dispute_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_after_sales_dispute_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_after_sales_dispute_rate"
UNION ALL
SELECT
  19 AS "_ord",
  'late_delivery_rate' AS "kpi",
  "k_late_delivery_rate"."period_start",
  CAST("k_late_delivery_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_late_delivery_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_late_delivery_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_late_delivery_rate"
ORDER BY
  "_ord",
  "period_start"
