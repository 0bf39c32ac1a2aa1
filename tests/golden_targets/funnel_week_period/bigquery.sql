WITH `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE) AS `period_start`,
    COUNT(DISTINCT customer_id) AS `a0`,
    SUM(revenue) AS `a1`,
    SUM(cost) AS `a2`,
    COUNT(CASE WHEN is_first_order THEN 1 END) AS `a3`
  FROM orders
  WHERE
    ordered_at >= '2026-01-01' AND ordered_at < '2026-04-01'
  GROUP BY
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE)
), `s_quotes` AS (
  SELECT
    CAST(DATE_TRUNC(requested_at, WEEK(MONDAY)) AS DATE) AS `period_start`,
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS `a0`,
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS `a1`
  FROM quotes
  WHERE
    requested_at >= '2026-01-01' AND requested_at < '2026-04-01'
  GROUP BY
    CAST(DATE_TRUNC(requested_at, WEEK(MONDAY)) AS DATE)
), `s_sessions` AS (
  SELECT
    CAST(DATE_TRUNC(started_at, WEEK(MONDAY)) AS DATE) AS `period_start`,
    COUNT(*) AS `a0`,
    COUNT(DISTINCT visitor_id) AS `a1`
  FROM sessions
  WHERE
    started_at >= '2026-01-01' AND started_at < '2026-04-01'
  GROUP BY
    CAST(DATE_TRUNC(started_at, WEEK(MONDAY)) AS DATE)
), `_kpi_w` AS (
  SELECT
    `u`.`period_start` AS `period_start`,
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
      `s_orders`.`a0` AS `_c0`,
      `s_orders`.`a1` AS `_c1`,
      `s_orders`.`a2` AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      `s_orders`.`a3` AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      1 AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`
    FROM `s_orders`
    UNION ALL
    SELECT
      `s_quotes`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      `s_quotes`.`a0` AS `_c3`,
      `s_quotes`.`a1` AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_p0`,
      1 AS `_p1`,
      NULL AS `_p2`
    FROM `s_quotes`
    UNION ALL
    SELECT
      `s_sessions`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      `s_sessions`.`a0` AS `_c6`,
      `s_sessions`.`a1` AS `_c7`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      1 AS `_p2`
    FROM `s_sessions`
  ) AS `u`
  GROUP BY
    `u`.`period_start`
)
SELECT
  `x`.`_ord` AS `_ord`,
  `x`.`kpi` AS `kpi`,
  `x`.`period_start` AS `period_start`,
  `x`.`numerator` AS `numerator`,
  `x`.`denominator` AS `denominator`,
  CASE
    WHEN `x`.`_ord` IN (1, 2, 4)
    THEN CAST(`x`.`numerator` AS FLOAT64) / NULLIF(CAST(`x`.`denominator` AS FLOAT64), 0)
    ELSE `x`.`numerator`
  END AS `value`
FROM (
  SELECT
    `i`.`_ord` AS `_ord`,
    `i`.`kpi` AS `kpi`,
    `_kpi_w`.`period_start` AS `period_start`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(COALESCE(`_kpi_w`.`_c0`, 0) AS FLOAT64)
      WHEN 1
      THEN CAST(`_kpi_w`.`_c1` - `_kpi_w`.`_c2` AS FLOAT64)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c3`, 0) AS FLOAT64)
      WHEN 3
      THEN CAST(COALESCE(`_kpi_w`.`_c5`, 0) AS FLOAT64)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c6`, 0) AS FLOAT64)
    END AS `numerator`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(NULL AS FLOAT64)
      WHEN 1
      THEN CAST(`_kpi_w`.`_c1` AS FLOAT64)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c4`, 0) AS FLOAT64)
      WHEN 3
      THEN CAST(NULL AS FLOAT64)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c7`, 0) AS FLOAT64)
    END AS `denominator`
  FROM `_kpi_w`
  CROSS JOIN (
    SELECT
      0 AS `_ord`,
      'active_customers' AS `kpi`
    UNION ALL
    SELECT
      1 AS `_ord`,
      'profit_margin_rate' AS `kpi`
    UNION ALL
    SELECT
      2 AS `_ord`,
      'quote_conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      3 AS `_ord`,
      'new_customers' AS `kpi`
    UNION ALL
    SELECT
      4 AS `_ord`,
      'sessions_per_visitor' AS `kpi`
  ) AS `i`
  WHERE
    CASE `i`.`_ord`
      WHEN 0
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 1
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 2
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 3
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 4
      THEN NOT `_kpi_w`.`_p2` IS NULL
    END
) AS `x`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST
