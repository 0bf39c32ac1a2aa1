"""After-sales data beside the orders: shipping incidents, returns, disputes and service calls.

Each builder takes the already generated tables (as column lists, timestamps in int
seconds) and its own `random.Random` stream, and never touches the orders' own values.
Follow-ups of an order happen after it (after its delivery where that matters) and,
like tickets and surveys, only inside the simulated period: what would come later is
left out, and a decision still pending at the end stays pending.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Mapping, Sequence

from ._shared import DAY, HOUR, LOAD, MONTH_MOOD, SEASON, WEEKDAY, Draws, Period, Picker
from ._shared import month as month_of
from ._shared import next_office_time, numbered, poisson
from ._shared import weekday as weekday_of

# --- shipping incidents -------------------------------------------------------------

# carrier -> chance that a delivered parcel had an incident (dpd clearly worse, also
# because it is late more often); lost parcels come from the order simulation itself
# and are not delivered, so they are not part of the incident rate of delivered orders
_INCIDENT_RATE = {"dhl": 0.0105, "ups": 0.0105, "fedex": 0.014, "dpd": 0.027}
# a late parcel far more often had trouble on the way; on-time ones a bit less
_INCIDENT_LATE_FACTOR = 4.0
_INCIDENT_ON_TIME_FACTOR = 0.82
_INCIDENT_LATE = {"delayed_in_transit": 60, "wrong_address": 25, "damaged": 15}
_INCIDENT_ON_TIME = {"damaged": 80, "wrong_address": 20}
_LOST_AFTER = 7 * DAY  # a parcel is declared lost a week after its promised delivery

# --- returns --------------------------------------------------------------------------

_RETURN_BASE = 0.033  # share of ordinary delivered orders with a return request
_RETURN_LATE = 0.07  # late delivery, no incident
_RETURN_AFTER = {"damaged": 0.55, "wrong_address": 0.08, "delayed_in_transit": 0.10}
_RETURN_REASON = {"not_needed": 35, "defective": 28, "wrong_item": 22, "damaged": 15}
_RETURN_LATE_REASON = 0.6  # share of returns after a late delivery that give it as the reason
_RETURN_REJECTED = {"not_needed": 0.30, "defective": 0.15, "wrong_item": 0.05, "damaged": 0.06,
                    "late_delivery": 0.12}
_RETURN_REQUEST_DAYS = 3.0  # median days from delivery to the request
_RETURN_DECISION_DAYS = 6.0  # median days from the request to the refund (goods back in the warehouse)
_RETURN_WINDOW_DAYS = 30

# --- disputes -------------------------------------------------------------------------

_DISPUTE_BASE = 0.0055  # any order: billing, quality or missing-item claims
_DISPUTE_LATE = 0.05
_DISPUTE_AFTER = {"lost": 0.55, "damaged": 0.25, "wrong_address": 0.10, "delayed_in_transit": 0.10}
_DISPUTE_INCIDENT_REASON = {"lost": "missing_items", "damaged": "damaged", "wrong_address": "missing_items",
                            "delayed_in_transit": "late_delivery"}
_DISPUTE_REASON = {"billing": 50, "quality": 35, "missing_items": 15}
_DISPUTE_INVOICE_BILLING = 0.65  # invoice payers dispute bills more often
_DISPUTE_CREDITED = {"missing_items": 0.80, "damaged": 0.75, "billing": 0.55, "quality": 0.50,
                     "late_delivery": 0.40}
_DISPUTE_RESOLUTION_DAYS = 9.0  # median

# --- service calls --------------------------------------------------------------------

_CALL_PER_ORDER = 0.055  # an ordinary order: status, invoice or product questions
_CALL_LATE = 0.30
_CALL_AFTER = {"lost": 0.60, "damaged": 0.45, "wrong_address": 0.50, "delayed_in_transit": 0.50}
_CALL_INVOICE_BILLING = 0.5  # ordinary calls about invoice-paid orders that go to billing
_SALES_CALLS_PER_DAY = 0.55  # working day, scale 1.0
_ACCOUNT_CALLS_PER_DAY = 0.15  # billing questions without an order
_SALES_CALL_KNOWN = 0.55  # share of sales calls from existing customers (the rest are prospects)
_CALL_WAIT_S = 6.0  # median wait until an agent answers, quiet month
_CALL_QUEUE_SPEED = {"sales": 0.8, "support": 1.0, "billing": 1.15}
_CALL_MONDAY_MORNING = 1.6
_CALL_PATIENCE_S = 120.0  # mean time a caller waits before hanging up
_CALL_TALK_S = {"sales": 380.0, "support": 290.0, "billing": 230.0}  # median


def shipping_incidents(orders: Mapping[str, list], rng: random.Random, period: Period) -> list[str | None]:
    """``orders.shipping_incident``: lost parcels, and incidents on delivered ones by carrier and lateness."""
    rnd = rng.random
    on_time = Picker(_INCIDENT_ON_TIME)
    late = Picker(_INCIDENT_LATE)
    incidents: list[str | None] = []
    for carrier, promised, delivered, lost in zip(
        orders["carrier"], orders["promised_at"], orders["delivered_at"], orders["_lost"]
    ):
        if delivered is None:
            known = lost and promised + _LOST_AFTER < period.end_ts
            incidents.append("lost" if known else None)
            continue
        is_late = delivered > promised
        factor = _INCIDENT_LATE_FACTOR if is_late else _INCIDENT_ON_TIME_FACTOR
        if rnd() < _INCIDENT_RATE[carrier] * factor:
            incidents.append((late if is_late else on_time).pick(rnd))
        else:
            incidents.append(None)
    return incidents


def _lines_by_order(order_lines: Mapping[str, list]) -> dict[int, list[tuple[int, int]]]:
    """order_id -> [(quantity, unit price in cents)] of its lines."""
    lines: dict[int, list[tuple[int, int]]] = {}
    for order_id, quantity, price in zip(order_lines["order_id"], order_lines["quantity"],
                                         order_lines["unit_price"]):
        lines.setdefault(order_id, []).append((quantity, round(price * 100)))
    return lines


def _partial_cents(lines: Sequence[tuple[int, int]], rnd) -> int:
    """Value of part of an order: one line (usually) or all, some or all of their units.

    Never more than the order's revenue, which is the sum of its lines.
    """
    chosen = lines if len(lines) == 1 or rnd() < 0.3 else [lines[int(rnd() * len(lines))]]
    cents = 0
    for quantity, price in chosen:
        units = quantity if rnd() < 0.5 else 1 + int(rnd() * quantity)
        cents += units * price
    return cents


def returns(
    orders: Mapping[str, list], order_lines: Mapping[str, list], rng: random.Random, period: Period
) -> dict[str, list]:
    """Return requests after delivered orders: more after damage and late deliveries, ~80% refunded."""
    draws = Draws(rng)
    rnd = draws.random
    reasons = Picker(_RETURN_REASON)
    lines = _lines_by_order(order_lines)
    end_ts = period.end_ts
    drafts: list[tuple] = []
    for order_id, customer_id, promised, delivered, incident, channel, segment, carrier in zip(
        orders["order_id"], orders["customer_id"], orders["promised_at"], orders["delivered_at"],
        orders["shipping_incident"], orders["channel"], orders["segment"], orders["carrier"],
    ):
        if delivered is None:
            continue
        late = delivered > promised
        if incident is not None:
            chance = _RETURN_AFTER.get(incident, _RETURN_BASE)
        else:
            chance = _RETURN_LATE if late else _RETURN_BASE
        if rnd() >= chance:
            continue
        if incident == "damaged":
            reason = "damaged"
        elif late and rnd() < _RETURN_LATE_REASON:
            reason = "late_delivery"
        else:
            reason = reasons.pick(rnd)
        days = min(draws.median_lognorm(_RETURN_REQUEST_DAYS, 0.8), _RETURN_WINDOW_DAYS)
        requested = delivered + int(days * DAY)
        if requested >= end_ts:
            continue
        decided = requested + int(draws.median_lognorm(_RETURN_DECISION_DAYS, 0.5) * DAY)
        refund = None
        refunded = None
        if decided >= end_ts:
            status = "pending"
        elif rnd() < _RETURN_REJECTED[reason]:
            status = "rejected"
        else:
            status = "refunded"
            refund = _partial_cents(lines[order_id], rnd) / 100
            refunded = decided
        drafts.append((requested, order_id, customer_id, reason, status, refund, refunded,
                       channel, segment, carrier))
    names = ("requested_at", "order_id", "customer_id", "reason", "status", "refund_amount", "refunded_at",
             "channel", "segment", "carrier")
    return numbered(drafts, "return_id", names)


def _dispute_chance(incident: str | None, late: bool) -> float:
    if incident is not None:
        return _DISPUTE_AFTER[incident]
    return _DISPUTE_BASE + (_DISPUTE_LATE if late else 0.0)


def _dispute_reason(incident: str | None, late: bool, payment: str, reasons: Picker, rnd) -> str:
    if incident is not None:
        return _DISPUTE_INCIDENT_REASON[incident]
    if late and rnd() < _DISPUTE_LATE / (_DISPUTE_LATE + _DISPUTE_BASE):
        return "late_delivery"
    if payment == "invoice" and rnd() < _DISPUTE_INVOICE_BILLING:
        return "billing"
    return reasons.pick(rnd)


def _dispute_amount(reason: str, incident: str | None, revenue: float, lines, rnd) -> float:
    if incident == "lost":
        return revenue
    if reason == "billing":
        return revenue if rnd() < 0.25 else round(revenue * (0.05 + rnd() * 0.25), 2)
    if reason == "late_delivery":
        return round(revenue * (0.05 + rnd() * 0.10), 2)
    return _partial_cents(lines, rnd) / 100


def _dispute_opened(reason: str, ordered: int, promised: int, delivered: int | None, draws: Draws) -> int:
    if reason == "billing":  # once the invoice is due
        return ordered + 21 * DAY + int(draws.median_lognorm(5.0, 0.8) * DAY)
    after = promised + 7 * DAY if delivered is None else delivered
    return after + int(draws.median_lognorm(4.0, 0.8) * DAY)


def disputes(
    orders: Mapping[str, list], order_lines: Mapping[str, list], rng: random.Random, period: Period
) -> dict[str, list]:
    """After-sales claims: ~1% of orders, far more after incidents and late deliveries."""
    draws = Draws(rng)
    rnd = draws.random
    reasons = Picker(_DISPUTE_REASON)
    lines = _lines_by_order(order_lines)
    end_ts = period.end_ts
    drafts: list[tuple] = []
    for (order_id, customer_id, ordered, promised, delivered, incident, payment, revenue,
         channel, segment, carrier) in zip(
        orders["order_id"], orders["customer_id"], orders["ordered_at"], orders["promised_at"],
        orders["delivered_at"], orders["shipping_incident"], orders["payment_method"], orders["revenue"],
        orders["channel"], orders["segment"], orders["carrier"],
    ):
        if delivered is None and incident != "lost":  # still on its way when the period ends
            continue
        late = delivered is not None and delivered > promised
        if rnd() >= _dispute_chance(incident, late):
            continue
        reason = _dispute_reason(incident, late, payment, reasons, rnd)
        opened = _dispute_opened(reason, ordered, promised, delivered, draws)
        if opened >= end_ts:
            continue
        amount = _dispute_amount(reason, incident, revenue, lines[order_id], rnd)
        resolved = opened + int(draws.median_lognorm(_DISPUTE_RESOLUTION_DAYS, 0.7) * DAY)
        if resolved >= end_ts:
            outcome, resolved_at = "open", None
        else:
            outcome = "credited" if rnd() < _DISPUTE_CREDITED[reason] else "rejected"
            resolved_at = resolved
        drafts.append((opened, order_id, customer_id, reason, amount, outcome, resolved_at,
                       channel, segment, carrier))
    names = ("opened_at", "order_id", "customer_id", "reason", "amount", "outcome", "resolved_at",
             "channel", "segment", "carrier")
    return numbered(drafts, "dispute_id", names)


# --- calls ----------------------------------------------------------------------------


def _order_call(
    ordered: int, promised: int, delivered: int | None, incident: str | None, payment: str, draws: Draws
) -> tuple[int, str] | None:
    """(moment the customer wants to call, queue) about one order, or None."""
    rnd = draws.random
    late = delivered is not None and delivered > promised
    if incident is not None:
        if rnd() >= _CALL_AFTER[incident]:
            return None
        after = promised if delivered is None else delivered
        return after + int(draws.median_lognorm(8.0, 0.8) * HOUR), "support"
    if late:
        if rnd() >= _CALL_LATE:
            return None
        return promised + int((4 + rnd() * 26) * HOUR), "support"
    if rnd() >= _CALL_PER_ORDER:
        return None
    if payment == "invoice" and rnd() < _CALL_INVOICE_BILLING:
        return ordered + int((7 + rnd() * 28) * DAY), "billing"
    return ordered + int(draws.median_lognorm(20.0, 1.0) * HOUR), "support"


def _day_calls(day: int, lam: float, rnd) -> list[int]:
    """Times of a Poisson number of calls during one day's office hours."""
    return [day * DAY + 8 * HOUR + int(rnd() * 10 * HOUR) for _ in range(poisson(rnd, lam))]


def _answer(ts: int, queue: str, draws: Draws) -> tuple[float, bool, float | None]:
    """(wait_s, answered, talk_s) of a call: waits grow with the month's load and on Monday mornings."""
    rnd = draws.random
    load = MONTH_MOOD[month_of(ts)][LOAD]
    if weekday_of(ts) == 0 and (ts % DAY) < 12 * HOUR:
        load *= _CALL_MONDAY_MORNING
    needed = draws.median_lognorm(_CALL_WAIT_S * load * _CALL_QUEUE_SPEED[queue], 1.1)
    patience = draws.expo(1.0 / _CALL_PATIENCE_S)
    if patience < needed:
        return round(patience, 1), False, None
    talk = draws.median_lognorm(_CALL_TALK_S[queue], 0.6)
    return round(needed, 1), True, round(talk, 1)


def calls(
    orders: Mapping[str, list], customers: Mapping[str, list], rng: random.Random, period: Period
) -> dict[str, list]:
    """Phone calls to customer service: about orders (more after trouble), sales and billing questions."""
    draws = Draws(rng)
    rnd = draws.random
    end_ts = period.end_ts
    # (started_at, queue, customer_id, order_id)
    wanted: list[tuple[int, str, int | None, int | None]] = []
    for order_id, customer_id, ordered, promised, delivered, incident, payment in zip(
        orders["order_id"], orders["customer_id"], orders["ordered_at"], orders["promised_at"],
        orders["delivered_at"], orders["shipping_incident"], orders["payment_method"],
    ):
        call = _order_call(ordered, promised, delivered, incident, payment, draws)
        if call is not None:
            wanted.append((next_office_time(call[0], rnd), call[1], customer_id, order_id))

    created = sorted(zip(customers["created_at"], customers["customer_id"]))
    created_at = [c[0] for c in created]
    mean_weekday = sum(WEEKDAY[:5]) / 5
    for day in range(period.start_day, period.end_day):
        weekday = (day + 3) % 7
        if weekday >= 5:
            continue
        factor = period.scale * SEASON[month_of(day * DAY)] * WEEKDAY[weekday] / mean_weekday
        for ts in _day_calls(day, _SALES_CALLS_PER_DAY * factor, rnd):
            known = bisect.bisect_right(created_at, ts)
            customer = created[int(rnd() * known)][1] if known and rnd() < _SALES_CALL_KNOWN else None
            wanted.append((ts, "sales", customer, None))
        for ts in _day_calls(day, _ACCOUNT_CALLS_PER_DAY * factor, rnd):
            known = bisect.bisect_right(created_at, ts)
            if known:
                wanted.append((ts, "billing", created[int(rnd() * known)][1], None))

    drafts = []
    for ts, queue, customer_id, order_id in wanted:
        if ts < end_ts:
            wait, answered, talk = _answer(ts, queue, draws)
            drafts.append((ts, customer_id, order_id, queue, wait, answered, talk))
    names = ("started_at", "customer_id", "order_id", "queue", "wait_s", "answered", "talk_s")
    return numbered(drafts, "call_id", names)
