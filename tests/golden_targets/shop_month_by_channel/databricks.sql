WITH `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE) AS `period_start`,
    channel AS `channel`,
    COUNT(*) AS `a0`,
    SUM(revenue) AS `a1`,
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS `a2`,
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS `a3`
  FROM orders
  GROUP BY
    CAST(DATE_TRUNC('MONTH', ordered_at) AS DATE),
    channel
), `s_sessions` AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE) AS `period_start`,
    channel AS `channel`,
    COUNT(*) AS `a0`,
    COUNT(CASE WHEN bounced THEN 1 END) AS `a1`
  FROM sessions
  GROUP BY
    CAST(DATE_TRUNC('MONTH', started_at) AS DATE),
    channel
), `s_carts` AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE) AS `period_start`,
    channel AS `channel`,
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS `a0`,
    COUNT(*) AS `a1`
  FROM carts
  GROUP BY
    CAST(DATE_TRUNC('MONTH', created_at) AS DATE),
    channel
), `k_conversion_rate` AS (
  SELECT
    `u`.`period_start` AS `period_start`,
    `u`.`channel` AS `channel`,
    COALESCE(MAX(`u`.`_c0`), 0) AS `numerator`,
    COALESCE(MAX(`u`.`_c1`), 0) AS `denominator`,
    CAST(COALESCE(MAX(`u`.`_c0`), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX(`u`.`_c1`), 0) AS DOUBLE), 0) AS `value`
  FROM (
    SELECT
      `s_orders`.`period_start` AS `period_start`,
      `s_orders`.`channel` AS `channel`,
      `s_orders`.`a0` AS `_c0`,
      NULL AS `_c1`
    FROM (
      SELECT
        *
      FROM `s_orders`
      WHERE
        LENGTH(TO_JSON(STRUCT(*))) > 0
    ) AS `s_orders`
    UNION ALL
    SELECT
      `s_sessions`.`period_start` AS `period_start`,
      `s_sessions`.`channel` AS `channel`,
      NULL AS `_c0`,
      `s_sessions`.`a0` AS `_c1`
    FROM (
      SELECT
        *
      FROM `s_sessions`
      WHERE
        LENGTH(TO_JSON(STRUCT(*))) > 0
    ) AS `s_sessions`
  ) AS `u`
  GROUP BY
    `u`.`period_start`,
    `u`.`channel`
), `k_cart_abandonment_rate` AS (
  SELECT
    `s_carts`.`period_start` AS `period_start`,
    `s_carts`.`channel` AS `channel`,
    COALESCE(`s_carts`.`a0`, 0) AS `numerator`,
    COALESCE(`s_carts`.`a1`, 0) AS `denominator`,
    CAST(COALESCE(`s_carts`.`a0`, 0) AS DOUBLE) / NULLIF(CAST(COALESCE(`s_carts`.`a1`, 0) AS DOUBLE), 0) AS `value`
  FROM `s_carts`
), `k_bounce_rate` AS (
  SELECT
    `s_sessions`.`period_start` AS `period_start`,
    `s_sessions`.`channel` AS `channel`,
    COALESCE(`s_sessions`.`a1`, 0) AS `numerator`,
    COALESCE(`s_sessions`.`a0`, 0) AS `denominator`,
    CAST(COALESCE(`s_sessions`.`a1`, 0) AS DOUBLE) / NULLIF(CAST(COALESCE(`s_sessions`.`a0`, 0) AS DOUBLE), 0) AS `value`
  FROM (
    SELECT
      *
    FROM `s_sessions`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_sessions`
), `k_revenue` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`channel` AS `channel`,
    `s_orders`.`a1` AS `numerator`,
    NULL AS `denominator`,
    CAST(`s_orders`.`a1` AS DOUBLE) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
), `k_average_order_value` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`channel` AS `channel`,
    `s_orders`.`a1` AS `numerator`,
    COALESCE(`s_orders`.`a0`, 0) AS `denominator`,
    CAST(`s_orders`.`a1` AS DOUBLE) / NULLIF(CAST(COALESCE(`s_orders`.`a0`, 0) AS DOUBLE), 0) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
), `k_late_delivery_rate` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`channel` AS `channel`,
    COALESCE(`s_orders`.`a2`, 0) AS `numerator`,
    COALESCE(`s_orders`.`a3`, 0) AS `denominator`,
    CAST(COALESCE(`s_orders`.`a2`, 0) AS DOUBLE) / NULLIF(CAST(COALESCE(`s_orders`.`a3`, 0) AS DOUBLE), 0) AS `value`
  FROM (
    SELECT
      *
    FROM `s_orders`
    WHERE
      LENGTH(TO_JSON(STRUCT(*))) > 0
  ) AS `s_orders`
)
SELECT
  0 AS `_ord`,
  'conversion_rate' AS `kpi`,
  `k_conversion_rate`.`period_start`,
  `k_conversion_rate`.`channel`,
  CAST(`k_conversion_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_conversion_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_conversion_rate`.`value` AS DOUBLE) AS `value`
FROM `k_conversion_rate`
UNION ALL
SELECT
  1 AS `_ord`,
  'cart_abandonment_rate' AS `kpi`,
  `k_cart_abandonment_rate`.`period_start`,
  `k_cart_abandonment_rate`.`channel`,
  CAST(`k_cart_abandonment_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_cart_abandonment_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_cart_abandonment_rate`.`value` AS DOUBLE) AS `value`
FROM `k_cart_abandonment_rate`
UNION ALL
SELECT
  2 AS `_ord`,
  'bounce_rate' AS `kpi`,
  `k_bounce_rate`.`period_start`,
  `k_bounce_rate`.`channel`,
  CAST(`k_bounce_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_bounce_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_bounce_rate`.`value` AS DOUBLE) AS `value`
FROM `k_bounce_rate`
UNION ALL
SELECT
  3 AS `_ord`,
  'revenue' AS `kpi`,
  `k_revenue`.`period_start`,
  `k_revenue`.`channel`,
  CAST(`k_revenue`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_revenue`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_revenue`.`value` AS DOUBLE) AS `value`
FROM `k_revenue`
UNION ALL
SELECT
  4 AS `_ord`,
  'average_order_value' AS `kpi`,
  `k_average_order_value`.`period_start`,
  `k_average_order_value`.`channel`,
  CAST(`k_average_order_value`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_average_order_value`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_average_order_value`.`value` AS DOUBLE) AS `value`
FROM `k_average_order_value`
UNION ALL
SELECT
  5 AS `_ord`,
  'late_delivery_rate' AS `kpi`,
  `k_late_delivery_rate`.`period_start`,
  `k_late_delivery_rate`.`channel`,
  CAST(`k_late_delivery_rate`.`numerator` AS DOUBLE) AS `numerator`,
  CAST(`k_late_delivery_rate`.`denominator` AS DOUBLE) AS `denominator`,
  CAST(`k_late_delivery_rate`.`value` AS DOUBLE) AS `value`
FROM `k_late_delivery_rate`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST,
  `channel` NULLS LAST
