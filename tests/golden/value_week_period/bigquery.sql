WITH `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE) AS `period_start`,
    SUM(amount) AS `a0`
  FROM orders
  WHERE
    ordered_at >= '2024-01-01' AND ordered_at < '2024-04-01'
  GROUP BY
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE)
), `k_revenue` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`a0` AS `numerator`,
    NULL AS `denominator`,
    CAST(`s_orders`.`a0` AS FLOAT64) AS `value`
  FROM `s_orders`
)
SELECT
  0 AS `_ord`,
  'revenue' AS `kpi`,
  `k_revenue`.`period_start`,
  CAST(`k_revenue`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_revenue`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_revenue`.`value` AS FLOAT64) AS `value`
FROM `k_revenue`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST
