"""Every tunable number of the demo world, in one place.

`Params` holds the behaviour of the simulated company (shares, rates,
coefficients); `RunConfig` holds what a single run is asked to do (database
path, dates, seed, flags).  Both are plain dataclasses so a tuning script can
do ``Params(churn_slope=14.0)`` or ``dataclasses.replace(p, ...)``.

Conventions: rates "per year" are converted to daily hazards by the
simulation; probabilities are per draw; health h is a latent number in
[0, 1] (0 = about to leave, 1 = thriving).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Tuple

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
COVERAGE = ("Tech Touch", "Low Touch", "High Touch")  # indexed like SEGMENTS


@dataclass(frozen=True)
class Params:
    # ------------------------------------------------------------------ mix
    segment_shares: Tuple[float, float, float] = (0.60, 0.30, 0.10)
    new_logo_share: float = 0.15          # accounts that sign during the window
    new_logo_horizon_days: int = 548      # new logos sign within this many days of the start date
    seats_range: Tuple[Tuple[int, int], ...] = ((3, 15), (15, 60), (60, 300))
    # price per seat per month, in cents, three list/discount points per segment
    seat_price_cents: Tuple[Tuple[int, ...], ...] = (
        (9000, 10000, 11500),       # Starter, billed monthly
        (14500, 15500, 16500),      # Growth, billed quarterly or annually
        (17000, 19500, 22000),      # Enterprise, billed annually
    )
    mm_quarterly_share: float = 0.45      # Mid-Market billed quarterly (else annually)
    ent_term_months: Tuple[int, ...] = (12, 24, 36)
    ent_term_shares: Tuple[float, ...] = (0.5, 0.3, 0.2)
    ent_net45_share: float = 0.4          # Enterprise invoices net 45 (else net 30)
    ent_parent_share: float = 0.15        # Enterprise accounts that roll up to a parent
    tenure_renewals_max: int = 2          # existing customers renewed 0..2 times before the window
    csm_book_size: Tuple[int, int, int] = (0, 80, 25)   # accounts per CSM by segment (SMB -> Digital Success)
    n_account_executives: int = 6

    # --------------------------------------------------------------- health
    health_base_mean: Tuple[float, float, float] = (0.58, 0.62, 0.66)
    health_base_sd: float = 0.15
    health_theta: float = 1 / 30          # daily mean reversion
    health_sigma: float = 0.022           # daily noise
    trap_login_share: float = 0.05        # log in a lot, use nothing deep
    trap_promoter_share: float = 0.05     # NPS promoters whose usage declines
    # CRM accounts whose product workspace id field was never filled in: their product events map to no
    # account, so the score cannot see their usage (a data-quality gap, not a behaviour)
    crm_workspace_missing_share: float = 0.03
    trap_login_base: float = 0.30
    trap_login_apparent_h: float = 0.80   # activity level the login trap shows
    trap_login_users_apparent: bool = True   # login trap invites users up to seats * (base + apparent h * slope),
                                             # so its users per seat look healthy too (False: its real h, as before)
    trap_promoter_from: float = 0.76
    trap_promoter_to: float = 0.24
    trap_promoter_decline_days: int = 240
    trap_promoter_start_max_day: int = 200

    # --------------------------------------------------------------- shocks
    champion_leave_per_year: float = 0.12
    champion_shock: float = 0.22          # drop of the health target, decays
    champion_shock_tau_days: float = 100.0
    champion_crm_lag_days: Tuple[int, int] = (5, 45)      # CSM notices late
    champion_replace_days: Tuple[int, int] = (30, 120)
    budget_cut_per_year: float = 0.07
    budget_cut_days: Tuple[int, int] = (120, 240)
    budget_cut_health: float = 0.07
    budget_contraction_prob: float = 0.5
    release_every_days: int = 14
    release_bad_prob: float = 0.12
    release_affected_share: float = 0.55
    release_days: int = 21
    release_health_dip: float = 0.05
    release_ticket_mult: float = 2.5
    churning_health_drift: float = 0.004  # daily drop once an account has decided to leave
    # once decided to leave, each behaviour-driven churner keeps its own strength of the "tell"
    # (drawn per account and contract); (0.8, 0.8) and (0.3, 0.3) give everyone the same factor, as before
    churn_activity_mult: Tuple[float, float] = (0.6, 1.0)   # daily active probability x uniform(lo, hi)
    churn_meeting_mult: Tuple[float, float] = (0.2, 1.0)    # CSM meetings held x uniform(lo, hi)

    # ---------------------------------------------------------------- usage
    user_slots_factor: float = 2.0        # potential users per licensed seat (pool)
    initial_util_base: float = 0.40
    initial_util_h: float = 0.50
    target_util_base: float = 0.50        # users invited up to seats * (base + h * slope)
    target_util_h: float = 0.55
    invite_rate: float = 0.05             # share of the seat gap invited per day
    invite_rate_onboarding: float = 0.25
    invite_accept_prob: float = 0.85
    user_leave_per_year: float = 0.12
    p_active_weekday: float = 0.09        # daily active probability at h = 0.6, engagement 1
    p_active_h_slope: float = 2.4
    weekend_factor: float = 0.12
    holiday_factor: float = 0.45
    signed_in_prob: float = 0.55          # share of active days that start with an explicit sign-in
    events_per_active_day: float = 2.0    # Poisson mean of further events, at h = 0.6
    session_gap_seconds: float = 150.0
    # relative weights of events once active (before breadth gating)
    event_weights: Tuple[Tuple[str, float], ...] = (
        ("dashboard_viewed", 2.6),
        ("report_created", 0.7),
        ("report_shared", 0.35),
        ("workflow_created", 0.35),
        ("workflow_completed", 1.5),
        ("automation_created", 0.12),
        ("export_created", 0.3),
        ("comment_added", 0.5),
        ("api_called", 0.9),
    )
    depth_exponent: float = 2.0           # workflow weight ~ h ** exponent
    breadth_sharpness: float = 12.0
    trap_login_depth: float = 0.5
    trap_login_dashboard_mult: float = 2.5
    integration_daily_prob: float = 0.03  # onboarding accounts connect at ~ this * h^2 per day
    integration_initial_base: float = 0.35
    extra_integration_daily: float = 0.002
    onboarding_ramp_days: int = 35

    # -------------------------------------------------------------- support
    tickets_per_seat_year: float = 0.55
    ticket_seat_exponent: float = 0.8
    ticket_health_mult: float = 3.0       # rate * (1 + mult * (1 - h)^2)
    ticket_churn_spike: float = 3.0       # "vocal" behaviour-driven churners in their last ~60 days
    churn_vocal_share: float = 0.5        # churners that complain: tickets x spike, priority and bad CSAT up
                                          # (1.0: every churner is vocal, as before)
    churn_silent_ticket_mult: float = 0.7  # the others go quiet: tickets x this, priority and CSAT as usual
    ticket_onboarding_mult: float = 1.6
    csat_offer_prob: float = 0.60
    csat_response_prob: float = 0.70
    csat_bad_base: float = 0.07
    csat_bad_h: float = 0.45
    csat_bad_release: float = 0.25
    n_support_agents: int = 9

    # ------------------------------------------------------ CSM / relationship
    task_rate_per_weekday: Tuple[float, float, float] = (1 / 150, 1 / 22, 1 / 5)   # Tech, Low, High
    call_share: Tuple[float, float, float] = (0.05, 0.40, 0.50)
    sentiment_noise: float = 0.16
    qbr_every_days: Tuple[int, int, int] = (0, 182, 91)
    checkin_every_days: Tuple[int, int, int] = (0, 91, 30)
    exec_every_days: int = 182
    meeting_h_mid: float = 0.40           # meetings held with p = sigmoid(k (h - mid))
    meeting_h_k: float = 9.0

    # ---------------------------------------------------------------- survey
    nps_every_days: int = 182
    nps_response_prob: float = 0.30
    nps_trap_response_prob: float = 0.75
    nps_slow_tau_days: float = 120.0
    nps_noise: float = 1.3
    nps_user_bias_sd: float = 1.0

    # --------------------------------------------------------------- billing
    card_fail_prob: float = 0.035
    card_fail_stress_mult: float = 6.0
    card_fail_h_mult: float = 1.5
    card_retry_days: Tuple[int, ...] = (3, 5, 7)
    late_pay_base: float = 0.10
    late_pay_stress: float = 0.40
    late_pay_h: float = 0.25
    expansion_daily_prob: float = 0.012
    expansion_min_util: float = 0.85
    expansion_min_h: float = 0.60
    expansion_win_prob: float = 0.75

    # --------------------------------------------------------------- renewal
    renewal_opp_lead_days: int = 120
    decision_lead_days: Tuple[int, int] = (50, 70)
    notice_days: Tuple[int, int] = (0, 45)
    churn_h_ref: float = 0.42             # behaviour churn p = sigmoid(a_seg + slope (ref - h90))
    churn_slope: float = 18.0
    churn_intercept: Tuple[float, float, float] = (-1.6, -1.8, -2.2)
    contraction_h: float = 0.50           # renewals below this h90 often shrink
    contraction_prob: float = 0.5
    renewal_expansion_prob: float = 0.4
    # non-behavioural churn, drawn independently of health
    ext_churn_per_year: Tuple[float, float, float] = (0.065, 0.045, 0.028)
    ext_reasons: Tuple[str, ...] = ("Acquired", "Budget", "Company closed")
    ext_reason_shares: Tuple[float, ...] = (0.35, 0.40, 0.25)
    ext_early_prob: Tuple[float, ...] = (0.5, 0.3, 0.9)   # cancel mid-contract, by reason
    behaviour_reasons: Tuple[str, ...] = ("Low adoption", "Product gaps", "Poor support experience",
                                          "Switched to competitor")

    # ------------------------------------------------------- loader lags
    sync_every_minutes: Tuple[int, int, int] = (60, 30, 180)   # salesforce, zendesk, stripe
    sync_jitter_minutes: int = 25
    segment_load_seconds: Tuple[int, int] = (20, 900)
    survey_load_hour_utc: int = 6

    # ----------------------------------------------------------------- dirty
    dirty_rate: float = 0.004             # share of rows per kind for large tables
    dirty_min_rows: int = 5               # at least this many per table and kind (expected)


@dataclass
class RunConfig:
    db: str = "customer_health.duckdb"
    accounts: int = 2000
    start_date: Optional[dt.date] = None
    end_date: dt.date = dt.date(2026, 6, 30)
    seed: int = 42
    dirty: bool = False
    truth: Optional[str] = None
    append_after: Optional[dt.date] = None
    quiet: bool = False
    memory_limit: Optional[str] = None     # DuckDB memory_limit of the generator's connection; None = DuckDB's default
    params: Params = field(default_factory=Params)

    def __post_init__(self) -> None:
        if self.start_date is None:
            self.start_date = default_start(self.end_date)
        if self.end_date < self.start_date:
            raise ValueError("end date is before start date")
        if self.append_after is not None and not (self.start_date <= self.append_after < self.end_date):
            raise ValueError("--append-after must fall on or after the start date and before the end date")
        if not 1 <= self.accounts <= 1_000_000:
            raise ValueError("--accounts must be between 1 and 1,000,000")


def default_start(end: dt.date) -> dt.date:
    """The day after the end date, minus 18 months (2026-06-30 -> 2025-01-01)."""
    nxt = end + dt.timedelta(days=1)
    month = nxt.month - 18
    year = nxt.year
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, min(nxt.day, _month_len(year, month)))


def _month_len(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day
