WITH `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC('WEEK', ordered_at) AS DATE) AS `period_start`,
    COUNT(DISTINCT customer_id) AS `a0`,
    SUM(revenue) AS `a1`,
    SUM(cost) AS `a2`,
    COUNT(CASE WHEN is_first_order THEN 1 END) AS `a3`
  FROM orders
  WHERE
    ordered_at >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND ordered_at < CAST('2026-04-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(DATE_TRUNC('WEEK', ordered_at) AS DATE)
), `s_quotes` AS (
  SELECT
    CAST(DATE_TRUNC('WEEK', requested_at) AS DATE) AS `period_start`,
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS `a0`,
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS `a1`
  FROM quotes
  WHERE
    requested_at >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND requested_at < CAST('2026-04-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(DATE_TRUNC('WEEK', requested_at) AS DATE)
), `s_sessions` AS (
  SELECT
    CAST(DATE_TRUNC('WEEK', started_at) AS DATE) AS `period_start`,
    COUNT(*) AS `a0`,
    COUNT(DISTINCT visitor_id) AS `a1`
  FROM sessions
  WHERE
    started_at >= CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND started_at < CAST('2026-04-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(DATE_TRUNC('WEEK', started_at) AS DATE)
), `k_active_customers` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    COALESCE(`s_orders`.`a0`, 0) AS `numerator`,
    NULL AS `denominator`,
    CAST(COALESCE(`s_orders`.`a0`, 0) AS DOUBLE) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
), `k_profit_margin_rate` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`a1` - `s_orders`.`a2` AS `numerator`,
    `s_orders`.`a1` AS `denominator`,
    CAST(`s_orders`.`a1` - `s_orders`.`a2` AS DOUBLE) / NULLIF(CAST(`s_orders`.`a1` AS DOUBLE), 0) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
), `k_quote_conversion_rate` AS (
  SELECT
    `s_quotes`.`period_start` AS `period_start`,
    COALESCE(`s_quotes`.`a0`, 0) AS `numerator`,
    COALESCE(`s_quotes`.`a1`, 0) AS `denominator`,
    CAST(COALESCE(`s_quotes`.`a0`, 0) AS DOUBLE) / NULLIF(CAST(COALESCE(`s_quotes`.`a1`, 0) AS DOUBLE), 0) AS `value`
  FROM `s_quotes`
), `k_new_customers` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    COALESCE(`s_orders`.`a3`, 0) AS `numerator`,
    NULL AS `denominator`,
    CAST(COALESCE(`s_orders`.`a3`, 0) AS DOUBLE) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
), `k_sessions_per_visitor` AS (
  SELECT
    `s_sessions`.`period_start` AS `period_start`,
    COALESCE(`s_sessions`.`a0`, 0) AS `numerator`,
    COALESCE(`s_sessions`.`a1`, 0) AS `denominator`,
    CAST(COALESCE(`s_sessions`.`a0`, 0) AS DOUBLE) / NULLIF(CAST(COALESCE(`s_sessions`.`a1`, 0) AS DOUBLE), 0) AS `value`
  FROM `s_sessions`
)
SELECT
  0 AS `_ord`,
  'active_customers' AS `kpi`,
  `k_active_customers`.`period_start`,
  CAST(`k_active_customers`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_active_customers`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_active_customers`.`value` AS DOUBLE) AS `value`
FROM `k_active_customers`
UNION ALL
SELECT
  1 AS `_ord`,
  'profit_margin_rate' AS `kpi`,
  `k_profit_margin_rate`.`period_start`,
  CAST(`k_profit_margin_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_profit_margin_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_profit_margin_rate`.`value` AS DOUBLE) AS `value`
FROM `k_profit_margin_rate`
UNION ALL
SELECT
  2 AS `_ord`,
  'quote_conversion_rate' AS `kpi`,
  `k_quote_conversion_rate`.`period_start`,
  CAST(`k_quote_conversion_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_quote_conversion_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_quote_conversion_rate`.`value` AS DOUBLE) AS `value`
FROM `k_quote_conversion_rate`
UNION ALL
SELECT
  3 AS `_ord`,
  'new_customers' AS `kpi`,
  `k_new_customers`.`period_start`,
  CAST(`k_new_customers`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_new_customers`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_new_customers`.`value` AS DOUBLE) AS `value`
FROM `k_new_customers`
UNION ALL
SELECT
  4 AS `_ord`,
  'sessions_per_visitor' AS `kpi`,
  `k_sessions_per_visitor`.`period_start`,
  CAST(`k_sessions_per_visitor`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_sessions_per_visitor`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_sessions_per_visitor`.`value` AS DOUBLE) AS `value`
FROM `k_sessions_per_visitor`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST
