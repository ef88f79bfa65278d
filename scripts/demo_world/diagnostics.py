"""Quick checks of how predictable churn is in a generated world.

Both predictors look only at the raw tables (as a dbt model would), at a
prediction date 90 days before each renewal's close date, and are scored
against the renewal outcome (Closed Lost = churn):

* `naive_auc`: core-workflow completions per licensed seat in the 90 days
  before the prediction date (lower = riskier);
* `signal_auc`: a cross-validated logistic regression over usage, support,
  sentiment, commercial and relationship signals - roughly what an honest
  health score can reach.

    python -m demo_world.diagnostics path/to/customer_health.duckdb
"""

from __future__ import annotations

import sys
from typing import Dict, Tuple

import duckdb
import numpy as np

OUTCOMES = """
WITH acct AS (SELECT id AS account_id, product_workspace_id_c AS ws, licensed_seats_c AS seats,
                     customer_segment_c AS segment FROM raw_salesforce.account),
r AS (
  SELECT o.account_id, o.close_date, CAST(o.close_date AS DATE) - {h} AS p_date, o.stage_name = 'Closed Lost' AS churned
  FROM raw_salesforce.opportunity o
  WHERE o.type = 'Renewal' AND o.is_closed
    AND o.close_date >= (SELECT min(CAST(timestamp AS DATE)) FROM raw_segment.tracks) + {h} + 90
)
SELECT r.*, acct.ws, acct.seats, acct.segment FROM r JOIN acct USING (account_id)
"""

FEATURES = """
WITH o AS ({outcomes}),
users AS (SELECT DISTINCT user_id, group_id AS ws FROM raw_segment.groups),
ev AS (
  SELECT o.account_id, o.p_date,
    count(*) FILTER (WHERE t.event = 'workflow_completed' AND t.timestamp >= o.p_date - 90) AS wf90,
    count(*) FILTER (WHERE t.event = 'workflow_completed' AND t.timestamp >= o.p_date - 30) AS wf30,
    count(*) FILTER (WHERE t.event = 'signed_in' AND t.timestamp >= o.p_date - 90) AS logins90,
    count(DISTINCT t.user_id) FILTER (WHERE t.timestamp >= o.p_date - 30) AS active30,
    count(DISTINCT t.event) FILTER (WHERE t.timestamp >= o.p_date - 30) AS breadth30,
    count(*) FILTER (WHERE t.timestamp >= o.p_date - 90) AS events90
  FROM o JOIN users u ON u.ws = o.ws JOIN raw_segment.tracks t ON t.user_id = u.user_id
   AND t.timestamp >= o.p_date - 180 AND t.timestamp < o.p_date
  GROUP BY ALL
),
org AS (SELECT id AS org_id, external_id AS account_id FROM raw_zendesk.organization),
tk AS (
  SELECT o.account_id, o.p_date, count(*) AS tickets90,
    count(*) FILTER (WHERE k.priority IN ('high', 'urgent')) AS urgent90
  FROM o JOIN org USING (account_id) JOIN raw_zendesk.ticket k ON k.organization_id = org.org_id
   AND k.created_at >= o.p_date - 90 AND k.created_at < o.p_date
  GROUP BY ALL
),
cs AS (
  SELECT o.account_id, o.p_date, count(*) FILTER (WHERE h.value = 'bad') AS csat_bad,
    count(*) FILTER (WHERE h.value IN ('good', 'bad')) AS csat_n
  FROM o JOIN org USING (account_id) JOIN raw_zendesk.ticket k ON k.organization_id = org.org_id
  JOIN raw_zendesk.ticket_field_history h ON h.ticket_id = k.id AND h.field_name = 'satisfaction_score'
   AND h.updated >= o.p_date - 180 AND h.updated < o.p_date
  GROUP BY ALL
),
people AS (SELECT email, account_id FROM raw_salesforce.contact
           UNION SELECT i.email, a.id FROM raw_segment.identifies i JOIN raw_segment.groups g USING (user_id)
                 JOIN raw_salesforce.account a ON a.product_workspace_id_c = g.group_id),
nps AS (
  SELECT o.account_id, o.p_date, avg(TRY_CAST(n.score AS DOUBLE)) AS nps_avg
  FROM o JOIN people USING (account_id) JOIN raw_survey.nps_responses n ON n.email = people.email
   AND TRY_CAST(n.created_at AS TIMESTAMPTZ) >= o.p_date - 200 AND TRY_CAST(n.created_at AS TIMESTAMPTZ) < o.p_date
  GROUP BY ALL
),
csm AS (
  SELECT o.account_id, o.p_date, count(*) FILTER (WHERE t.csm_sentiment_c = 'Negative') AS neg,
    count(t.csm_sentiment_c) AS sent_n
  FROM o JOIN raw_salesforce.task t USING (account_id)
  WHERE t.activity_date >= o.p_date - 120 AND t.activity_date < o.p_date
  GROUP BY ALL
),
mt AS (
  SELECT o.account_id, o.p_date, count(*) AS meetings180
  FROM o JOIN raw_salesforce.event e USING (account_id)
  WHERE e.activity_date >= o.p_date - 180 AND e.activity_date < o.p_date AND e.created_date < o.p_date
  GROUP BY ALL
),
cust AS (SELECT id AS customer_id, json_extract_string(metadata, '$.salesforce_account_id') AS account_id
         FROM raw_stripe.customer),
pay AS (
  SELECT o.account_id, o.p_date,
    (SELECT count(*) FROM raw_stripe.charge c WHERE c.customer_id = cust.customer_id AND c.status = 'failed'
       AND c.created >= o.p_date - 180 AND c.created < o.p_date) AS failed180,
    (SELECT count(*) FROM raw_stripe.invoice i WHERE i.customer_id = cust.customer_id
       AND i.due_date >= o.p_date - 365 AND i.due_date < o.p_date
       AND coalesce(i.status_transitions_paid_at, TIMESTAMP '2999-01-01') > i.due_date) AS late365
  FROM o JOIN cust USING (account_id)
)
SELECT o.account_id, o.close_date, o.churned, o.segment, greatest(o.seats, 1) AS seats,
  coalesce(ev.wf90, 0) AS wf90, coalesce(ev.wf30, 0) AS wf30, coalesce(ev.logins90, 0) AS logins90,
  coalesce(ev.active30, 0) AS active30, coalesce(ev.breadth30, 0) AS breadth30, coalesce(ev.events90, 0) AS events90,
  coalesce(tk.tickets90, 0) AS tickets90, coalesce(tk.urgent90, 0) AS urgent90,
  coalesce(cs.csat_bad, 0) AS csat_bad, coalesce(cs.csat_n, 0) AS csat_n, nps.nps_avg,
  coalesce(csm.neg, 0) AS csm_neg, coalesce(csm.sent_n, 0) AS csm_n, coalesce(mt.meetings180, 0) AS meetings180,
  coalesce(pay.failed180, 0) AS failed180, coalesce(pay.late365, 0) AS late365
FROM o LEFT JOIN ev USING (account_id, p_date) LEFT JOIN tk USING (account_id, p_date)
LEFT JOIN cs USING (account_id, p_date) LEFT JOIN nps USING (account_id, p_date)
LEFT JOIN csm USING (account_id, p_date) LEFT JOIN mt USING (account_id, p_date)
LEFT JOIN pay USING (account_id, p_date)
"""


def auc(score: np.ndarray, label: np.ndarray) -> float:
    """Area under the ROC curve (probability a random positive outranks a random negative; ties count half)."""
    score = np.asarray(score, dtype=float)
    label = np.asarray(label, dtype=bool)
    n1, n0 = int(label.sum()), int((~label).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[label].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def features(con, horizon_days: int = 90) -> Dict[str, np.ndarray]:
    q = FEATURES.format(outcomes=OUTCOMES.format(h=horizon_days))
    tab = con.execute(q).to_arrow_table()
    return {c: tab[c].to_numpy(zero_copy_only=False) for c in tab.column_names}


def naive_auc(db_or_con, horizon_days: int = 90) -> Tuple[float, int, int]:
    """AUC of 'fewer core-workflow completions per seat in the last 90 days' for churn at renewal."""
    con = duckdb.connect(db_or_con, read_only=True) if isinstance(db_or_con, str) else db_or_con
    f = features(con, horizon_days)
    y = f["churned"].astype(bool)
    return auc(-(f["wf90"] / f["seats"]), y), len(y), int(y.sum())


def _design(f: Dict[str, np.ndarray]) -> np.ndarray:
    seats = f["seats"].astype(float)
    nps = f["nps_avg"].astype(float)
    has_nps = ~np.isnan(nps)
    cols = [
        np.log1p(f["wf90"] / seats * 10), np.log1p(f["wf30"] / seats * 10), np.log1p(f["logins90"] / seats),
        f["active30"] / seats, f["breadth30"], np.log1p(f["events90"] / seats),
        np.log1p(f["tickets90"] / seats ** 0.8), f["urgent90"] / np.maximum(f["tickets90"], 1),
        f["csat_bad"] / np.maximum(f["csat_n"], 1), np.where(has_nps, nps, 0.0), has_nps.astype(float),
        f["csm_neg"] / np.maximum(f["csm_n"], 1), np.log1p(f["meetings180"]), np.log1p(f["failed180"]),
        np.log1p(f["late365"]),
        (f["segment"] == "SMB").astype(float), (f["segment"] == "Enterprise").astype(float),
    ]
    X = np.column_stack(cols).astype(float)
    X = (X - X.mean(0)) / np.maximum(X.std(0), 1e-9)
    return np.column_stack([np.ones(len(X)), X])


def _fit_logit(X, y, l2=1.0, iters=50):
    w = np.zeros(X.shape[1])
    for _ in range(iters):                     # Newton steps with a ridge penalty
        p = 1 / (1 + np.exp(-(X @ w)))
        g = X.T @ (p - y) + l2 * np.r_[0, w[1:]]
        H = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.diag(np.r_[0, np.ones(len(w) - 1)])
        w -= np.linalg.solve(H, g)
    return w


def signal_auc(db_or_con, horizon_days: int = 90, folds: int = 5, seed: int = 0) -> Tuple[float, int, int]:
    """Cross-validated AUC of a logistic regression on all signal families."""
    con = duckdb.connect(db_or_con, read_only=True) if isinstance(db_or_con, str) else db_or_con
    f = features(con, horizon_days)
    y = f["churned"].astype(float)
    X = _design(f)
    fold = np.random.default_rng(seed).integers(0, folds, len(y))
    pred = np.zeros(len(y))
    for k in range(folds):
        tr, te = fold != k, fold == k
        if te.any() and y[tr].sum() > 0:
            pred[te] = X[te] @ _fit_logit(X[tr], y[tr])
    return auc(pred, y.astype(bool)), len(y), int(y.sum())


if __name__ == "__main__":
    db = sys.argv[1] if len(sys.argv) > 1 else "customer_health.duckdb"
    a, n, k = naive_auc(db)
    print(f"naive (workflow completions per seat, last 90 days, 90 days ahead): AUC {a:.3f} on {n} renewals ({k} churned)")
    a, n, k = signal_auc(db)
    print(f"all signals, logistic regression, 5-fold CV:                        AUC {a:.3f}")
