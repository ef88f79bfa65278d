"""Behaviour tests of the demo-world generator: what the simulated company *does*, not just its layout.

One world of 800 accounts over the default ~18 months (2025-01-01 .. 2026-06-30, seed 42) is generated
once, with its hidden-truth CSV, and every test reads it.  The raw tables are what a health score sees;
the truth file (hidden health, churn, traps) is what the tests compare them with.

Thresholds leave clear margins around figures measured on this very world (800 accounts, seed 42) and
on the same world with seeds 1 and 2 (plus seeds 1..5 at 500 accounts); they are quoted next to each
assertion as "seed 42: x (seeds 1, 2: y, z)".  Each test was also run against a world generated with the
behaviour switched off (e.g. Params(ticket_churn_spike=1.0)) and failed; some of those figures are quoted.
The weakest behaviour (failed charges vs health) is why the world has 800 accounts, not fewer.
Figures quoted elsewhere than the churners' tickets were measured before churners got a style (vocal or
silent) and the login trap's users per seat its apparent health; that change redraws every account's
history, and every assertion was run again on seeds 42, 1 and 2 after it and holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from demo_world import RunConfig, generate
from demo_world.params import Params, default_start

END = dt.date(2026, 6, 30)
START = default_start(END)           # 2025-01-01
N_ACCOUNTS = 800
SEGMENTS = ("SMB", "Mid-Market", "Enterprise")


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("behaviour_world")
    db, truth = work / "world.duckdb", work / "truth.csv"
    generate(RunConfig(db=str(db), accounts=N_ACCOUNTS, end_date=END, truth=str(truth), quiet=True))
    return work


@pytest.fixture(scope="module")
def con(world):
    """Read-only connection with the truth file and a few helper tables (temp, so nothing is written)."""
    c = duckdb.connect(str(world / "world.duckdb"), read_only=True)
    c.execute(f"CREATE TEMP TABLE truth AS SELECT * FROM read_csv('{world / 'truth.csv'}', all_varchar = true)")
    # one row per account: hidden truth next to the CRM's final state
    c.execute("""
        CREATE TEMP TABLE acct AS
        SELECT t.account_id, t.workspace_id, t.segment, t.trap_type, t.new_logo = 'True' AS new_logo,
               CAST(t.baseline_health AS DOUBLE) AS baseline_health, CAST(t.final_health AS DOUBLE) AS final_health,
               t.churned = 'True' AS churned, t.churn_behavioural = 'True' AS behavioural, t.churn_style,
               TRY_CAST(t.churn_date AS DATE) AS churn_date, t.churn_reason,
               CAST(t.first_contract_start AS DATE) AS first_contract_start,
               a.licensed_seats_c AS seats, a.arr_c AS arr
        FROM truth t JOIN raw_salesforce.account a ON a.id = t.account_id""")
    # product events per account and day (Segment user -> workspace -> account)
    c.execute("""
        CREATE TEMP TABLE usage AS
        SELECT g.group_id AS workspace_id, t.user_id, t.event, CAST(t.timestamp AS DATE) AS d
        FROM raw_segment.tracks t JOIN (SELECT DISTINCT user_id, group_id FROM raw_segment.groups) g USING (user_id)""")
    yield c
    c.close()


def q(con, sql: str):
    return con.execute(sql).fetchall()


def q1(con, sql: str):
    return q(con, sql)[0][0]


# ----------------------------------------------------------------------------- 1. defaults
def test_cli_defaults_are_two_thousand_accounts_over_eighteen_months():
    import generate_demo_world
    a = generate_demo_world.parse_args(["--db", "x.duckdb"])
    assert a.accounts == 2000
    assert a.end_date == dt.date(2026, 6, 30)
    assert a.start_date == default_start(a.end_date) == dt.date(2025, 1, 1)
    # "18 months": the window is 546 days, i.e. 18 calendar months ending on the end date
    assert (a.end_date - a.start_date).days + 1 == 546
    # and the same defaults when the generator is called as a library
    cfg = RunConfig(db="x.duckdb")
    assert (cfg.accounts, cfg.start_date, cfg.end_date) == (2000, dt.date(2025, 1, 1), dt.date(2026, 6, 30))


# ----------------------------------------------------------------------------- 2. segments
def test_arr_rises_with_segment_and_follows_the_configured_seat_prices(con):
    p = Params()
    rows = q(con, "SELECT segment, list(DISTINCT round(arr / seats, 2)), median(arr), count(*) FROM acct "
                  "WHERE seats > 0 GROUP BY 1")
    per_seat = {s: set(v) for s, v, _, _ in rows}
    median_arr = {s: m for s, _, m, _ in rows}
    for i, seg in enumerate(SEGMENTS):
        # ARR per seat is one of the segment's three configured list prices (cents per seat per month * 12)
        configured = {round(c * 12 / 100, 2) for c in p.seat_price_cents[i]}
        assert per_seat[seg] <= configured, seg
        assert len(per_seat[seg]) == 3, seg
    # per seat, every SMB price < every Mid-Market price < every Enterprise price
    # seed 42: SMB 1,080..1,380, MM 1,740..1,980, Ent 2,040..2,640 dollars per seat per year
    assert max(per_seat["SMB"]) < min(per_seat["Mid-Market"])
    assert max(per_seat["Mid-Market"]) < min(per_seat["Enterprise"])
    # per account (seats also rise): seed 42 medians SMB 6,900, MM 47,520, Ent 287,820 dollars
    assert 3 * median_arr["SMB"] < median_arr["Mid-Market"]
    assert 3 * median_arr["Mid-Market"] < median_arr["Enterprise"]


def test_contract_terms_and_billing_intervals_follow_the_segment(con):
    p = Params()
    terms = {}
    for seg, term, n in q(con, """
            SELECT k.customer_segment_c, o.contract_term_months_c, count(DISTINCT o.account_id)
            FROM raw_salesforce.opportunity o JOIN raw_salesforce.account k ON k.id = o.account_id
            WHERE o.type IN ('New Business', 'Renewal') GROUP BY ALL"""):
        terms.setdefault(seg, {})[int(term)] = n
    # SMB and Mid-Market sign 12-month contracts; Enterprise 12/24/36 months
    assert set(terms["SMB"]) == {12}
    assert set(terms["Mid-Market"]) == {12}
    assert set(terms["Enterprise"]) == set(p.ent_term_months)
    # seed 42: 46/23/16 of 85 Enterprise accounts on 12/24/36 months (configured 50/30/20 %)
    ent = sum(terms["Enterprise"].values())
    for months, share in zip(p.ent_term_months, p.ent_term_shares):
        assert abs(terms["Enterprise"][months] / ent - share) < 0.15, months

    # Stripe: the price a segment's invoices bill is monthly (SMB), quarterly or annual (MM), annual (Enterprise)
    iv = {}
    for seg, interval, count, n in q(con, """
            SELECT k.customer_segment_c, p.recurring_interval, p.recurring_interval_count, count(DISTINCT k.id)
            FROM raw_stripe.invoice_line_item l JOIN raw_stripe.price p ON p.id = l.price_id
            JOIN raw_stripe.invoice i ON i.id = l.invoice_id JOIN raw_stripe.customer c ON c.id = i.customer_id
            JOIN raw_salesforce.account k ON k.id = json_extract_string(c.metadata, '$.salesforce_account_id')
            GROUP BY ALL"""):
        iv.setdefault(seg, {})[(interval, count)] = n
    assert set(iv["SMB"]) == {("month", 1)}
    assert set(iv["Mid-Market"]) == {("month", 3), ("year", 1)}
    assert set(iv["Enterprise"]) == {("year", 1)}
    # seed 42: 119 of 253 Mid-Market accounts billed quarterly (configured 45 %)
    mm = iv["Mid-Market"]
    assert abs(mm[("month", 3)] / (mm[("month", 3)] + mm[("year", 1)]) - p.mm_quarterly_share) < 0.15
    # SMB pays by card, the others by invoice (net 30; Enterprise net 30 or 45)
    pay = {(s, m, d) for s, m, d in q(con, """
            SELECT DISTINCT k.customer_segment_c, s.collection_method, s.days_until_due
            FROM raw_stripe.subscription s JOIN raw_stripe.customer c ON c.id = s.customer_id
            JOIN raw_salesforce.account k ON k.id = json_extract_string(c.metadata, '$.salesforce_account_id')""")}
    assert pay == {("SMB", "charge_automatically", None), ("Mid-Market", "send_invoice", 30),
                   ("Enterprise", "send_invoice", 30), ("Enterprise", "send_invoice", 45)}


# ----------------------------------------------------------------------------- 3. hidden health
def test_vocal_churners_file_more_tickets_before_they_leave_and_silent_ones_do_not(con):
    """Tickets per seat in the 60 days before churn vs the 180 days before that, for churners whose churn
    date leaves both windows inside the simulated period. About half the behaviour-driven churners complain
    on their way out; the others go quiet, so a ticket spike is a hint, not a tell."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE tickets AS
        SELECT o.external_id AS account_id, CAST(t.created_at AS DATE) AS d
        FROM raw_zendesk.ticket t JOIN raw_zendesk.organization o ON o.id = t.organization_id""")

    def late_over_early(cond):
        return q(con, f"""
            SELECT count(*), (sum(late) / 60) / (sum(early) / 180) FROM (
              SELECT a.account_id,
                count(k.d) FILTER (WHERE k.d >= a.churn_date - 60 AND k.d < a.churn_date) / any_value(a.seats) AS late,
                count(k.d) FILTER (WHERE k.d >= a.churn_date - 240 AND k.d < a.churn_date - 60) / any_value(a.seats) AS early
              FROM acct a LEFT JOIN tickets k USING (account_id)
              WHERE {cond} AND a.churn_date >= DATE '{START}' + 240 GROUP BY 1)""")[0]

    n_v, ratio_v = late_over_early("a.churned AND a.behavioural AND a.churn_style = 'vocal'")
    n_s, ratio_s = late_over_early("a.churned AND a.behavioural AND a.churn_style = 'silent'")
    n_x, ratio_x = late_over_early("a.churned AND NOT a.behavioural")
    assert n_v >= 10 and n_s >= 10 and n_x >= 10, (n_v, n_s, n_x)
    # vocal churners (seed 42: 29 accounts): 2.9x their earlier rate (seeds 1, 2: 3.7x, 4.1x)
    assert ratio_v > 2.2, ratio_v
    # silent churners file no more than before: seed 42 1.01x (21 accounts; seeds 1, 2: 0.58x, 0.35x)
    assert ratio_s < 1.6, ratio_s
    # churners for outside reasons (acquired, budget, closed) do not spike: seed 42 1.12x (seeds 1, 2: 1.28x,
    # 1.12x)
    assert ratio_x < 1.6, ratio_x
    assert ratio_v > ratio_s + 1.0 and ratio_v > ratio_x + 1.0


def test_champions_leave_and_their_product_user_goes_quiet_before_the_crm_notices(con):
    p = Params()
    left = q(con, "SELECT count(*), count(DISTINCT account_id) FROM raw_salesforce.contact "
                  "WHERE is_champion_c AND no_longer_at_company_c")[0]
    # 0.12 per account-year over 1.5 years: seed 42 107 of 800 accounts, 13 % (seeds 1, 2: 16 %, 13 %)
    assert 0.05 * N_ACCOUNTS < left[1] < 0.30 * N_ACCOUNTS, left
    # the champion's product user stops on the day they leave; the CRM flags the contact 5..45 days later
    n, silent, after, min_gap = q(con, """
        WITH gone AS (SELECT email, last_modified_date AS flagged FROM raw_salesforce.contact
                      WHERE is_champion_c AND no_longer_at_company_c),
             u AS (SELECT DISTINCT user_id, email FROM raw_segment.identifies)
        SELECT count(*), count(*) FILTER (WHERE last_ev IS NULL), count(*) FILTER (WHERE last_ev >= flagged),
               min(date_diff('day', last_ev, flagged))
        FROM (SELECT g.email, g.flagged, CAST(max(t.timestamp) AS TIMESTAMP) AS last_ev
              FROM gone g LEFT JOIN u USING (email) LEFT JOIN raw_segment.tracks t USING (user_id) GROUP BY ALL)""")[0]
    assert silent < 0.2 * n            # most departed champions had been using the product
    assert after == 0
    assert min_gap >= p.champion_crm_lag_days[0], min_gap        # seed 42: 8 days at least, median 36
    # a replacement champion appears within ~4 months (customers still live, departure at least 4 months old)
    n, replaced = q(con, f"""
        WITH gone AS (SELECT account_id, min(last_modified_date) AS flagged FROM raw_salesforce.contact
                      WHERE is_champion_c AND no_longer_at_company_c GROUP BY 1)
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM raw_salesforce.contact c WHERE c.account_id = g.account_id AND c.is_champion_c
                 AND NOT c.no_longer_at_company_c AND c.created_date > g.flagged - INTERVAL 46 DAY))
        FROM gone g JOIN acct a USING (account_id) WHERE NOT a.churned AND g.flagged < DATE '{END}' - 120""")[0]
    assert n >= 20 and replaced >= 0.9 * n, (n, replaced)          # seed 42: 62 of 65 (seeds 1, 2: 84/85, 56/59)
    # churn put down to "Champion left" only happens where a champion did leave
    orphan = q1(con, """SELECT count(*) FROM acct WHERE churn_reason = 'Champion left' AND account_id NOT IN
                        (SELECT account_id FROM raw_salesforce.contact WHERE is_champion_c AND no_longer_at_company_c)""")
    assert orphan == 0


def test_failed_card_charges_are_more_frequent_for_unhealthy_accounts(con):
    """SMB accounts (card payers, traps excluded) in thirds by hidden baseline health: failed charges per
    invoice.  The generator's failure probability is card_fail_prob * (1 + card_fail_h_mult * (1 - h)) (x7
    in a budget crisis, which is independent of health and makes the comparison noisy)."""
    rows = q(con, """
        WITH ch AS (SELECT json_extract_string(c.metadata, '$.salesforce_account_id') AS account_id, x.status,
                           x.invoice_id
                    FROM raw_stripe.charge x JOIN raw_stripe.customer c ON c.id = x.customer_id),
             a AS (SELECT account_id, baseline_health, ntile(3) OVER (ORDER BY baseline_health) AS third
                   FROM acct WHERE segment = 'SMB' AND trap_type = 'none')
        SELECT third, avg(baseline_health), count(DISTINCT invoice_id),
               count(*) FILTER (WHERE status = 'failed') / count(DISTINCT invoice_id)
        FROM a JOIN ch USING (account_id) GROUP BY 1 ORDER BY 1""")
    (_, h_low, n_low, low), (_, h_high, n_high, high) = rows[0], rows[-1]
    assert h_low < h_high - 0.2 and min(n_low, n_high) > 1000
    # seed 42: 0.084 vs 0.059 failed charges per invoice = 1.44x (seeds 1, 2: 1.48x, 1.65x); with
    # Params(card_fail_h_mult=0.0) the same comparison gives 1.12x (seeds 1, 2: 1.06x, 1.22x)
    assert low > 1.3 * high, (low, high)


def test_enterprise_accounts_hold_executive_sponsor_meetings(con):
    rows = q(con, """
        SELECT k.customer_segment_c, count(DISTINCT e.account_id), count(*), bool_and(c.is_executive_sponsor_c)
        FROM raw_salesforce.event e JOIN raw_salesforce.account k ON k.id = e.account_id
        LEFT JOIN raw_salesforce.contact c ON c.id = e.who_id
        WHERE e.meeting_type_c = 'Executive Sponsor' GROUP BY 1""")
    assert [r[0] for r in rows] == ["Enterprise"]          # only Enterprise has executive sponsor meetings
    assert rows[0][3]                                       # ... and they meet the executive sponsor contact
    # nearly every Enterprise customer of the whole window (one every ~6 months, skipped when unhealthy)
    n, met = q(con, f"""
        SELECT count(*), count(*) FILTER (WHERE account_id IN
                 (SELECT account_id FROM raw_salesforce.event WHERE meeting_type_c = 'Executive Sponsor'))
        FROM acct WHERE segment = 'Enterprise' AND NOT new_logo AND coalesce(churn_date, DATE '{END}') > DATE '{START}' + 240""")[0]
    assert n >= 40 and met >= 0.8 * n, (n, met)            # seed 42: 66 of 68 (seeds 1, 2: 63/67, 61/62)


def test_expansions_and_contractions_both_happen(con):
    opps = {t: (n, lo, hi) for t, n, lo, hi in q(con, """
        SELECT type, count(*), min(amount), max(amount) FROM raw_salesforce.opportunity
        WHERE stage_name = 'Closed Won' AND type IN ('Expansion', 'Contraction') GROUP BY 1""")}
    none = (0, None, None)
    # seed 42: 205 won expansions, 27 contractions
    assert opps.get("Expansion", none)[0] >= 50 and opps["Expansion"][1] > 0, opps
    assert opps.get("Contraction", none)[0] >= 10 and opps["Contraction"][2] < 0, opps
    # seats billed per cycle go up and down (expansions, renewals with more or fewer seats, contractions)
    up, down = q(con, """
        WITH l AS (SELECT i.customer_id, i.period_start, l.quantity FROM raw_stripe.invoice i
                   JOIN raw_stripe.invoice_line_item l ON l.invoice_id = i.id
                   WHERE i.billing_reason = 'subscription_cycle' AND NOT l.proration),
             d AS (SELECT quantity - lag(quantity) OVER (PARTITION BY customer_id ORDER BY period_start) AS dq FROM l)
        SELECT count(*) FILTER (WHERE dq > 0), count(*) FILTER (WHERE dq < 0) FROM d""")[0]
    assert up >= 50 and down >= 30, (up, down)              # seed 42: 178 up, 88 down
    # expansions go to healthy accounts: seed 42 mean baseline health 0.77 vs 0.57 (seeds 1, 2: 0.76 vs 0.56,
    # 0.75 vs 0.56)
    exp, rest = q(con, """
        SELECT avg(baseline_health) FILTER (WHERE x), avg(baseline_health) FILTER (WHERE NOT x) FROM (
          SELECT baseline_health, account_id IN (SELECT account_id FROM raw_salesforce.opportunity
                                                 WHERE type = 'Expansion' AND stage_name = 'Closed Won') AS x
          FROM acct WHERE trap_type = 'none')""")[0]
    assert exp > rest + 0.1, (exp, rest)


# ----------------------------------------------------------------------------- 4. traps
@pytest.fixture(scope="module")
def usage_rates(con):
    """Per account: product events per seat per 30 live days (live = on contract inside the window), for
    accounts live at least 90 days; and events per seat in the first and last 120 days of the window."""
    con.execute(f"""
        CREATE TEMP TABLE usage_rates AS
        WITH live AS (
          SELECT *, greatest(DATE '{START}', first_contract_start) AS lf,
                 least(DATE '{END}', coalesce(churn_date - 1, DATE '{END}')) AS ll
          FROM acct)
        SELECT a.account_id, a.trap_type, a.churned OR a.new_logo AS partial_window,
               30 * u.sign_ins / a.seats / (ll - lf + 1) AS sign_ins,
               30 * u.active_days / a.seats / (ll - lf + 1) AS active_days,
               30 * u.workflows / a.seats / (ll - lf + 1) AS workflows,
               u.early / a.seats AS early, u.late / a.seats AS late
        FROM live a JOIN (
          SELECT workspace_id, count(*) FILTER (WHERE event = 'signed_in') AS sign_ins,
                 count(DISTINCT (user_id, d)) AS active_days,
                 count(*) FILTER (WHERE event = 'workflow_completed') AS workflows,
                 count(*) FILTER (WHERE d < DATE '{START}' + 120) AS early,
                 count(*) FILTER (WHERE d > DATE '{END}' - 120) AS late
          FROM usage GROUP BY 1) u USING (workspace_id)
        WHERE ll - lf >= 90""")
    return "usage_rates"


def test_login_no_depth_accounts_log_in_a_lot_but_complete_few_workflows(con, usage_rates):
    stats = {t: r for t, *r in q(con, """
        SELECT trap_type, count(*), median(sign_ins), quantile_cont(sign_ins, 0.75), median(active_days),
               median(workflows), quantile_cont(workflows, 0.25), max(workflows)
        FROM usage_rates GROUP BY 1""")}
    n, si_med, _, ad_med, wf_med, _, wf_max = stats["login_no_depth"]
    _, si_med0, si_q75, ad_med0, wf_med0, wf_q25, _ = stats["none"]
    assert n >= 10
    # sign-ins per seat per month (seed 42: 29 trap accounts): median 2.0 vs 0.8 for ordinary accounts, whose
    # 75th percentile is 1.1 (seeds 1, 2: 1.9 vs 0.8 and 1.1); with Params(trap_login_apparent_h=0.30,
    # trap_login_dashboard_mult=1.0) the trap median drops to 0.38
    assert si_med > si_q75 and si_med > 1.5 * si_med0, (si_med, si_q75, si_med0)
    # active user-days per seat per month: seed 42 median 2.0 vs 1.6 (seeds 1, 2: 1.9 vs 1.5; 1.8..2.1 vs
    # 1.5..1.6 at 500 accounts)
    assert ad_med >= ad_med0, (ad_med, ad_med0)
    # workflow completions per seat per month: seed 42 median 0.00 vs 0.28 for ordinary accounts, whose
    # 25th percentile is 0.09; the trap's highest is 0.11 (seeds 1, 2: 0.07, 0.10)
    assert wf_med <= wf_q25, (wf_med, wf_q25)
    assert wf_max < wf_med0, (wf_max, wf_med0)
    # percentile among ordinary accounts by workflows: seed 42 mean 6 %, highest 30 % (seeds 1, 2: 8 % / 28 %,
    # 9 % / 34 %)
    mean_pct = q1(con, """SELECT avg(pr) FROM (SELECT trap_type, percent_rank() OVER (ORDER BY workflows) AS pr
                         FROM usage_rates WHERE trap_type <> 'promoter_declining') WHERE trap_type = 'login_no_depth'""")
    assert mean_pct < 0.2, mean_pct


def test_login_no_depth_accounts_have_the_users_per_seat_of_healthy_ones(con):
    """Their many users log in, so the share of seats in use does not give them away (only depth does)."""
    rows = {t: r for t, *r in q(con, f"""
        SELECT a.trap_type, count(*), quantile_cont(u.users / a.seats, 0.25), median(u.users / a.seats)
        FROM acct a JOIN (SELECT workspace_id, count(DISTINCT user_id) AS users FROM usage
                          WHERE d >= DATE '{END}' - 29 GROUP BY 1) u USING (workspace_id)
        WHERE NOT a.churned GROUP BY 1""")}
    n, q25, med = rows["login_no_depth"]
    _, q25_0, med_0 = rows["none"]
    assert n >= 10
    # users active in the last 30 days per seat, accounts still customers (seed 42: 17 trap accounts): lower
    # quartile 0.65 vs 0.50 for ordinary accounts, median 0.67 vs 0.65 (seeds 1, 2: 0.65 / 0.67 vs 0.50 / 0.62,
    # 0.70 / 0.75 vs 0.50 / 0.64); with Params(trap_login_users_apparent=False) the trap's lower quartile is
    # 0.49 (seeds 1, 2: 0.53, 0.55)
    assert q25 > q25_0 + 0.1, (q25, q25_0)
    assert med >= 0.9 * med_0, (med, med_0)


def test_promoter_declining_accounts_stay_promoters_while_usage_falls(con, usage_rates):
    nps = {t: r for t, *r in q(con, """
        WITH n AS (SELECT CAST(r.score AS INTEGER) AS score, c.account_id
                   FROM raw_survey.nps_responses r
                   JOIN (SELECT DISTINCT email, account_id FROM raw_salesforce.contact
                         UNION SELECT DISTINCT i.email, k.id FROM raw_segment.identifies i
                         JOIN raw_segment.groups g USING (user_id)
                         JOIN raw_salesforce.account k ON k.product_workspace_id_c = g.group_id) c USING (email))
        SELECT a.trap_type, count(*), min(score), avg(score), count(DISTINCT account_id)
        FROM n JOIN acct a USING (account_id) GROUP BY 1""")}
    n, lo, mean, accounts = nps["promoter_declining"]
    assert n >= 30 and accounts >= 20
    assert lo >= 9                                   # every response from these accounts is a 9 or 10
    assert mean > nps["none"][2] + 2                 # seed 42: 9.5 vs 6.4 (seeds 1, 2: same to 0.1)
    # product events per seat, last 120 days of the window over the first 120, accounts on contract throughout
    rows = {t: r for t, *r in q(con, """
        SELECT trap_type, count(*), median(late / early), max(late / early) FROM usage_rates
        WHERE NOT partial_window AND early > 0 GROUP BY 1""")}
    n, med, worst = rows["promoter_declining"]
    assert n >= 10
    # seed 42 (20 accounts): median 0.09, highest 0.30 (seeds 1, 2: 0.09 / 0.24, 0.06 / 0.20), while ordinary
    # accounts hold steady (median 0.99; seeds 1, 2: 0.97, 1.00); with Params(trap_promoter_to=0.76): 0.96
    assert med < 0.4 and worst < 0.7, (med, worst)
    assert 0.8 < rows["none"][1] < 1.25
