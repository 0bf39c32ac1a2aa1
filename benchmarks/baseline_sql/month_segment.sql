-- The `daily` dashboard's 12 KPIs whose sources have a segment, per (month, segment),
-- written by hand for DuckDB (sessions, surveys, calls and tickets have no segment).
--
-- One scan per source computes every aggregate the dashboard needs from it (FILTER
-- clauses for the row filters); the sources' rows are then aligned on (month, segment)
-- (UNION ALL BY NAME + GROUP BY, which also groups a NULL segment, e.g. guest carts, as
-- one slice), each KPI is computed from the aligned row (division by zero -> NULL), and
-- the wide row is unpivoted to the long result (kpi, period_start, slice, value). Counts
-- are coalesced to 0 where a ratio across two sources reads them.
WITH leads_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           segment AS slice,
           count(*) FILTER (WHERE stage IN ('prospect', 'customer')) AS prospects
    FROM leads
    GROUP BY ALL
), orders_m AS (
    SELECT CAST(date_trunc('month', ordered_at) AS DATE) AS period_start,
           segment AS slice,
           count(*) AS orders,
           count(*) FILTER (WHERE is_first_order) AS first_orders,
           sum(revenue) AS revenue,
           sum(cost) AS cost,
           count(DISTINCT customer_id) AS customers,
           count(*) FILTER (WHERE delivered_at > promised_at) AS late_orders,
           count(delivered_at) AS delivered_orders
    FROM orders
    GROUP BY ALL
), quotes_m AS (
    SELECT CAST(date_trunc('month', requested_at) AS DATE) AS period_start,
           segment AS slice,
           count(*) FILTER (WHERE status = 'won') AS won_quotes,
           count(*) FILTER (WHERE status IN ('won', 'lost')) AS decided_quotes
    FROM quotes
    GROUP BY ALL
), carts_m AS (
    SELECT CAST(date_trunc('month', created_at) AS DATE) AS period_start,
           segment AS slice,
           count(*) AS carts,
           count(*) FILTER (WHERE NOT ordered) AS abandoned_carts
    FROM carts
    GROUP BY ALL
), disputes_m AS (
    SELECT CAST(date_trunc('month', opened_at) AS DATE) AS period_start,
           segment AS slice,
           count(*) AS disputes
    FROM disputes
    GROUP BY ALL
), aligned AS (
    SELECT period_start, slice, max(COLUMNS(* EXCLUDE (period_start, slice)))
    FROM (
        FROM leads_m
        UNION ALL BY NAME FROM orders_m
        UNION ALL BY NAME FROM quotes_m
        UNION ALL BY NAME FROM carts_m
        UNION ALL BY NAME FROM disputes_m
    )
    GROUP BY period_start, slice
), kpis AS (
    SELECT period_start,
           slice,
           CAST(prospects AS DOUBLE) AS prospects,
           CAST(first_orders AS DOUBLE) AS new_customers,
           revenue,
           revenue - cost AS profit_margin,
           (revenue - cost) / nullif(revenue, 0) AS profit_margin_rate,
           won_quotes / nullif(decided_quotes, 0) AS quote_conversion_rate,
           CAST(orders AS DOUBLE) AS transactions,
           abandoned_carts / nullif(carts, 0) AS cart_abandonment_rate,
           revenue / nullif(orders, 0) AS average_order_value,
           CAST(customers AS DOUBLE) AS active_customers,
           coalesce(disputes, 0) / nullif(orders, 0) AS after_sales_dispute_rate,
           late_orders / nullif(delivered_orders, 0) AS late_delivery_rate
    FROM aligned
)
SELECT kpi, period_start, CAST(slice AS VARCHAR) AS slice, CAST(value AS DOUBLE) AS value
FROM (UNPIVOT kpis ON COLUMNS(* EXCLUDE (period_start, slice)) INTO NAME kpi VALUE value)
