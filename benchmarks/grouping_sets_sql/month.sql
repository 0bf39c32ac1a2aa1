-- The `separate` variant's second statement (benchmarks/grouping_sets.py): the sources,
-- aggregates and KPI formulas of baseline_sql/month_channel.sql, grouped by month only
-- (slice = NULL). Like month.sql without leads and calls (the two sources without a
-- channel): one scan per source with FILTER aggregates, the sources aligned on the month
-- after aggregation (UNION ALL BY NAME + GROUP BY), unpivoted to the long result
-- (kpi, period_start, slice, value).
WITH orders_m AS (
    SELECT CAST(date_trunc('month', ordered_at) AS DATE) AS period_start,
           count(*) AS orders,
           count(*) FILTER (WHERE is_first_order) AS first_orders,
           sum(revenue) AS revenue,
           sum(cost) AS cost,
           count(DISTINCT customer_id) AS customers,
           count(*) FILTER (WHERE delivered_at > promised_at) AS late_orders,
           count(delivered_at) AS delivered_orders
    FROM orders
    GROUP BY ALL
), sessions_m AS (
    SELECT CAST(date_trunc('month', started_at) AS DATE) AS period_start,
           count(*) AS sessions,
           count(DISTINCT visitor_id) AS visitors,
           avg(duration_s) FILTER (WHERE NOT bounced) AS engaged_duration,
           count(*) FILTER (WHERE bounced) AS bounces,
           avg(load_time_s) AS load_time
    FROM sessions
    GROUP BY ALL
), quotes_m AS (
    SELECT CAST(date_trunc('month', requested_at) AS DATE) AS period_start,
           count(*) FILTER (WHERE status = 'won') AS won_quotes,
           count(*) FILTER (WHERE status IN ('won', 'lost')) AS decided_quotes
    FROM quotes
    GROUP BY ALL
), carts_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           count(*) AS carts,
           count(*) FILTER (WHERE NOT ordered) AS abandoned_carts
    FROM carts
    GROUP BY ALL
), surveys_m AS (
    SELECT CAST(date_trunc('month', answered_at) AS DATE) AS period_start,
           count(score) AS answers,
           count(*) FILTER (WHERE score >= 9) AS promoters,
           count(*) FILTER (WHERE score <= 6) AS detractors
    FROM surveys
    GROUP BY ALL
), tickets_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           avg(resolution_s) AS resolution
    FROM tickets
    GROUP BY ALL
), disputes_m AS (
    SELECT CAST(date_trunc('month', opened_at) AS DATE) AS period_start,
           count(*) AS disputes
    FROM disputes
    GROUP BY ALL
), aligned AS (
    SELECT period_start, max(COLUMNS(* EXCLUDE (period_start)))
    FROM (
        FROM orders_m
        UNION ALL BY NAME FROM sessions_m
        UNION ALL BY NAME FROM quotes_m
        UNION ALL BY NAME FROM carts_m
        UNION ALL BY NAME FROM surveys_m
        UNION ALL BY NAME FROM tickets_m
        UNION ALL BY NAME FROM disputes_m
    )
    GROUP BY period_start
), kpis AS (
    SELECT period_start,
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
SELECT kpi, period_start, CAST(NULL AS VARCHAR) AS slice, CAST(value AS DOUBLE) AS value
FROM (UNPIVOT kpis ON COLUMNS(* EXCLUDE (period_start)) INTO NAME kpi VALUE value)
