WITH `s_leads` AS (
  SELECT
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE) AS `period_start`,
    COUNT(CASE WHEN stage IN ('prospect', 'customer') THEN 1 END) AS `a0`
  FROM leads
  GROUP BY
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE)
), `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC(ordered_at, MONTH) AS DATE) AS `period_start`,
    COUNT(CASE WHEN is_first_order THEN 1 END) AS `a0`,
    SUM(revenue) AS `a1`,
    SUM(cost) AS `a2`,
    COUNT(*) AS `a3`,
    COUNT(DISTINCT customer_id) AS `a4`,
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS `a5`,
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS `a6`
  FROM orders
  GROUP BY
    CAST(DATE_TRUNC(ordered_at, MONTH) AS DATE)
), `s_sessions` AS (
  SELECT
    CAST(DATE_TRUNC(started_at, MONTH) AS DATE) AS `period_start`,
    COUNT(DISTINCT visitor_id) AS `a0`,
    AVG(CASE WHEN NOT bounced THEN duration_s END) AS `a1`,
    COUNT(CASE WHEN bounced THEN 1 END) AS `a2`,
    COUNT(*) AS `a3`,
    AVG(load_time_s) AS `a4`
  FROM sessions
  GROUP BY
    CAST(DATE_TRUNC(started_at, MONTH) AS DATE)
), `s_quotes` AS (
  SELECT
    CAST(DATE_TRUNC(requested_at, MONTH) AS DATE) AS `period_start`,
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS `a0`,
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS `a1`
  FROM quotes
  GROUP BY
    CAST(DATE_TRUNC(requested_at, MONTH) AS DATE)
), `s_carts` AS (
  SELECT
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE) AS `period_start`,
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS `a0`,
    COUNT(*) AS `a1`
  FROM carts
  GROUP BY
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE)
), `s_surveys` AS (
  SELECT
    CAST(DATE_TRUNC(answered_at, MONTH) AS DATE) AS `period_start`,
    COUNT(score) AS `a0`,
    COUNT(CASE WHEN score >= 9 THEN 1 END) AS `a1`,
    COUNT(CASE WHEN score <= 6 THEN 1 END) AS `a2`
  FROM surveys
  GROUP BY
    CAST(DATE_TRUNC(answered_at, MONTH) AS DATE)
), `s_calls` AS (
  SELECT
    CAST(DATE_TRUNC(started_at, MONTH) AS DATE) AS `period_start`,
    AVG(wait_s) AS `a0`
  FROM calls
  GROUP BY
    CAST(DATE_TRUNC(started_at, MONTH) AS DATE)
), `s_tickets` AS (
  SELECT
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE) AS `period_start`,
    AVG(resolution_s) AS `a0`
  FROM tickets
  GROUP BY
    CAST(DATE_TRUNC(created_at, MONTH) AS DATE)
), `s_disputes` AS (
  SELECT
    CAST(DATE_TRUNC(opened_at, MONTH) AS DATE) AS `period_start`,
    COUNT(*) AS `a0`
  FROM disputes
  GROUP BY
    CAST(DATE_TRUNC(opened_at, MONTH) AS DATE)
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
    MAX(`u`.`_c8`) AS `_c8`,
    MAX(`u`.`_c9`) AS `_c9`,
    MAX(`u`.`_c10`) AS `_c10`,
    MAX(`u`.`_c11`) AS `_c11`,
    MAX(`u`.`_c12`) AS `_c12`,
    MAX(`u`.`_c13`) AS `_c13`,
    MAX(`u`.`_c14`) AS `_c14`,
    MAX(`u`.`_c15`) AS `_c15`,
    MAX(`u`.`_c16`) AS `_c16`,
    MAX(`u`.`_c17`) AS `_c17`,
    MAX(`u`.`_c18`) AS `_c18`,
    MAX(`u`.`_c19`) AS `_c19`,
    MAX(`u`.`_c20`) AS `_c20`,
    MAX(`u`.`_c21`) AS `_c21`,
    MAX(`u`.`_c22`) AS `_c22`,
    MAX(`u`.`_p0`) AS `_p0`,
    MAX(`u`.`_p1`) AS `_p1`,
    MAX(`u`.`_p2`) AS `_p2`,
    MAX(`u`.`_p3`) AS `_p3`,
    MAX(`u`.`_p4`) AS `_p4`,
    MAX(`u`.`_p5`) AS `_p5`,
    MAX(`u`.`_p6`) AS `_p6`,
    MAX(`u`.`_p7`) AS `_p7`,
    MAX(`u`.`_p8`) AS `_p8`
  FROM (
    SELECT
      `s_leads`.`period_start` AS `period_start`,
      `s_leads`.`a0` AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      1 AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_leads`
    UNION ALL
    SELECT
      `s_orders`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      `s_orders`.`a0` AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      `s_orders`.`a1` AS `_c6`,
      `s_orders`.`a2` AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      `s_orders`.`a3` AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      `s_orders`.`a4` AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      `s_orders`.`a5` AS `_c21`,
      `s_orders`.`a6` AS `_c22`,
      NULL AS `_p0`,
      1 AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_orders`
    UNION ALL
    SELECT
      `s_sessions`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      `s_sessions`.`a0` AS `_c2`,
      `s_sessions`.`a1` AS `_c3`,
      `s_sessions`.`a2` AS `_c4`,
      `s_sessions`.`a3` AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      `s_sessions`.`a4` AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      1 AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_sessions`
    UNION ALL
    SELECT
      `s_quotes`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      `s_quotes`.`a0` AS `_c8`,
      `s_quotes`.`a1` AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      1 AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_quotes`
    UNION ALL
    SELECT
      `s_carts`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      `s_carts`.`a0` AS `_c11`,
      `s_carts`.`a1` AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      1 AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_carts`
    UNION ALL
    SELECT
      `s_surveys`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      `s_surveys`.`a1` AS `_c15`,
      `s_surveys`.`a2` AS `_c16`,
      `s_surveys`.`a0` AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      1 AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_surveys`
    UNION ALL
    SELECT
      `s_calls`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      `s_calls`.`a0` AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      1 AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`
    FROM `s_calls`
    UNION ALL
    SELECT
      `s_tickets`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      `s_tickets`.`a0` AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      1 AS `_p7`,
      NULL AS `_p8`
    FROM `s_tickets`
    UNION ALL
    SELECT
      `s_disputes`.`period_start` AS `period_start`,
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      NULL AS `_c6`,
      NULL AS `_c7`,
      NULL AS `_c8`,
      NULL AS `_c9`,
      NULL AS `_c10`,
      NULL AS `_c11`,
      NULL AS `_c12`,
      NULL AS `_c13`,
      NULL AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      `s_disputes`.`a0` AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      1 AS `_p8`
    FROM `s_disputes`
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
    WHEN `x`.`_ord` IN (4, 7, 8, 10, 11, 12, 18, 19)
    THEN CAST(`x`.`numerator` AS FLOAT64) / NULLIF(CAST(`x`.`denominator` AS FLOAT64), 0)
    ELSE `x`.`numerator`
  END AS `value`,
  `x`.`sample` AS `sample`
FROM (
  SELECT
    `i`.`_ord` AS `_ord`,
    `i`.`kpi` AS `kpi`,
    `_kpi_w`.`period_start` AS `period_start`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(COALESCE(`_kpi_w`.`_c0`, 0) AS FLOAT64)
      WHEN 1
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS FLOAT64)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c2`, 0) AS FLOAT64)
      WHEN 3
      THEN CAST(`_kpi_w`.`_c3` AS FLOAT64)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c4`, 0) AS FLOAT64)
      WHEN 5
      THEN CAST(`_kpi_w`.`_c6` AS FLOAT64)
      WHEN 6
      THEN CAST(`_kpi_w`.`_c6` - `_kpi_w`.`_c7` AS FLOAT64)
      WHEN 7
      THEN CAST(`_kpi_w`.`_c6` - `_kpi_w`.`_c7` AS FLOAT64)
      WHEN 8
      THEN CAST(COALESCE(`_kpi_w`.`_c8`, 0) AS FLOAT64)
      WHEN 9
      THEN CAST(COALESCE(`_kpi_w`.`_c10`, 0) AS FLOAT64)
      WHEN 10
      THEN CAST(COALESCE(`_kpi_w`.`_c10`, 0) AS FLOAT64)
      WHEN 11
      THEN CAST(COALESCE(`_kpi_w`.`_c11`, 0) AS FLOAT64)
      WHEN 12
      THEN CAST(`_kpi_w`.`_c6` AS FLOAT64)
      WHEN 13
      THEN CAST(COALESCE(`_kpi_w`.`_c13`, 0) AS FLOAT64)
      WHEN 14
      THEN CAST(`_kpi_w`.`_c14` AS FLOAT64)
      WHEN 15
      THEN CAST(100.0 * (
        COALESCE(`_kpi_w`.`_c15`, 0) - COALESCE(`_kpi_w`.`_c16`, 0)
      ) AS FLOAT64) / NULLIF(CAST(COALESCE(`_kpi_w`.`_c17`, 0) AS FLOAT64), 0)
      WHEN 16
      THEN CAST(`_kpi_w`.`_c18` AS FLOAT64)
      WHEN 17
      THEN CAST(`_kpi_w`.`_c19` AS FLOAT64)
      WHEN 18
      THEN CAST(COALESCE(`_kpi_w`.`_c20`, 0) AS FLOAT64)
      WHEN 19
      THEN CAST(COALESCE(`_kpi_w`.`_c21`, 0) AS FLOAT64)
    END AS `numerator`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(NULL AS FLOAT64)
      WHEN 1
      THEN CAST(NULL AS FLOAT64)
      WHEN 2
      THEN CAST(NULL AS FLOAT64)
      WHEN 3
      THEN CAST(NULL AS FLOAT64)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c5`, 0) AS FLOAT64)
      WHEN 5
      THEN CAST(NULL AS FLOAT64)
      WHEN 6
      THEN CAST(NULL AS FLOAT64)
      WHEN 7
      THEN CAST(`_kpi_w`.`_c6` AS FLOAT64)
      WHEN 8
      THEN CAST(COALESCE(`_kpi_w`.`_c9`, 0) AS FLOAT64)
      WHEN 9
      THEN CAST(NULL AS FLOAT64)
      WHEN 10
      THEN CAST(COALESCE(`_kpi_w`.`_c5`, 0) AS FLOAT64)
      WHEN 11
      THEN CAST(COALESCE(`_kpi_w`.`_c12`, 0) AS FLOAT64)
      WHEN 12
      THEN CAST(COALESCE(`_kpi_w`.`_c10`, 0) AS FLOAT64)
      WHEN 13
      THEN CAST(NULL AS FLOAT64)
      WHEN 14
      THEN CAST(NULL AS FLOAT64)
      WHEN 15
      THEN CAST(NULL AS FLOAT64)
      WHEN 16
      THEN CAST(NULL AS FLOAT64)
      WHEN 17
      THEN CAST(NULL AS FLOAT64)
      WHEN 18
      THEN CAST(COALESCE(`_kpi_w`.`_c10`, 0) AS FLOAT64)
      WHEN 19
      THEN CAST(COALESCE(`_kpi_w`.`_c22`, 0) AS FLOAT64)
    END AS `denominator`,
    CASE `i`.`_ord` WHEN 15 THEN CAST(COALESCE(`_kpi_w`.`_c17`, 0) AS FLOAT64) END AS `sample`
  FROM `_kpi_w`
  CROSS JOIN (
    SELECT
      0 AS `_ord`,
      'prospects' AS `kpi`
    UNION ALL
    SELECT
      1 AS `_ord`,
      'new_customers' AS `kpi`
    UNION ALL
    SELECT
      2 AS `_ord`,
      'unique_visitors' AS `kpi`
    UNION ALL
    SELECT
      3 AS `_ord`,
      'session_duration' AS `kpi`
    UNION ALL
    SELECT
      4 AS `_ord`,
      'bounce_rate' AS `kpi`
    UNION ALL
    SELECT
      5 AS `_ord`,
      'revenue' AS `kpi`
    UNION ALL
    SELECT
      6 AS `_ord`,
      'profit_margin' AS `kpi`
    UNION ALL
    SELECT
      7 AS `_ord`,
      'profit_margin_rate' AS `kpi`
    UNION ALL
    SELECT
      8 AS `_ord`,
      'quote_conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      9 AS `_ord`,
      'transactions' AS `kpi`
    UNION ALL
    SELECT
      10 AS `_ord`,
      'conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      11 AS `_ord`,
      'cart_abandonment_rate' AS `kpi`
    UNION ALL
    SELECT
      12 AS `_ord`,
      'average_order_value' AS `kpi`
    UNION ALL
    SELECT
      13 AS `_ord`,
      'active_customers' AS `kpi`
    UNION ALL
    SELECT
      14 AS `_ord`,
      'site_speed' AS `kpi`
    UNION ALL
    SELECT
      15 AS `_ord`,
      'nps' AS `kpi`
    UNION ALL
    SELECT
      16 AS `_ord`,
      'phone_wait_time' AS `kpi`
    UNION ALL
    SELECT
      17 AS `_ord`,
      'ticket_resolution_time' AS `kpi`
    UNION ALL
    SELECT
      18 AS `_ord`,
      'after_sales_dispute_rate' AS `kpi`
    UNION ALL
    SELECT
      19 AS `_ord`,
      'late_delivery_rate' AS `kpi`
  ) AS `i`
  WHERE
    CASE `i`.`_ord`
      WHEN 0
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 1
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 2
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 3
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 4
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 5
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 6
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 7
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 8
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 9
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 10
      THEN NOT `_kpi_w`.`_p1` IS NULL OR NOT `_kpi_w`.`_p2` IS NULL
      WHEN 11
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 12
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 13
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 14
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 15
      THEN NOT `_kpi_w`.`_p5` IS NULL
      WHEN 16
      THEN NOT `_kpi_w`.`_p6` IS NULL
      WHEN 17
      THEN NOT `_kpi_w`.`_p7` IS NULL
      WHEN 18
      THEN NOT `_kpi_w`.`_p8` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 19
      THEN NOT `_kpi_w`.`_p1` IS NULL
    END
) AS `x`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST
