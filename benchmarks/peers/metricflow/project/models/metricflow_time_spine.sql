-- The day-grain time spine MetricFlow requires in every project (unused by these queries:
-- no metric here joins to the time spine or uses an offset).
select cast(range as date) as date_day
from range(date '2000-01-01', date '2051-01-01', interval 1 day)
