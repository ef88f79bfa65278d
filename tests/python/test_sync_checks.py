"""The CRM sync's change detection: row_hash moves with the synced values and only with them.

Reverse-ETL sends only rows whose row_hash changed, so the hash must change
when any synced field changes (else the CRM keeps a stale value) and must not
change when only the timestamp health_updated_at__c moves (else every account
is re-sent every day). The hash value itself is engine-specific, so these
tests compare hashes before and after a controlled change on a built world
instead of asserting literal values. (The publish gate's checks are unit
tests in models/marts/crm_account_health_sync_checks.yml.)
"""
from __future__ import annotations

from conftest import DbtProject, copy_of

SYNC = "main_marts.crm_account_health_sync"
HEALTH = "main_marts.customer_health"
ALERTS = "main_marts.customer_health_alerts"
FAMILIES = "main_marts.customer_health_account_families"
KEY_COLUMN = {HEALTH: "account_id", ALERTS: "account_id", FAMILIES: "family_account_id"}

# Every field the hash covers, with a change to one account's upstream value
# that is sure to change the synced value (nulls included).
SYNCED_FIELD_CHANGES = {
    "health_score__c": (HEALTH, "health_score = case when health_score >= 50 then health_score - 1 else health_score + 1 end"),
    "health_tier__c": (HEALTH, "health_tier = case when health_tier = 'green' then 'yellow' else 'green' end"),
    "health_trend__c": (HEALTH, "trend = case when trend = 'up' then 'down' else 'up' end"),
    "health_score_change_30d__c": (HEALTH, "score_change_30d = coalesce(score_change_30d, 0) + 1"),
    "health_top_risk__c": (HEALTH, "top_risk_driver = coalesce(top_risk_driver, '') || '_changed'"),
    "health_top_strength__c": (HEALTH, "top_strength_driver = coalesce(top_strength_driver, '') || '_changed'"),
    "health_coverage_pct__c": (HEALTH, "coverage_pct = case when coverage_pct >= 50 then coverage_pct - 1 else coverage_pct + 1 end"),
    "health_recommended_action__c": (ALERTS, "action = action || ' (changed)'"),
    "health_is_overridden__c": (HEALTH, "is_overridden = not coalesce(is_overridden, false)"),
    "health_config_version__c": (HEALTH, "config_version = config_version || '_changed'"),
    # the family fields sit on a family's top account
    "health_family_score__c": (FAMILIES, "family_health_score = case when family_health_score >= 50 "
                                         "then family_health_score - 1 else family_health_score + 1 end"),
    "health_family_tier__c": (FAMILIES, "family_health_tier = case when family_health_tier = 'green' then 'yellow' else 'green' end"),
    "health_family_worst_tier__c": (FAMILIES, "worst_tier = case when worst_tier = 'red' then 'yellow' else 'red' end"),
    "health_family_accounts__c": (FAMILIES, "member_accounts = member_accounts + 1"),
}
SYNCED_FIELDS = tuple(SYNCED_FIELD_CHANGES)


def sync_by_account(project: DbtProject) -> dict[str, dict]:
    columns = ("crm_account_id", *SYNCED_FIELDS, "health_updated_at__c", "row_hash", "publication_status")
    rows = project.query(f"select {', '.join(columns)} from {SYNC}")
    return {row[0]: dict(zip(columns, row)) for row in rows}


def scored_accounts(project: DbtProject, with_alert: bool = False) -> list[str]:
    """Accounts with a score and a real tier, in a stable order."""
    # an alert of the last 30 days (health_sync_action_days): older ones are not synced
    alert_filter = (f"and account_id in (select alerts.account_id from {ALERTS} as alerts join {HEALTH} as health "
                    f"using (account_id) where alerts.alert_date > health.score_date - 30)") if with_alert else ""
    rows = project.query(
        f"select account_id from {HEALTH} "
        f"where health_score is not null and health_tier in ('green', 'yellow', 'red') {alert_filter} "
        f"order by account_id"
    )
    return [row[0] for row in rows]


def scored_family_tops(project: DbtProject) -> list[str]:
    """Top accounts of families with a family score, in a stable order."""
    rows = project.query(
        f"select families.family_account_id from {FAMILIES} as families "
        f"join {HEALTH} as health on families.family_account_id = health.account_id "
        f"where families.family_health_score is not null order by families.family_account_id"
    )
    return [row[0] for row in rows]


def changed_fields(before: dict, after: dict) -> set[str]:
    return {field for field in SYNCED_FIELDS if before[field] != after[field]}


def test_row_hash_changes_when_any_synced_value_changes(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "sync_hash_values")
    before = sync_by_account(project)
    assert {row["publication_status"] for row in before.values()} == {"published"}

    # one account per synced field; the recommended action needs an account with an alert, a family field
    # the top account of a scored family
    action_account = scored_accounts(project, with_alert=True)[0]
    family_fields = [field for field, (table, _) in SYNCED_FIELD_CHANGES.items() if table == FAMILIES]
    tops = [account for account in scored_family_tops(project) if account != action_account]
    assert len(tops) >= len(family_fields), f"the test world needs {len(family_fields)} scored families: {tops}"
    others = [account for account in scored_accounts(project) if account != action_account and account not in tops]
    changed_account = {"health_recommended_action__c": action_account}
    for field in SYNCED_FIELDS:
        if field not in changed_account:
            changed_account[field] = (tops if field in family_fields else others).pop(0)
    for field, (table, assignment) in SYNCED_FIELD_CHANGES.items():
        project.execute(f"update {table} set {assignment} where {KEY_COLUMN[table]} = ?", [changed_account[field]])

    project.run("run", "--select", "crm_account_health_sync")
    after = sync_by_account(project)
    assert after.keys() == before.keys()

    # each changed account differs from before in exactly its one synced field ...
    for field, account in changed_account.items():
        assert changed_fields(before[account], after[account]) == {field}, account
    # ... and that, and nothing else, changed its hash
    hash_changed = {account for account in after if after[account]["row_hash"] != before[account]["row_hash"]}
    assert hash_changed == set(changed_account.values())
    assert all(after[account]["health_updated_at__c"] == before[account]["health_updated_at__c"] for account in after)


def test_row_hash_ignores_health_updated_at(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "sync_hash_timestamp")
    before = sync_by_account(project)
    # an account without alerts near the 30-day edge, so that its synced action cannot move with the date
    near_the_edge = {row[0] for row in project.query(
        f"select alerts.account_id from {ALERTS} as alerts join {HEALTH} as health using (account_id) "
        f"where alerts.alert_date > health.score_date - 32")}
    account = next(a for a in scored_accounts(project) if a not in near_the_edge)

    # the account's score is now dated a day earlier; every synced value stays the same
    project.execute(f"update {HEALTH} set score_date = score_date - 1 where account_id = ?", [account])
    project.run("run", "--select", "crm_account_health_sync")
    after = sync_by_account(project)

    updated_at_changed = {a for a in after if after[a]["health_updated_at__c"] != before[a]["health_updated_at__c"]}
    assert updated_at_changed == {account}
    assert (before[account]["health_updated_at__c"] - after[account]["health_updated_at__c"]).days == 1
    assert changed_fields(before[account], after[account]) == set()
    assert {a: row["row_hash"] for a, row in after.items()} == {a: row["row_hash"] for a, row in before.items()}


def test_recommended_action_is_the_latest_recent_alert(dirty_world: DbtProject):
    """The synced action is the latest alert of the last 30 days; an account whose alerts are older gets none."""
    expected = dict(dirty_world.query(f"""
        select health.account_id, (
            select alerts.action from {ALERTS} as alerts
            where alerts.account_id = health.account_id
                and alerts.alert_date <= health.score_date and alerts.alert_date > health.score_date - 30
            order by alerts.alert_date desc, alerts.priority, alerts.rule_id limit 1)
        from {HEALTH} as health"""))
    synced = {account: row["health_recommended_action__c"] for account, row in sync_by_account(dirty_world).items()}
    assert synced == expected
    # not vacuous: some accounts have a recent alert, and some only older ones (which must not be synced)
    with_old_alerts_only = dirty_world.query(f"""
        select count(distinct alerts.account_id) from {ALERTS} as alerts join {HEALTH} as health using (account_id)
        where alerts.account_id not in (select account_id from {ALERTS} as recent join {HEALTH} as h using (account_id)
                                        where recent.alert_date > h.score_date - 30)""")[0][0]
    assert with_old_alerts_only > 0 and sum(action is not None for action in synced.values()) > 0
