"""Acting on the score: tier changes, alerts that do not nag, and a CRM sync with a publish gate."""
from __future__ import annotations

import re

from conftest import DbtProject, copy_of
from report import collect, render_html
from summary import build_summary

SYNC = "main_marts.crm_account_health_sync"
SYNC_MODELS = ("crm_account_health_sync_checks", "crm_account_health_sync")
FAMILY_FIELDS = ("health_family_score__c", "health_family_tier__c", "health_family_worst_tier__c",
                 "health_family_accounts__c")


def sync_rows(project: DbtProject) -> list[tuple]:
    return project.query(
        f"select crm_account_id, health_score__c, health_tier__c, row_hash, health_updated_at__c "
        f"from {SYNC} order by crm_account_id"
    )


def test_tier_changes_are_real_transitions(dirty_world: DbtProject):
    changes = dirty_world.scalar("select count(*) from main_marts.customer_health_tier_changes")
    assert changes > 0
    # every transition agrees with the history: the tier the day before differs from the tier on the day
    mismatches = dirty_world.scalar(
        """
        select count(*)
        from main_marts.customer_health_tier_changes as changes
        inner join main_marts.customer_health_history as today
            on changes.account_id = today.account_id and changes.change_date = today.score_date
        where today.health_tier <> changes.to_tier
        """
    )
    assert mismatches == 0
    downgrades_without_driver = dirty_world.scalar(
        "select count(*) from main_marts.customer_health_tier_changes where direction = 'down' and top_driver is null"
    )
    assert downgrades_without_driver == 0


def test_an_ongoing_condition_does_not_raise_the_same_alert_every_day(dirty_world: DbtProject):
    too_close = dirty_world.scalar(
        """
        with ordered as (
            select
                alerts.account_id,
                alerts.rule_id,
                alerts.alert_date,
                rules.cooldown_days,
                lag(alerts.alert_date) over (
                    partition by alerts.account_id, alerts.rule_id order by alerts.alert_date
                ) as previous_alert_date
            from main_marts.customer_health_alerts as alerts
            inner join main_config.health_playbook_rules as rules on alerts.rule_id = rules.rule_id
        )
        select count(*) from ordered
        where previous_alert_date is not null and alert_date - previous_alert_date <= cooldown_days
        """
    )
    assert too_close == 0
    unowned = dirty_world.scalar("select count(*) from main_marts.customer_health_alerts where owner is null")
    assert unowned == 0


def test_sync_has_one_row_per_scored_account_and_no_personal_data(dirty_world: DbtProject):
    scored = dirty_world.scalar("select count(*) from main_marts.customer_health")
    rows = dirty_world.query(f"select * from {SYNC}")
    assert len(rows) == scored
    columns = [row[0] for row in dirty_world.query(f"select column_name from information_schema.columns "
                                                      f"where table_schema = 'main_marts' and table_name = 'crm_account_health_sync'")]
    assert not [c for c in columns if re.search(r"email|phone|name", c)], columns
    email = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}")
    phone = re.compile(r"\+?\d[\d\s().-]{8,}\d")
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not email.search(value), value
                assert not (phone.fullmatch(value) and not value.isdigit()), value
    statuses = dirty_world.query(f"select distinct publication_status from {SYNC}")
    assert statuses == [("published",)]


def held_warnings(result) -> list[str]:
    """The build's warnings that say the CRM sync is held."""
    return [r.node.name for r in result.result.results
            if str(r.status) == "warn" and r.node.name == "crm_sync_held_because_a_check_failed"]


def test_failed_checks_keep_the_last_good_publication(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "sync_gate")
    published = sync_rows(project)
    assert published

    # a tier-mix limit nothing can meet: the day's checks fail
    result = project.run("build", "-s", *SYNC_MODELS, vars={"health_sync_max_tier_shift_share": -1},
                         expect_success=True)
    failed = project.query("select check_name from main_marts.crm_account_health_sync_checks where not passed")
    assert failed == [("tier_mix_shift",)]
    assert sync_rows(project) == published
    held = project.query(f"select distinct publication_status, held_because from {SYNC}")
    assert held == [("held", "checks failed: tier_mix_shift")]
    # the hold is not silent: the build warns, and the summary and the report say so
    assert held_warnings(result) == ["crm_sync_held_because_a_check_failed"]
    summary = "\n".join(build_summary(project.db_path, tmp_path / "no_report.html"))
    as_of = project.scalar("select max(score_date) from main_marts.customer_health")
    assert f"CRM sync: HELD, checks failed: tier_mix_shift; the CRM keeps the publication of {as_of}" in summary
    report = render_html(collect(project.db_path, "main", None))
    assert 'id="sync-held"' in report and "checks failed: tier_mix_shift" in report

    # checks pass again: today's scores are published, and nothing warns
    result = project.run("build", "-s", *SYNC_MODELS)
    assert project.query(f"select distinct publication_status from {SYNC}") == [("published",)]
    assert sync_rows(project) == published
    assert held_warnings(result) == []
    assert "CRM sync: published" in "\n".join(build_summary(project.db_path, tmp_path / "no_report.html"))
    assert 'id="sync-held"' not in render_html(collect(project.db_path, "main", None))


def test_a_first_publication_with_failing_checks_publishes_nothing(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "sync_first")
    project.run("build", "-s", *SYNC_MODELS, "--full-refresh", vars={"health_sync_max_insufficient_share": -1})
    assert project.scalar(f"select count(*) from {SYNC}") == 0
    assert project.query("select check_name from main_marts.crm_account_health_sync_checks where not passed") == [("coverage",)]


def test_a_publication_from_before_the_family_fields_is_kept_with_them_empty(dirty_world: DbtProject, tmp_path):
    """Upgrading: the first run may hold a publication written before the family fields existed."""
    project = copy_of(dirty_world, tmp_path, "sync_upgrade")
    column_types = "select column_name, data_type from information_schema.columns " \
                   "where table_schema = 'main_marts' and table_name = 'crm_account_health_sync' order by column_name"
    types_before = project.query(column_types)
    for field in FAMILY_FIELDS:
        project.execute(f"alter table {SYNC} drop column {field}")
    published = sync_rows(project)

    project.run("build", "-s", *SYNC_MODELS, vars={"health_sync_max_tier_shift_share": -1}, expect_success=True)
    assert sync_rows(project) == published
    fields = ", ".join(FAMILY_FIELDS)
    assert project.query(f"select distinct publication_status, {fields} from {SYNC}") == [("held", None, None, None, None)]
    # the stand-in nulls have the published types, so later publications keep them
    assert project.query(column_types) == types_before

    project.run("build", "-s", *SYNC_MODELS)
    assert project.query(f"select distinct publication_status from {SYNC}") == [("published",)]
    assert project.scalar(f"select count(health_family_tier__c) from {SYNC}") > 0
    assert project.query(column_types) == types_before
