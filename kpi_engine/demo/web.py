"""Web analytics beside the sessions: entry and exit pages, page speed, site search, e-mail opt-ins.

The builders read the generated sessions, carts, orders and customers (column lists,
timestamps in int seconds) and draw from their own `random.Random` streams. Searches
copy their session's visitor, channel and device and happen during the visit; a
visit's pages agree with what happened in it (a bounce ends where it started, a visit
that ordered ends in the checkout or the account, one that searched may end on the
search page, and only visits that searched start on it).
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Mapping

from ._shared import DAY, SEASON, Draws, Period, Picker, numbered, trade_fair_days
from ._shared import month as month_of

# an order placed this soon after the cart was filled was placed during the visit
# (the order simulation checks out right away within 60..1,260 s, or after an approval)
_CHECKOUT_WINDOW_S = 1260

# --- entry and exit pages -------------------------------------------------------------

# page kinds per channel; "category" and "product" spread over the demo categories by popularity
_LANDING = {
    "organic": {"product": 38, "category": 24, "/": 14, "/blog": 14, "/delivery-info": 4, "/contact": 3,
                "/quote-request": 3},
    "paid_search": {"product": 50, "category": 38, "/": 8, "/quote-request": 4},
    "email": {"category": 40, "product": 30, "/": 20, "/blog": 6, "/account": 4},
    "direct": {"/": 55, "/account": 15, "product": 10, "category": 8, "/cart": 6, "/contact": 3,
               "/delivery-info": 3},
    "referral": {"product": 35, "/": 25, "category": 15, "/blog": 15, "/quote-request": 5, "/contact": 5},
}
_CUSTOMER_LANDING = {"/": 40, "/account": 22, "category": 14, "product": 14, "/cart": 6, "/quote-request": 4}
_CUSTOMER_OWN_LANDING = 0.5  # share of logged-in visits that start on the customer's usual pages
_BROWSE_EXIT = {"product": 36, "category": 24, "/": 16, "/blog": 7, "/account": 5, "/delivery-info": 4,
                "/contact": 3, "/quote-request": 3}
_CART_EXIT = {"/cart": 45, "/checkout/payment": 27, "/checkout": 16, "product": 12}  # no order in the visit
_ORDER_EXIT = {"/checkout": 55, "/account": 30, "product": 15}  # the order confirmation, or on to the account
_EXIT_AFTER_ZERO_RESULTS = 0.55  # the last search found nothing: many give up right there
_EXIT_AFTER_SEARCH = 0.22

# mean page load time: median seconds per device; lognormal spread of the visit's
# network and of each page (averaged over the visit's pages); busy months are slower
_LOAD_MEDIAN_S = {"desktop": 1.9, "mobile": 2.8, "tablet": 2.3}
_LOAD_SIGMA_VISIT = 0.30
_LOAD_SIGMA_PAGE = 0.45
_LOAD_SEASON = 0.5  # slowdown per unit of extra seasonal traffic
_LOAD_MIN_S = 0.3
_TWO_PI = 2.0 * math.pi
_PAGE_RESOLUTION = 10_000  # pick tables: fine enough for the smallest category's pages

# --- site search ----------------------------------------------------------------------

_SEARCH_SHARE = 0.18  # non-bounced visits without a cart that search
_SEARCH_SHARE_CART = 0.42  # visits that fill a cart search far more often
_ANOTHER_SEARCH = 0.38  # chance of each further search in a visit
_SEARCH_LANDING = 0.10  # searching visits from outside that start on the search page
_SEARCH_LANDING_CHANNELS = ("organic", "direct", "referral")
_CLICK = 0.68
_CLICK_CART = 1.15
_CLICK_MOBILE = 0.88
_CLICK_FEW_RESULTS = 0.75  # fewer than 5 results
_ZIPF_EXPONENT = 1.0
# normalised queries by popularity; the ones in _ZERO_RESULT_TERMS find nothing: typos,
# German queries in the English shop, model numbers and things the shop does not sell
_SEARCH_TERMS = (
    "toner", "printer paper", "a4 paper", "office chair", "ink cartridge", "usb-c cable", "envelopes",
    "notebook", "ballpoint pens", "monitor", "tonner", "desk", "paper towels", "druckerpapier", "coffee",
    "shipping boxes",
    "keyboard", "mouse", "post-it notes", "stapler", "hdmi cable", "printer papper", "laptop", "folders",
    "label printer", "labels", "hand sanitizer", "trash bags", "headset", "ofice chair", "packing tape",
    "highlighter", "whiteboard", "docking station", "hp 305a", "binders", "printer", "bubble wrap", "cartrige",
    "webcam", "standing desk", "filing cabinet", "toilet paper", "dish soap", "first aid kit",
    "safety gloves", "kopierpapier", "envelops", "paper clips", "scissors", "calculator", "usb stick",
    "external hard drive", "laminator", "3d printer filament", "shredder", "sticky notes", "markers",
    "desk lamp", "ordner", "monitor arm", "keybord", "ethernet cable", "power strip", "tea", "water cups", "napkins",
    "disinfectant wipes", "floor cleaner", "stappler", "safety vest", "ear protection", "business cards",
    "flyer printing", "fax machine", "letterhead", "pallet wrap", "cardboard boxes", "padded envelopes",
    "tape dispenser", "whiteboard markers", "laminater", "flipchart", "ring binder", "hole punch",
    "rubber bands", "correction tape", "pencils", "typewriter ribbon", "laptop bag", "wireless mouse",
    "ssd", "router", "ups battery", "conference phone", "shreder", "chair mat", "footrest",
    "ergonomic chair", "meeting table", "shelving", "locker", "franking machine", "coat rack",
    "coffee machine", "milk", "sugar", "paper plates", "cutlery", "whitebord", "microfiber cloths", "mop",
    "vacuum cleaner", "hand soap", "soap dispenser", "server rack 42u", "fire extinguisher",
    "safety goggles", "hi vis jacket", "helmet", "safety shoes", "warning signs", "floppy disks",
    "poster printing", "roll up banner", "brochures", "stamps", "a3 paper", "beanbag chair", "photo paper",
    "colored paper", "index cards", "document wallets", "archive boxes", "overhead projector film",
    "cash box", "c4 envelopes", "dl envelopes", "toner hp", "toner brother", "canon ink", "epson ink",
    "vending machine", "usb hub", "charger", "laptop stand", "privacy filter", "headphones", "forklift",
    "speakerphone", "tablet case", "hdmi adapter", "displayport cable", "network switch", "printer drum",
    "cd-r", "stretch film", "void fill", "mailing tubes", "strapping", "box cutter", "label roll",
    "ping pong table", "thermal labels", "carton sealer", "packing peanuts", "air freshener", "bin liners",
    "glass cleaner", "solar panel", "coffee filters", "water dispenser", "paper cups", "kettle",
    "first aid refill", "eyewash station", "neon sign", "dust masks", "ink pad", "sellotape",
    "espresso beans 10kg", "visitor badges", "lanyards", "desk organiser", "aquarium",
)
_ZERO_RESULT_TERMS = frozenset((
    "tonner", "printer papper", "druckerpapier", "hp 305a", "kopierpapier", "ordner", "ofice chair", "cartrige",
    "envelops", "3d printer filament", "keybord", "stappler", "fax machine", "laminater", "typewriter ribbon",
    "shreder", "franking machine", "whitebord", "server rack 42u", "floppy disks", "beanbag chair",
    "overhead projector film", "vending machine", "forklift", "cd-r", "ping pong table", "solar panel", "neon sign",
    "espresso beans 10kg", "aquarium",
))
_RESULTS_TOP = 300.0  # median results of the most popular query; rarer ones find fewer

# --- e-mail opt-ins -------------------------------------------------------------------

_OPTIN_CHECKOUT = 0.10  # ticks the newsletter box when ordering
_OPTIN_SIGNUP = 0.30  # opts in while creating an account
_OPTIN_FAIR = 0.08  # confirms a trade-fair sign-up from the e-mail (a visit from the email channel)
_OPTIN_FAIR_DAYS = 21  # after the fair
_OPTIN_FORM = 0.013  # newsletter form, non-bounced visit
_OPTIN_FORM_BOUNCED = 0.002


def category_pages(kinds: Mapping[str, float], categories: Mapping[str, float]) -> dict[str, float]:
    """Weights per page path: the "category" and "product" kinds spread over the categories."""
    total = sum(categories.values())
    pages: dict[str, float] = {}
    for kind, weight in kinds.items():
        if kind in ("category", "product"):
            for category, share in categories.items():
                pages[f"/{kind}/{category}"] = weight * share / total
        else:
            pages[kind] = weight
    return pages


def session_outcomes(carts: Mapping[str, list], orders: Mapping[str, list]) -> dict[int, int | None]:
    """Visits with a cart: session_id -> when the cart was ordered during the visit, or None."""
    ordered_at = {cart: ts for cart, ts in zip(orders["cart_id"], orders["ordered_at"]) if cart is not None}
    outcomes: dict[int, int | None] = {}
    for cart_id, session_id, created in zip(carts["cart_id"], carts["session_id"], carts["created_at"]):
        ts = ordered_at.get(cart_id)
        outcomes[session_id] = ts if ts is not None and ts - created <= _CHECKOUT_WINDOW_S else None
    return outcomes


# --- searches ---------------------------------------------------------------------------


class _Queries:
    """Zipf-like query popularity and a fixed number of results per query."""

    def __init__(self, draws: Draws) -> None:
        weights = [1.0 / rank**_ZIPF_EXPONENT for rank in range(1, len(_SEARCH_TERMS) + 1)]
        total = sum(weights)
        acc = 0.0
        self.cumulative = []
        for weight in weights:
            acc += weight / total
            self.cumulative.append(acc)
        self.results = [
            0 if term in _ZERO_RESULT_TERMS
            else max(1, round(draws.median_lognorm(_RESULTS_TOP / rank**0.7, 0.5)))
            for rank, term in enumerate(_SEARCH_TERMS, 1)
        ]

    def pick(self, rnd) -> int:
        return min(bisect.bisect_right(self.cumulative, rnd()), len(_SEARCH_TERMS) - 1)


def _visit_searches(started: int, duration: float, pages: int, lands: bool, draws: Draws) -> list[int]:
    """Times of a visit's searches, during the visit, one page each at most (the first lands)."""
    rnd = draws.random
    count = 1
    while count < pages - 1 and rnd() < _ANOTHER_SEARCH:
        count += 1
    times = sorted(started + int(rnd() * duration) for _ in range(count))
    if lands:
        times[0] = started
    return times


def searches(
    sessions: Mapping[str, list], outcomes: Mapping[int, int | None], rng: random.Random, period: Period
) -> tuple[dict[str, list], dict[int, tuple[bool, bool]]]:
    """Site searches, and per searching session (started on the search page, last search found nothing)."""
    draws = Draws(rng)
    rnd = draws.random
    queries = _Queries(draws)
    results = queries.results
    end_ts = period.end_ts
    ids = sessions["session_id"]
    # which visits search: one draw per visit that did not bounce
    searching = [i for i, (session_id, bounced) in enumerate(zip(ids, sessions["bounced"]))
                 if not bounced and rnd() < (_SEARCH_SHARE_CART if session_id in outcomes else _SEARCH_SHARE)]
    visitors, starts, channels = sessions["visitor_id"], sessions["started_at"], sessions["channel"]
    devices, page_counts, durations = sessions["device"], sessions["pages"], sessions["duration_s"]
    drafts: list[tuple] = []
    summary: dict[int, tuple[bool, bool]] = {}
    for i in searching:
        session_id, channel, device = ids[i], channels[i], devices[i]
        has_cart = session_id in outcomes
        lands = channel in _SEARCH_LANDING_CHANNELS and rnd() < _SEARCH_LANDING
        click = _CLICK * (_CLICK_CART if has_cart else 1.0) * (_CLICK_MOBILE if device == "mobile" else 1.0)
        found = 0
        for ts in _visit_searches(starts[i], durations[i], page_counts[i], lands, draws):
            term = queries.pick(rnd)
            found = results[term]
            few = _CLICK_FEW_RESULTS if found < 5 else 1.0
            clicked = found > 0 and rnd() < click * few
            if ts < end_ts:
                drafts.append((ts, session_id, visitors[i], _SEARCH_TERMS[term], found, clicked, channel, device))
        summary[session_id] = (lands, found == 0)
    names = ("searched_at", "session_id", "visitor_id", "query", "results", "clicked", "channel", "device")
    return numbered(drafts, "search_id", names), summary


# --- pages and speed ------------------------------------------------------------------


def load_times(sessions: Mapping[str, list], rng: random.Random, period: Period) -> list[float]:
    """``load_time_s``: the mean page load time of each session, lognormal around its device's median.

    The visit's own spread shrinks with its number of pages (a mean of several loads);
    busy months are slower.
    """
    rnd = rng.random
    start_day = period.start_day
    slowdown = [1.0 + _LOAD_SEASON * (SEASON[month_of(day * DAY)] - 1.0)
                for day in range(start_day, period.end_day)]
    most_pages = max(sessions["pages"], default=1)
    sigmas = [0.0] + [math.sqrt(_LOAD_SIGMA_VISIT**2 + _LOAD_SIGMA_PAGE**2 / n) for n in range(1, most_pages + 1)]
    log, sqrt, cos, exp = math.log, math.sqrt, math.cos, math.exp
    times = []
    for started, device, pages in zip(sessions["started_at"], sessions["device"], sessions["pages"]):
        # `Draws.gauss` inlined: this runs once per session
        z = sqrt(-2.0 * log(1.0 - rnd())) * cos(_TWO_PI * rnd())
        seconds = _LOAD_MEDIAN_S[device] * slowdown[started // DAY - start_day] * exp(sigmas[pages] * z)
        # to 10 ms; int(x + 0.5) is round() for positive x, and faster
        times.append(int(seconds * 100.0 + 0.5) / 100.0 if seconds > _LOAD_MIN_S else _LOAD_MIN_S)
    return times


def session_pages(
    sessions: Mapping[str, list],
    outcomes: Mapping[int, int | None],
    searched: Mapping[int, tuple[bool, bool]],
    categories: Mapping[str, float],
    rng: random.Random,
) -> dict[str, list]:
    """``landing_page`` and ``exit_page`` of every session."""
    rnd = rng.random
    size = _PAGE_RESOLUTION

    def table(kinds: Mapping[str, float]) -> tuple[str, ...]:
        return Picker(category_pages(kinds, categories), size).table

    landing = {channel: table(kinds) for channel, kinds in _LANDING.items()}
    own_landing = table(_CUSTOMER_LANDING)
    browse_exit = table(_BROWSE_EXIT)
    cart_exit = table(_CART_EXIT)
    order_exit = table(_ORDER_EXIT)
    landing_pages: list[str] = []
    exit_pages: list[str] = []
    for session_id, customer, channel, bounced in zip(
        sessions["session_id"], sessions["customer_id"], sessions["channel"], sessions["bounced"]
    ):
        search = searched.get(session_id)
        if search is not None and search[0]:
            first = "/search"
        elif customer is not None and rnd() < _CUSTOMER_OWN_LANDING:
            first = own_landing[int(rnd() * size)]
        else:
            first = landing[channel][int(rnd() * size)]
        if bounced:
            last = first
        elif session_id in outcomes:
            last = (cart_exit if outcomes[session_id] is None else order_exit)[int(rnd() * size)]
        elif search is not None and rnd() < (_EXIT_AFTER_ZERO_RESULTS if search[1] else _EXIT_AFTER_SEARCH):
            last = "/search"
        else:
            last = browse_exit[int(rnd() * size)]
        landing_pages.append(first)
        exit_pages.append(last)
    return {"landing_page": landing_pages, "exit_page": exit_pages}


# --- e-mail opt-ins -------------------------------------------------------------------


def _optin_source(
    session_id: int, customer: int | None, started: int, channel: str, bounced: bool,
    outcomes: Mapping[int, int | None], signups: frozenset[tuple[int, int]], after_fair: bool, rnd,
) -> str | None:
    """Why this visit subscribes to the newsletter, if it does."""
    if outcomes.get(session_id) is not None and rnd() < _OPTIN_CHECKOUT:
        return "checkout"
    if customer is not None and (customer, started) in signups and rnd() < _OPTIN_SIGNUP:
        return "account_signup"
    if after_fair and channel == "email" and rnd() < _OPTIN_FAIR:
        return "trade_fair"
    if rnd() < (_OPTIN_FORM_BOUNCED if bounced else _OPTIN_FORM):
        return "newsletter_form"
    return None


def email_optins(
    sessions: Mapping[str, list],
    customers: Mapping[str, list],
    outcomes: Mapping[int, int | None],
    rng: random.Random,
    period: Period,
) -> dict[str, list]:
    """Newsletter consents given during visits, at most one per visitor."""
    rnd = rng.random
    # accounts created during a visit carry the visit's start as created_at
    signups = frozenset(zip(customers["customer_id"], customers["created_at"]))
    after_fair_days = {day + k for day in trade_fair_days(period) for k in range(_OPTIN_FAIR_DAYS)}
    subscribed: set[int] = set()
    drafts: list[tuple] = []
    for session_id, visitor, customer, started, channel, device, duration, bounced in zip(
        sessions["session_id"], sessions["visitor_id"], sessions["customer_id"], sessions["started_at"],
        sessions["channel"], sessions["device"], sessions["duration_s"], sessions["bounced"],
    ):
        if visitor in subscribed:
            continue
        after_fair = started // DAY in after_fair_days
        source = _optin_source(session_id, customer, started, channel, bounced, outcomes, signups, after_fair, rnd)
        if source is None:
            continue
        # the box ticked at checkout counts when the order is placed
        at = outcomes[session_id] if source == "checkout" else started + int(rnd() * duration)
        if at < period.end_ts:
            subscribed.add(visitor)
            drafts.append((at, visitor, customer, source, channel, device))
    return numbered(drafts, "optin_id", ("subscribed_at", "visitor_id", "customer_id", "source", "channel", "device"))
