"""Seeded, vectorised generator of the commerce benchmark data at a scale factor.

    python benchmarks/generate.py --sf 1 [--seed 42] [--out benchmarks/data/sf1] [--force]

It simulates a B2B web shop over the twelve months 2025-01-01 .. 2025-12-31 (naive
timestamps, ``timestamp[us]``) and writes the ten tables the ``daily`` dashboard reads,
with exactly the columns and types of `kpi_engine.demo.generator.SCHEMAS`:

    customers, leads, sessions, carts, orders, quotes, surveys, calls, tickets, disputes

as ``<out>/<table>.parquet`` (zstd, row groups of 1M rows, rows sorted by the table's
time column) and ``<out>/commerce.duckdb`` (one table per Parquet file, loaded in that
order), plus ``<out>/manifest.json`` (seed, scale factor, generator version, row counts
and file sizes). The folder is built beside ``<out>`` and renamed into place when
complete; a complete folder for the same seed, scale factor and generator version is
left alone (``--force`` rebuilds it).

Rows at scale factor 1 (every count is proportional to the scale factor; measured with
seed 42):

    sessions 1.0M   carts 245k   orders 96k   customers 35k   leads 37k
    quotes 28k      surveys 27k  calls 9k     tickets 13k     disputes 950

What makes it look like a shop rather than noise:

- traffic by weekday, hour of day (working days peak mid-morning, weekends are flat and
  low), month (quiet August, busy Q4), slow growth and a Christmas dip;
- visitors come back: a session is a new visitor (~30%), a logged-in customer (~25%) or
  a returning anonymous visitor, picked with a bias to recent ones, so a year's distinct
  visitors are ~40% of its sessions; ``is_new_visitor`` is exactly a visitor's first
  session; accounts of bigger customers have several users (visitor ids);
- channels (organic, paid_search, email, direct, referral) and devices (desktop, mobile,
  tablet) differ in bounce, cart and order propensity; bounced sessions have one page
  and a few seconds;
- carts come from a share of the engaged sessions; ``ordered`` is true exactly for the
  carts that became an order (``orders.cart_id``); a guest checkout creates the account;
- orders also come from won quotes and offline (phone, EDI); customers are weighted by
  segment (smb, mid_market, enterprise), a heavy-tailed activity and the freshness of the
  account, and order values grow with the segment; ``is_first_order`` is true exactly for
  each customer's first order in the table (by ``ordered_at``, then ``order_id``), so
  accounts from before 2025 make January's first orders high; revenue >= cost > 0, both
  whole cents; ``order_id`` follows ``ordered_at``;
- deliveries are promised 2-5 business days out, ~7% arrive late (dpd and Q4 worse), a
  few parcels are lost, and the ones still on their way at the end are undelivered
  (NULL ``delivered_at``);
- surveys (0-10) follow deliveries and are worse after late ones; calls, tickets and
  disputes (~1% of orders, copying the order's channel, segment and carrier) follow the
  orders and their trouble; leads move through suspect, lead, prospect and customer.

Determinism: every part draws from its own ``numpy.random.default_rng`` stream derived
from the seed and a label, so the same seed and scale factor give byte-identical Parquet
files (with the same numpy and pyarrow). Sessions and carts are generated and written one
month at a time, so memory stays at a few GB at scale factor 30.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kpi_engine.demo.generator import SCHEMAS

TABLES = ("customers", "leads", "sessions", "carts", "orders", "quotes", "surveys", "calls", "tickets", "disputes")
TIME_COLUMN = {
    "customers": "created_at", "leads": "created_at", "sessions": "started_at", "carts": "created_at",
    "orders": "ordered_at", "quotes": "requested_at", "surveys": "answered_at", "calls": "started_at",
    "tickets": "created_at", "disputes": "opened_at",
}
_SCHEMA_FINGERPRINT = hashlib.sha256(
    "\n".join(f"{t}:{SCHEMAS[t]}" for t in TABLES).encode()).hexdigest()[:8]
#: bump the number whenever the data a seed gives changes
GENERATOR_VERSION = f"bench-commerce-1-{_SCHEMA_FINGERPRINT}"
ROW_GROUP = 1_000_000
DUCKDB_FILE = "commerce.duckdb"
MANIFEST = "manifest.json"

DAY = 86_400
HOUR = 3_600
START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 1, 1)
START_DAY = (START - datetime.date(1970, 1, 1)).days
END_DAY = (END - datetime.date(1970, 1, 1)).days
START_TS = START_DAY * DAY
END_TS = END_DAY * DAY

# --- the shop's parameters (per unit of scale factor) --------------------------------------

SESSIONS = 1_000_000  # a year's sessions
PRE_CUSTOMERS = 18_000  # accounts created in the three years before the period
PRE_VISITORS = 250_000  # anonymous visitors (cookies) seen before the period
QUOTES_PER_DAY = 110.0  # working day, before seasonality
OFFLINE_PER_DAY = 16.0  # offline (phone, EDI) orders per working day
LEADS_PER_DAY = 95.0
FAIR_LEADS_PER_DAY = 250.0
SALES_CALLS_PER_DAY = 5.5
BILLING_CALLS_PER_DAY = 1.5
LOOSE_TICKETS_PER_SESSION = 0.0015

SEGMENTS = ("smb", "mid_market", "enterprise")
CHANNELS = ("organic", "paid_search", "email", "direct", "referral")
ACQUISITION = CHANNELS + ("sales",)  # a channel's code is its acquisition code
DEVICES = ("desktop", "mobile", "tablet")
COUNTRIES = ("DE", "FR", "NL", "AT", "PL", "IT", "ES", "CH", "BE")
PAYMENTS = ("card", "invoice", "bank_transfer", "paypal")
CARRIERS = ("dhl", "ups", "fedex", "dpd")
INCIDENTS = ("lost", "damaged", "wrong_address", "delayed_in_transit")
QUOTE_STATUSES = ("open", "won", "lost")
LEAD_SOURCES = ("web_form", "paid_search", "cold_outreach", "referral", "partner", "trade_fair")
LEAD_STAGES = ("suspect", "lead", "prospect", "customer")
QUEUES = ("sales", "support", "billing")
TICKET_CHANNELS = ("email", "phone", "chat")
TICKET_TOPICS = ("delivery", "billing", "product", "returns", "account")
DISPUTE_REASONS = ("billing", "quality", "missing_items", "damaged", "late_delivery")
DISPUTE_OUTCOMES = ("open", "credited", "rejected")
CATEGORIES = {  # name -> popularity (how often its pages are seen)
    "office_supplies": 68, "it_hardware": 48, "furniture": 26, "packaging": 39,
    "cleaning": 33, "safety": 29, "catering": 32, "printing": 25,
}
PAGES = (("/", "/account", "/blog", "/cart", "/checkout", "/checkout/payment", "/contact", "/delivery-info",
          "/quote-request", "/search")
         + tuple(f"/category/{c}" for c in CATEGORIES) + tuple(f"/product/{c}" for c in CATEGORIES))

# calendar month (index 1..12) -> traffic, order propensity, margin shift, late factor, support load
SEASON = (None, 0.96, 0.99, 1.06, 1.01, 1.0, 0.97, 0.88, 0.74, 1.04, 1.1, 1.22, 1.07)
ORDER_MOOD = (None, 0.94, 1.0, 1.04, 1.0, 1.02, 0.98, 0.93, 0.9, 1.05, 1.06, 1.1, 1.12)
MARGIN_SHIFT = (None, 0.0, 0.01, 0.01, 0.0, 0.01, 0.0, -0.01, -0.01, 0.01, 0.0, -0.04, -0.03)
LATE_FACTOR = (None, 1.15, 0.95, 0.9, 0.85, 0.9, 0.95, 1.0, 0.85, 0.95, 1.3, 1.3, 1.45)
LOAD = (None, 1.2, 0.95, 0.9, 0.9, 0.95, 1.0, 1.1, 1.25, 0.95, 1.25, 1.35, 1.5)
NEW_SHARE = (None, 0.31, 0.29, 0.30, 0.28, 0.27, 0.29, 0.32, 0.34, 0.31, 0.33, 0.37, 0.35)
BOUNCE_SHIFT = (None, 0.0, -0.01, -0.02, -0.01, -0.02, 0.0, 0.02, 0.03, -0.01, 0.0, 0.02, 0.01)
MONTHLY_GROWTH = 1.012
WEEKDAY = (1.18, 1.22, 1.2, 1.12, 0.95, 0.34, 0.28)  # Monday .. Sunday
HOURS_WORKDAY = (0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.4, 3.4, 7.0, 9.0, 9.5, 9.0,
                 7.2, 8.0, 8.6, 8.0, 6.4, 4.4, 3.0, 2.5, 2.1, 1.6, 1.0, 0.5)
HOURS_WEEKEND = (0.5, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 2.4, 3.5, 4.2, 4.4,
                 4.2, 4.0, 4.0, 3.8, 3.6, 3.4, 3.4, 3.6, 3.4, 2.6, 1.6, 0.9)

# sessions
CUSTOMER_SHARE = 0.25  # logged-in sessions of existing accounts
RECENT_SHARE = 0.75  # returning anonymous visitors drawn from the recent ones
RECENT_DAYS = 10.0  # mean age, in days of new visitors, of a recent returning visitor
NEW_CHANNEL = {"organic": 42, "paid_search": 28, "referral": 14, "direct": 10, "email": 6}
RETURNING_CHANNEL = {"organic": 40, "direct": 25, "paid_search": 15, "referral": 12, "email": 8}
CUSTOMER_CHANNEL = {"direct": 38, "email": 25, "organic": 25, "paid_search": 7, "referral": 5}
VISITOR_DEVICE = {"desktop": 59, "mobile": 33, "tablet": 8}
CUSTOMER_DEVICE = {"desktop": 76, "mobile": 19, "tablet": 5}
BOUNCE_CHANNEL = np.array([0.42, 0.53, 0.30, 0.33, 0.41])  # in CHANNELS order
BOUNCE_DEVICE = np.array([-0.04, 0.09, 0.04])  # in DEVICES order
CART_CHANNEL = np.array([1.0, 0.85, 1.2, 1.1, 0.95])
ORDER_CHANNEL = np.array([1.0, 0.8, 1.15, 1.1, 0.95])
CART_DEVICE = np.array([1.05, 0.75, 0.9])
ORDER_DEVICE = np.array([1.05, 0.78, 0.9])
P_CART = (0.30, 0.60)  # (anonymous, logged in), engaged sessions
P_ORDER = (0.12, 0.50)  # (anonymous, logged in), carts
P_REGISTER = 0.006  # engaged anonymous visit that opens an account without ordering
LOAD_MEDIAN_S = np.array([1.9, 2.8, 2.3])  # page load time per device
LANDING = {
    "organic": {"product": 38, "category": 24, "/": 14, "/blog": 14, "/delivery-info": 4, "/contact": 3,
                "/quote-request": 3},
    "paid_search": {"product": 50, "category": 38, "/": 8, "/quote-request": 4},
    "email": {"category": 40, "product": 30, "/": 20, "/blog": 6, "/account": 4},
    "direct": {"/": 55, "/account": 15, "product": 10, "category": 8, "/cart": 6, "/contact": 3,
               "/delivery-info": 3},
    "referral": {"product": 35, "/": 25, "category": 15, "/blog": 15, "/quote-request": 5, "/contact": 5},
}
CUSTOMER_LANDING = {"/": 40, "/account": 22, "category": 14, "product": 14, "/cart": 6, "/quote-request": 4}
BROWSE_EXIT = {"product": 36, "category": 24, "/": 16, "/blog": 7, "/account": 5, "/delivery-info": 4,
               "/contact": 3, "/quote-request": 3, "/search": 2}
CART_EXIT = {"/cart": 45, "/checkout/payment": 27, "/checkout": 16, "product": 12}
ORDER_EXIT = {"/checkout": 55, "/account": 30, "product": 15}

# customers
NEW_SEGMENT = {"smb": 66, "mid_market": 26, "enterprise": 8}
EXISTING_SEGMENT = {"smb": 55, "mid_market": 30, "enterprise": 15}
SEGMENT_WEIGHT = np.array([1.0, 2.0, 4.0])  # how often an account comes back
QUOTE_WEIGHT = np.array([1.0, 3.0, 8.0])  # who asks for quotes
USERS = (np.array([1, 1, 2]), np.array([1, 2, 4]))  # visitor ids (users) per account: min, max
COUNTRY = {"DE": 35, "FR": 12, "NL": 10, "AT": 8, "PL": 8, "IT": 8, "ES": 7, "CH": 6, "BE": 6}
ACQUISITION_WEIGHTS = {"organic": 30, "paid_search": 18, "referral": 14, "direct": 12, "email": 6, "sales": 20}
DORMANT = 0.3  # share of the older accounts that hardly come back

# orders
QUOTE_CHANNEL = {"email": 40, "direct": 38, "organic": 10, "referral": 7, "paid_search": 5}
QUOTE_WIN = np.array([0.25, 0.31, 0.35])
ORDER_MEDIAN_CENTS = np.array([18_000, 52_000, 160_000])  # per segment
KIND_FACTOR = np.array([1.0, 1.8, 1.3])  # web, quote, offline
SEGMENT_MARGIN = np.array([0.02, -0.01, -0.04])
PAYMENT = {
    "smb": {"card": 42, "invoice": 30, "paypal": 16, "bank_transfer": 12},
    "mid_market": {"invoice": 55, "card": 22, "bank_transfer": 16, "paypal": 7},
    "enterprise": {"invoice": 76, "bank_transfer": 19, "card": 5},
}
CARRIER = {"dhl": 40, "ups": 25, "dpd": 20, "fedex": 15}
# in CARRIERS order: promised business days (min, max), late probability
CARRIER_DAYS = (np.array([2, 2, 2, 3]), np.array([3, 3, 4, 5]))
CARRIER_LATE = np.array([0.035, 0.04, 0.045, 0.14])
CARRIER_INCIDENT = np.array([0.0105, 0.0105, 0.014, 0.027])
P_LOST = 0.004
INCIDENT_LATE = {"delayed_in_transit": 60, "wrong_address": 25, "damaged": 15}
INCIDENT_ON_TIME = {"damaged": 80, "wrong_address": 20}

# follow-ups
SURVEY_RESPONSE = 0.26
SURVEY_RELATIONSHIP = 0.03
PROMOTER = (None, 0.50, 0.55, 0.58, 0.59, 0.57, 0.55, 0.53, 0.54, 0.57, 0.52, 0.49, 0.46)
DETRACTOR = (None, 0.21, 0.18, 0.15, 0.15, 0.16, 0.17, 0.18, 0.19, 0.16, 0.20, 0.22, 0.24)
DETRACTOR_SCORE = {0: 4, 1: 2, 2: 4, 3: 6, 4: 9, 5: 15, 6: 20}
TICKET_CHANNEL = {"email": 50, "chat": 30, "phone": 20}
ORDER_TICKET_TOPIC = {"billing": 30, "product": 30, "returns": 25, "delivery": 15}
LOOSE_TICKET_TOPIC = {"account": 50, "billing": 35, "product": 15}
RESPONSE_MEDIAN_S = np.array([6000.0, 40.0, 80.0])  # in TICKET_CHANNELS order
RESPONSE_SIGMA = np.array([0.9, 0.6, 0.7])
CALL_AFTER = np.array([0.60, 0.45, 0.50, 0.50])  # in INCIDENTS order
CALL_WAIT_S = 12.0
QUEUE_SPEED = np.array([0.8, 1.0, 1.15])
TALK_S = np.array([380.0, 290.0, 230.0])
CALL_PATIENCE_S = 120.0
DISPUTE_AFTER = np.array([0.45, 0.20, 0.08, 0.06])  # in INCIDENTS order
DISPUTE_BASE = 0.0045  # any order: billing, quality or missing-item claims
DISPUTE_LATE = 0.03
DISPUTE_INCIDENT_REASON = np.array([2, 3, 2, 4])  # missing_items, damaged, missing_items, late_delivery
DISPUTE_CREDITED = np.array([0.55, 0.50, 0.80, 0.75, 0.40])  # in DISPUTE_REASONS order
LEAD_SOURCE = {"web_form": 40, "paid_search": 22, "cold_outreach": 17, "referral": 12, "partner": 9}
LEAD_SEGMENT = {"smb": 50, "mid_market": 32, "enterprise": 18}
FAIR_SEGMENT = {"smb": 35, "mid_market": 40, "enterprise": 25}
# in LEAD_SOURCES order: chance to be qualified, to become an opportunity, to be won
LEAD_STEPS = np.array([[0.55, 0.40, 0.27], [0.50, 0.38, 0.24], [0.30, 0.30, 0.20],
                       [0.65, 0.50, 0.35], [0.60, 0.48, 0.33], [0.45, 0.36, 0.26]])
WIN_SEGMENT = np.array([1.1, 1.0, 0.85])
WIN_DAYS = np.array([18.0, 30.0, 50.0])
FAIR_DAYS = (datetime.date(2025, 3, 11), datetime.date(2025, 3, 12), datetime.date(2025, 3, 13),
             datetime.date(2025, 6, 17), datetime.date(2025, 6, 18),
             datetime.date(2025, 10, 14), datetime.date(2025, 10, 15), datetime.date(2025, 10, 16))


# --- helpers ----------------------------------------------------------------------------


class Choice:
    """Weighted categorical draws as int8 codes into `names` (one uniform per draw)."""

    def __init__(self, weights: dict[str, float], names: tuple[str, ...]) -> None:
        p = np.zeros(len(names))
        for key, weight in weights.items():
            p[names.index(key)] = weight
        self.cum = np.cumsum(p / p.sum())
        self.cum[-1] = 1.0

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.searchsorted(self.cum, rng.random(n), side="right").astype(np.int8)


def _page_choice(kinds: dict[str, float]) -> Choice:
    """Page kinds, with "product" and "category" spread over the categories by popularity."""
    total = sum(CATEGORIES.values())
    weights: dict[str, float] = {}
    for kind, weight in kinds.items():
        if kind in ("product", "category"):
            for category, popularity in CATEGORIES.items():
                weights[f"/{kind}/{category}"] = weight * popularity / total
        else:
            weights[kind] = weight
    return Choice(weights, PAGES)


def month_of(ts: np.ndarray) -> np.ndarray:
    """Calendar month 1..12 of epoch-second timestamps."""
    return (ts // DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def weekday_of(ts: np.ndarray) -> np.ndarray:
    """Monday 0 .. Sunday 6."""
    return (ts // DAY + 3) % 7


def add_business_days(day: np.ndarray, count: np.ndarray | int) -> np.ndarray:
    """Epoch day numbers plus `count` working days (a weekend day counts from the Friday before)."""
    return np.busday_offset(day.astype("datetime64[D]"), count, roll="backward").astype(np.int64)


def next_office_time(ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Timestamps moved into office hours (working days 8:00-18:00): outside them, early on the next one."""
    day = ts // DAY
    second = ts % DAY
    weekend = weekday_of(ts) >= 5
    after = second >= 18 * HOUR
    before = second < 8 * HOUR
    dates = day.astype("datetime64[D]")
    next_day = np.where(weekend, np.busday_offset(dates, 0, roll="forward").astype(np.int64),
                        np.where(after, np.busday_offset(dates, 1, roll="forward").astype(np.int64), day))
    moved = next_day * DAY + 8 * HOUR + (rng.random(len(ts)) * 2 * HOUR).astype(np.int64)
    return np.where(weekend | after | before, moved, ts)


def lookup(values: tuple, index: np.ndarray) -> np.ndarray:
    """values[index] for the per-month tuples (index 1..12)."""
    return np.asarray(values[1:], dtype=np.float64)[index - 1]


def pick_weighted(cumulative: np.ndarray, limit: np.ndarray | int, rng: np.random.Generator, n: int) -> np.ndarray:
    """Indexes drawn with the weights whose cumulative sums are `cumulative`, among the first `limit`."""
    top = cumulative[np.asarray(limit) - 1]
    index = np.searchsorted(cumulative, rng.random(n) * top, side="right")
    return np.minimum(index, np.asarray(limit) - 1)


def _arrow(values, field: pa.Field) -> pa.Array:
    """A numpy column as Arrow: ids/timestamps < 0, NaN floats and string codes < 0 are null."""
    if isinstance(values, pa.Array):
        return values
    kind = field.type
    if kind == pa.float64():
        return pa.array(values, pa.float64(), from_pandas=True)
    if kind == pa.bool_():
        return pa.array(values, pa.bool_())
    mask = values < 0
    mask = mask if mask.any() else None
    if kind == pa.int64():
        return pa.array(values, pa.int64(), mask=mask)
    if pa.types.is_timestamp(kind):
        return pa.array(values * 1_000_000, kind, mask=mask)
    raise TypeError(f"{field.name}: unexpected type {kind}")


def strings(codes: np.ndarray, names: tuple[str, ...]) -> pa.Array:
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    return pc.take(pa.array(names, pa.string()), indices)


def table(name: str, columns: dict) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_arrays([_arrow(columns[f.name], f) for f in schema], schema=schema)


def take(columns: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {key: value[index] for key, value in columns.items()}


class Writer:
    """Parquet file written in row groups of exactly `ROW_GROUP` rows (the last one smaller).

    Checks that the rows come in the order of the table's time column.
    """

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.writer = pq.ParquetWriter(path, SCHEMAS[name], compression="zstd")
        self.pending: list[pa.Table] = []
        self.buffered = 0
        self.rows = 0
        self.last = np.datetime64("NaT")

    def write(self, part: pa.Table) -> None:
        times = part.column(TIME_COLUMN[self.name]).to_numpy()
        if len(times):
            if (self.rows and times[0] < self.last) or (np.diff(times) < np.timedelta64(0)).any():
                raise AssertionError(f"{self.name}: rows not in {TIME_COLUMN[self.name]} order")
            self.last = times[-1]
        self.pending.append(part)
        self.buffered += part.num_rows
        self.rows += part.num_rows
        if self.buffered >= ROW_GROUP:
            whole = pa.concat_tables(self.pending)
            done = (whole.num_rows // ROW_GROUP) * ROW_GROUP
            for offset in range(0, done, ROW_GROUP):
                self.writer.write_table(whole.slice(offset, ROW_GROUP), row_group_size=ROW_GROUP)
            rest = whole.slice(done)
            self.pending = [rest] if rest.num_rows else []
            self.buffered = rest.num_rows

    def close(self) -> None:
        if self.pending:
            self.writer.write_table(pa.concat_tables(self.pending), row_group_size=ROW_GROUP)
        self.writer.close()


# --- the simulation ---------------------------------------------------------------------


class Simulation:
    def __init__(self, sf: float, seed: int, folder: Path) -> None:
        self.sf = sf
        self.seed = seed
        self.folder = folder
        self.rows: dict[str, int] = {}
        self.days = np.arange(START_DAY, END_DAY, dtype=np.int64)
        self.day_month = month_of(self.days * DAY)
        self.day_weekday = (self.days + 3) % 7
        dates = [START + datetime.timedelta(days=i) for i in range(len(self.days))]
        self.holiday = np.array([0.45 if (d.month == 12 and d.day >= 24) or (d.month == 1 and d.day == 1) else 1.0
                                 for d in dates])
        self.choices = {
            "new_channel": Choice(NEW_CHANNEL, CHANNELS), "returning_channel": Choice(RETURNING_CHANNEL, CHANNELS),
            "customer_channel": Choice(CUSTOMER_CHANNEL, CHANNELS), "visitor_device": Choice(VISITOR_DEVICE, DEVICES),
            "customer_device": Choice(CUSTOMER_DEVICE, DEVICES), "new_segment": Choice(NEW_SEGMENT, SEGMENTS),
            "existing_segment": Choice(EXISTING_SEGMENT, SEGMENTS), "country": Choice(COUNTRY, COUNTRIES),
            "acquisition": Choice(ACQUISITION_WEIGHTS, ACQUISITION), "quote_channel": Choice(QUOTE_CHANNEL, CHANNELS),
            "hour_workday": Choice({str(h): w for h, w in enumerate(HOURS_WORKDAY)}, tuple(map(str, range(24)))),
            "hour_weekend": Choice({str(h): w for h, w in enumerate(HOURS_WEEKEND)}, tuple(map(str, range(24)))),
        }
        self.landing = [_page_choice(LANDING[c]) for c in CHANNELS]
        self.customer_landing = _page_choice(CUSTOMER_LANDING)
        self.exits = [_page_choice(BROWSE_EXIT), _page_choice(CART_EXIT), _page_choice(ORDER_EXIT)]

    def stream(self, label: str, index: int = 0) -> np.random.Generator:
        digest = int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "little")
        return np.random.default_rng([self.seed, digest, index])

    def scaled(self, count: float, minimum: int = 1) -> int:
        return max(minimum, round(count * self.sf))

    # -- state before the period -------------------------------------------------------------

    def _history(self) -> None:
        rng = self.stream("history")
        n = self.scaled(PRE_CUSTOMERS, 10)
        span = 3 * 365 * DAY
        created = np.sort(START_TS - span + (rng.random(n) * span).astype(np.int64))
        segment = self.choices["existing_segment"].draw(rng, n)
        users = USERS[0][segment] + (rng.random(n) * (USERS[1][segment] - USERS[0][segment] + 1)).astype(np.int64)
        vid0 = 1 + np.cumsum(users) - users
        activity = rng.lognormal(0.0, 1.0, n) * np.where(rng.random(n) < DORMANT, 0.05, 1.0)
        self.c = {
            "created": created, "segment": segment, "country": self.choices["country"].draw(rng, n),
            "acquisition": self.choices["acquisition"].draw(rng, n), "users": users, "vid0": vid0,
            "extra": vid0 + 1, "activity": activity,
        }
        self.visitors = int(users.sum()) + self.scaled(PRE_VISITORS, 100)  # ids 1..visitors exist
        self.seen = np.ones(self.visitors + 1, dtype=bool)  # all of them visited before
        self.seen[0] = False

    def _customer_weights(self, now: int) -> np.ndarray:
        """Pick weights of the accounts: activity, segment, and a boost while the account is fresh."""
        c = self.c
        age_days = np.maximum(0, now - c["created"]) / DAY
        return c["activity"] * SEGMENT_WEIGHT[c["segment"]] * (1.0 + 3.0 * np.exp(-age_days / 45.0))

    # -- one month of sessions, carts, quotes and order drafts ---------------------------------

    def _day_counts(self) -> np.ndarray:
        rng = self.stream("calendar")
        month_index = self.day_month - 1
        expected = (np.array(SEASON[1:])[month_index] * MONTHLY_GROWTH ** month_index
                    * np.array(WEEKDAY)[self.day_weekday] * self.holiday)
        expected *= SESSIONS * self.sf / expected.sum()
        return np.maximum(0, np.round(expected * rng.normal(1.0, 0.07, len(expected)))).astype(np.int64)

    def _month(self, month: int, day_counts: np.ndarray) -> dict:
        rng = self.stream("month", month)
        ch = self.choices
        in_month = self.day_month == month
        days, counts = self.days[in_month], day_counts[in_month]
        month_start = int(days[0]) * DAY
        n = int(counts.sum())
        n_customers = len(self.c["created"])

        # start times: day, hour by working day or weekend, second
        day = np.repeat(days, counts)
        weekend = np.repeat(self.day_weekday[in_month] >= 5, counts)
        hour = np.where(weekend, ch["hour_weekend"].draw(rng, n), ch["hour_workday"].draw(rng, n)).astype(np.int64)
        ts = np.sort(day * DAY + hour * HOUR + rng.integers(0, HOUR, n))

        # who: a new visitor, a logged-in account or a returning anonymous visitor
        u = rng.random(n)
        new_share = NEW_SHARE[month]
        is_new = u < new_share
        known = ~is_new & (u < new_share + CUSTOMER_SHARE)
        returning = ~is_new & ~known
        customer = np.full(n, -1, dtype=np.int64)
        vid = np.empty(n, dtype=np.int64)

        weights = np.cumsum(self._customer_weights(month_start))
        k = np.flatnonzero(known)
        picked = pick_weighted(weights, n_customers, rng, len(k))
        customer[k] = picked
        user = (rng.random(len(k)) * self.c["users"][picked]).astype(np.int64)
        vid[k] = np.where(user == 0, self.c["vid0"][picked], self.c["extra"][picked] + user - 1)

        new_rank = np.cumsum(is_new)
        vid[is_new] = self.visitors + new_rank[is_new]
        r = np.flatnonzero(returning)
        available = self.visitors + new_rank[r]  # ids 1..available exist at that moment
        window = max(10.0, RECENT_DAYS * n * new_share / len(days))
        offset = np.minimum(rng.exponential(window, len(r)).astype(np.int64), available - 1)
        anywhere = (rng.random(len(r)) * available).astype(np.int64)
        vid[r] = np.where(rng.random(len(r)) < RECENT_SHARE, available - 1 - offset, anywhere) + 1
        visitors = self.visitors + int(new_rank[-1]) if n else self.visitors

        channel = np.empty(n, dtype=np.int8)
        device = np.empty(n, dtype=np.int8)
        for mask, channels, devices in ((known, "customer_channel", "customer_device"),
                                        (is_new, "new_channel", "visitor_device"),
                                        (returning, "returning_channel", "visitor_device")):
            index = np.flatnonzero(mask)
            channel[index] = ch[channels].draw(rng, len(index))
            device[index] = ch[devices].draw(rng, len(index))

        # engagement
        p_bounce = (BOUNCE_CHANNEL[channel] + BOUNCE_DEVICE[device] + BOUNCE_SHIFT[month]
                    - 0.12 * known + 0.04 * is_new)
        bounced = rng.random(n) < p_bounce
        engaged = ~bounced
        n_engaged = int(engaged.sum())
        pages = np.ones(n, dtype=np.int64)
        pages[engaged] = 2 + rng.exponential(1 / 0.3, n_engaged).astype(np.int64)
        duration = np.empty(n)
        duration[engaged] = np.round(pages[engaged] * rng.lognormal(3.7, 0.55, n_engaged), 1)
        duration[bounced] = np.round(np.minimum(rng.lognormal(math.log(8.0), 0.7, n - n_engaged), 59.0), 1)
        slowdown = 1.0 + 0.5 * (SEASON[month] - 1.0)
        sigma = np.sqrt(0.30**2 + 0.45**2 / pages)
        load = LOAD_MEDIAN_S[device] * slowdown * np.exp(sigma * rng.standard_normal(n))
        load_time = np.maximum(0.3, np.round(load, 2))

        # carts and web orders
        p_cart = np.where(known, P_CART[1], P_CART[0]) * CART_CHANNEL[channel] * CART_DEVICE[device]
        has_cart = engaged & (rng.random(n) < p_cart)
        ci = np.flatnonzero(has_cart)
        nc = len(ci)
        cart_ts = ts[ci] + (rng.random(nc) * duration[ci]).astype(np.int64)
        p_order = (np.where(known[ci], P_ORDER[1], P_ORDER[0]) * ORDER_CHANNEL[channel[ci]]
                   * ORDER_DEVICE[device[ci]] * ORDER_MOOD[month])
        wants = rng.random(nc) < p_order
        right_away = rng.random(nc) < 0.68
        delay = np.where(right_away, 60 + (rng.random(nc) * 1200).astype(np.int64),
                         (np.minimum(rng.exponential(20.0, nc), 120.0) * HOUR).astype(np.int64) + 300)
        order_ts = cart_ts + delay
        ordered = wants & (order_ts < END_TS)

        # new accounts: guest checkouts and registrations
        opens = np.zeros(n, dtype=bool)
        opens[ci[ordered & ~known[ci]]] = True
        opens |= engaged & ~known & (rng.random(n) < P_REGISTER)
        ni = np.flatnonzero(opens)
        n_new = len(ni)
        customer[ni] = n_customers + np.arange(n_new)
        segment = ch["new_segment"].draw(rng, n_new)
        users = USERS[0][segment] + (rng.random(n_new) * (USERS[1][segment] - USERS[0][segment] + 1)).astype(np.int64)
        extra = visitors + 1 + np.cumsum(users - 1) - (users - 1)
        visitors += int((users - 1).sum())
        new_customers = {
            "created": ts[ni], "segment": segment, "country": ch["country"].draw(rng, n_new),
            "acquisition": channel[ni].copy(), "users": users, "vid0": vid[ni], "extra": extra,
            "activity": rng.lognormal(0.0, 1.0, n_new),
        }

        # quotes and offline orders of the month's working days
        working = in_month & (self.day_weekday < 5)
        quote_days = self.days[working]
        lam = QUOTES_PER_DAY * self.sf * SEASON[month] * np.where(self.holiday[working] < 1, 0.5, 1.0)
        q_counts = rng.poisson(lam)
        nq = int(q_counts.sum())
        q_ts = np.sort(np.repeat(quote_days, q_counts) * DAY + (8 * HOUR + rng.random(nq) * 10 * HOUR).astype(np.int64))
        quote_weights = np.cumsum(self.c["activity"] * QUOTE_WEIGHT[self.c["segment"]])
        q_customer = pick_weighted(quote_weights, n_customers, rng, nq)
        q_segment = self.c["segment"][q_customer]
        decided = q_ts + ((2 + rng.random(nq) * 26) * DAY).astype(np.int64)
        won = rng.random(nq) < QUOTE_WIN[q_segment] * ORDER_MOOD[month]
        status = np.where(decided >= END_TS, 0, np.where(won, 1, 2)).astype(np.int8)
        quotes = {"requested": q_ts, "customer": q_customer, "channel": ch["quote_channel"].draw(rng, nq),
                  "segment": q_segment, "status": status}

        o_counts = rng.poisson(OFFLINE_PER_DAY * self.sf * ORDER_MOOD[month] * np.ones(len(quote_days)))
        no = int(o_counts.sum())
        o_ts = np.repeat(quote_days, o_counts) * DAY + (8 * HOUR + rng.random(no) * 9 * HOUR).astype(np.int64)
        o_customer = pick_weighted(weights, n_customers, rng, no)

        # session rows
        first_visit = np.zeros(n, dtype=bool)
        if visitors + 1 > len(self.seen):
            grown = np.zeros(max(visitors + 1, 2 * len(self.seen)), dtype=bool)
            grown[: len(self.seen)] = self.seen
            self.seen = grown
        unique, first = np.unique(vid, return_index=True)
        first_visit[first] = ~self.seen[unique]
        self.seen[unique] = True
        outcome = np.zeros(n, dtype=np.int64)  # 0 browsed, 1 cart, 2 ordered in the visit
        outcome[ci] = np.where(ordered & right_away, 2, 1)
        own = known & (rng.random(n) < 0.5)
        landing = np.empty(n, dtype=np.int8)
        for code in range(len(CHANNELS)):
            index = np.flatnonzero((channel == code) & ~own)
            landing[index] = self.landing[code].draw(rng, len(index))
        index = np.flatnonzero(own)
        landing[index] = self.customer_landing.draw(rng, len(index))
        exit_page = landing.copy()
        for code in range(3):
            index = np.flatnonzero(engaged & (outcome == code))
            exit_page[index] = self.exits[code].draw(rng, len(index))

        all_segments = np.concatenate([self.c["segment"], segment])
        first_session = self.rows.get("sessions", 0) + 1
        sessions = table("sessions", {
            "session_id": np.arange(first_session, first_session + n), "visitor_id": vid,
            "customer_id": np.where(customer >= 0, customer + 1, -1), "started_at": ts,
            "channel": strings(channel, CHANNELS), "device": strings(device, DEVICES), "pages": pages,
            "duration_s": duration, "bounced": bounced, "is_new_visitor": first_visit,
            "landing_page": strings(landing, PAGES), "exit_page": strings(exit_page, PAGES),
            "load_time_s": load_time,
        })
        first_cart = self.rows.get("carts", 0) + 1
        cart_id = np.arange(first_cart, first_cart + nc)
        cart_customer = customer[ci]
        carts = {
            "cart_id": cart_id, "session_id": first_session + ci,
            "customer_id": np.where(cart_customer >= 0, cart_customer + 1, -1),
            "created_at": cart_ts, "channel": channel[ci], "device": device[ci],
            "segment": np.where(cart_customer >= 0, all_segments[np.maximum(cart_customer, 0)], -1).astype(np.int8),
            "ordered": ordered,
        }
        self.rows["sessions"] = first_session - 1 + n
        self.rows["carts"] = first_cart - 1 + nc
        self.visitors = visitors
        for key, value in new_customers.items():
            self.c[key] = np.concatenate([self.c[key], value])

        won_index = np.flatnonzero(status == 1)
        drafts = {  # order drafts: web, won quotes (kind 1) and offline (kind 2)
            "ts": np.concatenate([order_ts[ordered], decided[won_index], o_ts]),
            "customer": np.concatenate([cart_customer[ordered], q_customer[won_index], o_customer]),
            "cart": np.concatenate([cart_id[ordered], np.full(len(won_index) + no, -1)]),
            "quote": np.concatenate([np.full(int(ordered.sum()), -1), self.n_quotes + won_index, np.full(no, -1)]),
            "channel": np.concatenate([channel[ci][ordered], quotes["channel"][won_index],
                                       np.full(no, CHANNELS.index("direct"), dtype=np.int8)]),
            "kind": np.concatenate([np.zeros(int(ordered.sum()), np.int64), np.ones(len(won_index), np.int64),
                                    np.full(no, 2)]),
        }
        self.n_quotes += nq
        return {"sessions": sessions, "carts": carts, "quotes": quotes, "drafts": drafts,
                "month_end": int(days[-1] + 1) * DAY}

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self._history()
        self.n_quotes = 0
        day_counts = self._day_counts()
        self.day_sessions = day_counts
        session_writer = Writer(self.folder / "sessions.parquet", "sessions")
        cart_writer = Writer(self.folder / "carts.parquet", "carts")
        pending_carts: dict[str, np.ndarray] | None = None
        quotes, drafts = [], []
        for month in range(1, 13):
            part = self._month(month, day_counts)
            session_writer.write(part["sessions"])
            carts = part["carts"]
            if pending_carts is not None:
                carts = {key: np.concatenate([pending_carts[key], carts[key]]) for key in carts}
            carts = take(carts, np.argsort(carts["created_at"], kind="stable"))
            due = int(np.searchsorted(carts["created_at"], part["month_end"]))
            if month == 12:
                due = len(carts["created_at"])
            cart_writer.write(self._carts_table(take(carts, np.arange(due))))
            pending_carts = take(carts, np.arange(due, len(carts["created_at"])))
            quotes.append(part["quotes"])
            drafts.append(part["drafts"])
            del part
        session_writer.close()
        cart_writer.close()

        quotes = {key: np.concatenate([q[key] for q in quotes]) for key in quotes[0]}
        drafts = {key: np.concatenate([d[key] for d in drafts]) for key in drafts[0]}
        orders = self._orders(drafts)
        del drafts
        q_order = np.full(len(quotes["requested"]), -1, dtype=np.int64)
        from_quote = orders["quote"] >= 0
        q_order[orders["quote"][from_quote]] = orders["order_id"][from_quote]
        self._write("quotes", {
            "quote_id": np.arange(1, len(q_order) + 1), "customer_id": quotes["customer"] + 1,
            "requested_at": quotes["requested"], "channel": strings(quotes["channel"], CHANNELS),
            "segment": strings(quotes["segment"], SEGMENTS), "status": strings(quotes["status"], QUOTE_STATUSES),
            "order_id": q_order,
        })
        c = self.c
        self._write("customers", {
            "customer_id": np.arange(1, len(c["created"]) + 1), "created_at": c["created"],
            "segment": strings(c["segment"], SEGMENTS), "country": strings(c["country"], COUNTRIES),
            "acquisition_channel": strings(c["acquisition"], ACQUISITION),
        })
        self._write_orders(orders)
        self._surveys(orders)
        self._tickets(orders)
        self._calls(orders)
        self._disputes(orders)
        self._leads()
        return dict(self.rows)

    def _carts_table(self, carts: dict[str, np.ndarray]) -> pa.Table:
        return table("carts", {**carts, "channel": strings(carts["channel"], CHANNELS),
                               "device": strings(carts["device"], DEVICES),
                               "segment": strings(carts["segment"], SEGMENTS)})

    def _write(self, name: str, columns: dict) -> None:
        writer = Writer(self.folder / f"{name}.parquet", name)
        writer.write(table(name, columns))
        writer.close()
        self.rows[name] = writer.rows

    # -- orders --------------------------------------------------------------------------------

    def _orders(self, drafts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        rng = self.stream("orders")
        o = take(drafts, np.argsort(drafts["ts"], kind="stable"))
        n = len(o["ts"])
        o["order_id"] = np.arange(1, n + 1)
        first = np.zeros(n, dtype=bool)
        first[np.unique(o["customer"], return_index=True)[1]] = True
        o["first"] = first
        segment = self.c["segment"][o["customer"]]
        o["segment"] = segment
        month = month_of(o["ts"])
        payment = np.empty(n, dtype=np.int8)
        for code, name in enumerate(SEGMENTS):
            index = np.flatnonzero(segment == code)
            payment[index] = Choice(PAYMENT[name], PAYMENTS).draw(rng, len(index))
        o["payment"] = payment
        carrier = Choice(CARRIER, CARRIERS).draw(rng, n)
        o["carrier"] = carrier

        revenue = np.maximum(1500, np.round(ORDER_MEDIAN_CENTS[segment] * KIND_FACTOR[o["kind"]]
                                            * rng.lognormal(0.0, 0.85, n))).astype(np.int64)
        margin = np.clip(rng.normal(0.31 + SEGMENT_MARGIN[segment] + lookup(MARGIN_SHIFT, month), 0.05, n), 0.03, 0.65)
        cost = np.clip(np.round(revenue * (1.0 - margin)).astype(np.int64), 1, revenue)
        o["revenue"], o["cost"] = revenue, cost

        order_day = o["ts"] // DAY
        low, high = CARRIER_DAYS[0][carrier], CARRIER_DAYS[1][carrier]
        promised_days = low + (rng.random(n) * (high - low + 1)).astype(np.int64)
        promised_day = add_business_days(order_day, promised_days)
        promised = promised_day * DAY + 18 * HOUR
        late = rng.random(n) < CARRIER_LATE[carrier] * lookup(LATE_FACTOR, month)
        lost = rng.random(n) < P_LOST
        late_day = add_business_days(promised_day, 1 + rng.exponential(1.3, n).astype(np.int64))
        early = (rng.random(n) < 0.45).astype(np.int64)
        on_time_day = np.minimum(add_business_days(order_day, np.maximum(1, promised_days - early)), promised_day)
        hour = 8 * HOUR + (rng.random(n) * 10 * HOUR).astype(np.int64)
        delivered = np.where(late, late_day, on_time_day) * DAY + hour
        delivered = np.where(lost | (delivered >= END_TS), -1, delivered)
        o["promised"], o["delivered"], o["late"], o["lost"] = promised, delivered, late & (delivered >= 0), lost

        incident = np.full(n, -1, dtype=np.int8)
        u = rng.random(n)
        was_late = o["late"]
        on_time = (delivered >= 0) & ~late
        late_kind = Choice(INCIDENT_LATE, INCIDENTS).draw(rng, n)
        on_time_kind = Choice(INCIDENT_ON_TIME, INCIDENTS).draw(rng, n)
        incident = np.where(was_late & (u < 0.15), late_kind, incident)  # trouble on the way explains many late parcels
        incident = np.where(on_time & (u < CARRIER_INCIDENT[carrier] * 0.82), on_time_kind, incident)
        incident = np.where(lost, 0, incident).astype(np.int8)
        o["incident"] = incident
        return o

    def _write_orders(self, o: dict[str, np.ndarray]) -> None:
        self._write("orders", {
            "order_id": o["order_id"], "customer_id": o["customer"] + 1, "cart_id": o["cart"],
            "quote_id": np.where(o["quote"] >= 0, o["quote"] + 1, -1), "ordered_at": o["ts"],
            "channel": strings(o["channel"], CHANNELS), "segment": strings(o["segment"], SEGMENTS),
            "payment_method": strings(o["payment"], PAYMENTS), "carrier": strings(o["carrier"], CARRIERS),
            "revenue": o["revenue"] / 100, "cost": o["cost"] / 100, "promised_at": o["promised"],
            "delivered_at": o["delivered"], "is_first_order": o["first"],
            "shipping_incident": strings(o["incident"], INCIDENTS),
        })

    # -- follow-ups ----------------------------------------------------------------------------

    def _surveys(self, o: dict[str, np.ndarray]) -> None:
        rng = self.stream("surveys")
        delivered = np.flatnonzero(o["delivered"] >= 0)
        u = rng.random(len(delivered))
        answering = u < SURVEY_RESPONSE + SURVEY_RELATIONSHIP
        index, about_order = delivered[answering], u[answering] < SURVEY_RESPONSE
        n = len(index)
        at = o["delivered"][index]
        answered = np.where(about_order,
                            at + 1800 + (np.minimum(rng.exponential(30.0, n), 14 * 24.0) * HOUR).astype(np.int64),
                            at + ((2 + rng.random(n) * 30) * DAY).astype(np.int64))
        keep = answered < END_TS
        index, about_order, answered = index[keep], about_order[keep], answered[keep]
        n = len(index)
        month = month_of(answered)
        promoter, detractor = lookup(PROMOTER, month), lookup(DETRACTOR, month)
        late = o["late"][index]
        promoter = np.where(late, promoter * 0.45, promoter)
        detractor = np.where(late, detractor + 0.30, detractor)
        v = rng.random(n)
        kind = np.where(v < promoter, 0, np.where(v < promoter + detractor, 2, 1))  # promoter, passive, detractor
        scores = Choice({str(s): w for s, w in DETRACTOR_SCORE.items()}, tuple(map(str, range(7))))
        detractor_score = scores.draw(rng, n)
        high = rng.random(n) < 0.55
        score = np.where(kind == 0, np.where(high, 10, 9), np.where(kind == 1, np.where(high, 8, 7), detractor_score))
        p_comment = np.array([0.25, 0.20, 0.60])[kind]
        median = np.array([90.0, 110.0, 240.0])[kind]
        comment = np.where(rng.random(n) < p_comment,
                           np.round(np.minimum(median * rng.lognormal(0.0, 0.8, n), 2000.0)), 0).astype(np.int64)
        customer = o["customer"][index] + 1
        order_id = np.where(about_order, o["order_id"][index], -1)
        order = np.lexsort((order_id, customer, answered))
        self._write("surveys", {
            "survey_id": np.arange(1, n + 1), "customer_id": customer[order], "order_id": order_id[order],
            "answered_at": answered[order], "channel": strings(o["channel"][index][order], CHANNELS),
            "score": score.astype(np.int64)[order], "comment_length": comment[order],
        })

    def _tickets(self, o: dict[str, np.ndarray]) -> None:
        rng = self.stream("tickets")
        n = len(o["ts"])
        u = rng.random(n)
        lost, late = o["lost"], o["late"]
        other = ~lost & ~late & (u < 0.10)
        lost_ticket = lost & (o["promised"] < END_TS) & (u < 0.85)
        late_ticket = late & (u < 0.45)
        after = np.where(o["delivered"] >= 0, o["delivered"], o["ts"])
        created = np.where(lost_ticket, o["promised"] + ((1 + rng.random(n) * 2) * DAY).astype(np.int64),
                           np.where(late_ticket, o["promised"] + ((2 + rng.random(n) * 28) * HOUR).astype(np.int64),
                                    after + (np.minimum(rng.exponential(3.0, n), 30.0) * DAY).astype(np.int64)))
        topic = np.where(other, Choice(ORDER_TICKET_TOPIC, TICKET_TOPICS).draw(rng, n), 0).astype(np.int8)
        index = np.flatnonzero(lost_ticket | late_ticket | other)
        t_created, t_customer = created[index], o["customer"][index]
        t_order, t_topic = o["order_id"][index], topic[index]

        # tickets without an order: account and billing questions, a share of the day's traffic
        counts = rng.poisson(self.day_sessions * LOOSE_TICKETS_PER_SESSION)
        loose = int(counts.sum())
        loose_ts = np.repeat(self.days, counts) * DAY + (7 * HOUR + rng.random(loose) * 12 * HOUR).astype(np.int64)
        existing = np.searchsorted(self.c["created"], loose_ts, side="right")
        loose_customer = pick_weighted(np.cumsum(self._customer_weights(END_TS)), np.maximum(existing, 1), rng, loose)
        t_created = np.concatenate([t_created, loose_ts])
        t_customer = np.concatenate([t_customer, loose_customer])
        t_order = np.concatenate([t_order, np.full(loose, -1)])
        t_topic = np.concatenate([t_topic, Choice(LOOSE_TICKET_TOPIC, TICKET_TOPICS).draw(rng, loose)])
        keep = t_created < END_TS
        t_created, t_customer, t_order, t_topic = t_created[keep], t_customer[keep] + 1, t_order[keep], t_topic[keep]
        order = np.lexsort((t_order, t_customer, t_created))
        t_created, t_customer, t_order, t_topic = t_created[order], t_customer[order], t_order[order], t_topic[order]

        m = len(t_created)
        channel = Choice(TICKET_CHANNEL, TICKET_CHANNELS).draw(rng, m)
        load = lookup(LOAD, month_of(t_created))
        response = np.round(RESPONSE_MEDIAN_S[channel] * load * rng.lognormal(0.0, RESPONSE_SIGMA[channel]), 1)
        resolved = t_created + response.astype(np.int64) + (14 * HOUR * rng.lognormal(0.0, 1.1, m)).astype(np.int64)
        resolved = np.where(resolved < END_TS, resolved, -1)
        self._write("tickets", {
            "ticket_id": np.arange(1, m + 1), "customer_id": t_customer, "order_id": t_order,
            "created_at": t_created, "channel": strings(channel, TICKET_CHANNELS),
            "topic": strings(t_topic, TICKET_TOPICS), "first_response_s": response, "resolved_at": resolved,
            "resolution_s": np.where(resolved >= 0, (resolved - t_created).astype(np.float64), np.nan),
        })

    def _calls(self, o: dict[str, np.ndarray]) -> None:
        rng = self.stream("calls")
        n = len(o["ts"])
        u = rng.random(n)
        incident, late = o["incident"], o["late"]
        has_incident = incident >= 0
        after_incident = has_incident & (u < CALL_AFTER[np.maximum(incident, 0)])
        after_late = ~has_incident & late & (u < 0.30)
        ordinary = ~has_incident & ~late & (u < 0.055)
        billing = ordinary & (o["payment"] == PAYMENTS.index("invoice")) & (rng.random(n) < 0.5)
        trouble_at = np.where(o["delivered"] >= 0, o["delivered"], o["promised"])
        wanted = np.where(after_incident, trouble_at + (8 * HOUR * rng.lognormal(0.0, 0.8, n)).astype(np.int64),
                          np.where(after_late, o["promised"] + ((4 + rng.random(n) * 26) * HOUR).astype(np.int64),
                                   np.where(billing, o["ts"] + ((7 + rng.random(n) * 28) * DAY).astype(np.int64),
                                            o["ts"] + (20 * HOUR * rng.lognormal(0.0, 1.0, n)).astype(np.int64))))
        index = np.flatnonzero(after_incident | after_late | ordinary)
        c_ts = next_office_time(wanted[index], rng)
        c_queue = np.where(billing[index], 2, 1)
        c_customer, c_order = o["customer"][index] + 1, o["order_id"][index]

        # sales and billing calls without an order, on working days
        working = self.day_weekday < 5
        factor = self.sf * lookup(SEASON, self.day_month) * np.array(WEEKDAY)[self.day_weekday] / np.mean(WEEKDAY[:5])
        created = self.c["created"]
        for queue, rate, p_known in ((0, SALES_CALLS_PER_DAY, 0.55), (2, BILLING_CALLS_PER_DAY, 1.0)):
            counts = rng.poisson(np.where(working, rate * factor, 0.0))
            m = int(counts.sum())
            ts = np.repeat(self.days, counts) * DAY + (8 * HOUR + rng.random(m) * 10 * HOUR).astype(np.int64)
            existing = np.maximum(np.searchsorted(created, ts, side="right"), 1)
            customer = (rng.random(m) * existing).astype(np.int64) + 1
            customer = np.where(rng.random(m) < p_known, customer, -1)
            c_ts = np.concatenate([c_ts, ts])
            c_queue = np.concatenate([c_queue, np.full(m, queue)])
            c_customer = np.concatenate([c_customer, customer])
            c_order = np.concatenate([c_order, np.full(m, -1)])
        keep = c_ts < END_TS
        c_ts, c_queue, c_customer, c_order = c_ts[keep], c_queue[keep], c_customer[keep], c_order[keep]
        order = np.lexsort((c_order, c_customer, c_queue, c_ts))
        c_ts, c_queue, c_customer, c_order = c_ts[order], c_queue[order], c_customer[order], c_order[order]

        m = len(c_ts)
        load = lookup(LOAD, month_of(c_ts)) * np.where((weekday_of(c_ts) == 0) & (c_ts % DAY < 12 * HOUR), 1.6, 1.0)
        needed = CALL_WAIT_S * load * QUEUE_SPEED[c_queue] * rng.lognormal(0.0, 1.1, m)
        patience = rng.exponential(CALL_PATIENCE_S, m)
        answered = patience >= needed
        talk = np.where(answered, np.round(TALK_S[c_queue] * rng.lognormal(0.0, 0.6, m), 1), np.nan)
        self._write("calls", {
            "call_id": np.arange(1, m + 1), "customer_id": c_customer, "order_id": c_order, "started_at": c_ts,
            "queue": strings(c_queue.astype(np.int8), QUEUES),
            "wait_s": np.round(np.where(answered, needed, patience), 1),
            "answered": answered, "talk_s": talk,
        })

    def _disputes(self, o: dict[str, np.ndarray]) -> None:
        rng = self.stream("disputes")
        n = len(o["ts"])
        incident, late = o["incident"], o["late"]
        has_incident = incident >= 0
        settled = (o["delivered"] >= 0) | (incident == 0)  # delivered, or declared lost
        chance = np.where(has_incident, DISPUTE_AFTER[np.maximum(incident, 0)], DISPUTE_BASE + DISPUTE_LATE * late)
        disputed = settled & (rng.random(n) < chance)
        u = rng.random(n)
        invoice = o["payment"] == PAYMENTS.index("invoice")
        plain = Choice({"billing": 50, "quality": 35, "missing_items": 15}, DISPUTE_REASONS).draw(rng, n)
        reason = np.where(has_incident, DISPUTE_INCIDENT_REASON[np.maximum(incident, 0)],
                          np.where(late & (u < DISPUTE_LATE / (DISPUTE_BASE + DISPUTE_LATE)), 4,
                                   np.where(invoice & (rng.random(n) < 0.65), 0, plain)))
        billing = reason == 0
        after = np.where(o["delivered"] >= 0, o["delivered"], o["promised"] + 7 * DAY)
        opened = np.where(billing, o["ts"] + 21 * DAY + (5 * DAY * rng.lognormal(0.0, 0.8, n)).astype(np.int64),
                          after + (4 * DAY * rng.lognormal(0.0, 0.8, n)).astype(np.int64))
        revenue = o["revenue"]
        v = rng.random(n)
        amount = np.where(incident == 0, revenue,
                          np.where(billing,
                                   np.where(v < 0.25, revenue, np.round(revenue * (0.05 + rng.random(n) * 0.25))),
                                   np.where(reason == 4, np.round(revenue * (0.05 + rng.random(n) * 0.10)),
                                            np.round(revenue * (0.1 + rng.random(n) * 0.6)))))
        resolved = opened + (9 * DAY * rng.lognormal(0.0, 0.7, n)).astype(np.int64)
        credited = rng.random(n) < DISPUTE_CREDITED[reason]
        index = np.flatnonzero(disputed & (opened < END_TS))
        order = index[np.lexsort((o["order_id"][index], opened[index]))]
        open_ = resolved[order] >= END_TS
        outcome = np.where(open_, 0, np.where(credited[order], 1, 2)).astype(np.int8)
        self._write("disputes", {
            "dispute_id": np.arange(1, len(order) + 1), "order_id": o["order_id"][order],
            "customer_id": o["customer"][order] + 1, "opened_at": opened[order],
            "reason": strings(reason[order].astype(np.int8), DISPUTE_REASONS), "amount": amount[order] / 100,
            "outcome": strings(outcome, DISPUTE_OUTCOMES), "resolved_at": np.where(open_, -1, resolved[order]),
            "channel": strings(o["channel"][order], CHANNELS), "segment": strings(o["segment"][order], SEGMENTS),
            "carrier": strings(o["carrier"][order], CARRIERS),
        })

    def _leads(self) -> None:
        rng = self.stream("leads")
        lam = (LEADS_PER_DAY * self.sf * lookup(SEASON, self.day_month)
               * np.array(WEEKDAY)[self.day_weekday] / np.mean(WEEKDAY))
        counts = rng.poisson(lam)
        n = int(counts.sum())
        created = np.repeat(self.days, counts) * DAY + (7 * HOUR + rng.random(n) * 12 * HOUR).astype(np.int64)
        source = Choice(LEAD_SOURCE, LEAD_SOURCES).draw(rng, n)
        segment = Choice(LEAD_SEGMENT, SEGMENTS).draw(rng, n)
        fair_days = np.array([(d - datetime.date(1970, 1, 1)).days for d in FAIR_DAYS])
        fair_counts = rng.poisson(np.full(len(fair_days), FAIR_LEADS_PER_DAY * self.sf))
        m = int(fair_counts.sum())
        created = np.concatenate([created, np.repeat(fair_days, fair_counts) * DAY
                                  + (9 * HOUR + rng.random(m) * 9 * HOUR).astype(np.int64)])
        source = np.concatenate([source, np.full(m, LEAD_SOURCES.index("trade_fair"), dtype=np.int8)])
        segment = np.concatenate([segment, Choice(FAIR_SEGMENT, SEGMENTS).draw(rng, m)])
        order = np.argsort(created, kind="stable")
        created, source, segment = created[order], source[order], segment[order]
        n = len(created)

        steps = LEAD_STEPS[source].copy()
        steps[:, 2] = np.minimum(0.95, steps[:, 2] * WIN_SEGMENT[segment])
        medians = np.column_stack([np.full(n, 2.0), np.full(n, 8.0), WIN_DAYS[segment]])
        sigmas = np.array([0.9, 0.8, 0.5])
        times = np.full((n, 3), -1, dtype=np.int64)
        at = created.copy()
        reached = np.ones(n, dtype=bool)
        for step in range(3):
            reached &= rng.random(n) < steps[:, step]
            wait = (medians[:, step] * DAY * rng.lognormal(0.0, sigmas[step], n)).astype(np.int64)
            at = next_office_time(at + wait, rng)
            reached &= at < END_TS
            times[:, step] = np.where(reached, at, -1)

        # a won deal becomes an account of its segment opened shortly before the deal closed
        customer = np.full(n, -1, dtype=np.int64)
        won = np.flatnonzero(times[:, 2] >= 0)
        c_created, c_segment = self.c["created"], self.c["segment"]
        for code in range(len(SEGMENTS)):
            ids = np.flatnonzero(c_segment == code)
            index = won[segment[won] == code]
            before = np.searchsorted(c_created[ids], times[index, 2], side="right")
            pick = before - 1 - rng.exponential(5.0, len(index)).astype(np.int64)
            ok = pick >= 0
            customer[index[ok]] = ids[pick[ok]] + 1
            times[index[~ok], 2] = -1  # no account yet: the deal is still being closed
        stage = (times >= 0).sum(axis=1).astype(np.int8)
        self._write("leads", {
            "lead_id": np.arange(1, n + 1), "created_at": created, "source": strings(source, LEAD_SOURCES),
            "segment": strings(segment, SEGMENTS), "stage": strings(stage, LEAD_STAGES),
            "qualified_at": times[:, 0], "opportunity_at": times[:, 1], "won_at": times[:, 2],
            "customer_id": customer,
        })


# --- output folder -----------------------------------------------------------------------


def _complete(out: Path, seed: int, sf: float) -> bool:
    """Whether `out` holds a complete dataset for this seed, scale factor and generator version."""
    try:
        manifest = json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    if (manifest.get("generator"), manifest.get("seed"), manifest.get("sf")) != (GENERATOR_VERSION, seed, sf):
        return False
    files = manifest.get("files", {})
    if set(files) != {f"{t}.parquet" for t in TABLES} | {DUCKDB_FILE}:
        return False
    return all((out / name).is_file() and (out / name).stat().st_size == size for name, size in files.items())


def _load_duckdb(folder: Path) -> None:
    import duckdb

    con = duckdb.connect(str(folder / DUCKDB_FILE))
    try:
        # the Parquet rows are in time order already (`Writer` checks it), and DuckDB keeps
        # the order of a scan without ORDER BY: the tables come out sorted, without a sort
        con.execute("SET preserve_insertion_order = true")
        for name in TABLES:
            path = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def generate(out: Path, sf: float, seed: int, force: bool = False) -> dict:
    """Generate the dataset into `out` (unless complete already); return its manifest."""
    out = out.resolve()
    if not force and _complete(out, seed, sf):
        print(f"{out}: complete for seed {seed}, sf {sf:g} ({GENERATOR_VERSION}); nothing to do (--force rebuilds)")
        return json.loads((out / MANIFEST).read_text())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the finished folder should not be
    try:
        started = time.perf_counter()
        rows = Simulation(sf, seed, tmp).run()
        parquet_s = time.perf_counter() - started
        _load_duckdb(tmp)
        total_s = time.perf_counter() - started
        files = {f"{t}.parquet": (tmp / f"{t}.parquet").stat().st_size for t in TABLES}
        files[DUCKDB_FILE] = (tmp / DUCKDB_FILE).stat().st_size
        manifest = {"generator": GENERATOR_VERSION, "seed": seed, "sf": sf,
                    "rows": {t: rows[t] for t in TABLES}, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    width = max(len(t) for t in TABLES)
    for t in TABLES:
        print(f"{t:<{width}} {rows[t]:>12,} rows {files[t + '.parquet'] / 1e6:>10.1f} MB")
    print(f"{DUCKDB_FILE}: {files[DUCKDB_FILE] / 1e6:.1f} MB")
    print(f"{out}: sf {sf:g}, seed {seed}: Parquet in {parquet_s:.1f} s, with DuckDB {total_s:.1f} s")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sf", type=float, required=True, help="scale factor: 1 = ~1M sessions, ~100k orders")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="output folder (default: benchmarks/data/sf<SF>)")
    parser.add_argument("--force", action="store_true", help="regenerate even if the folder is complete")
    args = parser.parse_args(argv)
    if not args.sf > 0:
        parser.error("--sf must be positive")
    if args.seed < 0:
        parser.error("--seed must be non-negative")
    out = args.out or Path(__file__).resolve().parent / "data" / f"sf{args.sf:g}"
    generate(out, args.sf, args.seed, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
