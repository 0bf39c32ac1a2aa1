WITH "s_leads" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(CASE WHEN stage IN ('lead', 'prospect', 'customer') THEN 1 END) AS "a1",
    COUNT(CASE WHEN stage IN ('prospect', 'customer') THEN 1 END) AS "a2",
    COUNT(CASE WHEN stage = 'customer' THEN 1 END) AS "a3"
  FROM leads
), "s_orders" AS (
  SELECT
    COUNT(CASE WHEN is_first_order THEN 1 END) AS "a0",
    COUNT(*) AS "a1",
    SUM(revenue) AS "a2",
    SUM(cost) AS "a3",
    MIN(revenue) AS "a4",
    MEDIAN(revenue) AS "a5",
    MAX(revenue) AS "a6",
    COUNT(DISTINCT customer_id) AS "a7",
    COUNT(CASE WHEN delivered_at > promised_at THEN 1 END) AS "a8",
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END) AS "a9",
    COUNT(CASE WHEN NOT delivered_at IS NULL THEN shipping_incident END) AS "a10"
  FROM orders
), "s_customers" AS (
  SELECT
    COUNT(*) AS "a0"
  FROM customers
), "s_campaigns" AS (
  SELECT
    SUM(spend) AS "a0",
    SUM(conversion_revenue) AS "a1",
    SUM(clicks) AS "a2",
    SUM(impressions) AS "a3",
    SUM(CASE WHEN channel = 'paid_search' THEN clicks END) AS "a4",
    SUM(CASE WHEN channel = 'paid_search' THEN impressions END) AS "a5",
    SUM(CASE WHEN channel <> 'email' THEN spend END) AS "a6",
    SUM(CASE WHEN channel <> 'email' THEN clicks END) AS "a7",
    SUM(CASE WHEN channel = 'paid_search' THEN conversions END) AS "a8"
  FROM campaigns
), "s_sessions" AS (
  SELECT
    COUNT(DISTINCT visitor_id) AS "a0",
    COUNT(*) AS "a1",
    COUNT(CASE WHEN is_new_visitor THEN 1 END) AS "a2",
    COUNT(CASE WHEN NOT is_new_visitor THEN 1 END) AS "a3",
    COUNT(CASE WHEN device = 'mobile' THEN 1 END) AS "a4",
    COUNT(CASE WHEN device = 'desktop' THEN 1 END) AS "a5",
    AVG(CASE WHEN NOT bounced THEN duration_s END) AS "a6",
    SUM(pages) AS "a7",
    COUNT(CASE WHEN bounced THEN 1 END) AS "a8",
    AVG(load_time_s) AS "a9"
  FROM sessions
), "s_email_optins" AS (
  SELECT
    COUNT(*) AS "a0"
  FROM email_optins
), "s_carts" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(CASE WHEN NOT ordered THEN 1 END) AS "a1"
  FROM carts
), "s_searches" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(CASE WHEN clicked THEN 1 END) AS "a1",
    COUNT(CASE WHEN results = 0 THEN 1 END) AS "a2"
  FROM searches
), "s_order_lines" AS (
  SELECT
    SUM(revenue) AS "a0",
    SUM(cost) AS "a1"
  FROM order_lines
), "s_quotes" AS (
  SELECT
    COUNT(*) AS "a0",
    COUNT(CASE WHEN status = 'won' THEN 1 END) AS "a1",
    COUNT(CASE WHEN status IN ('won', 'lost') THEN 1 END) AS "a2"
  FROM quotes
), "s_returns" AS (
  SELECT
    COUNT(*) AS "a0",
    SUM(CASE WHEN status = 'refunded' THEN refund_amount END) AS "a1"
  FROM returns
), "s_surveys" AS (
  SELECT
    COUNT(score) AS "a0",
    COUNT(CASE WHEN score >= 9 THEN 1 END) AS "a1",
    COUNT(CASE WHEN score <= 6 THEN 1 END) AS "a2",
    COUNT(*) AS "a3"
  FROM surveys
), "s_calls" AS (
  SELECT
    AVG(wait_s) AS "a0",
    COUNT(CASE WHEN answered THEN 1 END) AS "a1",
    COUNT(*) AS "a2",
    COUNT(CASE WHEN answered AND wait_s <= 20 THEN 1 END) AS "a3"
  FROM calls
), "s_tickets" AS (
  SELECT
    COUNT(CASE WHEN channel = 'email' THEN 1 END) AS "a0",
    COUNT(*) AS "a1",
    AVG(first_response_s) AS "a2",
    AVG(resolution_s) AS "a3",
    COUNT(CASE WHEN resolution_s <= 172800 THEN 1 END) AS "a4"
  FROM tickets
), "s_disputes" AS (
  SELECT
    COUNT(*) AS "a0"
  FROM disputes
), "k_suspects" AS (
  SELECT
    COALESCE("s_leads"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_leads"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_leads"
), "k_leads" AS (
  SELECT
    COALESCE("s_leads"."a1", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_leads"."a1", 0) AS DOUBLE) AS "value"
  FROM "s_leads"
), "k_prospects" AS (
  SELECT
    COALESCE("s_leads"."a2", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_leads"."a2", 0) AS DOUBLE) AS "value"
  FROM "s_leads"
), "k_new_customers" AS (
  SELECT
    COALESCE("s_orders"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_signups" AS (
  SELECT
    COALESCE("s_customers"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_customers"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_customers"
), "k_lead_conversion_rate" AS (
  SELECT
    COALESCE("s_leads"."a3", 0) AS "numerator",
    COALESCE("s_leads"."a1", 0) AS "denominator",
    CAST(COALESCE("s_leads"."a3", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_leads"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_leads"
), "k_lead_distribution_by_source" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            source AS "item",
            COUNT(*) AS "numerator"
          FROM leads
          WHERE
            NOT source IS NULL AND stage IN ('lead', 'prospect', 'customer')
          GROUP BY
            source
        ) AS "i"
        CROSS JOIN (
          SELECT
            COUNT(*) AS "denominator"
          FROM leads
          WHERE
            stage IN ('lead', 'prospect', 'customer')
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_campaign_spend" AS (
  SELECT
    "s_campaigns"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_campaigns"."a0" AS DOUBLE) AS "value"
  FROM "s_campaigns"
), "k_campaign_revenue" AS (
  SELECT
    "s_campaigns"."a1" AS "numerator",
    NULL AS "denominator",
    CAST("s_campaigns"."a1" AS DOUBLE) AS "value"
  FROM "s_campaigns"
), "k_cost_per_lead" AS (
  SELECT
    MAX("u"."_c0") AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(MAX("u"."_c0") AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_campaigns"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_campaigns"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_leads"."a1" AS "_c1"
    FROM "s_leads"
  ) AS "u"
), "k_click_through_rate" AS (
  SELECT
    "s_campaigns"."a2" AS "numerator",
    "s_campaigns"."a3" AS "denominator",
    CAST("s_campaigns"."a2" AS DOUBLE) / NULLIF(CAST("s_campaigns"."a3" AS DOUBLE), 0) AS "value"
  FROM "s_campaigns"
), "k_search_click_through_rate" AS (
  SELECT
    "s_campaigns"."a4" AS "numerator",
    "s_campaigns"."a5" AS "denominator",
    CAST("s_campaigns"."a4" AS DOUBLE) / NULLIF(CAST("s_campaigns"."a5" AS DOUBLE), 0) AS "value"
  FROM "s_campaigns"
), "k_cost_per_click" AS (
  SELECT
    "s_campaigns"."a6" AS "numerator",
    "s_campaigns"."a7" AS "denominator",
    CAST("s_campaigns"."a6" AS DOUBLE) / NULLIF(CAST("s_campaigns"."a7" AS DOUBLE), 0) AS "value"
  FROM "s_campaigns"
), "k_advertising_conversion_rate" AS (
  SELECT
    "s_campaigns"."a8" AS "numerator",
    "s_campaigns"."a4" AS "denominator",
    CAST("s_campaigns"."a8" AS DOUBLE) / NULLIF(CAST("s_campaigns"."a4" AS DOUBLE), 0) AS "value"
  FROM "s_campaigns"
), "k_roas" AS (
  SELECT
    MAX("u"."_c0") AS "numerator",
    MAX("u"."_c1") AS "denominator",
    CAST(MAX("u"."_c0") AS DOUBLE) / NULLIF(CAST(MAX("u"."_c1") AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "k_campaign_revenue"."value" AS "_c0",
      NULL AS "_c1"
    FROM "k_campaign_revenue"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "k_campaign_spend"."value" AS "_c1"
    FROM "k_campaign_spend"
  ) AS "u"
), "k_customer_acquisition_cost" AS (
  SELECT
    MAX("u"."_c0") AS "numerator",
    MAX("u"."_c1") AS "denominator",
    CAST(MAX("u"."_c0") AS DOUBLE) / NULLIF(CAST(MAX("u"."_c1") AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "k_campaign_spend"."value" AS "_c0",
      NULL AS "_c1"
    FROM "k_campaign_spend"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "k_new_customers"."value" AS "_c1"
    FROM "k_new_customers"
  ) AS "u"
), "k_unique_visitors" AS (
  SELECT
    COALESCE("s_sessions"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_sessions" AS (
  SELECT
    COALESCE("s_sessions"."a1", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_new_visitor_rate" AS (
  SELECT
    COALESCE("s_sessions"."a2", 0) AS "numerator",
    COALESCE("s_sessions"."a1", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a2", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_repeat_visits" AS (
  SELECT
    COALESCE("s_sessions"."a3", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_sessions"."a3", 0) AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_mobile_session_share" AS (
  SELECT
    COALESCE("s_sessions"."a4", 0) AS "numerator",
    COALESCE("s_sessions"."a1", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a4", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_mobile_desktop_ratio" AS (
  SELECT
    COALESCE("s_sessions"."a4", 0) AS "numerator",
    COALESCE("s_sessions"."a5", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a4", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a5", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_email_opt_in_rate" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_email_optins"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_email_optins"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_sessions"."a0" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
), "k_sessions_per_visitor" AS (
  SELECT
    COALESCE("s_sessions"."a1", 0) AS "numerator",
    COALESCE("s_sessions"."a0", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_session_duration" AS (
  SELECT
    "s_sessions"."a6" AS "numerator",
    NULL AS "denominator",
    CAST("s_sessions"."a6" AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_pages_per_session" AS (
  SELECT
    "s_sessions"."a7" AS "numerator",
    COALESCE("s_sessions"."a1", 0) AS "denominator",
    CAST("s_sessions"."a7" AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_sessions"
), "k_bounce_rate" AS (
  SELECT
    COALESCE("s_sessions"."a8", 0) AS "numerator",
    COALESCE("s_sessions"."a1", 0) AS "denominator",
    CAST(COALESCE("s_sessions"."a8", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_sessions"."a1", 0) AS DOUBLE), 0) AS "value"
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
      "s_sessions"."a1" AS "_c1"
    FROM "s_sessions"
  ) AS "u"
), "k_searches" AS (
  SELECT
    COALESCE("s_searches"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_searches"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_searches"
), "k_search_effectiveness_rate" AS (
  SELECT
    COALESCE("s_searches"."a1", 0) AS "numerator",
    COALESCE("s_searches"."a0", 0) AS "denominator",
    CAST(COALESCE("s_searches"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_searches"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_searches"
), "k_zero_result_search_rate" AS (
  SELECT
    COALESCE("s_searches"."a2", 0) AS "numerator",
    COALESCE("s_searches"."a0", 0) AS "denominator",
    CAST(COALESCE("s_searches"."a2", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_searches"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_searches"
), "k_top_searched_keywords" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    NULL AS "denominator",
    CAST("m"."numerator" AS DOUBLE) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          query AS "item",
          COUNT(*) AS "numerator",
          NULL AS "denominator"
        FROM searches
        WHERE
          NOT query IS NULL
        GROUP BY
          query
      ) AS "g"
    ) AS "r"
    WHERE
      "r"."rank" <= 10
  ) AS "m"
), "k_top_zero_result_keywords" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    NULL AS "denominator",
    CAST("m"."numerator" AS DOUBLE) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          query AS "item",
          COUNT(*) AS "numerator",
          NULL AS "denominator"
        FROM searches
        WHERE
          NOT query IS NULL AND results = 0
        GROUP BY
          query
      ) AS "g"
    ) AS "r"
    WHERE
      "r"."rank" <= 10
  ) AS "m"
), "k_top_exit_pages" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    NULL AS "denominator",
    CAST("m"."numerator" AS DOUBLE) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          exit_page AS "item",
          COUNT(*) AS "numerator",
          NULL AS "denominator"
        FROM sessions
        WHERE
          NOT exit_page IS NULL
        GROUP BY
          exit_page
      ) AS "g"
    ) AS "r"
    WHERE
      "r"."rank" <= 10
  ) AS "m"
), "k_transactions" AS (
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
), "k_revenue_by_category" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            category AS "item",
            SUM(revenue) AS "numerator"
          FROM order_lines
          WHERE
            NOT category IS NULL
          GROUP BY
            category
        ) AS "i"
        CROSS JOIN (
          SELECT
            SUM(revenue) AS "denominator"
          FROM order_lines
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_revenue_by_channel" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            channel AS "item",
            SUM(revenue) AS "numerator"
          FROM orders
          WHERE
            NOT channel IS NULL
          GROUP BY
            channel
        ) AS "i"
        CROSS JOIN (
          SELECT
            SUM(revenue) AS "denominator"
          FROM orders
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_top_customers_by_revenue" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    NULL AS "denominator",
    CAST("m"."numerator" AS DOUBLE) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          customer_id AS "item",
          SUM(revenue) AS "numerator",
          NULL AS "denominator"
        FROM orders
        WHERE
          NOT customer_id IS NULL
        GROUP BY
          customer_id
      ) AS "g"
    ) AS "r"
    WHERE
      "r"."rank" <= 10
  ) AS "m"
), "k_profit_margin" AS (
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
), "k_quotes_requested" AS (
  SELECT
    COALESCE("s_quotes"."a0", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_quotes"."a0", 0) AS DOUBLE) AS "value"
  FROM "s_quotes"
), "k_quote_conversion_rate" AS (
  SELECT
    COALESCE("s_quotes"."a1", 0) AS "numerator",
    COALESCE("s_quotes"."a2", 0) AS "denominator",
    CAST(COALESCE("s_quotes"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_quotes"."a2", 0) AS DOUBLE), 0) AS "value"
  FROM "s_quotes"
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
      "s_sessions"."a1" AS "_c1"
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
), "k_minimum_order_value" AS (
  SELECT
    "s_orders"."a4" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a4" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_median_order_value" AS (
  SELECT
    "s_orders"."a5" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a5" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_maximum_order_value" AS (
  SELECT
    "s_orders"."a6" AS "numerator",
    NULL AS "denominator",
    CAST("s_orders"."a6" AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_active_customers" AS (
  SELECT
    COALESCE("s_orders"."a7", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_orders"."a7", 0) AS DOUBLE) AS "value"
  FROM "s_orders"
), "k_orders_per_active_customer" AS (
  SELECT
    COALESCE("s_orders"."a1", 0) AS "numerator",
    COALESCE("s_orders"."a7", 0) AS "denominator",
    CAST(COALESCE("s_orders"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a7", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_orders_by_hour" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            DATE_PART(HOUR, ordered_at) AS "item",
            COUNT(*) AS "numerator"
          FROM orders
          WHERE
            NOT DATE_PART(HOUR, ordered_at) IS NULL
          GROUP BY
            DATE_PART(HOUR, ordered_at)
        ) AS "i"
        CROSS JOIN (
          SELECT
            COUNT(*) AS "denominator"
          FROM orders
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_orders_by_weekday" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            DATE_PART(DAYOFWEEKISO, ordered_at) AS "item",
            COUNT(*) AS "numerator"
          FROM orders
          WHERE
            NOT DATE_PART(DAYOFWEEKISO, ordered_at) IS NULL
          GROUP BY
            DATE_PART(DAYOFWEEKISO, ordered_at)
        ) AS "i"
        CROSS JOIN (
          SELECT
            COUNT(*) AS "denominator"
          FROM orders
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_payment_method_share" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            payment_method AS "item",
            COUNT(*) AS "numerator"
          FROM orders
          WHERE
            NOT payment_method IS NULL
          GROUP BY
            payment_method
        ) AS "i"
        CROSS JOIN (
          SELECT
            COUNT(*) AS "denominator"
          FROM orders
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_repeat_purchase_rate" AS (
  SELECT
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      COUNT(CASE WHEN "p"."_so_far" > 1 THEN 1 END) AS "numerator",
      COUNT(*) AS "denominator"
    FROM (
      SELECT
        MAX("w"."_so_far") AS "_so_far"
      FROM (
        SELECT
          "r"."_entity",
          COUNT(*) OVER (PARTITION BY "r"."_entity") AS "_so_far"
        FROM (
          SELECT
            customer_id AS "_entity"
          FROM orders
          WHERE
            NOT customer_id IS NULL
        ) AS "r"
      ) AS "w"
      GROUP BY
        "w"."_entity"
    ) AS "p"
  ) AS "m"
), "k_customer_retention_rate" AS (
  SELECT
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      NULL AS "numerator",
      NULL AS "denominator"
    WHERE
      FALSE
  ) AS "m"
), "k_online_retention_rate" AS (
  SELECT
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      NULL AS "numerator",
      NULL AS "denominator"
    WHERE
      FALSE
  ) AS "m"
), "k_churn_rate" AS (
  SELECT
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      NULL AS "numerator",
      NULL AS "denominator"
    WHERE
      FALSE
  ) AS "m"
), "k_customer_lifetime_value" AS (
  SELECT
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      NULL AS "numerator",
      NULL AS "denominator"
    WHERE
      FALSE
  ) AS "m"
), "k_return_rate" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_returns"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_returns"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_orders"."a1" AS "_c1"
    FROM "s_orders"
  ) AS "u"
), "k_refund_rate" AS (
  SELECT
    MAX("u"."_c0") AS "numerator",
    MAX("u"."_c1") AS "denominator",
    CAST(MAX("u"."_c0") AS DOUBLE) / NULLIF(CAST(MAX("u"."_c1") AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_returns"."a1" AS "_c0",
      NULL AS "_c1"
    FROM "s_returns"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_orders"."a2" AS "_c1"
    FROM "s_orders"
  ) AS "u"
), "k_site_speed" AS (
  SELECT
    "s_sessions"."a9" AS "numerator",
    NULL AS "denominator",
    CAST("s_sessions"."a9" AS DOUBLE) AS "value"
  FROM "s_sessions"
), "k_nps" AS (
  SELECT
    CAST(100.0 * (
      COALESCE("s_surveys"."a1", 0) - COALESCE("s_surveys"."a2", 0)
    ) AS DOUBLE) / NULLIF(CAST(COALESCE("s_surveys"."a0", 0) AS DOUBLE), 0) AS "numerator",
    NULL AS "denominator",
    CAST(100.0 * (
      COALESCE("s_surveys"."a1", 0) - COALESCE("s_surveys"."a2", 0)
    ) AS DOUBLE) / NULLIF(CAST(COALESCE("s_surveys"."a0", 0) AS DOUBLE), 0) AS "value",
    COALESCE("s_surveys"."a0", 0) AS "sample"
  FROM "s_surveys"
), "k_survey_response_count" AS (
  SELECT
    COALESCE("s_surveys"."a3", 0) AS "numerator",
    NULL AS "denominator",
    CAST(COALESCE("s_surveys"."a3", 0) AS DOUBLE) AS "value"
  FROM "s_surveys"
), "k_promoter_share" AS (
  SELECT
    COALESCE("s_surveys"."a1", 0) AS "numerator",
    COALESCE("s_surveys"."a0", 0) AS "denominator",
    CAST(COALESCE("s_surveys"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_surveys"."a0", 0) AS DOUBLE), 0) AS "value"
  FROM "s_surveys"
), "k_phone_wait_time" AS (
  SELECT
    "s_calls"."a0" AS "numerator",
    NULL AS "denominator",
    CAST("s_calls"."a0" AS DOUBLE) AS "value"
  FROM "s_calls"
), "k_call_answer_rate" AS (
  SELECT
    COALESCE("s_calls"."a1", 0) AS "numerator",
    COALESCE("s_calls"."a2", 0) AS "denominator",
    CAST(COALESCE("s_calls"."a1", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_calls"."a2", 0) AS DOUBLE), 0) AS "value"
  FROM "s_calls"
), "k_call_sla_compliance" AS (
  SELECT
    COALESCE("s_calls"."a3", 0) AS "numerator",
    COALESCE("s_calls"."a2", 0) AS "denominator",
    CAST(COALESCE("s_calls"."a3", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_calls"."a2", 0) AS DOUBLE), 0) AS "value"
  FROM "s_calls"
), "k_calls_per_order" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_calls"."a2" AS "_c0",
      NULL AS "_c1"
    FROM "s_calls"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_orders"."a1" AS "_c1"
    FROM "s_orders"
  ) AS "u"
), "k_emails_per_order" AS (
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
), "k_ticket_to_order_ratio" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_tickets"."a1" AS "_c0",
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
    "s_tickets"."a2" AS "numerator",
    NULL AS "denominator",
    CAST("s_tickets"."a2" AS DOUBLE) AS "value"
  FROM "s_tickets"
), "k_ticket_resolution_time" AS (
  SELECT
    "s_tickets"."a3" AS "numerator",
    NULL AS "denominator",
    CAST("s_tickets"."a3" AS DOUBLE) AS "value"
  FROM "s_tickets"
), "k_ticket_sla_compliance" AS (
  SELECT
    COALESCE("s_tickets"."a4", 0) AS "numerator",
    COALESCE("s_tickets"."a1", 0) AS "denominator",
    CAST(COALESCE("s_tickets"."a4", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_tickets"."a1", 0) AS DOUBLE), 0) AS "value"
  FROM "s_tickets"
), "k_after_sales_dispute_rate" AS (
  SELECT
    COALESCE(MAX("u"."_c0"), 0) AS "numerator",
    COALESCE(MAX("u"."_c1"), 0) AS "denominator",
    CAST(COALESCE(MAX("u"."_c0"), 0) AS DOUBLE) / NULLIF(CAST(COALESCE(MAX("u"."_c1"), 0) AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "s_disputes"."a0" AS "_c0",
      NULL AS "_c1"
    FROM "s_disputes"
    UNION ALL
    SELECT
      NULL AS "_c0",
      "s_orders"."a1" AS "_c1"
    FROM "s_orders"
  ) AS "u"
), "k_late_delivery_rate" AS (
  SELECT
    COALESCE("s_orders"."a8", 0) AS "numerator",
    COALESCE("s_orders"."a9", 0) AS "denominator",
    CAST(COALESCE("s_orders"."a8", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a9", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
), "k_sales_share_by_carrier" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    "m"."denominator" AS "denominator",
    CAST("m"."numerator" AS DOUBLE) / NULLIF(CAST("m"."denominator" AS DOUBLE), 0) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          "i"."item",
          "i"."numerator",
          "t"."denominator"
        FROM (
          SELECT
            carrier AS "item",
            SUM(revenue) AS "numerator"
          FROM orders
          WHERE
            NOT carrier IS NULL
          GROUP BY
            carrier
        ) AS "i"
        CROSS JOIN (
          SELECT
            SUM(revenue) AS "denominator"
          FROM orders
        ) AS "t"
      ) AS "g"
    ) AS "r"
  ) AS "m"
), "k_incident_rate_by_carrier" AS (
  SELECT
    CAST("m"."item" AS VARCHAR) AS "item",
    CAST("m"."rank" AS BIGINT) AS "rank",
    "m"."numerator" AS "numerator",
    NULL AS "denominator",
    CAST("m"."numerator" AS DOUBLE) AS "value"
  FROM (
    SELECT
      "r"."item",
      "r"."rank",
      "r"."numerator",
      "r"."denominator"
    FROM (
      SELECT
        "g"."item",
        "g"."numerator",
        "g"."denominator",
        ROW_NUMBER() OVER (ORDER BY "g"."numerator" DESC NULLS LAST, "g"."item") AS "rank"
      FROM (
        SELECT
          carrier AS "item",
          CAST(COUNT(shipping_incident) AS DOUBLE) / NULLIF(CAST(COUNT(delivered_at) AS DOUBLE), 0) AS "numerator",
          NULL AS "denominator"
        FROM orders
        WHERE
          NOT carrier IS NULL AND NOT delivered_at IS NULL
        GROUP BY
          carrier
      ) AS "g"
    ) AS "r"
    WHERE
      "r"."rank" <= 10
  ) AS "m"
), "k_shipping_incident_rate" AS (
  SELECT
    COALESCE("s_orders"."a10", 0) AS "numerator",
    COALESCE("s_orders"."a9", 0) AS "denominator",
    CAST(COALESCE("s_orders"."a10", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("s_orders"."a9", 0) AS DOUBLE), 0) AS "value"
  FROM "s_orders"
)
SELECT
  0 AS "_ord",
  'suspects' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_suspects"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_suspects"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_suspects"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_suspects"
UNION ALL
SELECT
  1 AS "_ord",
  'leads' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_leads"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_leads"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_leads"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_leads"
UNION ALL
SELECT
  2 AS "_ord",
  'prospects' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_prospects"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_prospects"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_prospects"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_prospects"
UNION ALL
SELECT
  3 AS "_ord",
  'new_customers' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_new_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_new_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_new_customers"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_new_customers"
UNION ALL
SELECT
  4 AS "_ord",
  'signups' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_signups"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_signups"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_signups"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_signups"
UNION ALL
SELECT
  5 AS "_ord",
  'lead_conversion_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_lead_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_lead_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_lead_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_lead_conversion_rate"
UNION ALL
SELECT
  6 AS "_ord",
  'lead_distribution_by_source' AS "kpi",
  "k_lead_distribution_by_source"."item",
  "k_lead_distribution_by_source"."rank",
  CAST("k_lead_distribution_by_source"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_lead_distribution_by_source"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_lead_distribution_by_source"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_lead_distribution_by_source"
UNION ALL
SELECT
  7 AS "_ord",
  'campaign_spend' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_campaign_spend"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_campaign_spend"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_campaign_spend"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_campaign_spend"
UNION ALL
SELECT
  8 AS "_ord",
  'campaign_revenue' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_campaign_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_campaign_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_campaign_revenue"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_campaign_revenue"
UNION ALL
SELECT
  9 AS "_ord",
  'cost_per_lead' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_cost_per_lead"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_cost_per_lead"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_cost_per_lead"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_cost_per_lead"
UNION ALL
SELECT
  10 AS "_ord",
  'click_through_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_click_through_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_click_through_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_click_through_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_click_through_rate"
UNION ALL
SELECT
  11 AS "_ord",
  'search_click_through_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_search_click_through_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_search_click_through_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_search_click_through_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_search_click_through_rate"
UNION ALL
SELECT
  12 AS "_ord",
  'cost_per_click' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_cost_per_click"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_cost_per_click"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_cost_per_click"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_cost_per_click"
UNION ALL
SELECT
  13 AS "_ord",
  'advertising_conversion_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_advertising_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_advertising_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_advertising_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_advertising_conversion_rate"
UNION ALL
SELECT
  14 AS "_ord",
  'roas' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_roas"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_roas"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_roas"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_roas"
UNION ALL
SELECT
  15 AS "_ord",
  'customer_acquisition_cost' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_customer_acquisition_cost"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_customer_acquisition_cost"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_customer_acquisition_cost"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_customer_acquisition_cost"
UNION ALL
SELECT
  16 AS "_ord",
  'unique_visitors' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_unique_visitors"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_unique_visitors"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_unique_visitors"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_unique_visitors"
UNION ALL
SELECT
  17 AS "_ord",
  'sessions' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_sessions"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_sessions"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_sessions"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_sessions"
UNION ALL
SELECT
  18 AS "_ord",
  'new_visitor_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_new_visitor_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_new_visitor_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_new_visitor_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_new_visitor_rate"
UNION ALL
SELECT
  19 AS "_ord",
  'repeat_visits' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_repeat_visits"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_repeat_visits"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_repeat_visits"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_repeat_visits"
UNION ALL
SELECT
  20 AS "_ord",
  'mobile_session_share' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_mobile_session_share"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_mobile_session_share"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_mobile_session_share"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_mobile_session_share"
UNION ALL
SELECT
  21 AS "_ord",
  'mobile_desktop_ratio' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_mobile_desktop_ratio"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_mobile_desktop_ratio"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_mobile_desktop_ratio"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_mobile_desktop_ratio"
UNION ALL
SELECT
  22 AS "_ord",
  'email_opt_in_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_email_opt_in_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_email_opt_in_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_email_opt_in_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_email_opt_in_rate"
UNION ALL
SELECT
  23 AS "_ord",
  'sessions_per_visitor' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_sessions_per_visitor"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_sessions_per_visitor"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_sessions_per_visitor"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_sessions_per_visitor"
UNION ALL
SELECT
  24 AS "_ord",
  'session_duration' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_session_duration"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_session_duration"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_session_duration"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_session_duration"
UNION ALL
SELECT
  25 AS "_ord",
  'pages_per_session' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_pages_per_session"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_pages_per_session"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_pages_per_session"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_pages_per_session"
UNION ALL
SELECT
  26 AS "_ord",
  'bounce_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_bounce_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_bounce_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_bounce_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_bounce_rate"
UNION ALL
SELECT
  27 AS "_ord",
  'add_to_cart_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_add_to_cart_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_add_to_cart_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_add_to_cart_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_add_to_cart_rate"
UNION ALL
SELECT
  28 AS "_ord",
  'searches' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_searches"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_searches"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_searches"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_searches"
UNION ALL
SELECT
  29 AS "_ord",
  'search_effectiveness_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_search_effectiveness_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_search_effectiveness_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_search_effectiveness_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_search_effectiveness_rate"
UNION ALL
SELECT
  30 AS "_ord",
  'zero_result_search_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_zero_result_search_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_zero_result_search_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_zero_result_search_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_zero_result_search_rate"
UNION ALL
SELECT
  31 AS "_ord",
  'top_searched_keywords' AS "kpi",
  "k_top_searched_keywords"."item",
  "k_top_searched_keywords"."rank",
  CAST("k_top_searched_keywords"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_top_searched_keywords"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_top_searched_keywords"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_top_searched_keywords"
UNION ALL
SELECT
  32 AS "_ord",
  'top_zero_result_keywords' AS "kpi",
  "k_top_zero_result_keywords"."item",
  "k_top_zero_result_keywords"."rank",
  CAST("k_top_zero_result_keywords"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_top_zero_result_keywords"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_top_zero_result_keywords"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_top_zero_result_keywords"
UNION ALL
SELECT
  33 AS "_ord",
  'top_exit_pages' AS "kpi",
  "k_top_exit_pages"."item",
  "k_top_exit_pages"."rank",
  CAST("k_top_exit_pages"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_top_exit_pages"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_top_exit_pages"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_top_exit_pages"
UNION ALL
SELECT
  34 AS "_ord",
  'transactions' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_transactions"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_transactions"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_transactions"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_transactions"
UNION ALL
SELECT
  35 AS "_ord",
  'revenue' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_revenue"
UNION ALL
SELECT
  36 AS "_ord",
  'revenue_by_category' AS "kpi",
  "k_revenue_by_category"."item",
  "k_revenue_by_category"."rank",
  CAST("k_revenue_by_category"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue_by_category"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue_by_category"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_revenue_by_category"
UNION ALL
SELECT
  37 AS "_ord",
  'revenue_by_channel' AS "kpi",
  "k_revenue_by_channel"."item",
  "k_revenue_by_channel"."rank",
  CAST("k_revenue_by_channel"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_revenue_by_channel"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_revenue_by_channel"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_revenue_by_channel"
UNION ALL
SELECT
  38 AS "_ord",
  'top_customers_by_revenue' AS "kpi",
  "k_top_customers_by_revenue"."item",
  "k_top_customers_by_revenue"."rank",
  CAST("k_top_customers_by_revenue"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_top_customers_by_revenue"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_top_customers_by_revenue"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_top_customers_by_revenue"
UNION ALL
SELECT
  39 AS "_ord",
  'profit_margin' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_profit_margin"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_profit_margin"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_profit_margin"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_profit_margin"
UNION ALL
SELECT
  40 AS "_ord",
  'profit_margin_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_profit_margin_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_profit_margin_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_profit_margin_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_profit_margin_rate"
UNION ALL
SELECT
  41 AS "_ord",
  'category_margin_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_category_margin_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_category_margin_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_category_margin_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_category_margin_rate"
UNION ALL
SELECT
  42 AS "_ord",
  'quotes_requested' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_quotes_requested"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_quotes_requested"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_quotes_requested"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_quotes_requested"
UNION ALL
SELECT
  43 AS "_ord",
  'quote_conversion_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_quote_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_quote_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_quote_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_quote_conversion_rate"
UNION ALL
SELECT
  44 AS "_ord",
  'conversion_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_conversion_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_conversion_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_conversion_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_conversion_rate"
UNION ALL
SELECT
  45 AS "_ord",
  'cart_abandonment_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_cart_abandonment_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_cart_abandonment_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_cart_abandonment_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_cart_abandonment_rate"
UNION ALL
SELECT
  46 AS "_ord",
  'average_order_value' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_average_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_average_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_average_order_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_average_order_value"
UNION ALL
SELECT
  47 AS "_ord",
  'minimum_order_value' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_minimum_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_minimum_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_minimum_order_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_minimum_order_value"
UNION ALL
SELECT
  48 AS "_ord",
  'median_order_value' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_median_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_median_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_median_order_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_median_order_value"
UNION ALL
SELECT
  49 AS "_ord",
  'maximum_order_value' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_maximum_order_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_maximum_order_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_maximum_order_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_maximum_order_value"
UNION ALL
SELECT
  50 AS "_ord",
  'active_customers' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_active_customers"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_active_customers"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_active_customers"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_active_customers"
UNION ALL
SELECT
  51 AS "_ord",
  'orders_per_active_customer' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_orders_per_active_customer"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_orders_per_active_customer"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_orders_per_active_customer"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_orders_per_active_customer"
UNION ALL
SELECT
  52 AS "_ord",
  'orders_by_hour' AS "kpi",
  "k_orders_by_hour"."item",
  "k_orders_by_hour"."rank",
  CAST("k_orders_by_hour"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_orders_by_hour"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_orders_by_hour"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_orders_by_hour"
UNION ALL
SELECT
  53 AS "_ord",
  'orders_by_weekday' AS "kpi",
  "k_orders_by_weekday"."item",
  "k_orders_by_weekday"."rank",
  CAST("k_orders_by_weekday"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_orders_by_weekday"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_orders_by_weekday"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_orders_by_weekday"
UNION ALL
SELECT
  54 AS "_ord",
  'payment_method_share' AS "kpi",
  "k_payment_method_share"."item",
  "k_payment_method_share"."rank",
  CAST("k_payment_method_share"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_payment_method_share"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_payment_method_share"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_payment_method_share"
UNION ALL
SELECT
  55 AS "_ord",
  'repeat_purchase_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_repeat_purchase_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_repeat_purchase_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_repeat_purchase_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_repeat_purchase_rate"
UNION ALL
SELECT
  56 AS "_ord",
  'customer_retention_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_customer_retention_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_customer_retention_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_customer_retention_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_customer_retention_rate"
UNION ALL
SELECT
  57 AS "_ord",
  'online_retention_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_online_retention_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_online_retention_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_online_retention_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_online_retention_rate"
UNION ALL
SELECT
  58 AS "_ord",
  'churn_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_churn_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_churn_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_churn_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_churn_rate"
UNION ALL
SELECT
  59 AS "_ord",
  'customer_lifetime_value' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_customer_lifetime_value"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_customer_lifetime_value"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_customer_lifetime_value"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_customer_lifetime_value"
UNION ALL
SELECT
  60 AS "_ord",
  'return_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_return_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_return_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_return_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_return_rate"
UNION ALL
SELECT
  61 AS "_ord",
  'refund_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_refund_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_refund_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_refund_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_refund_rate"
UNION ALL
SELECT
  62 AS "_ord",
  'site_speed' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_site_speed"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_site_speed"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_site_speed"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_site_speed"
UNION ALL
SELECT
  63 AS "_ord",
  'nps' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_nps"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_nps"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_nps"."value" AS DOUBLE) AS "value",
  CAST("k_nps"."sample" AS DOUBLE) AS "sample"
FROM "k_nps"
UNION ALL
SELECT
  64 AS "_ord",
  'survey_response_count' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_survey_response_count"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_survey_response_count"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_survey_response_count"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_survey_response_count"
UNION ALL
SELECT
  65 AS "_ord",
  'promoter_share' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_promoter_share"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_promoter_share"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_promoter_share"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_promoter_share"
UNION ALL
SELECT
  66 AS "_ord",
  'phone_wait_time' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_phone_wait_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_phone_wait_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_phone_wait_time"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_phone_wait_time"
UNION ALL
SELECT
  67 AS "_ord",
  'call_answer_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_call_answer_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_call_answer_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_call_answer_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_call_answer_rate"
UNION ALL
SELECT
  68 AS "_ord",
  'call_sla_compliance' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_call_sla_compliance"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_call_sla_compliance"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_call_sla_compliance"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_call_sla_compliance"
UNION ALL
SELECT
  69 AS "_ord",
  'calls_per_order' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_calls_per_order"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_calls_per_order"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_calls_per_order"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_calls_per_order"
UNION ALL
SELECT
  70 AS "_ord",
  'emails_per_order' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_emails_per_order"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_emails_per_order"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_emails_per_order"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_emails_per_order"
UNION ALL
SELECT
  71 AS "_ord",
  'ticket_to_order_ratio' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_ticket_to_order_ratio"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_ticket_to_order_ratio"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_ticket_to_order_ratio"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_ticket_to_order_ratio"
UNION ALL
SELECT
  72 AS "_ord",
  'first_response_time' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_first_response_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_first_response_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_first_response_time"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_first_response_time"
UNION ALL
SELECT
  73 AS "_ord",
  'ticket_resolution_time' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_ticket_resolution_time"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_ticket_resolution_time"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_ticket_resolution_time"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_ticket_resolution_time"
UNION ALL
SELECT
  74 AS "_ord",
  'ticket_sla_compliance' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_ticket_sla_compliance"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_ticket_sla_compliance"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_ticket_sla_compliance"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_ticket_sla_compliance"
UNION ALL
SELECT
  75 AS "_ord",
  'after_sales_dispute_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_after_sales_dispute_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_after_sales_dispute_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_after_sales_dispute_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_after_sales_dispute_rate"
UNION ALL
SELECT
  76 AS "_ord",
  'late_delivery_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_late_delivery_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_late_delivery_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_late_delivery_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_late_delivery_rate"
UNION ALL
SELECT
  77 AS "_ord",
  'sales_share_by_carrier' AS "kpi",
  "k_sales_share_by_carrier"."item",
  "k_sales_share_by_carrier"."rank",
  CAST("k_sales_share_by_carrier"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_sales_share_by_carrier"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_sales_share_by_carrier"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_sales_share_by_carrier"
UNION ALL
SELECT
  78 AS "_ord",
  'incident_rate_by_carrier' AS "kpi",
  "k_incident_rate_by_carrier"."item",
  "k_incident_rate_by_carrier"."rank",
  CAST("k_incident_rate_by_carrier"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_incident_rate_by_carrier"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_incident_rate_by_carrier"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_incident_rate_by_carrier"
UNION ALL
SELECT
  79 AS "_ord",
  'shipping_incident_rate' AS "kpi",
  CAST(NULL AS VARCHAR) AS "item",
  CAST(NULL AS BIGINT) AS "rank",
  CAST("k_shipping_incident_rate"."numerator" AS DOUBLE) AS "numerator",
  CAST("k_shipping_incident_rate"."denominator" AS DOUBLE) AS "denominator",
  CAST("k_shipping_incident_rate"."value" AS DOUBLE) AS "value",
  CAST(NULL AS DOUBLE) AS "sample"
FROM "k_shipping_incident_rate"
ORDER BY
  "_ord",
  "rank"
