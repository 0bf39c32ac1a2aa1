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
), `_kpi_w` AS (
  SELECT
    `u`.`period_start` AS `period_start`,
    `u`.`channel` AS `channel`,
    MAX(`u`.`_c0`) AS `_c0`,
    MAX(`u`.`_c1`) AS `_c1`,
    MAX(`u`.`_c2`) AS `_c2`,
    MAX(`u`.`_c3`) AS `_c3`,
    MAX(`u`.`_c4`) AS `_c4`,
    MAX(`u`.`_c5`) AS `_c5`,
    MAX(`u`.`_c6`) AS `_c6`,
    MAX(`u`.`_c7`) AS `_c7`,
    MAX(`u`.`_p0`) AS `_p0`,
    MAX(`u`.`_p1`) AS `_p1`,
    MAX(`u`.`_p2`) AS `_p2`
  FROM (
    SELECT
      `s_orders`.`period_start` AS `period_start`,
      `s_orders`.`channel` AS `channel`,
      `s_orders`.`a0` AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      `s_orders`.`a1` AS `_c5`,
      `s_orders`.`a2` AS `_c6`,
      `s_orders`.`a3` AS `_c7`,
      1 AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`
    FROM `s_orders`
    UNION ALL
    SELECT
      `s_sessions`.`period_start` AS `period_start`,
      `s_sessions`.`channel` AS `channel`,
      NULL AS `_c0`,
      `s_sessions`.`a0` AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      `s_sessions`.`a1` AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_p0`,
      1 AS `_p1`,
      NULL AS `_p2`
    FROM `s_sessions`
    UNION ALL
    SELECT
      `s_carts`.`period_start` AS `period_start`,
      `s_carts`.`channel` AS `channel`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      `s_carts`.`a0` AS `_c2`,
      `s_carts`.`a1` AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      1 AS `_p2`
    FROM `s_carts`
  ) AS `u`
  GROUP BY
    `u`.`period_start`,
    `u`.`channel`
)
SELECT
  `x`.`_ord` AS `_ord`,
  `x`.`kpi` AS `kpi`,
  `x`.`period_start` AS `period_start`,
  `x`.`channel` AS `channel`,
  `x`.`numerator` AS `numerator`,
  `x`.`denominator` AS `denominator`,
  CASE
    WHEN `x`.`_ord` IN (0, 1, 2, 4, 5)
    THEN CAST(`x`.`numerator` AS DOUBLE) / NULLIF(CAST(`x`.`denominator` AS DOUBLE), 0)
    ELSE `x`.`numerator`
  END AS `value`
FROM (
  SELECT
    `i`.`_ord` AS `_ord`,
    `i`.`kpi` AS `kpi`,
    `_kpi_w`.`period_start` AS `period_start`,
    `_kpi_w`.`channel` AS `channel`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(COALESCE(`_kpi_w`.`_c0`, 0) AS DOUBLE)
      WHEN 1
      THEN CAST(COALESCE(`_kpi_w`.`_c2`, 0) AS DOUBLE)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c4`, 0) AS DOUBLE)
      WHEN 3
      THEN CAST(`_kpi_w`.`_c5` AS DOUBLE)
      WHEN 4
      THEN CAST(`_kpi_w`.`_c5` AS DOUBLE)
      WHEN 5
      THEN CAST(COALESCE(`_kpi_w`.`_c6`, 0) AS DOUBLE)
    END AS `numerator`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS DOUBLE)
      WHEN 1
      THEN CAST(COALESCE(`_kpi_w`.`_c3`, 0) AS DOUBLE)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS DOUBLE)
      WHEN 3
      THEN CAST(NULL AS DOUBLE)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c0`, 0) AS DOUBLE)
      WHEN 5
      THEN CAST(COALESCE(`_kpi_w`.`_c7`, 0) AS DOUBLE)
    END AS `denominator`
  FROM `_kpi_w`
  CROSS JOIN (
    SELECT
      0 AS `_ord`,
      'conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      1 AS `_ord`,
      'cart_abandonment_rate' AS `kpi`
    UNION ALL
    SELECT
      2 AS `_ord`,
      'bounce_rate' AS `kpi`
    UNION ALL
    SELECT
      3 AS `_ord`,
      'revenue' AS `kpi`
    UNION ALL
    SELECT
      4 AS `_ord`,
      'average_order_value' AS `kpi`
    UNION ALL
    SELECT
      5 AS `_ord`,
      'late_delivery_rate' AS `kpi`
  ) AS `i`
  WHERE
    CASE `i`.`_ord`
      WHEN 0
      THEN NOT `_kpi_w`.`_p0` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 1
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 2
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 3
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 4
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 5
      THEN NOT `_kpi_w`.`_p0` IS NULL
    END
) AS `x`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST,
  `channel` NULLS LAST
