"""Deterministic, seeded generator of a B2B commerce demo dataset.

`generate_tables` simulates a mid-sized B2B web shop (office supplies, IT hardware,
furniture, ...) day by day: visitors arrive with weekday, hour and seasonal patterns,
some of them return, log in as customer accounts, put things in a cart and order;
key accounts also order through quotes or offline. Orders are shipped, some late,
customers open support tickets, and some answer a satisfaction survey (0-10, NPS)
after the delivery. These eight core tables come from this module.

Around them, modules beside it add what a shop's other systems would record, built
from the finished core tables so that every reference points at a real row:

- `aftersales`: shipping incidents on orders, returns, disputes and service calls;
- `web`: each session's entry and exit page and page speed, site searches during
  the visits, and newsletter opt-ins;
- `marketing`: daily ad-platform rows per campaign (with the orders each platform
  claims) and the B2B lead funnel.

There is no wall clock, and the only randomness is seeded ``random.Random`` streams:
one ``random.Random(seed)`` for the core tables, drawn in a fixed order (surveys come
last), and one stream per later table or column derived from the seed and a label
(`_shared.stream`). So the same arguments always give identical tables, and adding or
changing a later table never moves a value of any other table. Everything is built as
plain Python lists and converted once to Arrow with the explicit schemas of `SCHEMAS`.

Internally every timestamp is an int number of seconds since 1970-01-01 (naive, no
time zone); the tables carry them as ``timestamp[us]``. Money is computed in integer
cents, so the revenue of an order is exactly the sum of its lines, and a refund or a
claim is never more than the order's revenue. Like tickets and surveys, follow-ups
of an order happen only inside the simulated period.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from . import aftersales, marketing, web
from ._shared import (
    DAY,
    EPOCH,
    HOUR,
    MONTH_MOOD,
    SEASON,
    WEEKDAY,
    Draws,
    Period,
    Picker,
    add_business_days,
    add_months,
    hour_table,
    poisson,
    stream,
)

__all__ = ["CATEGORIES", "CHANNELS", "SCHEMAS", "generate_tables"]

SEGMENTS = ("smb", "mid_market", "enterprise")
CHANNELS = ("organic", "paid_search", "email", "direct", "referral")
DEVICES = ("desktop", "mobile", "tablet")
PAYMENT_METHODS = ("card", "invoice", "bank_transfer", "paypal")
CARRIERS = ("dhl", "ups", "fedex", "dpd")
TICKET_CHANNELS = ("email", "phone", "chat")
TICKET_TOPICS = ("delivery", "billing", "product", "returns", "account")
QUOTE_STATUSES = ("open", "won", "lost")

_TS = pa.timestamp("us")

SCHEMAS: Mapping[str, pa.Schema] = {
    "customers": pa.schema(
        [
            ("customer_id", pa.int64()),
            ("created_at", _TS),
            ("segment", pa.string()),
            ("country", pa.string()),
            ("acquisition_channel", pa.string()),
        ]
    ),
    "sessions": pa.schema(
        [
            ("session_id", pa.int64()),
            ("visitor_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("started_at", _TS),
            ("channel", pa.string()),
            ("device", pa.string()),
            ("pages", pa.int64()),
            ("duration_s", pa.float64()),
            ("bounced", pa.bool_()),
            ("is_new_visitor", pa.bool_()),
            ("landing_page", pa.string()),
            ("exit_page", pa.string()),
            ("load_time_s", pa.float64()),
        ]
    ),
    "carts": pa.schema(
        [
            ("cart_id", pa.int64()),
            ("session_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("created_at", _TS),
            ("channel", pa.string()),
            ("device", pa.string()),
            ("segment", pa.string()),
            ("ordered", pa.bool_()),
        ]
    ),
    "orders": pa.schema(
        [
            ("order_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("cart_id", pa.int64()),
            ("quote_id", pa.int64()),
            ("ordered_at", _TS),
            ("channel", pa.string()),
            ("segment", pa.string()),
            ("payment_method", pa.string()),
            ("carrier", pa.string()),
            ("revenue", pa.float64()),
            ("cost", pa.float64()),
            ("promised_at", _TS),
            ("delivered_at", _TS),
            ("is_first_order", pa.bool_()),
            ("shipping_incident", pa.string()),
        ]
    ),
    "order_lines": pa.schema(
        [
            ("order_id", pa.int64()),
            ("line_no", pa.int64()),
            ("ordered_at", _TS),
            ("category", pa.string()),
            ("quantity", pa.int64()),
            ("unit_price", pa.float64()),
            ("revenue", pa.float64()),
            ("cost", pa.float64()),
            ("channel", pa.string()),
            ("segment", pa.string()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("quote_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("requested_at", _TS),
            ("channel", pa.string()),
            ("segment", pa.string()),
            ("status", pa.string()),
            ("order_id", pa.int64()),
        ]
    ),
    "tickets": pa.schema(
        [
            ("ticket_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("order_id", pa.int64()),
            ("created_at", _TS),
            ("channel", pa.string()),
            ("topic", pa.string()),
            ("first_response_s", pa.float64()),
            ("resolved_at", _TS),
            ("resolution_s", pa.float64()),
        ]
    ),
    "surveys": pa.schema(
        [
            ("survey_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("order_id", pa.int64()),
            ("answered_at", _TS),
            ("channel", pa.string()),
            ("score", pa.int64()),
            ("comment_length", pa.int64()),
        ]
    ),
    "campaigns": pa.schema(
        [
            ("campaign_id", pa.int64()),
            ("campaign", pa.string()),
            ("day", _TS),
            ("channel", pa.string()),
            ("network", pa.string()),
            ("impressions", pa.int64()),
            ("clicks", pa.int64()),
            ("spend", pa.float64()),
            ("conversions", pa.int64()),
            ("conversion_revenue", pa.float64()),
        ]
    ),
    "leads": pa.schema(
        [
            ("lead_id", pa.int64()),
            ("created_at", _TS),
            ("source", pa.string()),
            ("segment", pa.string()),
            ("stage", pa.string()),
            ("qualified_at", _TS),
            ("opportunity_at", _TS),
            ("won_at", _TS),
            ("customer_id", pa.int64()),
        ]
    ),
    "searches": pa.schema(
        [
            ("search_id", pa.int64()),
            ("session_id", pa.int64()),
            ("visitor_id", pa.int64()),
            ("searched_at", _TS),
            ("query", pa.string()),
            ("results", pa.int64()),
            ("clicked", pa.bool_()),
            ("channel", pa.string()),
            ("device", pa.string()),
        ]
    ),
    "calls": pa.schema(
        [
            ("call_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("order_id", pa.int64()),
            ("started_at", _TS),
            ("queue", pa.string()),
            ("wait_s", pa.float64()),
            ("answered", pa.bool_()),
            ("talk_s", pa.float64()),
        ]
    ),
    "email_optins": pa.schema(
        [
            ("optin_id", pa.int64()),
            ("visitor_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("subscribed_at", _TS),
            ("source", pa.string()),
            ("channel", pa.string()),
            ("device", pa.string()),
        ]
    ),
    "returns": pa.schema(
        [
            ("return_id", pa.int64()),
            ("order_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("requested_at", _TS),
            ("reason", pa.string()),
            ("status", pa.string()),
            ("refund_amount", pa.float64()),
            ("refunded_at", _TS),
            ("channel", pa.string()),
            ("segment", pa.string()),
            ("carrier", pa.string()),
        ]
    ),
    "disputes": pa.schema(
        [
            ("dispute_id", pa.int64()),
            ("order_id", pa.int64()),
            ("customer_id", pa.int64()),
            ("opened_at", _TS),
            ("reason", pa.string()),
            ("amount", pa.float64()),
            ("outcome", pa.string()),
            ("resolved_at", _TS),
            ("channel", pa.string()),
            ("segment", pa.string()),
            ("carrier", pa.string()),
        ]
    ),
}

# --- the shop's parameters ----------------------------------------------------------

# The calendar (SEASON, WEEKDAY, MONTH_MOOD) lives in `_shared`, so that tables built in
# other modules follow the same seasons.
SESSIONS_PER_MONTH = 7600  # at scale 1.0, before seasonality and growth
MONTHLY_GROWTH = 1.012
_HOURS_WORKDAY = (0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.4, 3.4, 7.0, 9.0, 9.5, 9.0,
                  7.2, 8.0, 8.6, 8.0, 6.4, 4.4, 3.0, 2.5, 2.1, 1.6, 1.0, 0.5)
_HOURS_WEEKEND = (0.5, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 2.4, 3.5, 4.2, 4.4,
                  4.2, 4.0, 4.0, 3.8, 3.6, 3.4, 3.4, 3.6, 3.4, 2.6, 1.6, 0.9)

_NEW_VISITOR_CHANNEL = {"organic": 42, "paid_search": 28, "referral": 14, "direct": 10, "email": 6}
_RETURNING_CHANNEL = {"organic": 40, "direct": 25, "paid_search": 15, "referral": 12, "email": 8}
_CUSTOMER_CHANNEL = {"direct": 38, "email": 25, "organic": 25, "paid_search": 7, "referral": 5}
_VISITOR_DEVICE = {"desktop": 59, "mobile": 33, "tablet": 8}
_CUSTOMER_DEVICE = {"desktop": 76, "mobile": 19, "tablet": 5}
_BOUNCE_CHANNEL = {"organic": 0.42, "paid_search": 0.53, "email": 0.30, "direct": 0.33, "referral": 0.41}
_BOUNCE_DEVICE = {"desktop": -0.04, "mobile": 0.09, "tablet": 0.04}
_CART_CHANNEL = {"organic": 1.0, "paid_search": 0.85, "email": 1.2, "direct": 1.1, "referral": 0.95}
_ORDER_CHANNEL = {"organic": 1.0, "paid_search": 0.8, "email": 1.15, "direct": 1.1, "referral": 0.95}
_CART_DEVICE = {"desktop": 1.05, "mobile": 0.75, "tablet": 0.9}
_ORDER_DEVICE = {"desktop": 1.05, "mobile": 0.78, "tablet": 0.9}

_NEW_CUSTOMER_SEGMENT = {"smb": 66, "mid_market": 26, "enterprise": 8}
_EXISTING_CUSTOMER_SEGMENT = {"smb": 55, "mid_market": 30, "enterprise": 15}
_SEGMENT_PICK_WEIGHT = {"smb": 1, "mid_market": 2, "enterprise": 4}  # how often accounts come back
_SEGMENT_USERS = {"smb": (1, 1), "mid_market": (1, 2), "enterprise": (2, 4)}
_COUNTRY = {"DE": 35, "FR": 12, "NL": 10, "AT": 8, "PL": 8, "IT": 8, "ES": 7, "CH": 6, "BE": 6}
_ACQUISITION = {"organic": 30, "paid_search": 18, "referral": 14, "direct": 12, "email": 6, "sales": 20}
_QUOTE_CHANNEL = {"email": 40, "direct": 38, "organic": 10, "referral": 7, "paid_search": 5}
_QUOTE_SEGMENT = {"smb": 1, "mid_market": 3, "enterprise": 8}  # who asks for quotes
_QUOTE_WIN = {"smb": 0.25, "mid_market": 0.31, "enterprise": 0.35}
_PAYMENT = {
    "smb": {"card": 42, "invoice": 30, "paypal": 16, "bank_transfer": 12},
    "mid_market": {"invoice": 55, "card": 22, "bank_transfer": 16, "paypal": 7},
    "enterprise": {"invoice": 76, "bank_transfer": 19, "card": 5},
}
_CARRIER = {"dhl": 40, "ups": 25, "dpd": 20, "fedex": 15}
# carrier -> (min, max) promised business days, base late probability (dpd clearly worse)
_CARRIER_SERVICE = {"dhl": (2, 3, 0.030), "ups": (2, 3, 0.035), "fedex": (2, 4, 0.040),
                    "dpd": (3, 5, 0.130)}
_TICKET_CHANNEL = {"email": 50, "chat": 30, "phone": 20}
_ORDER_TICKET_TOPIC = {"billing": 30, "product": 30, "returns": 25, "delivery": 15}
_LOOSE_TICKET_TOPIC = {"account": 50, "billing": 35, "product": 15}

# Satisfaction surveys (0-10, "how likely are you to recommend us"), sent after delivery.
_SURVEY_RESPONSE = 0.26  # share of delivered orders whose survey is answered
_SURVEY_RELATIONSHIP = 0.03  # share answering the account-level survey instead (no order_id)
# calendar month -> (promoter share, detractor share) after an on-time delivery: steady
# in spring, worse in the busy, late-prone fourth quarter
_SURVEY_MOOD = {
    1: (0.50, 0.21), 2: (0.55, 0.18), 3: (0.58, 0.15), 4: (0.59, 0.15),
    5: (0.57, 0.16), 6: (0.55, 0.17), 7: (0.53, 0.18), 8: (0.54, 0.19),
    9: (0.57, 0.16), 10: (0.52, 0.20), 11: (0.49, 0.22), 12: (0.46, 0.24),
}
_SURVEY_LATE = (0.45, 0.30)  # late delivery: promoter share times 0.45, detractor share plus 0.30
_DETRACTOR_SCORE = {0: 4, 1: 2, 2: 4, 3: 6, 4: 9, 5: 15, 6: 20}
_COMMENT = {"promoter": (0.25, 90.0), "passive": (0.20, 110.0), "detractor": (0.60, 240.0)}  # p, median chars

# category -> (weight smb, mid_market, enterprise), median unit price, quantity median, margin
CATEGORIES: Mapping[str, tuple[tuple[int, int, int], float, float, float]] = {
    "office_supplies": ((30, 22, 16), 11.0, 12.0, 0.43),
    "it_hardware": ((10, 16, 22), 340.0, 1.5, 0.22),
    "furniture": ((6, 9, 11), 240.0, 1.5, 0.41),
    "packaging": ((12, 14, 13), 32.0, 8.0, 0.36),
    "cleaning": ((12, 11, 10), 16.0, 8.0, 0.47),
    "safety": ((8, 10, 11), 42.0, 5.0, 0.49),
    "catering": ((14, 10, 8), 8.5, 14.0, 0.32),
    "printing": ((8, 8, 9), 55.0, 3.0, 0.53),
}
# how often a category is browsed: its order weight summed over the segments
_CATEGORY_POPULARITY = {name: float(sum(spec[0])) for name, spec in CATEGORIES.items()}
_SEGMENT_LINES = {"smb": 1.0, "mid_market": 1.7, "enterprise": 2.6}  # mean extra lines
_SEGMENT_QTY = {"smb": 0.55, "mid_market": 1.1, "enterprise": 2.4}
_SEGMENT_MARGIN = {"smb": 0.02, "mid_market": -0.01, "enterprise": -0.04}

#: The demo's first day and length: its data ends just before :data:`END`.
START = datetime.date(2025, 11, 1)
MONTHS = 12
END = datetime.date(START.year + (START.month - 1 + MONTHS) // 12, (START.month - 1 + MONTHS) % 12 + 1, 1)


def generate_tables(
    *,
    seed: int = 20261123,
    months: int = MONTHS,
    start: datetime.date = START,
    scale: float = 1.0,
) -> dict[str, pa.Table]:
    """Generate the demo tables.

    Args:
        seed: seed of the main `random.Random` and of the streams derived from it; same
            arguments, same tables.
        months: length of the simulated period, in calendar months from `start`.
        start: first simulated day; the data ends just before `start + months`.
        scale: traffic multiplier; 1.0 gives about 8,000 sessions a month.

    Returns:
        ``{name: pyarrow.Table}`` for every table in `SCHEMAS` (customers, sessions, carts,
        orders, order_lines, quotes, tickets, surveys, campaigns, leads, searches, calls,
        email_optins, returns, disputes), with those schemas.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    if not scale > 0:
        raise ValueError("scale must be positive")
    if isinstance(start, datetime.datetime):
        start = start.date()
    return _Simulation(seed, months, start, float(scale)).run()


class _Simulation:
    def __init__(self, seed: int, months: int, start: datetime.date, scale: float) -> None:
        self.seed = seed
        rng = random.Random(seed)
        self.rng = rng
        self.draws = Draws(rng)
        self.months = months
        self.start = start
        self.scale = scale
        self.end = add_months(start, months)
        self.start_day = (start - EPOCH).days
        self.end_day = (self.end - EPOCH).days
        self.end_ts = self.end_day * DAY
        self.period = Period(self.start_day, self.end_day, scale)

        # customers (index = customer_id - 1)
        self.c_created: list[int] = []
        self.c_segment: list[str] = []
        self.c_country: list[str] = []
        self.c_acquisition: list[str] = []
        self.c_visitors: list[list[int]] = []
        self.c_pick_pool: list[int] = []  # customer indexes, repeated by segment weight
        self.c_quote_pool: list[int] = []
        self.ordered_before: set[int] = set()  # customers with orders before `start`
        self.visitor_customer: dict[int, int] = {}
        self.next_visitor = 1

        self.p_country = Picker(_COUNTRY)
        self.p_acquisition = Picker(_ACQUISITION)
        self.p_new_segment = Picker(_NEW_CUSTOMER_SEGMENT)

    # -- customers --------------------------------------------------------------------

    def _new_visitor(self) -> int:
        vid = self.next_visitor
        self.next_visitor += 1
        return vid

    def _new_customer(self, created_ts: int, segment: str, acquisition: str) -> int:
        rnd = self.rng.random
        idx = len(self.c_created)
        self.c_created.append(created_ts)
        self.c_segment.append(segment)
        self.c_country.append(self.p_country.table[int(rnd() * self.p_country.size)])
        self.c_acquisition.append(acquisition)
        self.c_visitors.append([])
        self.c_pick_pool.extend([idx] * _SEGMENT_PICK_WEIGHT[segment])
        self.c_quote_pool.extend([idx] * _QUOTE_SEGMENT[segment])
        return idx

    def _seed_existing(self) -> list[int]:
        """Accounts and anonymous visitors that existed before the simulated period."""
        rnd = self.rng.random
        p_segment = Picker(_EXISTING_CUSTOMER_SEGMENT)
        count = max(20, round(1500 * self.scale))
        first = (self.start_day - 3 * 365) * DAY
        span = 3 * 365 * DAY
        for created in sorted(first + int(rnd() * span) for _ in range(count)):
            segment = p_segment.table[int(rnd() * p_segment.size)]
            idx = self._new_customer(
                created, segment, self.p_acquisition.table[int(rnd() * self.p_acquisition.size)]
            )
            low, high = _SEGMENT_USERS[segment]
            for _ in range(self.draws.randint(low, high)):
                vid = self._new_visitor()
                self.c_visitors[idx].append(vid)
                self.visitor_customer[vid] = idx
            if rnd() < 0.82:
                self.ordered_before.add(idx)
        return [self._new_visitor() for _ in range(max(50, round(3500 * self.scale)))]

    # -- the simulation ---------------------------------------------------------------

    def run(self) -> dict[str, pa.Table]:
        draws = self.draws
        rnd = draws.random
        gauss = draws.gauss
        lognorm = draws.lognorm
        expo = draws.expo

        anon_all = self._seed_existing()
        anon_recent = list(anon_all)  # visitor per anonymous session: frequent visitors recur
        recent_customers: list[int] = []
        visitor_customer = self.visitor_customer
        c_visitors = self.c_visitors
        c_segment = self.c_segment
        end_ts = self.end_ts

        p_new_channel = Picker(_NEW_VISITOR_CHANNEL)
        p_ret_channel = Picker(_RETURNING_CHANNEL)
        p_cust_channel = Picker(_CUSTOMER_CHANNEL)
        p_vis_device = Picker(_VISITOR_DEVICE)
        p_cust_device = Picker(_CUSTOMER_DEVICE)
        p_quote_channel = Picker(_QUOTE_CHANNEL)
        hours_workday = hour_table(_HOURS_WORKDAY)
        hours_weekend = hour_table(_HOURS_WEEKEND)
        n_hours = len(hours_workday)
        mean_weekday = sum(WEEKDAY) / 7
        daily_base = SESSIONS_PER_MONTH * 12 / 365.25 * self.scale

        s_id: list[int] = []
        s_visitor: list[int] = []
        s_customer: list[int | None] = []
        s_started: list[int] = []
        s_channel: list[str] = []
        s_device: list[str] = []
        s_pages: list[int] = []
        s_duration: list[float] = []
        s_bounced: list[bool] = []
        s_new: list[bool] = []

        k_session: list[int] = []
        k_customer: list[int | None] = []
        k_created: list[int] = []
        k_channel: list[str] = []
        k_device: list[str] = []
        k_ordered: list[bool] = []

        # order drafts: (ordered_ts, seq, customer index, cart_id, quote index, channel, qty factor)
        drafts: list[tuple[int, int, int, int | None, int | None, str, float]] = []
        q_customer: list[int] = []
        q_requested: list[int] = []
        q_channel: list[str] = []
        q_status: list[str] = []
        loose_tickets: list[tuple[int, int]] = []  # (created_ts, customer index)

        month_offset = 0
        current_month = self.start.month
        for day_number in range(self.start_day, self.end_day):
            day = EPOCH + datetime.timedelta(days=day_number)
            if day.month != current_month:
                current_month = day.month
                month_offset += 1
            weekday = day.weekday()
            new_share, bounce_shift, order_mood, _, _, _ = MONTH_MOOD[day.month]
            holiday = 0.45 if (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1) else 1.0
            expected = (daily_base * SEASON[day.month] * MONTHLY_GROWTH**month_offset
                        * WEEKDAY[weekday] / mean_weekday * holiday)
            n_sessions = max(0, round(expected * gauss(1.0, 0.07)))
            hours = hours_workday if weekday < 5 else hours_weekend
            day_ts = day_number * DAY
            times = sorted(day_ts + hours[int(rnd() * n_hours)] * HOUR + int(rnd() * HOUR)
                           for _ in range(n_sessions))
            pool_size = len(self.c_pick_pool)  # accounts that existed when the day began
            quote_pool_size = len(self.c_quote_pool)
            customer_share = 0.34
            anon_window = max(100, round(3000 * self.scale))
            customer_window = max(50, round(1500 * self.scale))

            for ts in times:
                u = rnd()
                if u < new_share:
                    vid = self._new_visitor()
                    anon_all.append(vid)
                    cidx = None
                    is_new = True
                elif u < new_share + customer_share:
                    n_recent = len(recent_customers)
                    if n_recent and rnd() < 0.6:
                        cidx = recent_customers[
                            n_recent - 1 - int(rnd() * min(n_recent, customer_window))]
                    else:
                        cidx = self.c_pick_pool[int(rnd() * pool_size)]
                    users = c_visitors[cidx]
                    if not users or rnd() < 0.02:  # a colleague's first visit
                        vid = self._new_visitor()
                        users.append(vid)
                        visitor_customer[vid] = cidx
                        is_new = True
                    else:
                        vid = users[int(rnd() * len(users))]
                        is_new = False
                else:
                    if rnd() < 0.8:
                        n_recent = len(anon_recent)
                        vid = anon_recent[n_recent - 1 - int(rnd() * min(n_recent, anon_window))]
                    else:
                        vid = anon_all[int(rnd() * len(anon_all))]
                    cidx = visitor_customer.get(vid)
                    is_new = False

                known = cidx is not None
                if known:
                    channel = p_cust_channel.table[int(rnd() * p_cust_channel.size)]
                    device = p_cust_device.table[int(rnd() * p_cust_device.size)]
                elif is_new:
                    channel = p_new_channel.table[int(rnd() * p_new_channel.size)]
                    device = p_vis_device.table[int(rnd() * p_vis_device.size)]
                else:
                    channel = p_ret_channel.table[int(rnd() * p_ret_channel.size)]
                    device = p_vis_device.table[int(rnd() * p_vis_device.size)]

                p_bounce = (_BOUNCE_CHANNEL[channel] + _BOUNCE_DEVICE[device] + bounce_shift
                            - (0.12 if known else 0.0) + (0.04 if is_new else 0.0))
                session_id = len(s_id) + 1
                if rnd() < p_bounce:
                    bounced = True
                    pages = 1
                    duration = 0.0
                else:
                    bounced = False
                    pages = 2 + int(expo(0.3))
                    duration = round(pages * lognorm(3.7, 0.55), 1)
                    if not known and rnd() < 0.006:  # registers an account without buying
                        cidx = self._new_customer(
                            ts, self.p_new_segment.table[int(rnd() * self.p_new_segment.size)], channel)
                        c_visitors[cidx].append(vid)
                        visitor_customer[vid] = cidx
                        known = True
                    p_cart = (0.215 if known else 0.10) * _CART_CHANNEL[channel] * _CART_DEVICE[device]
                    if rnd() < p_cart:
                        cart_id = len(k_session) + 1
                        cart_ts = ts + int(rnd() * duration)
                        p_order = ((0.385 if known else 0.18) * _ORDER_CHANNEL[channel]
                                   * _ORDER_DEVICE[device] * order_mood)
                        ordered = False
                        if rnd() < p_order:
                            if rnd() < 0.68:  # checked out right away
                                order_ts = cart_ts + 60 + int(rnd() * 1200)
                            else:  # waited for an approval
                                order_ts = cart_ts + int(min(expo(1 / 20.0), 120.0) * HOUR) + 300
                            if order_ts < end_ts:
                                ordered = True
                                if not known:  # guest checkout creates the account
                                    cidx = self._new_customer(
                                        ts,
                                        self.p_new_segment.table[int(rnd() * self.p_new_segment.size)],
                                        channel,
                                    )
                                    c_visitors[cidx].append(vid)
                                    visitor_customer[vid] = cidx
                                    known = True
                                drafts.append((order_ts, len(drafts), cidx, cart_id, None, channel, 1.0))
                        k_session.append(session_id)
                        k_customer.append(cidx)
                        k_created.append(cart_ts)
                        k_channel.append(channel)
                        k_device.append(device)
                        k_ordered.append(ordered)

                s_id.append(session_id)
                s_visitor.append(vid)
                s_customer.append(cidx)
                s_started.append(ts)
                s_channel.append(channel)
                s_device.append(device)
                s_pages.append(pages)
                s_duration.append(duration)
                s_bounced.append(bounced)
                s_new.append(is_new)
                if known:
                    recent_customers.append(cidx)
                else:
                    anon_recent.append(vid)

            # key accounts ask for quotes and order offline (phone, EDI) on working days
            if weekday < 5 and pool_size:
                quote_pool = self.c_quote_pool
                lam = 3.6 * self.scale * SEASON[day.month] * (0.5 if holiday < 1 else 1.0)
                quote_times = sorted(day_ts + (8 + int(rnd() * 10)) * HOUR + int(rnd() * HOUR)
                                     for _ in range(poisson(rnd, lam)))
                for ts in quote_times:
                    cidx = quote_pool[int(rnd() * quote_pool_size)]
                    channel = p_quote_channel.table[int(rnd() * p_quote_channel.size)]
                    decided = ts + int((2 + rnd() * 26) * DAY)
                    qidx = len(q_customer)
                    if decided >= end_ts:
                        status = "open"
                    elif rnd() < _QUOTE_WIN[c_segment[cidx]] * order_mood:
                        status = "won"
                        drafts.append((decided, len(drafts), cidx, None, qidx, channel, 1.8))
                    else:
                        status = "lost"
                    q_customer.append(cidx)
                    q_requested.append(ts)
                    q_channel.append(channel)
                    q_status.append(status)
                for _ in range(poisson(rnd, 0.35 * self.scale * order_mood)):
                    cidx = self.c_pick_pool[int(rnd() * pool_size)]
                    ts = day_ts + (8 + int(rnd() * 9)) * HOUR + int(rnd() * HOUR)
                    drafts.append((ts, len(drafts), cidx, None, None, "direct", 1.3))
            if pool_size:
                for _ in range(poisson(rnd, n_sessions * 0.0015)):
                    ts = day_ts + (7 + int(rnd() * 12)) * HOUR + int(rnd() * HOUR)
                    loose_tickets.append((ts, self.c_pick_pool[int(rnd() * pool_size)]))

        tables = {
            "sessions": {
                "session_id": s_id,
                "visitor_id": s_visitor,
                "customer_id": [None if c is None else c + 1 for c in s_customer],
                "started_at": s_started,
                "channel": s_channel,
                "device": s_device,
                "pages": s_pages,
                "duration_s": s_duration,
                "bounced": s_bounced,
                "is_new_visitor": s_new,
            },
            "carts": {
                "cart_id": list(range(1, len(k_session) + 1)),
                "session_id": k_session,
                "customer_id": [None if c is None else c + 1 for c in k_customer],
                "created_at": k_created,
                "channel": k_channel,
                "device": k_device,
                "segment": [None if c is None else c_segment[c] for c in k_customer],
                "ordered": k_ordered,
            },
        }
        tables.update(self._orders(drafts, q_customer, q_requested, q_channel, q_status, loose_tickets))
        tables["customers"] = {
            "customer_id": list(range(1, len(self.c_created) + 1)),
            "created_at": self.c_created,
            "segment": self.c_segment,
            "country": self.c_country,
            "acquisition_channel": self.c_acquisition,
        }
        # last: every earlier table is drawn before the first survey draw
        tables["surveys"] = self._surveys(tables["orders"])
        self._add_later_tables(tables)
        return {name: _to_arrow(name, tables[name]) for name in SCHEMAS}

    def _add_later_tables(self, tables: dict[str, dict[str, list]]) -> None:
        """The columns and tables added after the first release, from the finished core tables.

        Each draws from its own stream derived from the seed, never from the main one, so
        the core tables keep their values, and changing one of these changes no other.
        """
        seed, period = self.seed, self.period
        orders = tables["orders"]
        orders["shipping_incident"] = aftersales.shipping_incidents(
            orders, stream(seed, "shipping-incidents"), period)
        tables["returns"] = aftersales.returns(orders, tables["order_lines"], stream(seed, "returns"), period)
        tables["disputes"] = aftersales.disputes(orders, tables["order_lines"], stream(seed, "disputes"), period)
        tables["calls"] = aftersales.calls(orders, tables["customers"], stream(seed, "calls"), period)

        sessions = tables["sessions"]
        outcomes = web.session_outcomes(tables["carts"], orders)
        tables["searches"], searched = web.searches(sessions, outcomes, stream(seed, "searches"), period)
        sessions.update(web.session_pages(
            sessions, outcomes, searched, _CATEGORY_POPULARITY, stream(seed, "session-pages")))
        sessions["load_time_s"] = web.load_times(sessions, stream(seed, "session-speed"), period)
        tables["email_optins"] = web.email_optins(
            sessions, tables["customers"], outcomes, stream(seed, "email-optins"), period)

        tables["campaigns"] = marketing.campaigns(
            sessions, orders, tables["email_optins"], stream(seed, "campaigns"), period)
        tables["leads"] = marketing.leads(tables["customers"], stream(seed, "leads"), period)

    def _surveys(self, orders: Mapping[str, list]) -> dict[str, list]:
        """Satisfaction surveys answered after delivered orders, ids in `answered_at` order.

        Most are about one order (``order_id`` set); a few are the account-level survey a
        customer answers after a delivery instead (``order_id`` null). Scores follow a
        month's mood and are clearly worse after a late delivery.
        """
        draws = self.draws
        rnd = draws.random
        expo = draws.expo
        lognorm = draws.lognorm
        end_ts = self.end_ts
        detractor_scores = tuple(s for s, w in _DETRACTOR_SCORE.items() for _ in range(w))
        n_detractor_scores = len(detractor_scores)

        # (answered_ts, customer_id, order_id, channel, score, comment_length)
        drafts: list[tuple[int, int, int | None, str, int, int]] = []
        for order_id, customer_id, channel, promised, delivered in zip(
            orders["order_id"], orders["customer_id"], orders["channel"],
            orders["promised_at"], orders["delivered_at"],
        ):
            if delivered is None:
                continue
            u = rnd()
            if u >= _SURVEY_RESPONSE + _SURVEY_RELATIONSHIP:
                continue
            about_order = u < _SURVEY_RESPONSE
            if about_order:
                answered = delivered + 1800 + int(min(expo(1 / 30.0), 14 * 24.0) * HOUR)
            else:
                answered = delivered + int((2 + rnd() * 30) * DAY)
            month = (EPOCH + datetime.timedelta(days=answered // DAY)).month
            p_promoter, p_detractor = _SURVEY_MOOD[month]
            if delivered > promised:
                p_promoter *= _SURVEY_LATE[0]
                p_detractor += _SURVEY_LATE[1]
            v = rnd()
            if v < p_promoter:
                kind = "promoter"
                score = 9 if rnd() < 0.45 else 10
            elif v < p_promoter + p_detractor:
                kind = "detractor"
                score = detractor_scores[int(rnd() * n_detractor_scores)]
            else:
                kind = "passive"
                score = 7 if rnd() < 0.45 else 8
            p_comment, median = _COMMENT[kind]
            comment = round(min(lognorm(math.log(median), 0.8), 2000.0)) if rnd() < p_comment else 0
            if answered < end_ts:
                drafts.append((answered, customer_id, order_id if about_order else None, channel, score, comment))

        drafts.sort(key=lambda d: (d[0], d[1], d[2] or 0))
        return {
            "survey_id": list(range(1, len(drafts) + 1)),
            "customer_id": [d[1] for d in drafts],
            "order_id": [d[2] for d in drafts],
            "answered_at": [d[0] for d in drafts],
            "channel": [d[3] for d in drafts],
            "score": [d[4] for d in drafts],
            "comment_length": [d[5] for d in drafts],
        }

    def _orders(
        self,
        drafts: list[tuple[int, int, int, int | None, int | None, str, float]],
        q_customer: list[int],
        q_requested: list[int],
        q_channel: list[str],
        q_status: list[str],
        loose_tickets: list[tuple[int, int]],
    ) -> dict[str, dict[str, list]]:
        """Turn order drafts into orders with lines and deliveries, then quotes and tickets.

        Drafts are sorted by time first, so order ids follow `ordered_at` and
        `is_first_order` marks each customer's earliest order.
        """
        draws = self.draws
        rnd = draws.random
        gauss = draws.gauss
        lognorm = draws.lognorm
        expo = draws.expo
        c_segment = self.c_segment
        end_ts = self.end_ts

        p_payment = {seg: Picker(weights) for seg, weights in _PAYMENT.items()}
        p_carrier = Picker(_CARRIER)
        p_category = {
            seg: Picker({name: spec[0][i] for name, spec in CATEGORIES.items()})
            for i, seg in enumerate(SEGMENTS)
        }
        p_ticket_channel = Picker(_TICKET_CHANNEL)
        p_order_topic = Picker(_ORDER_TICKET_TOPIC)
        p_loose_topic = Picker(_LOOSE_TICKET_TOPIC)

        o_id: list[int] = []
        o_customer: list[int] = []
        o_cart: list[int | None] = []
        o_quote: list[int | None] = []
        o_ordered: list[int] = []
        o_channel: list[str] = []
        o_segment: list[str] = []
        o_payment: list[str] = []
        o_carrier: list[str] = []
        o_revenue: list[float] = []
        o_cost: list[float] = []
        o_promised: list[int] = []
        o_delivered: list[int | None] = []
        o_first: list[bool] = []
        o_lost: list[bool] = []

        l_order: list[int] = []
        l_no: list[int] = []
        l_ordered: list[int] = []
        l_category: list[str] = []
        l_quantity: list[int] = []
        l_price: list[float] = []
        l_revenue: list[float] = []
        l_cost: list[float] = []
        l_channel: list[str] = []
        l_segment: list[str] = []

        q_order: list[int | None] = [None] * len(q_customer)
        has_ordered = set(self.ordered_before)
        # ticket drafts: (created_ts, customer index, order_id, topic)
        ticket_drafts: list[tuple[int, int, int | None, str]] = []

        drafts.sort()
        for order_id, (ts, _, cidx, cart_id, qidx, channel, qty_factor) in enumerate(drafts, 1):
            segment = c_segment[cidx]
            day = EPOCH + datetime.timedelta(days=ts // DAY)
            _, _, _, margin_shift, late_factor, _ = MONTH_MOOD[day.month]
            picker = p_category[segment]
            seg_qty = _SEGMENT_QTY[segment] * qty_factor
            seg_margin = _SEGMENT_MARGIN[segment] + margin_shift
            total_revenue = 0
            total_cost = 0
            n_lines = 1 + int(expo(1.0 / _SEGMENT_LINES[segment]))
            for line_no in range(1, n_lines + 1):
                category = picker.table[int(rnd() * picker.size)]
                _, price, qty, margin = CATEGORIES[category]
                price_cents = max(49, round(price * lognorm(0.0, 0.45) * 100))
                quantity = max(1, round(qty * seg_qty * lognorm(0.0, 0.7)))
                revenue = quantity * price_cents
                margin = min(0.7, max(0.02, margin + seg_margin + gauss(0.0, 0.04)))
                cost = round(revenue * (1.0 - margin))
                total_revenue += revenue
                total_cost += cost
                l_order.append(order_id)
                l_no.append(line_no)
                l_ordered.append(ts)
                l_category.append(category)
                l_quantity.append(quantity)
                l_price.append(price_cents / 100)
                l_revenue.append(revenue / 100)
                l_cost.append(cost / 100)
                l_channel.append(channel)
                l_segment.append(segment)

            carrier = p_carrier.table[int(rnd() * p_carrier.size)]
            low, high, p_late = _CARRIER_SERVICE[carrier]
            order_day = ts // DAY
            promised_day = add_business_days(order_day, draws.randint(low, high))
            promised = promised_day * DAY + 18 * HOUR
            late = rnd() < p_late * late_factor
            lost = rnd() < 0.004
            if late:
                delivered_day = add_business_days(promised_day, 1 + int(expo(1 / 1.3)))
            else:
                delivered_day = add_business_days(
                    order_day, max(1, (promised_day - order_day) - (1 if rnd() < 0.45 else 0)))
                delivered_day = min(delivered_day, promised_day)
            delivered = delivered_day * DAY + 8 * HOUR + int(rnd() * 10 * HOUR)
            if lost or delivered >= end_ts:
                delivered = None

            o_id.append(order_id)
            o_customer.append(cidx + 1)
            o_cart.append(cart_id)
            o_quote.append(None if qidx is None else qidx + 1)
            o_ordered.append(ts)
            o_channel.append(channel)
            o_segment.append(segment)
            o_payment.append(p_payment[segment].table[int(rnd() * p_payment[segment].size)])
            o_carrier.append(carrier)
            o_revenue.append(total_revenue / 100)
            o_cost.append(total_cost / 100)
            o_promised.append(promised)
            o_delivered.append(delivered)
            o_first.append(cidx not in has_ordered)
            o_lost.append(lost)
            has_ordered.add(cidx)
            if qidx is not None:
                q_order[qidx] = order_id

            # support tickets about this order
            if lost and promised < end_ts:
                if rnd() < 0.85:
                    ticket_drafts.append((promised + int((1 + rnd() * 2) * DAY), cidx, order_id, "delivery"))
            elif late:
                if rnd() < 0.45:
                    ticket_drafts.append((promised + int((2 + rnd() * 28) * HOUR), cidx, order_id, "delivery"))
            elif rnd() < 0.10:
                after = delivered if delivered is not None else ts
                topic = p_order_topic.table[int(rnd() * p_order_topic.size)]
                ticket_drafts.append((after + int(min(expo(1 / 3.0), 30.0) * DAY), cidx, order_id, topic))

        for ts, cidx in loose_tickets:
            ticket_drafts.append((ts, cidx, None, p_loose_topic.table[int(rnd() * p_loose_topic.size)]))

        t_customer: list[int] = []
        t_order: list[int | None] = []
        t_created: list[int] = []
        t_channel: list[str] = []
        t_topic: list[str] = []
        t_response: list[float] = []
        t_resolved: list[int | None] = []
        ticket_drafts.sort(key=lambda t: (t[0], t[1], t[2] or 0))
        for ts, cidx, order_id, topic in ticket_drafts:
            if ts >= end_ts:
                continue
            load = MONTH_MOOD[(EPOCH + datetime.timedelta(days=ts // DAY)).month][5]
            channel = p_ticket_channel.table[int(rnd() * p_ticket_channel.size)]
            if channel == "email":
                response = lognorm(math.log(6000 * load), 0.9)
            elif channel == "chat":
                response = lognorm(math.log(80 * load), 0.7)
            else:
                response = lognorm(math.log(40 * load), 0.6)
            response = round(response, 1)
            resolved = ts + int(response) + int(lognorm(math.log(18 * HOUR), 1.3))
            t_customer.append(cidx + 1)
            t_order.append(order_id)
            t_created.append(ts)
            t_channel.append(channel)
            t_topic.append(topic)
            t_response.append(response)
            t_resolved.append(resolved if resolved < end_ts else None)

        return {
            "orders": {
                "order_id": o_id,
                "customer_id": o_customer,
                "cart_id": o_cart,
                "quote_id": o_quote,
                "ordered_at": o_ordered,
                "channel": o_channel,
                "segment": o_segment,
                "payment_method": o_payment,
                "carrier": o_carrier,
                "revenue": o_revenue,
                "cost": o_cost,
                "promised_at": o_promised,
                "delivered_at": o_delivered,
                "is_first_order": o_first,
                "_lost": o_lost,  # internal: parcels the carrier lost (see `_to_arrow`)
            },
            "order_lines": {
                "order_id": l_order,
                "line_no": l_no,
                "ordered_at": l_ordered,
                "category": l_category,
                "quantity": l_quantity,
                "unit_price": l_price,
                "revenue": l_revenue,
                "cost": l_cost,
                "channel": l_channel,
                "segment": l_segment,
            },
            "quotes": {
                "quote_id": list(range(1, len(q_customer) + 1)),
                "customer_id": [c + 1 for c in q_customer],
                "requested_at": q_requested,
                "channel": q_channel,
                "segment": [c_segment[c] for c in q_customer],
                "status": q_status,
                "order_id": q_order,
            },
            "tickets": {
                "ticket_id": list(range(1, len(t_created) + 1)),
                "customer_id": t_customer,
                "order_id": t_order,
                "created_at": t_created,
                "channel": t_channel,
                "topic": t_topic,
                "first_response_s": t_response,
                "resolved_at": t_resolved,
                # exact: both ends are whole seconds
                "resolution_s": [None if r is None else float(r - c) for c, r in zip(t_created, t_resolved)],
            },
        }


def _to_arrow(name: str, columns: Mapping[str, list]) -> pa.Table:
    """The table `name` with exactly the columns of its schema; other (internal) columns are left out."""
    schema = SCHEMAS[name]
    arrays = []
    for field in schema:
        values = columns[field.name]
        if field.type == _TS:
            # seconds -> microseconds as int64, then reinterpret: no datetime objects
            micros = pa.array(values, pa.int64())
            arrays.append(pc.multiply(micros, 1_000_000).cast(_TS))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
