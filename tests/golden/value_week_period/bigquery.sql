WITH `s_orders` AS (
  SELECT
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE) AS `period_start`,
    SUM(amount) AS `a0`
  FROM orders
  WHERE
    ordered_at >= '2024-01-01' AND ordered_at < '2024-04-01'
  GROUP BY
    CAST(DATE_TRUNC(ordered_at, WEEK(MONDAY)) AS DATE)
), `_kpi_w` AS (
  SELECT
    `s_orders`.`period_start` AS `period_start`,
    `s_orders`.`a0` AS `_c0`,
    1 AS `_p0`
  FROM `s_orders`
)
SELECT
  0 AS `_ord`,
  'revenue' AS `kpi`,
  `_kpi_w`.`period_start` AS `period_start`,
  CAST(`_kpi_w`.`_c0` AS FLOAT64) AS `numerator`,
  CAST(NULL AS FLOAT64) AS `denominator`,
  CAST(`_kpi_w`.`_c0` AS FLOAT64) AS `value`
FROM `_kpi_w`
ORDER BY
  `_ord` NULLS LAST,
  `period_start` NULLS LAST
