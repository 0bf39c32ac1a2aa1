"""Marketing data beside the shop: daily ad-platform campaign rows and the B2B lead funnel.

Paid-search clicks follow the day's paid-search sessions, and every conversion a
platform reports is a real order it claims (platforms over-attribute: an order may be
claimed by several). The newsletter goes to a list that grows with the e-mail opt-ins.
Leads move through suspect -> lead -> prospect -> customer; a stage is reached only
inside the simulated period, and a won lead points at a real customer account.
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections import Counter
from collections.abc import Mapping, Sequence

from attrs import frozen

from ._shared import (
    DAY,
    EPOCH,
    HOUR,
    SEASON,
    WEEKDAY,
    Draws,
    Period,
    Picker,
    next_office_time,
    numbered,
    poisson,
    trade_fair_days,
)
from ._shared import month as month_of


@frozen
class _Campaign:
    """One campaign as the ad platform sees it.

    ``cost`` is the cost per click (per send for e-mail), ``ctr`` clicks per impression
    (per send). Paid search takes ``click_share`` of the day's paid-search clicks; paid
    social and display spend ``budget`` EUR a day at scale 1; e-mail sends on
    ``weekday`` in the ``weeks`` of the month (1 = days 1-7, ...; empty: every week).
    ``claims`` is the chance to claim an order of each channel on a day it runs,
    ``segments`` whose orders it can claim at all (empty: all).
    """

    name: str
    channel: str
    network: str
    cost: float
    ctr: float
    claims: Mapping[str, float]
    click_share: float = 0.0
    budget: float = 0.0
    months: tuple[int, ...] = tuple(range(1, 13))
    weekday: int | None = None
    weeks: tuple[int, ...] = ()
    segments: tuple[str, ...] = ()

    def runs_on(self, day: int, month: int, day_of_month: int) -> bool:
        if month not in self.months:
            return False
        if self.weekday is None:
            return True
        return (day + 3) % 7 == self.weekday and (not self.weeks or (day_of_month - 1) // 7 + 1 in self.weeks)


_ALL_CHANNELS = ("organic", "paid_search", "email", "direct", "referral")


def _everywhere(chance: float) -> dict[str, float]:
    return dict.fromkeys(_ALL_CHANNELS, chance)


_CAMPAIGNS = (
    _Campaign("Brand | Google Search", "paid_search", "google_ads", 1.30, 0.058,
              {"paid_search": 0.28, "direct": 0.02, "organic": 0.01}, click_share=0.30),
    _Campaign("Office supplies | Google Search", "paid_search", "google_ads", 2.50, 0.034,
              {"paid_search": 0.27, "organic": 0.01}, click_share=0.30),
    _Campaign("IT hardware | Google Shopping", "paid_search", "google_ads", 3.30, 0.029,
              {"paid_search": 0.18}, click_share=0.20),
    _Campaign("Brand | Bing Ads", "paid_search", "bing_ads", 1.25, 0.052,
              {"paid_search": 0.07, "direct": 0.005}, click_share=0.08),
    _Campaign("Office furniture | Bing Ads", "paid_search", "bing_ads", 3.00, 0.031,
              {"paid_search": 0.11}, click_share=0.12),
    _Campaign("Procurement managers | LinkedIn", "paid_social", "linkedin", 3.40, 0.0075,
              _everywhere(0.008), budget=45.0, months=(1, 2, 3, 4, 5, 6, 9, 10, 11, 12),
              segments=("mid_market", "enterprise")),
    _Campaign("Office managers | LinkedIn", "paid_social", "linkedin", 3.00, 0.0085,
              _everywhere(0.006), budget=30.0, months=(10, 11, 12, 1, 2, 3), segments=("smb", "mid_market")),
    _Campaign("Retargeting | Display", "display", "display_network", 1.25, 0.0055,
              _everywhere(0.010), budget=35.0),
    _Campaign("Q4 prospecting | Display", "display", "display_network", 1.45, 0.0032,
              _everywhere(0.006), budget=60.0, months=(10, 11, 12)),
    _Campaign("Newsletter", "email", "newsletter", 0.0009, 0.032,
              {"email": 0.05}, weekday=1, weeks=(1, 3)),
    _Campaign("Weekly offers", "email", "newsletter", 0.0009, 0.021,
              {"email": 0.04}, weekday=3),
)
_SEARCH_CLICKS_PER_SESSION = 1.12  # clicks the platform counts per tracked paid-search session
_EMAIL_LIST = 5200  # subscribers before the period, scale 1
_EMAIL_CLAIM_DAYS = 7  # an e-mail claims orders up to a week after its send
_Q4_CPC = 0.4  # auction prices rise with seasonal demand

# --- leads ----------------------------------------------------------------------------

_LEADS_PER_MONTH = 280  # suspects entering the funnel, scale 1, before seasonality
_FAIR_LEADS_PER_DAY = 45  # badge scans per trade-fair day, scale 1
_LEAD_SOURCE = {"web_form": 40, "paid_search": 22, "cold_outreach": 17, "referral": 12, "partner": 9}
_LEAD_SEGMENT = {"smb": 50, "mid_market": 32, "enterprise": 18}
_FAIR_SEGMENT = {"smb": 35, "mid_market": 40, "enterprise": 25}
# source -> chance to become a lead (qualified), a prospect (opportunity), a customer (won)
_LEAD_STAGES = {
    "web_form": (0.55, 0.40, 0.27),
    "paid_search": (0.50, 0.38, 0.24),
    "trade_fair": (0.45, 0.36, 0.26),
    "referral": (0.65, 0.50, 0.35),
    "cold_outreach": (0.30, 0.30, 0.20),
    "partner": (0.60, 0.48, 0.33),
}
_WIN_SEGMENT = {"smb": 1.1, "mid_market": 1.0, "enterprise": 0.85}
_QUALIFY_DAYS = 2.0  # median days from entering to qualified
_OPPORTUNITY_DAYS = 8.0  # median days from qualified to an opportunity
_WIN_DAYS = {"smb": 18.0, "mid_market": 30.0, "enterprise": 50.0}  # median days to closing


# --- campaigns --------------------------------------------------------------------------


def _daily_paid_search_sessions(sessions: Mapping[str, list]) -> Counter:
    return Counter(ts // DAY for ts, channel in zip(sessions["started_at"], sessions["channel"])
                   if channel == "paid_search")


def _list_sizes(optins: Mapping[str, list], period: Period) -> list[int]:
    """Newsletter subscribers at the start of each day of the period."""
    base = round(_EMAIL_LIST * period.scale)
    per_day = Counter(ts // DAY for ts in optins["subscribed_at"])
    sizes = []
    for day in range(period.start_day, period.end_day):
        sizes.append(base)
        base += per_day[day]
    return sizes


def _delivery(campaign: _Campaign, day: int, paid_sessions: int, subscribers: int,
              season: float, scale: float, draws: Draws) -> tuple[int, int, float]:
    """(impressions, clicks, spend) of one campaign on one day it runs."""
    noise = draws.median_lognorm
    if campaign.channel == "email":
        clicks = round(subscribers * campaign.ctr * noise(1.0, 0.15))
        return subscribers, clicks, round(subscribers * campaign.cost, 2)
    cpc = campaign.cost * (1.0 + _Q4_CPC * (season - 1.0)) * noise(1.0, 0.1)
    if campaign.channel == "paid_search":
        expected = paid_sessions * _SEARCH_CLICKS_PER_SESSION * campaign.click_share
    else:
        weekday = (day + 3) % 7
        expected = campaign.budget * scale * WEEKDAY[weekday] / (sum(WEEKDAY) / 7) * season / cpc
    clicks = round(expected * noise(1.0, 0.1))
    impressions = round(max(expected, 0.5) / (campaign.ctr * noise(1.0, 0.08)))
    return impressions, clicks, round(clicks * cpc, 2)


def _claim_row(campaign_index: int, order_day: int, rows: Mapping[tuple[int, int], int]) -> int | None:
    """Row of the campaign that gets the credit for an order on `order_day`, if it ran recently enough."""
    lookback = _EMAIL_CLAIM_DAYS if _CAMPAIGNS[campaign_index].channel == "email" else 1
    for day in range(order_day, order_day - lookback, -1):
        row = rows.get((campaign_index, day))
        if row is not None:
            return row
    return None


def campaigns(
    sessions: Mapping[str, list],
    orders: Mapping[str, list],
    optins: Mapping[str, list],
    rng: random.Random,
    period: Period,
) -> dict[str, list]:
    """One row per campaign per day it runs, with the orders each platform claims."""
    draws = Draws(rng)
    rnd = draws.random
    paid_sessions = _daily_paid_search_sessions(sessions)
    subscribers = _list_sizes(optins, period)
    columns: dict[str, list] = {name: [] for name in (
        "campaign_id", "campaign", "day", "channel", "network", "impressions", "clicks", "spend")}
    rows: dict[tuple[int, int], int] = {}
    for day in range(period.start_day, period.end_day):
        date = EPOCH + datetime.timedelta(days=day)
        season = SEASON[date.month]
        for index, campaign in enumerate(_CAMPAIGNS):
            if not campaign.runs_on(day, date.month, date.day):
                continue
            impressions, clicks, spend = _delivery(
                campaign, day, paid_sessions[day], subscribers[day - period.start_day], season, period.scale,
                draws)
            rows[index, day] = len(columns["day"])
            for name, value in (("campaign_id", index + 1), ("campaign", campaign.name), ("day", day * DAY),
                                ("channel", campaign.channel), ("network", campaign.network),
                                ("impressions", impressions), ("clicks", clicks), ("spend", spend)):
                columns[name].append(value)

    conversions = [0] * len(columns["day"])
    revenue_cents = [0] * len(columns["day"])
    for ordered, channel, segment, revenue in zip(
        orders["ordered_at"], orders["channel"], orders["segment"], orders["revenue"]
    ):
        for index, campaign in enumerate(_CAMPAIGNS):
            chance = campaign.claims.get(channel, 0.0)
            if not chance or (campaign.segments and segment not in campaign.segments) or rnd() >= chance:
                continue
            row = _claim_row(index, ordered // DAY, rows)
            if row is not None:
                conversions[row] += 1
                revenue_cents[row] += round(revenue * 100)
    columns["conversions"] = conversions
    columns["conversion_revenue"] = [cents / 100 for cents in revenue_cents]
    return columns


# --- leads ------------------------------------------------------------------------------


def _lead_arrivals(period: Period, draws: Draws) -> list[tuple[int, str, str]]:
    """(created_at, source, segment) of every suspect entering the funnel."""
    rnd = draws.random
    sources = Picker(_LEAD_SOURCE)
    segments = Picker(_LEAD_SEGMENT)
    fair_segments = Picker(_FAIR_SEGMENT)
    fairs = set(trade_fair_days(period))
    daily = _LEADS_PER_MONTH * 12 / 365.25 * period.scale
    mean_weekday = sum(WEEKDAY) / 7
    arrivals = []
    for day in range(period.start_day, period.end_day):
        lam = daily * SEASON[month_of(day * DAY)] * WEEKDAY[(day + 3) % 7] / mean_weekday
        for _ in range(poisson(rnd, lam)):
            ts = day * DAY + 7 * HOUR + int(rnd() * 12 * HOUR)
            arrivals.append((ts, sources.pick(rnd), segments.pick(rnd)))
        if day in fairs:
            for _ in range(poisson(rnd, _FAIR_LEADS_PER_DAY * period.scale)):
                ts = day * DAY + 9 * HOUR + int(rnd() * 9 * HOUR)
                arrivals.append((ts, "trade_fair", fair_segments.pick(rnd)))
    arrivals.sort(key=lambda a: a[0])
    return arrivals


def _stage_times(created: int, source: str, segment: str, period: Period,
                 draws: Draws) -> tuple[int | None, int | None, int | None]:
    """(qualified_at, opportunity_at, won_at); a stage not reached within the period is None.

    Sales works office hours, so every step after the first lands in them.
    """
    rnd = draws.random
    p_qualify, p_opportunity, p_win = _LEAD_STAGES[source]
    steps = ((p_qualify, _QUALIFY_DAYS, 0.9), (p_opportunity, _OPPORTUNITY_DAYS, 0.8),
             (min(0.95, p_win * _WIN_SEGMENT[segment]), _WIN_DAYS[segment], 0.5))
    times: list[int | None] = []
    at = created
    for chance, median_days, sigma in steps:
        if rnd() >= chance:
            break
        at = next_office_time(at + int(draws.median_lognorm(median_days, sigma) * DAY), rnd)
        if at >= period.end_ts:
            break
        times.append(at)
    times.extend([None] * (3 - len(times)))
    return times[0], times[1], times[2]


class _Accounts:
    """Customer accounts a won lead can become: the latest unclaimed one of its segment at the time."""

    def __init__(self, customers: Mapping[str, list]) -> None:
        self.created: dict[str, list[int]] = {}
        self.ids: dict[str, list[int]] = {}
        for customer_id, created, segment in sorted(
            zip(customers["customer_id"], customers["created_at"], customers["segment"]), key=lambda c: (c[1], c[0])
        ):
            self.created.setdefault(segment, []).append(created)
            self.ids.setdefault(segment, []).append(customer_id)
        self.taken: set[int] = set()

    def claim(self, segment: str, won_at: int) -> int | None:
        ids = self.ids.get(segment, [])
        for index in range(bisect.bisect_right(self.created.get(segment, []), won_at) - 1, -1, -1):
            if ids[index] not in self.taken:
                self.taken.add(ids[index])
                return ids[index]
        return None


def leads(customers: Mapping[str, list], rng: random.Random, period: Period) -> dict[str, list]:
    """The B2B funnel: one row per suspect, the furthest stage it reached and when."""
    draws = Draws(rng)
    drafts = []
    for created, source, segment in _lead_arrivals(period, draws):
        qualified, opportunity, won = _stage_times(created, source, segment, period, draws)
        drafts.append([created, source, segment, qualified, opportunity, won, None])
    accounts = _Accounts(customers)
    # accounts are handed out in the order deals close, so each goes to the deal closing right after it opened
    for draft in sorted((d for d in drafts if d[5] is not None), key=lambda d: d[5]):
        draft[6] = accounts.claim(draft[2], draft[5])
        if draft[6] is None:  # no account of that segment left: the deal is still being closed
            draft[5] = None
    rows = [(d[0], d[1], d[2], _stage(d), d[3], d[4], d[5], d[6]) for d in drafts]
    return numbered(rows, "lead_id", ("created_at", "source", "segment", "stage", "qualified_at",
                                      "opportunity_at", "won_at", "customer_id"))


def _stage(draft: Sequence) -> str:
    qualified, opportunity, won = draft[3], draft[4], draft[5]
    if won is not None:
        return "customer"
    if opportunity is not None:
        return "prospect"
    if qualified is not None:
        return "lead"
    return "suspect"
