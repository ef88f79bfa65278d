"""Parent accounts roll up their subsidiaries: the family mart recomputed from the CRM's parent links."""
from __future__ import annotations

from conftest import PROJECT_VARS, DbtProject

FAMILIES = "main_marts.customer_health_account_families"
RED_BELOW = PROJECT_VARS["health_tier_thresholds"]["red_below"]
GREEN_ABOVE = PROJECT_VARS["health_tier_thresholds"]["green_above"]
MIN_COVERAGE = PROJECT_VARS["health_min_coverage_pct"]


def top_of(account: str, parents: dict[str, str | None]) -> str:
    """Follow parent links while the parent is a CRM account (the generated world has no loops)."""
    seen = {account}
    while parents.get(account) in parents:
        account = parents[account]
        assert account not in seen, f"parent links loop at {account}"
        seen.add(account)
    return account


def tier(score: float | None, coverage: float) -> str:
    if score is None or coverage < MIN_COVERAGE:
        return "insufficient_data"
    if score < RED_BELOW:
        return "red"
    return "green" if score > GREEN_ABOVE else "yellow"


def expected_families(world: DbtProject) -> dict[str, dict]:
    parents = dict(world.query("select account_id, parent_account_id from main_staging.stg_salesforce__accounts"))
    tops = {account: top_of(account, parents) for account in parents}
    family_sizes: dict[str, int] = {}
    for top in tops.values():
        family_sizes[top] = family_sizes.get(top, 0) + 1
    earlier = {
        account: (score, account_tier)
        for account, score, account_tier in world.query(
            "select history.account_id, history.health_score, history.health_tier "
            "from main_marts.customer_health_history as history "
            "inner join main_marts.customer_health as today "
            "on history.account_id = today.account_id and history.config_version = today.config_version "
            "where history.score_date = today.score_date - interval 30 day"
        )
    }
    members: dict[str, list[tuple]] = {}
    for account, score, account_tier, arr in world.query(
        "select account_id, health_score, health_tier, arr from main_marts.customer_health"
    ):
        top = tops[account]
        if family_sizes[top] > 1:
            members.setdefault(top, []).append((account, score, account_tier, float(arr or 0)))
    families = {}
    for top, rows in members.items():
        family_arr = sum(arr for *_, arr in rows)
        weight = {account: (arr if family_arr > 0 else 1.0) for account, _, _, arr in rows}
        scored = [(account, float(score)) for account, score, account_tier, _ in rows
                  if account_tier != "insufficient_data" and score is not None]
        scored_weight = sum(weight[account] for account, _ in scored)
        score = sum(weight[account] * value for account, value in scored) / scored_weight if scored_weight else None
        coverage = 100.0 * scored_weight / sum(weight.values())
        then = [(account, float(earlier[account][0])) for account, *_ in rows
                if account in earlier and earlier[account][1] != "insufficient_data" and earlier[account][0] is not None]
        then_weight = sum(weight[account] for account, _ in then)
        score_then = sum(weight[account] * value for account, value in then) / then_weight if then_weight else None
        families[top] = {
            "score": score, "tier": tier(score, coverage), "coverage": coverage,
            "members": len(rows), "crm_accounts": family_sizes[top],
            "lowest": min(scored, key=lambda pair: (pair[1], pair[0]))[0] if scored else None,
            "red_arr": sum(arr for _, _, account_tier, arr in rows if account_tier == "red"),
            "change": None if score is None or score_then is None else score - score_then,
        }
    return families


def test_families_roll_up_every_subsidiary_to_its_top_parent_weighted_by_arr(dirty_world: DbtProject):
    expected = expected_families(dirty_world)
    assert expected, "the demo world has enterprise parents with subsidiaries"
    rows = dirty_world.query(
        f"select family_account_id, family_health_score, family_health_tier, coverage_pct, member_accounts, "
        f"crm_accounts_in_family, lowest_scoring_account_id, red_arr, score_change_30d from {FAMILIES}"
    )
    assert sorted(row[0] for row in rows) == sorted(expected)
    for family, score, family_tier, coverage, members, crm_accounts, lowest, red_arr, change in rows:
        want = expected[family]
        if want["score"] is None:
            assert score is None, family
        else:
            assert abs(float(score) - want["score"]) <= 0.01, (family, score, want)
        assert abs(float(coverage) - want["coverage"]) <= 0.1, (family, coverage, want)
        assert family_tier == want["tier"], (family, family_tier, want)
        assert (members, crm_accounts, lowest) == (want["members"], want["crm_accounts"], want["lowest"]), family
        assert abs(float(red_arr) - want["red_arr"]) <= 0.01, family
        if want["change"] is None:
            assert change is None, (family, change)
        else:
            assert abs(float(change) - want["change"]) <= 0.02, (family, change, want)
    assert any(want["change"] is not None for want in expected.values()), "no family was scored 30 days earlier"


def test_the_crm_sync_carries_the_family_roll_up_on_the_top_account_only(dirty_world: DbtProject):
    families = {row[0]: row[1:] for row in dirty_world.query(
        f"select family_account_id, family_health_score, family_health_tier, worst_tier, member_accounts from {FAMILIES}")}
    synced = {row[0]: row[1:] for row in dirty_world.query(
        "select crm_account_id, health_family_score__c, health_family_tier__c, health_family_worst_tier__c, "
        "health_family_accounts__c from main_marts.crm_account_health_sync")}
    tops = {account: fields for account, fields in synced.items() if account in families}
    assert tops, "no family's top account is a scored customer in the test world"
    assert tops == {account: families[account] for account in tops}
    parents = dict(dirty_world.query("select account_id, parent_account_id from main_staging.stg_salesforce__accounts"))
    subsidiaries = {account for account in parents if top_of(account, parents) != account}
    assert subsidiaries & set(synced), "no subsidiary in the sync to check"
    assert all(fields == (None, None, None, None) for account, fields in synced.items() if account not in families)
