-- The `grouping_sets` variant (benchmarks/grouping_sets.py): both shapes of
-- baseline_sql/month_channel.sql's 18 KPIs, per month and per (month, channel), in one
-- statement with one scan per source.
--
-- Each source CTE has month_channel.sql's aggregates, grouped by
-- GROUPING SETS ((period_start), (period_start, channel)): g = GROUPING(channel) is 1 on
-- the month rows (slice NULL) and 0 on the (month, channel) rows, so a NULL channel stays
-- a slice of its own. Distinct counts are computed per grouping set, not added up across
-- channels. The sources' rows are aligned on (period_start, slice, g) (UNION ALL BY NAME +
-- GROUP BY), the KPI formulas are month_channel.sql's, and the wide row is unpivoted to
-- (kpi, period_start, slice, level, value), level 'month' or 'month_channel'.
WITH orders_m AS (
    SELECT CAST(date_trunc('month', ordered_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(*) AS orders,
           count(*) FILTER (WHERE is_first_order) AS first_orders,
           sum(revenue) AS revenue,
           sum(cost) AS cost,
           count(DISTINCT customer_id) AS customers,
           count(*) FILTER (WHERE delivered_at > promised_at) AS late_orders,
           count(delivered_at) AS delivered_orders
    FROM orders
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), sessions_m AS (
    SELECT CAST(date_trunc('month', started_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(*) AS sessions,
           count(DISTINCT visitor_id) AS visitors,
           avg(duration_s) FILTER (WHERE NOT bounced) AS engaged_duration,
           count(*) FILTER (WHERE bounced) AS bounces,
           avg(load_time_s) AS load_time
    FROM sessions
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), quotes_m AS (
    SELECT CAST(date_trunc('month', requested_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(*) FILTER (WHERE status = 'won') AS won_quotes,
           count(*) FILTER (WHERE status IN ('won', 'lost')) AS decided_quotes
    FROM quotes
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), carts_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(*) AS carts,
           count(*) FILTER (WHERE NOT ordered) AS abandoned_carts
    FROM carts
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), surveys_m AS (
    SELECT CAST(date_trunc('month', answered_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(score) AS answers,
           count(*) FILTER (WHERE score >= 9) AS promoters,
           count(*) FILTER (WHERE score <= 6) AS detractors
    FROM surveys
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), tickets_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           avg(resolution_s) AS resolution
    FROM tickets
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), disputes_m AS (
    SELECT CAST(date_trunc('month', opened_at) AS DATE) AS period_start,
           channel AS slice,
           GROUPING(channel) AS g,
           count(*) AS disputes
    FROM disputes
    GROUP BY GROUPING SETS ((period_start), (period_start, channel))
), aligned AS (
    SELECT period_start, slice, g, max(COLUMNS(* EXCLUDE (period_start, slice, g)))
    FROM (
        FROM orders_m
        UNION ALL BY NAME FROM sessions_m
        UNION ALL BY NAME FROM quotes_m
        UNION ALL BY NAME FROM carts_m
        UNION ALL BY NAME FROM surveys_m
        UNION ALL BY NAME FROM tickets_m
        UNION ALL BY NAME FROM disputes_m
    )
    GROUP BY period_start, slice, g
), kpis AS (
    SELECT period_start,
           slice,
           g,
           CAST(first_orders AS DOUBLE) AS new_customers,
           CAST(visitors AS DOUBLE) AS unique_visitors,
           engaged_duration AS session_duration,
           bounces / nullif(sessions, 0) AS bounce_rate,
           revenue,
           revenue - cost AS profit_margin,
           (revenue - cost) / nullif(revenue, 0) AS profit_margin_rate,
           won_quotes / nullif(decided_quotes, 0) AS quote_conversion_rate,
           CAST(orders AS DOUBLE) AS transactions,
           coalesce(orders, 0) / nullif(sessions, 0) AS conversion_rate,
           abandoned_carts / nullif(carts, 0) AS cart_abandonment_rate,
           revenue / nullif(orders, 0) AS average_order_value,
           CAST(customers AS DOUBLE) AS active_customers,
           load_time AS site_speed,
           100.0 * (promoters - detractors) / nullif(answers, 0) AS nps,
           resolution AS ticket_resolution_time,
           coalesce(disputes, 0) / nullif(orders, 0) AS after_sales_dispute_rate,
           late_orders / nullif(delivered_orders, 0) AS late_delivery_rate
    FROM aligned
)
SELECT kpi,
       period_start,
       CAST(slice AS VARCHAR) AS slice,
       CASE g WHEN 1 THEN 'month' ELSE 'month_channel' END AS level,
       CAST(value AS DOUBLE) AS value
FROM (UNPIVOT kpis ON COLUMNS(* EXCLUDE (period_start, slice, g)) INTO NAME kpi VALUE value)
