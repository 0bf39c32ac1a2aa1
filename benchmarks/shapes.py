"""The query shapes every contender computes: the shipped ``daily`` dashboard per month,
and per (month, channel) and (month, segment) for the KPIs whose sources have that dimension.

This module is the single definition of what is measured; runners import it.
"""

from __future__ import annotations

DAILY = (
    "prospects", "new_customers", "unique_visitors", "session_duration", "bounce_rate", "revenue",
    "profit_margin", "profit_margin_rate", "quote_conversion_rate", "transactions", "conversion_rate",
    "cart_abandonment_rate", "average_order_value", "active_customers", "site_speed", "nps",
    "phone_wait_time", "ticket_resolution_time", "after_sales_dispute_rate", "late_delivery_rate",
)

# leads (prospects) have no channel and calls (phone_wait_time) only a queue.
_NO_CHANNEL = {"prospects", "phone_wait_time"}
# sessions, surveys, calls and tickets have no segment.
_NO_SEGMENT = {
    "unique_visitors", "session_duration", "bounce_rate", "conversion_rate", "site_speed", "nps",
    "phone_wait_time", "ticket_resolution_time",
}

#: shape name -> (grain, slicing dimension or None, KPI names in dashboard order)
SHAPES: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "month": ("month", None, DAILY),
    "month_channel": ("month", "channel", tuple(k for k in DAILY if k not in _NO_CHANNEL)),
    "month_segment": ("month", "segment", tuple(k for k in DAILY if k not in _NO_SEGMENT)),
}
