WITH `s_leads` AS (
  SELECT
    COUNT(*) AS `a0`,
    COUNT(CASE WHEN stage IN ('lead', 'prospect', 'customer') THEN 1 END) AS `a1`,
    COUNT(CASE WHEN stage IN ('prospect', 'customer') THEN 1 END) AS `a2`,
    COUNT(CASE WHEN stage = 'customer' THEN 1 END) AS `a3`
  FROM leads
), `s_orders` AS (
  SELECT
    COUNT(CASE WHEN is_first_order THEN 1 END) AS `a0`,
    COUNT(*) AS `a1`,
    SUM(revenue) AS `a2`,
    SUM(cost) AS `a3`,
    MIN(revenue) AS `a4`,
    MEDIAN(revenue) AS `a5`,
    MAX(revenue) AS `a6`,
    COUNT(DISTINCT customer_id) AS `a7`,
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS `a8`,
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS `a9`,
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN shipping_incident END) AS `a10`
  FROM orders
), `s_customers` AS (
  SELECT
    COUNT(*) AS `a0`
  FROM customers
), `s_campaigns` AS (
  SELECT
    SUM(spend) AS `a0`,
    SUM(conversion_revenue) AS `a1`,
    SUM(clicks) AS `a2`,
    SUM(impressions) AS `a3`,
    SUM(CASE WHEN channel = 'paid_search' THEN clicks END) AS `a4`,
    SUM(CASE WHEN channel = 'paid_search' THEN impressions END) AS `a5`,
    SUM(CASE WHEN channel <> 'email' THEN spend END) AS `a6`,
    SUM(CASE WHEN channel <> 'email' THEN clicks END) AS `a7`,
    SUM(CASE WHEN channel = 'paid_search' THEN conversions END) AS `a8`
  FROM campaigns
), `s_sessions` AS (
  SELECT
    COUNT(DISTINCT visitor_id) AS `a0`,
    COUNT(*) AS `a1`,
    COUNT(CASE WHEN is_new_visitor THEN 1 END) AS `a2`,
    COUNT(CASE WHEN NOT is_new_visitor THEN 1 END) AS `a3`,
    COUNT(CASE WHEN device = 'mobile' THEN 1 END) AS `a4`,
    COUNT(CASE WHEN device = 'desktop' THEN 1 END) AS `a5`,
    AVG(CASE WHEN NOT bounced THEN duration_s END) AS `a6`,
    SUM(pages) AS `a7`,
    COUNT(CASE WHEN bounced THEN 1 END) AS `a8`,
    AVG(load_time_s) AS `a9`
  FROM sessions
), `s_email_optins` AS (
  SELECT
    COUNT(*) AS `a0`
  FROM email_optins
), `s_carts` AS (
  SELECT
    COUNT(*) AS `a0`,
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS `a1`
  FROM carts
), `s_searches` AS (
  SELECT
    COUNT(*) AS `a0`,
    COUNT(CASE WHEN clicked THEN 1 END) AS `a1`,
    COUNT(CASE WHEN results = 0 THEN 1 END) AS `a2`
  FROM searches
), `s_order_lines` AS (
  SELECT
    SUM(revenue) AS `a0`,
    SUM(cost) AS `a1`
  FROM order_lines
), `s_quotes` AS (
  SELECT
    COUNT(*) AS `a0`,
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS `a1`,
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS `a2`
  FROM quotes
), `s_returns` AS (
  SELECT
    COUNT(*) AS `a0`,
    SUM(CASE WHEN status = 'refunded' THEN refund_amount END) AS `a1`
  FROM returns
), `s_surveys` AS (
  SELECT
    COUNT(score) AS `a0`,
    COUNT(CASE WHEN score >= 9 THEN 1 END) AS `a1`,
    COUNT(CASE WHEN score <= 6 THEN 1 END) AS `a2`,
    COUNT(*) AS `a3`
  FROM surveys
), `s_calls` AS (
  SELECT
    AVG(wait_s) AS `a0`,
    COUNT(CASE WHEN answered THEN 1 END) AS `a1`,
    COUNT(*) AS `a2`,
    COUNT(CASE WHEN answered AND wait_s <= 20 THEN 1 END) AS `a3`
  FROM calls
), `s_tickets` AS (
  SELECT
    COUNT(CASE WHEN channel = 'email' THEN 1 END) AS `a0`,
    COUNT(*) AS `a1`,
    AVG(first_response_s) AS `a2`,
    AVG(resolution_s) AS `a3`,
    COUNT(CASE WHEN resolution_s <= 172800 THEN 1 END) AS `a4`
  FROM tickets
), `s_disputes` AS (
  SELECT
    COUNT(*) AS `a0`
  FROM disputes
), `k_lead_distribution_by_source` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            source AS `item`,
            COUNT(*) AS `numerator`
          FROM leads
          WHERE
            NOT source IS NULL AND stage IN ('lead', 'prospect', 'customer')
          GROUP BY
            source
        ) AS `i`
        CROSS JOIN (
          SELECT
            COUNT(*) AS `denominator`
          FROM leads
          WHERE
            stage IN ('lead', 'prospect', 'customer')
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_top_searched_keywords` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    NULL AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          query AS `item`,
          COUNT(*) AS `numerator`,
          NULL AS `denominator`
        FROM searches
        WHERE
          NOT query IS NULL
        GROUP BY
          query
      ) AS `g`
    ) AS `r`
    WHERE
      `r`.`rank` <= 10
  ) AS `m`
), `k_top_zero_result_keywords` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    NULL AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          query AS `item`,
          COUNT(*) AS `numerator`,
          NULL AS `denominator`
        FROM searches
        WHERE
          NOT query IS NULL AND results = 0
        GROUP BY
          query
      ) AS `g`
    ) AS `r`
    WHERE
      `r`.`rank` <= 10
  ) AS `m`
), `k_top_exit_pages` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    NULL AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          exit_page AS `item`,
          COUNT(*) AS `numerator`,
          NULL AS `denominator`
        FROM sessions
        WHERE
          NOT exit_page IS NULL
        GROUP BY
          exit_page
      ) AS `g`
    ) AS `r`
    WHERE
      `r`.`rank` <= 10
  ) AS `m`
), `k_revenue_by_category` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            category AS `item`,
            SUM(revenue) AS `numerator`
          FROM order_lines
          WHERE
            NOT category IS NULL
          GROUP BY
            category
        ) AS `i`
        CROSS JOIN (
          SELECT
            SUM(revenue) AS `denominator`
          FROM order_lines
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_revenue_by_channel` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            channel AS `item`,
            SUM(revenue) AS `numerator`
          FROM orders
          WHERE
            NOT channel IS NULL
          GROUP BY
            channel
        ) AS `i`
        CROSS JOIN (
          SELECT
            SUM(revenue) AS `denominator`
          FROM orders
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_top_customers_by_revenue` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    NULL AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          customer_id AS `item`,
          SUM(revenue) AS `numerator`,
          NULL AS `denominator`
        FROM orders
        WHERE
          NOT customer_id IS NULL
        GROUP BY
          customer_id
      ) AS `g`
    ) AS `r`
    WHERE
      `r`.`rank` <= 10
  ) AS `m`
), `k_orders_by_hour` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            EXTRACT(HOUR FROM ordered_at) AS `item`,
            COUNT(*) AS `numerator`
          FROM orders
          WHERE
            NOT EXTRACT(HOUR FROM ordered_at) IS NULL
          GROUP BY
            EXTRACT(HOUR FROM ordered_at)
        ) AS `i`
        CROSS JOIN (
          SELECT
            COUNT(*) AS `denominator`
          FROM orders
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_orders_by_weekday` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            (
              MOD(EXTRACT(DAYOFWEEK FROM ordered_at) + 5, 7) + 1
            ) AS `item`,
            COUNT(*) AS `numerator`
          FROM orders
          WHERE
            NOT (
              MOD(EXTRACT(DAYOFWEEK FROM ordered_at) + 5, 7) + 1
            ) IS NULL
          GROUP BY
            (
              MOD(EXTRACT(DAYOFWEEK FROM ordered_at) + 5, 7) + 1
            )
        ) AS `i`
        CROSS JOIN (
          SELECT
            COUNT(*) AS `denominator`
          FROM orders
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_payment_method_share` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            payment_method AS `item`,
            COUNT(*) AS `numerator`
          FROM orders
          WHERE
            NOT payment_method IS NULL
          GROUP BY
            payment_method
        ) AS `i`
        CROSS JOIN (
          SELECT
            COUNT(*) AS `denominator`
          FROM orders
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `m_repeat_purchase_rate` AS (
  SELECT
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      COUNT(CASE WHEN `p`.`_so_far` > 1 THEN 1 END) AS `numerator`,
      COUNT(*) AS `denominator`
    FROM (
      SELECT
        MAX(`w`.`_so_far`) AS `_so_far`
      FROM (
        SELECT
          `r`.`_entity`,
          COUNT(*) OVER (PARTITION BY `r`.`_entity`) AS `_so_far`
        FROM (
          SELECT
            customer_id AS `_entity`
          FROM orders
          WHERE
            NOT customer_id IS NULL
        ) AS `r`
      ) AS `w`
      GROUP BY
        `w`.`_entity`
    ) AS `p`
  ) AS `m`
), `m_customer_retention_rate` AS (
  SELECT
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      NULL AS `numerator`,
      NULL AS `denominator`
    WHERE
      FALSE
  ) AS `m`
), `m_online_retention_rate` AS (
  SELECT
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      NULL AS `numerator`,
      NULL AS `denominator`
    WHERE
      FALSE
  ) AS `m`
), `m_churn_rate` AS (
  SELECT
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      NULL AS `numerator`,
      NULL AS `denominator`
    WHERE
      FALSE
  ) AS `m`
), `m_customer_lifetime_value` AS (
  SELECT
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      NULL AS `numerator`,
      NULL AS `denominator`
    WHERE
      FALSE
  ) AS `m`
), `k_sales_share_by_carrier` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    `m`.`denominator` AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) / NULLIF(CAST(`m`.`denominator` AS FLOAT64), 0) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          `i`.`item`,
          `i`.`numerator`,
          `t`.`denominator`
        FROM (
          SELECT
            carrier AS `item`,
            SUM(revenue) AS `numerator`
          FROM orders
          WHERE
            NOT carrier IS NULL
          GROUP BY
            carrier
        ) AS `i`
        CROSS JOIN (
          SELECT
            SUM(revenue) AS `denominator`
          FROM orders
        ) AS `t`
      ) AS `g`
    ) AS `r`
  ) AS `m`
), `k_incident_rate_by_carrier` AS (
  SELECT
    CAST(`m`.`item` AS STRING) AS `item`,
    CAST(`m`.`rank` AS INT64) AS `rank`,
    `m`.`numerator` AS `numerator`,
    NULL AS `denominator`,
    CAST(`m`.`numerator` AS FLOAT64) AS `value`
  FROM (
    SELECT
      `r`.`item`,
      `r`.`rank`,
      `r`.`numerator`,
      `r`.`denominator`
    FROM (
      SELECT
        `g`.`item`,
        `g`.`numerator`,
        `g`.`denominator`,
        ROW_NUMBER() OVER (ORDER BY `g`.`numerator` DESC, `g`.`item` NULLS LAST) AS `rank`
      FROM (
        SELECT
          carrier AS `item`,
          CAST(COUNT(shipping_incident) AS FLOAT64) / NULLIF(CAST(COUNT(delivered_at) AS FLOAT64), 0) AS `numerator`,
          NULL AS `denominator`
        FROM orders
        WHERE
          NOT carrier IS NULL AND NOT delivered_at IS NULL
        GROUP BY
          carrier
      ) AS `g`
    ) AS `r`
    WHERE
      `r`.`rank` <= 10
  ) AS `m`
), `_kpi_w` AS (
  SELECT
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
    MAX(`u`.`_c23`) AS `_c23`,
    MAX(`u`.`_c24`) AS `_c24`,
    MAX(`u`.`_c25`) AS `_c25`,
    MAX(`u`.`_c26`) AS `_c26`,
    MAX(`u`.`_c27`) AS `_c27`,
    MAX(`u`.`_c28`) AS `_c28`,
    MAX(`u`.`_c29`) AS `_c29`,
    MAX(`u`.`_c30`) AS `_c30`,
    MAX(`u`.`_c31`) AS `_c31`,
    MAX(`u`.`_c32`) AS `_c32`,
    MAX(`u`.`_c33`) AS `_c33`,
    MAX(`u`.`_c34`) AS `_c34`,
    MAX(`u`.`_c35`) AS `_c35`,
    MAX(`u`.`_c36`) AS `_c36`,
    MAX(`u`.`_c37`) AS `_c37`,
    MAX(`u`.`_c38`) AS `_c38`,
    MAX(`u`.`_c39`) AS `_c39`,
    MAX(`u`.`_c40`) AS `_c40`,
    MAX(`u`.`_c41`) AS `_c41`,
    MAX(`u`.`_c42`) AS `_c42`,
    MAX(`u`.`_c43`) AS `_c43`,
    MAX(`u`.`_c44`) AS `_c44`,
    MAX(`u`.`_c45`) AS `_c45`,
    MAX(`u`.`_c46`) AS `_c46`,
    MAX(`u`.`_c47`) AS `_c47`,
    MAX(`u`.`_c48`) AS `_c48`,
    MAX(`u`.`_c49`) AS `_c49`,
    MAX(`u`.`_c50`) AS `_c50`,
    MAX(`u`.`_c51`) AS `_c51`,
    MAX(`u`.`_c52`) AS `_c52`,
    MAX(`u`.`_c53`) AS `_c53`,
    MAX(`u`.`_c54`) AS `_c54`,
    MAX(`u`.`_c55`) AS `_c55`,
    MAX(`u`.`_c56`) AS `_c56`,
    MAX(`u`.`_c57`) AS `_c57`,
    MAX(`u`.`_c58`) AS `_c58`,
    MAX(`u`.`_c59`) AS `_c59`,
    MAX(`u`.`_c60`) AS `_c60`,
    MAX(`u`.`_c61`) AS `_c61`,
    MAX(`u`.`_c62`) AS `_c62`,
    MAX(`u`.`_c63`) AS `_c63`,
    MAX(`u`.`_c64`) AS `_c64`,
    MAX(`u`.`_c65`) AS `_c65`,
    MAX(`u`.`_c66`) AS `_c66`,
    MAX(`u`.`_c67`) AS `_c67`,
    MAX(`u`.`_c68`) AS `_c68`,
    MAX(`u`.`_c69`) AS `_c69`,
    MAX(`u`.`_c70`) AS `_c70`,
    MAX(`u`.`_c71`) AS `_c71`,
    MAX(`u`.`_p0`) AS `_p0`,
    MAX(`u`.`_p1`) AS `_p1`,
    MAX(`u`.`_p2`) AS `_p2`,
    MAX(`u`.`_p3`) AS `_p3`,
    MAX(`u`.`_p4`) AS `_p4`,
    MAX(`u`.`_p5`) AS `_p5`,
    MAX(`u`.`_p6`) AS `_p6`,
    MAX(`u`.`_p7`) AS `_p7`,
    MAX(`u`.`_p8`) AS `_p8`,
    MAX(`u`.`_p9`) AS `_p9`,
    MAX(`u`.`_p10`) AS `_p10`,
    MAX(`u`.`_p11`) AS `_p11`,
    MAX(`u`.`_p12`) AS `_p12`,
    MAX(`u`.`_p13`) AS `_p13`,
    MAX(`u`.`_p14`) AS `_p14`,
    MAX(`u`.`_p15`) AS `_p15`,
    MAX(`u`.`_p16`) AS `_p16`,
    MAX(`u`.`_p17`) AS `_p17`,
    MAX(`u`.`_p18`) AS `_p18`,
    MAX(`u`.`_p19`) AS `_p19`
  FROM (
    SELECT
      `s_leads`.`a0` AS `_c0`,
      `s_leads`.`a1` AS `_c1`,
      `s_leads`.`a2` AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      `s_leads`.`a3` AS `_c5`,
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
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      1 AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_leads`
    UNION ALL
    SELECT
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      `s_orders`.`a0` AS `_c3`,
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
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      `s_orders`.`a1` AS `_c29`,
      `s_orders`.`a2` AS `_c30`,
      `s_orders`.`a3` AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      `s_orders`.`a4` AS `_c38`,
      `s_orders`.`a5` AS `_c39`,
      `s_orders`.`a6` AS `_c40`,
      `s_orders`.`a7` AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      `s_orders`.`a8` AS `_c69`,
      `s_orders`.`a9` AS `_c70`,
      `s_orders`.`a10` AS `_c71`,
      NULL AS `_p0`,
      1 AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_orders`
    UNION ALL
    SELECT
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      `s_customers`.`a0` AS `_c4`,
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
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      1 AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_customers`
    UNION ALL
    SELECT
      NULL AS `_c0`,
      NULL AS `_c1`,
      NULL AS `_c2`,
      NULL AS `_c3`,
      NULL AS `_c4`,
      NULL AS `_c5`,
      `s_campaigns`.`a0` AS `_c6`,
      `s_campaigns`.`a1` AS `_c7`,
      `s_campaigns`.`a2` AS `_c8`,
      `s_campaigns`.`a3` AS `_c9`,
      `s_campaigns`.`a4` AS `_c10`,
      `s_campaigns`.`a5` AS `_c11`,
      `s_campaigns`.`a6` AS `_c12`,
      `s_campaigns`.`a7` AS `_c13`,
      `s_campaigns`.`a8` AS `_c14`,
      NULL AS `_c15`,
      NULL AS `_c16`,
      NULL AS `_c17`,
      NULL AS `_c18`,
      NULL AS `_c19`,
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      1 AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_campaigns`
    UNION ALL
    SELECT
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
      `s_sessions`.`a0` AS `_c15`,
      `s_sessions`.`a1` AS `_c16`,
      `s_sessions`.`a2` AS `_c17`,
      `s_sessions`.`a3` AS `_c18`,
      `s_sessions`.`a4` AS `_c19`,
      `s_sessions`.`a5` AS `_c20`,
      NULL AS `_c21`,
      `s_sessions`.`a6` AS `_c22`,
      `s_sessions`.`a7` AS `_c23`,
      `s_sessions`.`a8` AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      `s_sessions`.`a9` AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      1 AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_sessions`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      `s_email_optins`.`a0` AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      1 AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_email_optins`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      `s_carts`.`a0` AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      `s_carts`.`a1` AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      1 AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_carts`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      `s_searches`.`a0` AS `_c26`,
      `s_searches`.`a1` AS `_c27`,
      `s_searches`.`a2` AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      1 AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_searches`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      `s_order_lines`.`a0` AS `_c32`,
      `s_order_lines`.`a1` AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      1 AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_order_lines`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      `s_quotes`.`a0` AS `_c34`,
      `s_quotes`.`a1` AS `_c35`,
      `s_quotes`.`a2` AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      1 AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_quotes`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      `m_repeat_purchase_rate`.`numerator` AS `_c42`,
      `m_repeat_purchase_rate`.`denominator` AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      1 AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `m_repeat_purchase_rate`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      `m_customer_retention_rate`.`numerator` AS `_c44`,
      `m_customer_retention_rate`.`denominator` AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      1 AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `m_customer_retention_rate`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      `m_online_retention_rate`.`numerator` AS `_c46`,
      `m_online_retention_rate`.`denominator` AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      1 AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `m_online_retention_rate`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      `m_churn_rate`.`numerator` AS `_c48`,
      `m_churn_rate`.`denominator` AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      1 AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `m_churn_rate`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      `m_customer_lifetime_value`.`numerator` AS `_c50`,
      `m_customer_lifetime_value`.`denominator` AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      1 AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `m_customer_lifetime_value`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      `s_returns`.`a0` AS `_c52`,
      `s_returns`.`a1` AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      1 AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_returns`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      `s_surveys`.`a1` AS `_c55`,
      `s_surveys`.`a2` AS `_c56`,
      `s_surveys`.`a0` AS `_c57`,
      `s_surveys`.`a3` AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      1 AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_surveys`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      `s_calls`.`a0` AS `_c59`,
      `s_calls`.`a1` AS `_c60`,
      `s_calls`.`a2` AS `_c61`,
      `s_calls`.`a3` AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      1 AS `_p17`,
      NULL AS `_p18`,
      NULL AS `_p19`
    FROM `s_calls`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      `s_tickets`.`a0` AS `_c63`,
      `s_tickets`.`a1` AS `_c64`,
      `s_tickets`.`a2` AS `_c65`,
      `s_tickets`.`a3` AS `_c66`,
      `s_tickets`.`a4` AS `_c67`,
      NULL AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      1 AS `_p18`,
      NULL AS `_p19`
    FROM `s_tickets`
    UNION ALL
    SELECT
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
      NULL AS `_c20`,
      NULL AS `_c21`,
      NULL AS `_c22`,
      NULL AS `_c23`,
      NULL AS `_c24`,
      NULL AS `_c25`,
      NULL AS `_c26`,
      NULL AS `_c27`,
      NULL AS `_c28`,
      NULL AS `_c29`,
      NULL AS `_c30`,
      NULL AS `_c31`,
      NULL AS `_c32`,
      NULL AS `_c33`,
      NULL AS `_c34`,
      NULL AS `_c35`,
      NULL AS `_c36`,
      NULL AS `_c37`,
      NULL AS `_c38`,
      NULL AS `_c39`,
      NULL AS `_c40`,
      NULL AS `_c41`,
      NULL AS `_c42`,
      NULL AS `_c43`,
      NULL AS `_c44`,
      NULL AS `_c45`,
      NULL AS `_c46`,
      NULL AS `_c47`,
      NULL AS `_c48`,
      NULL AS `_c49`,
      NULL AS `_c50`,
      NULL AS `_c51`,
      NULL AS `_c52`,
      NULL AS `_c53`,
      NULL AS `_c54`,
      NULL AS `_c55`,
      NULL AS `_c56`,
      NULL AS `_c57`,
      NULL AS `_c58`,
      NULL AS `_c59`,
      NULL AS `_c60`,
      NULL AS `_c61`,
      NULL AS `_c62`,
      NULL AS `_c63`,
      NULL AS `_c64`,
      NULL AS `_c65`,
      NULL AS `_c66`,
      NULL AS `_c67`,
      `s_disputes`.`a0` AS `_c68`,
      NULL AS `_c69`,
      NULL AS `_c70`,
      NULL AS `_c71`,
      NULL AS `_p0`,
      NULL AS `_p1`,
      NULL AS `_p2`,
      NULL AS `_p3`,
      NULL AS `_p4`,
      NULL AS `_p5`,
      NULL AS `_p6`,
      NULL AS `_p7`,
      NULL AS `_p8`,
      NULL AS `_p9`,
      NULL AS `_p10`,
      NULL AS `_p11`,
      NULL AS `_p12`,
      NULL AS `_p13`,
      NULL AS `_p14`,
      NULL AS `_p15`,
      NULL AS `_p16`,
      NULL AS `_p17`,
      NULL AS `_p18`,
      1 AS `_p19`
    FROM `s_disputes`
  ) AS `u`
)
SELECT
  `x`.`_ord` AS `_ord`,
  `x`.`kpi` AS `kpi`,
  `x`.`item` AS `item`,
  `x`.`rank` AS `rank`,
  `x`.`numerator` AS `numerator`,
  `x`.`denominator` AS `denominator`,
  CASE
    WHEN `x`.`_ord` IN (
      5,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      18,
      20,
      21,
      22,
      23,
      25,
      26,
      27,
      29,
      30,
      40,
      41,
      43,
      44,
      45,
      46,
      51,
      55,
      56,
      57,
      58,
      59,
      60,
      61,
      65,
      67,
      68,
      69,
      70,
      71,
      74,
      75,
      76,
      79
    )
    THEN CAST(`x`.`numerator` AS FLOAT64) / NULLIF(CAST(`x`.`denominator` AS FLOAT64), 0)
    ELSE `x`.`numerator`
  END AS `value`,
  `x`.`sample` AS `sample`
FROM (
  SELECT
    `i`.`_ord` AS `_ord`,
    `i`.`kpi` AS `kpi`,
    CAST(NULL AS STRING) AS `item`,
    CAST(NULL AS INT64) AS `rank`,
    CASE `i`.`_ord`
      WHEN 0
      THEN CAST(COALESCE(`_kpi_w`.`_c0`, 0) AS FLOAT64)
      WHEN 1
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS FLOAT64)
      WHEN 2
      THEN CAST(COALESCE(`_kpi_w`.`_c2`, 0) AS FLOAT64)
      WHEN 3
      THEN CAST(COALESCE(`_kpi_w`.`_c3`, 0) AS FLOAT64)
      WHEN 4
      THEN CAST(COALESCE(`_kpi_w`.`_c4`, 0) AS FLOAT64)
      WHEN 5
      THEN CAST(COALESCE(`_kpi_w`.`_c5`, 0) AS FLOAT64)
      WHEN 7
      THEN CAST(`_kpi_w`.`_c6` AS FLOAT64)
      WHEN 8
      THEN CAST(`_kpi_w`.`_c7` AS FLOAT64)
      WHEN 9
      THEN CAST(`_kpi_w`.`_c6` AS FLOAT64)
      WHEN 10
      THEN CAST(`_kpi_w`.`_c8` AS FLOAT64)
      WHEN 11
      THEN CAST(`_kpi_w`.`_c10` AS FLOAT64)
      WHEN 12
      THEN CAST(`_kpi_w`.`_c12` AS FLOAT64)
      WHEN 13
      THEN CAST(`_kpi_w`.`_c14` AS FLOAT64)
      WHEN 14
      THEN CAST(CASE WHEN NOT `_kpi_w`.`_p3` IS NULL THEN CAST(`_kpi_w`.`_c7` AS FLOAT64) END AS FLOAT64)
      WHEN 15
      THEN CAST(CASE WHEN NOT `_kpi_w`.`_p3` IS NULL THEN CAST(`_kpi_w`.`_c6` AS FLOAT64) END AS FLOAT64)
      WHEN 16
      THEN CAST(COALESCE(`_kpi_w`.`_c15`, 0) AS FLOAT64)
      WHEN 17
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 18
      THEN CAST(COALESCE(`_kpi_w`.`_c17`, 0) AS FLOAT64)
      WHEN 19
      THEN CAST(COALESCE(`_kpi_w`.`_c18`, 0) AS FLOAT64)
      WHEN 20
      THEN CAST(COALESCE(`_kpi_w`.`_c19`, 0) AS FLOAT64)
      WHEN 21
      THEN CAST(COALESCE(`_kpi_w`.`_c19`, 0) AS FLOAT64)
      WHEN 22
      THEN CAST(COALESCE(`_kpi_w`.`_c21`, 0) AS FLOAT64)
      WHEN 23
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 24
      THEN CAST(`_kpi_w`.`_c22` AS FLOAT64)
      WHEN 25
      THEN CAST(`_kpi_w`.`_c23` AS FLOAT64)
      WHEN 26
      THEN CAST(COALESCE(`_kpi_w`.`_c24`, 0) AS FLOAT64)
      WHEN 27
      THEN CAST(COALESCE(`_kpi_w`.`_c25`, 0) AS FLOAT64)
      WHEN 28
      THEN CAST(COALESCE(`_kpi_w`.`_c26`, 0) AS FLOAT64)
      WHEN 29
      THEN CAST(COALESCE(`_kpi_w`.`_c27`, 0) AS FLOAT64)
      WHEN 30
      THEN CAST(COALESCE(`_kpi_w`.`_c28`, 0) AS FLOAT64)
      WHEN 34
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 35
      THEN CAST(`_kpi_w`.`_c30` AS FLOAT64)
      WHEN 39
      THEN CAST(`_kpi_w`.`_c30` - `_kpi_w`.`_c31` AS FLOAT64)
      WHEN 40
      THEN CAST(`_kpi_w`.`_c30` - `_kpi_w`.`_c31` AS FLOAT64)
      WHEN 41
      THEN CAST(`_kpi_w`.`_c32` - `_kpi_w`.`_c33` AS FLOAT64)
      WHEN 42
      THEN CAST(COALESCE(`_kpi_w`.`_c34`, 0) AS FLOAT64)
      WHEN 43
      THEN CAST(COALESCE(`_kpi_w`.`_c35`, 0) AS FLOAT64)
      WHEN 44
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 45
      THEN CAST(COALESCE(`_kpi_w`.`_c37`, 0) AS FLOAT64)
      WHEN 46
      THEN CAST(`_kpi_w`.`_c30` AS FLOAT64)
      WHEN 47
      THEN CAST(`_kpi_w`.`_c38` AS FLOAT64)
      WHEN 48
      THEN CAST(`_kpi_w`.`_c39` AS FLOAT64)
      WHEN 49
      THEN CAST(`_kpi_w`.`_c40` AS FLOAT64)
      WHEN 50
      THEN CAST(COALESCE(`_kpi_w`.`_c41`, 0) AS FLOAT64)
      WHEN 51
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 55
      THEN CAST(`_kpi_w`.`_c42` AS FLOAT64)
      WHEN 56
      THEN CAST(`_kpi_w`.`_c44` AS FLOAT64)
      WHEN 57
      THEN CAST(`_kpi_w`.`_c46` AS FLOAT64)
      WHEN 58
      THEN CAST(`_kpi_w`.`_c48` AS FLOAT64)
      WHEN 59
      THEN CAST(`_kpi_w`.`_c50` AS FLOAT64)
      WHEN 60
      THEN CAST(COALESCE(`_kpi_w`.`_c52`, 0) AS FLOAT64)
      WHEN 61
      THEN CAST(`_kpi_w`.`_c53` AS FLOAT64)
      WHEN 62
      THEN CAST(`_kpi_w`.`_c54` AS FLOAT64)
      WHEN 63
      THEN CAST(100.0 * (
        COALESCE(`_kpi_w`.`_c55`, 0) - COALESCE(`_kpi_w`.`_c56`, 0)
      ) AS FLOAT64) / NULLIF(CAST(COALESCE(`_kpi_w`.`_c57`, 0) AS FLOAT64), 0)
      WHEN 64
      THEN CAST(COALESCE(`_kpi_w`.`_c58`, 0) AS FLOAT64)
      WHEN 65
      THEN CAST(COALESCE(`_kpi_w`.`_c55`, 0) AS FLOAT64)
      WHEN 66
      THEN CAST(`_kpi_w`.`_c59` AS FLOAT64)
      WHEN 67
      THEN CAST(COALESCE(`_kpi_w`.`_c60`, 0) AS FLOAT64)
      WHEN 68
      THEN CAST(COALESCE(`_kpi_w`.`_c62`, 0) AS FLOAT64)
      WHEN 69
      THEN CAST(COALESCE(`_kpi_w`.`_c61`, 0) AS FLOAT64)
      WHEN 70
      THEN CAST(COALESCE(`_kpi_w`.`_c63`, 0) AS FLOAT64)
      WHEN 71
      THEN CAST(COALESCE(`_kpi_w`.`_c64`, 0) AS FLOAT64)
      WHEN 72
      THEN CAST(`_kpi_w`.`_c65` AS FLOAT64)
      WHEN 73
      THEN CAST(`_kpi_w`.`_c66` AS FLOAT64)
      WHEN 74
      THEN CAST(COALESCE(`_kpi_w`.`_c67`, 0) AS FLOAT64)
      WHEN 75
      THEN CAST(COALESCE(`_kpi_w`.`_c68`, 0) AS FLOAT64)
      WHEN 76
      THEN CAST(COALESCE(`_kpi_w`.`_c69`, 0) AS FLOAT64)
      WHEN 79
      THEN CAST(COALESCE(`_kpi_w`.`_c71`, 0) AS FLOAT64)
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
      THEN CAST(NULL AS FLOAT64)
      WHEN 5
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS FLOAT64)
      WHEN 7
      THEN CAST(NULL AS FLOAT64)
      WHEN 8
      THEN CAST(NULL AS FLOAT64)
      WHEN 9
      THEN CAST(COALESCE(`_kpi_w`.`_c1`, 0) AS FLOAT64)
      WHEN 10
      THEN CAST(`_kpi_w`.`_c9` AS FLOAT64)
      WHEN 11
      THEN CAST(`_kpi_w`.`_c11` AS FLOAT64)
      WHEN 12
      THEN CAST(`_kpi_w`.`_c13` AS FLOAT64)
      WHEN 13
      THEN CAST(`_kpi_w`.`_c10` AS FLOAT64)
      WHEN 14
      THEN CAST(CASE WHEN NOT `_kpi_w`.`_p3` IS NULL THEN CAST(`_kpi_w`.`_c6` AS FLOAT64) END AS FLOAT64)
      WHEN 15
      THEN CAST(CASE
        WHEN NOT `_kpi_w`.`_p1` IS NULL
        THEN CAST(COALESCE(`_kpi_w`.`_c3`, 0) AS FLOAT64)
      END AS FLOAT64)
      WHEN 16
      THEN CAST(NULL AS FLOAT64)
      WHEN 17
      THEN CAST(NULL AS FLOAT64)
      WHEN 18
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 19
      THEN CAST(NULL AS FLOAT64)
      WHEN 20
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 21
      THEN CAST(COALESCE(`_kpi_w`.`_c20`, 0) AS FLOAT64)
      WHEN 22
      THEN CAST(COALESCE(`_kpi_w`.`_c15`, 0) AS FLOAT64)
      WHEN 23
      THEN CAST(COALESCE(`_kpi_w`.`_c15`, 0) AS FLOAT64)
      WHEN 24
      THEN CAST(NULL AS FLOAT64)
      WHEN 25
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 26
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 27
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 28
      THEN CAST(NULL AS FLOAT64)
      WHEN 29
      THEN CAST(COALESCE(`_kpi_w`.`_c26`, 0) AS FLOAT64)
      WHEN 30
      THEN CAST(COALESCE(`_kpi_w`.`_c26`, 0) AS FLOAT64)
      WHEN 34
      THEN CAST(NULL AS FLOAT64)
      WHEN 35
      THEN CAST(NULL AS FLOAT64)
      WHEN 39
      THEN CAST(NULL AS FLOAT64)
      WHEN 40
      THEN CAST(`_kpi_w`.`_c30` AS FLOAT64)
      WHEN 41
      THEN CAST(`_kpi_w`.`_c32` AS FLOAT64)
      WHEN 42
      THEN CAST(NULL AS FLOAT64)
      WHEN 43
      THEN CAST(COALESCE(`_kpi_w`.`_c36`, 0) AS FLOAT64)
      WHEN 44
      THEN CAST(COALESCE(`_kpi_w`.`_c16`, 0) AS FLOAT64)
      WHEN 45
      THEN CAST(COALESCE(`_kpi_w`.`_c25`, 0) AS FLOAT64)
      WHEN 46
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 47
      THEN CAST(NULL AS FLOAT64)
      WHEN 48
      THEN CAST(NULL AS FLOAT64)
      WHEN 49
      THEN CAST(NULL AS FLOAT64)
      WHEN 50
      THEN CAST(NULL AS FLOAT64)
      WHEN 51
      THEN CAST(COALESCE(`_kpi_w`.`_c41`, 0) AS FLOAT64)
      WHEN 55
      THEN CAST(`_kpi_w`.`_c43` AS FLOAT64)
      WHEN 56
      THEN CAST(`_kpi_w`.`_c45` AS FLOAT64)
      WHEN 57
      THEN CAST(`_kpi_w`.`_c47` AS FLOAT64)
      WHEN 58
      THEN CAST(`_kpi_w`.`_c49` AS FLOAT64)
      WHEN 59
      THEN CAST(`_kpi_w`.`_c51` AS FLOAT64)
      WHEN 60
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 61
      THEN CAST(`_kpi_w`.`_c30` AS FLOAT64)
      WHEN 62
      THEN CAST(NULL AS FLOAT64)
      WHEN 63
      THEN CAST(NULL AS FLOAT64)
      WHEN 64
      THEN CAST(NULL AS FLOAT64)
      WHEN 65
      THEN CAST(COALESCE(`_kpi_w`.`_c57`, 0) AS FLOAT64)
      WHEN 66
      THEN CAST(NULL AS FLOAT64)
      WHEN 67
      THEN CAST(COALESCE(`_kpi_w`.`_c61`, 0) AS FLOAT64)
      WHEN 68
      THEN CAST(COALESCE(`_kpi_w`.`_c61`, 0) AS FLOAT64)
      WHEN 69
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 70
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 71
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 72
      THEN CAST(NULL AS FLOAT64)
      WHEN 73
      THEN CAST(NULL AS FLOAT64)
      WHEN 74
      THEN CAST(COALESCE(`_kpi_w`.`_c64`, 0) AS FLOAT64)
      WHEN 75
      THEN CAST(COALESCE(`_kpi_w`.`_c29`, 0) AS FLOAT64)
      WHEN 76
      THEN CAST(COALESCE(`_kpi_w`.`_c70`, 0) AS FLOAT64)
      WHEN 79
      THEN CAST(COALESCE(`_kpi_w`.`_c70`, 0) AS FLOAT64)
    END AS `denominator`,
    CASE `i`.`_ord` WHEN 63 THEN CAST(COALESCE(`_kpi_w`.`_c57`, 0) AS FLOAT64) END AS `sample`
  FROM `_kpi_w`
  CROSS JOIN (
    SELECT
      0 AS `_ord`,
      'suspects' AS `kpi`
    UNION ALL
    SELECT
      1 AS `_ord`,
      'leads' AS `kpi`
    UNION ALL
    SELECT
      2 AS `_ord`,
      'prospects' AS `kpi`
    UNION ALL
    SELECT
      3 AS `_ord`,
      'new_customers' AS `kpi`
    UNION ALL
    SELECT
      4 AS `_ord`,
      'signups' AS `kpi`
    UNION ALL
    SELECT
      5 AS `_ord`,
      'lead_conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      7 AS `_ord`,
      'campaign_spend' AS `kpi`
    UNION ALL
    SELECT
      8 AS `_ord`,
      'campaign_revenue' AS `kpi`
    UNION ALL
    SELECT
      9 AS `_ord`,
      'cost_per_lead' AS `kpi`
    UNION ALL
    SELECT
      10 AS `_ord`,
      'click_through_rate' AS `kpi`
    UNION ALL
    SELECT
      11 AS `_ord`,
      'search_click_through_rate' AS `kpi`
    UNION ALL
    SELECT
      12 AS `_ord`,
      'cost_per_click' AS `kpi`
    UNION ALL
    SELECT
      13 AS `_ord`,
      'advertising_conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      14 AS `_ord`,
      'roas' AS `kpi`
    UNION ALL
    SELECT
      15 AS `_ord`,
      'customer_acquisition_cost' AS `kpi`
    UNION ALL
    SELECT
      16 AS `_ord`,
      'unique_visitors' AS `kpi`
    UNION ALL
    SELECT
      17 AS `_ord`,
      'sessions' AS `kpi`
    UNION ALL
    SELECT
      18 AS `_ord`,
      'new_visitor_rate' AS `kpi`
    UNION ALL
    SELECT
      19 AS `_ord`,
      'repeat_visits' AS `kpi`
    UNION ALL
    SELECT
      20 AS `_ord`,
      'mobile_session_share' AS `kpi`
    UNION ALL
    SELECT
      21 AS `_ord`,
      'mobile_desktop_ratio' AS `kpi`
    UNION ALL
    SELECT
      22 AS `_ord`,
      'email_opt_in_rate' AS `kpi`
    UNION ALL
    SELECT
      23 AS `_ord`,
      'sessions_per_visitor' AS `kpi`
    UNION ALL
    SELECT
      24 AS `_ord`,
      'session_duration' AS `kpi`
    UNION ALL
    SELECT
      25 AS `_ord`,
      'pages_per_session' AS `kpi`
    UNION ALL
    SELECT
      26 AS `_ord`,
      'bounce_rate' AS `kpi`
    UNION ALL
    SELECT
      27 AS `_ord`,
      'add_to_cart_rate' AS `kpi`
    UNION ALL
    SELECT
      28 AS `_ord`,
      'searches' AS `kpi`
    UNION ALL
    SELECT
      29 AS `_ord`,
      'search_effectiveness_rate' AS `kpi`
    UNION ALL
    SELECT
      30 AS `_ord`,
      'zero_result_search_rate' AS `kpi`
    UNION ALL
    SELECT
      34 AS `_ord`,
      'transactions' AS `kpi`
    UNION ALL
    SELECT
      35 AS `_ord`,
      'revenue' AS `kpi`
    UNION ALL
    SELECT
      39 AS `_ord`,
      'profit_margin' AS `kpi`
    UNION ALL
    SELECT
      40 AS `_ord`,
      'profit_margin_rate' AS `kpi`
    UNION ALL
    SELECT
      41 AS `_ord`,
      'category_margin_rate' AS `kpi`
    UNION ALL
    SELECT
      42 AS `_ord`,
      'quotes_requested' AS `kpi`
    UNION ALL
    SELECT
      43 AS `_ord`,
      'quote_conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      44 AS `_ord`,
      'conversion_rate' AS `kpi`
    UNION ALL
    SELECT
      45 AS `_ord`,
      'cart_abandonment_rate' AS `kpi`
    UNION ALL
    SELECT
      46 AS `_ord`,
      'average_order_value' AS `kpi`
    UNION ALL
    SELECT
      47 AS `_ord`,
      'minimum_order_value' AS `kpi`
    UNION ALL
    SELECT
      48 AS `_ord`,
      'median_order_value' AS `kpi`
    UNION ALL
    SELECT
      49 AS `_ord`,
      'maximum_order_value' AS `kpi`
    UNION ALL
    SELECT
      50 AS `_ord`,
      'active_customers' AS `kpi`
    UNION ALL
    SELECT
      51 AS `_ord`,
      'orders_per_active_customer' AS `kpi`
    UNION ALL
    SELECT
      55 AS `_ord`,
      'repeat_purchase_rate' AS `kpi`
    UNION ALL
    SELECT
      56 AS `_ord`,
      'customer_retention_rate' AS `kpi`
    UNION ALL
    SELECT
      57 AS `_ord`,
      'online_retention_rate' AS `kpi`
    UNION ALL
    SELECT
      58 AS `_ord`,
      'churn_rate' AS `kpi`
    UNION ALL
    SELECT
      59 AS `_ord`,
      'customer_lifetime_value' AS `kpi`
    UNION ALL
    SELECT
      60 AS `_ord`,
      'return_rate' AS `kpi`
    UNION ALL
    SELECT
      61 AS `_ord`,
      'refund_rate' AS `kpi`
    UNION ALL
    SELECT
      62 AS `_ord`,
      'site_speed' AS `kpi`
    UNION ALL
    SELECT
      63 AS `_ord`,
      'nps' AS `kpi`
    UNION ALL
    SELECT
      64 AS `_ord`,
      'survey_response_count' AS `kpi`
    UNION ALL
    SELECT
      65 AS `_ord`,
      'promoter_share' AS `kpi`
    UNION ALL
    SELECT
      66 AS `_ord`,
      'phone_wait_time' AS `kpi`
    UNION ALL
    SELECT
      67 AS `_ord`,
      'call_answer_rate' AS `kpi`
    UNION ALL
    SELECT
      68 AS `_ord`,
      'call_sla_compliance' AS `kpi`
    UNION ALL
    SELECT
      69 AS `_ord`,
      'calls_per_order' AS `kpi`
    UNION ALL
    SELECT
      70 AS `_ord`,
      'emails_per_order' AS `kpi`
    UNION ALL
    SELECT
      71 AS `_ord`,
      'ticket_to_order_ratio' AS `kpi`
    UNION ALL
    SELECT
      72 AS `_ord`,
      'first_response_time' AS `kpi`
    UNION ALL
    SELECT
      73 AS `_ord`,
      'ticket_resolution_time' AS `kpi`
    UNION ALL
    SELECT
      74 AS `_ord`,
      'ticket_sla_compliance' AS `kpi`
    UNION ALL
    SELECT
      75 AS `_ord`,
      'after_sales_dispute_rate' AS `kpi`
    UNION ALL
    SELECT
      76 AS `_ord`,
      'late_delivery_rate' AS `kpi`
    UNION ALL
    SELECT
      79 AS `_ord`,
      'shipping_incident_rate' AS `kpi`
  ) AS `i`
  WHERE
    CASE `i`.`_ord`
      WHEN 0
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 1
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 2
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 3
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 4
      THEN NOT `_kpi_w`.`_p2` IS NULL
      WHEN 5
      THEN NOT `_kpi_w`.`_p0` IS NULL
      WHEN 7
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 8
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 9
      THEN NOT `_kpi_w`.`_p3` IS NULL OR NOT `_kpi_w`.`_p0` IS NULL
      WHEN 10
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 11
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 12
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 13
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 14
      THEN NOT `_kpi_w`.`_p3` IS NULL
      WHEN 15
      THEN NOT `_kpi_w`.`_p3` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 16
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 17
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 18
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 19
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 20
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 21
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 22
      THEN NOT `_kpi_w`.`_p5` IS NULL OR NOT `_kpi_w`.`_p4` IS NULL
      WHEN 23
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 24
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 25
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 26
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 27
      THEN NOT `_kpi_w`.`_p6` IS NULL OR NOT `_kpi_w`.`_p4` IS NULL
      WHEN 28
      THEN NOT `_kpi_w`.`_p7` IS NULL
      WHEN 29
      THEN NOT `_kpi_w`.`_p7` IS NULL
      WHEN 30
      THEN NOT `_kpi_w`.`_p7` IS NULL
      WHEN 34
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 35
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 39
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 40
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 41
      THEN NOT `_kpi_w`.`_p8` IS NULL
      WHEN 42
      THEN NOT `_kpi_w`.`_p9` IS NULL
      WHEN 43
      THEN NOT `_kpi_w`.`_p9` IS NULL
      WHEN 44
      THEN NOT `_kpi_w`.`_p1` IS NULL OR NOT `_kpi_w`.`_p4` IS NULL
      WHEN 45
      THEN NOT `_kpi_w`.`_p6` IS NULL
      WHEN 46
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 47
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 48
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 49
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 50
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 51
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 55
      THEN NOT `_kpi_w`.`_p10` IS NULL
      WHEN 56
      THEN NOT `_kpi_w`.`_p11` IS NULL
      WHEN 57
      THEN NOT `_kpi_w`.`_p12` IS NULL
      WHEN 58
      THEN NOT `_kpi_w`.`_p13` IS NULL
      WHEN 59
      THEN NOT `_kpi_w`.`_p14` IS NULL
      WHEN 60
      THEN NOT `_kpi_w`.`_p15` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 61
      THEN NOT `_kpi_w`.`_p15` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 62
      THEN NOT `_kpi_w`.`_p4` IS NULL
      WHEN 63
      THEN NOT `_kpi_w`.`_p16` IS NULL
      WHEN 64
      THEN NOT `_kpi_w`.`_p16` IS NULL
      WHEN 65
      THEN NOT `_kpi_w`.`_p16` IS NULL
      WHEN 66
      THEN NOT `_kpi_w`.`_p17` IS NULL
      WHEN 67
      THEN NOT `_kpi_w`.`_p17` IS NULL
      WHEN 68
      THEN NOT `_kpi_w`.`_p17` IS NULL
      WHEN 69
      THEN NOT `_kpi_w`.`_p17` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 70
      THEN NOT `_kpi_w`.`_p18` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 71
      THEN NOT `_kpi_w`.`_p18` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 72
      THEN NOT `_kpi_w`.`_p18` IS NULL
      WHEN 73
      THEN NOT `_kpi_w`.`_p18` IS NULL
      WHEN 74
      THEN NOT `_kpi_w`.`_p18` IS NULL
      WHEN 75
      THEN NOT `_kpi_w`.`_p19` IS NULL OR NOT `_kpi_w`.`_p1` IS NULL
      WHEN 76
      THEN NOT `_kpi_w`.`_p1` IS NULL
      WHEN 79
      THEN NOT `_kpi_w`.`_p1` IS NULL
    END
) AS `x`
UNION ALL
SELECT
  6 AS `_ord`,
  'lead_distribution_by_source' AS `kpi`,
  `k_lead_distribution_by_source`.`item`,
  `k_lead_distribution_by_source`.`rank`,
  CAST(`k_lead_distribution_by_source`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_lead_distribution_by_source`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_lead_distribution_by_source`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_lead_distribution_by_source`
UNION ALL
SELECT
  31 AS `_ord`,
  'top_searched_keywords' AS `kpi`,
  `k_top_searched_keywords`.`item`,
  `k_top_searched_keywords`.`rank`,
  CAST(`k_top_searched_keywords`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_top_searched_keywords`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_top_searched_keywords`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_top_searched_keywords`
UNION ALL
SELECT
  32 AS `_ord`,
  'top_zero_result_keywords' AS `kpi`,
  `k_top_zero_result_keywords`.`item`,
  `k_top_zero_result_keywords`.`rank`,
  CAST(`k_top_zero_result_keywords`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_top_zero_result_keywords`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_top_zero_result_keywords`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_top_zero_result_keywords`
UNION ALL
SELECT
  33 AS `_ord`,
  'top_exit_pages' AS `kpi`,
  `k_top_exit_pages`.`item`,
  `k_top_exit_pages`.`rank`,
  CAST(`k_top_exit_pages`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_top_exit_pages`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_top_exit_pages`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_top_exit_pages`
UNION ALL
SELECT
  36 AS `_ord`,
  'revenue_by_category' AS `kpi`,
  `k_revenue_by_category`.`item`,
  `k_revenue_by_category`.`rank`,
  CAST(`k_revenue_by_category`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_revenue_by_category`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_revenue_by_category`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_revenue_by_category`
UNION ALL
SELECT
  37 AS `_ord`,
  'revenue_by_channel' AS `kpi`,
  `k_revenue_by_channel`.`item`,
  `k_revenue_by_channel`.`rank`,
  CAST(`k_revenue_by_channel`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_revenue_by_channel`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_revenue_by_channel`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_revenue_by_channel`
UNION ALL
SELECT
  38 AS `_ord`,
  'top_customers_by_revenue' AS `kpi`,
  `k_top_customers_by_revenue`.`item`,
  `k_top_customers_by_revenue`.`rank`,
  CAST(`k_top_customers_by_revenue`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_top_customers_by_revenue`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_top_customers_by_revenue`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_top_customers_by_revenue`
UNION ALL
SELECT
  52 AS `_ord`,
  'orders_by_hour' AS `kpi`,
  `k_orders_by_hour`.`item`,
  `k_orders_by_hour`.`rank`,
  CAST(`k_orders_by_hour`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_orders_by_hour`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_orders_by_hour`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_orders_by_hour`
UNION ALL
SELECT
  53 AS `_ord`,
  'orders_by_weekday' AS `kpi`,
  `k_orders_by_weekday`.`item`,
  `k_orders_by_weekday`.`rank`,
  CAST(`k_orders_by_weekday`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_orders_by_weekday`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_orders_by_weekday`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_orders_by_weekday`
UNION ALL
SELECT
  54 AS `_ord`,
  'payment_method_share' AS `kpi`,
  `k_payment_method_share`.`item`,
  `k_payment_method_share`.`rank`,
  CAST(`k_payment_method_share`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_payment_method_share`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_payment_method_share`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_payment_method_share`
UNION ALL
SELECT
  77 AS `_ord`,
  'sales_share_by_carrier' AS `kpi`,
  `k_sales_share_by_carrier`.`item`,
  `k_sales_share_by_carrier`.`rank`,
  CAST(`k_sales_share_by_carrier`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_sales_share_by_carrier`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_sales_share_by_carrier`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_sales_share_by_carrier`
UNION ALL
SELECT
  78 AS `_ord`,
  'incident_rate_by_carrier' AS `kpi`,
  `k_incident_rate_by_carrier`.`item`,
  `k_incident_rate_by_carrier`.`rank`,
  CAST(`k_incident_rate_by_carrier`.`numerator` AS FLOAT64) AS `numerator`,
  CAST(`k_incident_rate_by_carrier`.`denominator` AS FLOAT64) AS `denominator`,
  CAST(`k_incident_rate_by_carrier`.`value` AS FLOAT64) AS `value`,
  CAST(NULL AS FLOAT64) AS `sample`
FROM `k_incident_rate_by_carrier`
ORDER BY
  `_ord` NULLS LAST,
  `rank` NULLS LAST
