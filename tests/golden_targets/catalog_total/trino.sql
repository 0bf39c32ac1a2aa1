WITH "s_customers" AS (
  SELECT
    COUNT(*) AS "a0"
  FROM customers
), "s_orders" AS (
  SELECT
    COUNT(CASE WHEN is_first_order THEN 1 END) AS "a0",
    COUNT(*) AS "a1",
    SUM(revenue) AS "a2",
    SUM(cost) AS "a3",
    COUNT(DISTINCT customer_id) AS "a4",
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS "a5",
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS "a6"
  FROM orders
), "s_sessions" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(DISTINCT visitor_id) AS "a1",
    COUNT(CASE WHEN is_new_visitor THEN 1 END) AS "a2",
    COUNT(CASE WHEN device = 'mobile' THEN 1 END) AS "a3",
    COUNT(CASE WHEN bounced THEN 1 END) AS "a4",
    SUM(pages) AS "a5",
    AVG(CASE WHEN NOT bounced THEN duration_s END) AS "a6"
  FROM sessions
), "s_carts" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS "a1"
  FROM carts
), "s_order_lines" AS (
  SELECT
    SUM(revenue) AS "a0",
    SUM(cost) AS "a1"
  FROM order_lines
), "s_quotes" AS (
  SELECT
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS "a0",
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS "a1"
  FROM quotes
), "s_tickets" AS (
  SELECT
    COUNT(*) AS "a0",
    AVG(first_response_s) AS "a1"
  FROM tickets
), "k_signups" AS (
  SELECT
    COALESCE("s_customers"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_customers"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_customers"
), "k_new_customers" AS (
  SELECT
    COALESCE("s_orders"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_sessions" AS (
  SELECT
    COALESCE("s_sessions"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_sessions_per_visitor" AS (
  SELECT
    COALESCE("s_sessions"."a0", 0) AS "numerator",
    COALESCE("s_sessions"."a1", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_new_visitor_rate" AS (
  SELECT
    COALESCE("s_sessions"."a2", 0) AS "numerator",
    COALESCE("s_sessions"."a0", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a2", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_mobile_session_share" AS (
  SELECT
    COALESCE("s_sessions"."a3", 0) AS "numerator",
    COALESCE("s_sessions"."a0", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a3", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_bounce_rate" AS (
  SELECT
    COALESCE("s_sessions"."a4", 0) AS "numerator",
    COALESCE("s_sessions"."a0", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a4", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_pages_per_session" AS (
  SELECT
    "s_sessions"."a5" AS "numerator",
    COALESCE("s_sessions"."a0", 0) AS "denominator",
    CAST("s_sessions"."a5" AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_session_duration" AS (
  SELECT
    "s_sessions"."a6" AS "numerator",
    NULL AS "denominator",
    CAST("s_sessions"."a6" AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_add_to_cart_rate" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_carts"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_carts"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_sessions"."a0" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
), "k_orders" AS (
  SELECT
    COALESCE("s_orders"."a1", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a1", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_revenue" AS (
  SELECT
    "s_orders"."a2" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a2" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_conversion_rate" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_orders"."a1" AS "_c0",
      NULL AS "_c1"
    FROM "s_orders"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_sessions"."a0" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
), "k_cart_abandonment_rate" AS (
  SELECT
    COALESCE("s_carts"."a1", 0) AS "numerator",
    COALESCE("s_carts"."a0", 0) AS "denominator",
    CAST(COALESCE("s_carts"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_carts"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_carts"
), "k_average_order_value" AS (
  SELECT
    "s_orders"."a2" AS "numerator",
    COALESCE("s_orders"."a1", 0) AS "denominator",
    CAST("s_orders"."a2" AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_gross_profit" AS (
  SELECT
    "s_orders"."a2" - "s_orders"."a3" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a2" - "s_orders"."a3" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_profit_margin_rate" AS (
  SELECT
    "s_orders"."a2" - "s_orders"."a3" AS "numerator",
    "s_orders"."a2" AS "denominator",
    CAST("s_orders"."a2" - "s_orders"."a3" AS DOUBLE) / NULLIF(CAST("s_orders"."a2" AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_category_margin_rate" AS (
  SELECT
    "s_order_lines"."a0" - "s_order_lines"."a1" AS "numerator",
    "s_order_lines"."a0" AS "denominator",
    CAST("s_order_lines"."a0" - "s_order_lines"."a1" AS DOUBLE) / NULLIF(CAST("s_order_lines"."a0" AS DOUBLE), 0) AS "value"
  FROM "s_order_lines"
), "k_active_customers" AS (
  SELECT
    COALESCE("s_orders"."a4", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a4", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_quote_conversion_rate" AS (
  SELECT
    COALESCE("s_quotes"."a0", 0) AS "numerator",
    COALESCE("s_quotes"."a1", 0) AS "denominator",
    CAST(COALESCE("s_quotes"."a0", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_quotes"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_quotes"
), "k_late_delivery_rate" AS (
  SELECT
    COALESCE("s_orders"."a5", 0) AS "numerator",
    COALESCE("s_orders"."a6", 0) AS "denominator",
    CAST(COALESCE("s_orders"."a5", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a6", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_ticket_to_order_ratio" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_tickets"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_tickets"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_orders"."a1" AS "_c1"
    FROM "s_orders"
  ) AS "u"
), "k_first_response_time" AS (
  SELECT
    "s_tickets"."a1" AS "numerator",
    NULL AS "denominator",
    CAST("s_tickets"."a1" AS DOUBLE) AS "value"
  FROM "s_tickets"
)
SELECT
  0 AS "_ord",
  'signups' AS "kpi",
  CAST("k_signups"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_signups"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_signups"."value" AS DOUBLE) AS "value"
FROM "k_signups"
UNION ALL
SELECT
  1 AS "_ord",
  'new_customers' AS "kpi",
  CAST("k_new_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_new_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_new_customers"."value" AS DOUBLE) AS "value"
FROM "k_new_customers"
UNION ALL
SELECT
  2 AS "_ord",
  'sessions' AS "kpi",
  CAST("k_sessions"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_sessions"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_sessions"."value" AS DOUBLE) AS "value"
FROM "k_sessions"
UNION ALL
SELECT
  3 AS "_ord",
  'sessions_per_visitor' AS "kpi",
  CAST("k_sessions_per_visitor"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_sessions_per_visitor"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_sessions_per_visitor"."value" AS DOUBLE) AS "value"
FROM "k_sessions_per_visitor"
UNION ALL
SELECT
  4 AS "_ord",
  'new_visitor_rate' AS "kpi",
  CAST("k_new_visitor_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_new_visitor_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_new_visitor_rate"."value" AS DOUBLE) AS "value"
FROM "k_new_visitor_rate"
UNION ALL
SELECT
  5 AS "_ord",
  'mobile_session_share' AS "kpi",
  CAST("k_mobile_session_share"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_mobile_session_share"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_mobile_session_share"."value" AS DOUBLE) AS "value"
FROM "k_mobile_session_share"
UNION ALL
SELECT
  6 AS "_ord",
  'bounce_rate' AS "kpi",
  CAST("k_bounce_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_bounce_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_bounce_rate"."value" AS DOUBLE) AS "value"
FROM "k_bounce_rate"
UNION ALL
SELECT
  7 AS "_ord",
  'pages_per_session' AS "kpi",
  CAST("k_pages_per_session"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_pages_per_session"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_pages_per_session"."value" AS DOUBLE) AS "value"
FROM "k_pages_per_session"
UNION ALL
SELECT
  8 AS "_ord",
  'session_duration' AS "kpi",
  CAST("k_session_duration"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_session_duration"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_session_duration"."value" AS DOUBLE) AS "value"
FROM "k_session_duration"
UNION ALL
SELECT
  9 AS "_ord",
  'add_to_cart_rate' AS "kpi",
  CAST("k_add_to_cart_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_add_to_cart_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_add_to_cart_rate"."value" AS DOUBLE) AS "value"
FROM "k_add_to_cart_rate"
UNION ALL
SELECT
  10 AS "_ord",
  'orders' AS "kpi",
  CAST("k_orders"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_orders"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_orders"."value" AS DOUBLE) AS "value"
FROM "k_orders"
UNION ALL
SELECT
  11 AS "_ord",
  'revenue' AS "kpi",
  CAST("k_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue"."value" AS DOUBLE) AS "value"
FROM "k_revenue"
UNION ALL
SELECT
  12 AS "_ord",
  'conversion_rate' AS "kpi",
  CAST("k_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_conversion_rate"."value" AS DOUBLE) AS "value"
FROM "k_conversion_rate"
UNION ALL
SELECT
  13 AS "_ord",
  'cart_abandonment_rate' AS "kpi",
  CAST("k_cart_abandonment_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_cart_abandonment_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_cart_abandonment_rate"."value" AS DOUBLE) AS "value"
FROM "k_cart_abandonment_rate"
UNION ALL
SELECT
  14 AS "_ord",
  'average_order_value' AS "kpi",
  CAST("k_average_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_average_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_average_order_value"."value" AS DOUBLE) AS "value"
FROM "k_average_order_value"
UNION ALL
SELECT
  15 AS "_ord",
  'gross_profit' AS "kpi",
  CAST("k_gross_profit"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_gross_profit"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_gross_profit"."value" AS DOUBLE) AS "value"
FROM "k_gross_profit"
UNION ALL
SELECT
  16 AS "_ord",
  'profit_margin_rate' AS "kpi",
  CAST("k_profit_margin_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_profit_margin_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_profit_margin_rate"."value" AS DOUBLE) AS "value"
FROM "k_profit_margin_rate"
UNION ALL
SELECT
  17 AS "_ord",
  'category_margin_rate' AS "kpi",
  CAST("k_category_margin_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_category_margin_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_category_margin_rate"."value" AS DOUBLE) AS "value"
FROM "k_category_margin_rate"
UNION ALL
SELECT
  18 AS "_ord",
  'active_customers' AS "kpi",
  CAST("k_active_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_active_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_active_customers"."value" AS DOUBLE) AS "value"
FROM "k_active_customers"
UNION ALL
SELECT
  19 AS "_ord",
  'quote_conversion_rate' AS "kpi",
  CAST("k_quote_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_quote_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_quote_conversion_rate"."value" AS DOUBLE) AS "value"
FROM "k_quote_conversion_rate"
UNION ALL
SELECT
  20 AS "_ord",
  'late_delivery_rate' AS "kpi",
  CAST("k_late_delivery_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_late_delivery_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_late_delivery_rate"."value" AS DOUBLE) AS "value"
FROM "k_late_delivery_rate"
UNION ALL
SELECT
  21 AS "_ord",
  'ticket_to_order_ratio' AS "kpi",
  CAST("k_ticket_to_order_ratio"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_ticket_to_order_ratio"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_ticket_to_order_ratio"."value" AS DOUBLE) AS "value"
FROM "k_ticket_to_order_ratio"
UNION ALL
SELECT
  22 AS "_ord",
  'first_response_time' AS "kpi",
  CAST("k_first_response_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_first_response_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_first_response_time"."value" AS DOUBLE) AS "value"
FROM "k_first_response_time"
ORDER BY
  "_ord"
