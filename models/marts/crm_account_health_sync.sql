-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    Public contract for reverse-ETL: one row per CRM account (the Salesforce
    account id is the external id), with CRM-style custom field names and no
    personal data. row_hash covers the synced fields except the timestamp, so
    a sync can send only rows whose content changed.

    A family's top account (customer_health_account_families) also carries
    the family's roll-up: score, tier, worst tier and scored accounts, so the
    parent's CRM page shows its subsidiaries' health; other accounts carry
    nulls there.

    Publish gate: the day's rows are published only when every check in
    crm_account_health_sync_checks passed. Otherwise this table keeps the last
    good publication (the rows already in it), marked held with the failed
    checks, so bad scores never reach the CRM. A first build with failing
    checks publishes nothing.
-#}

{%- set previous = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) %}
{%- set previous_is_usable = previous is not none and not flags.FULL_REFRESH %}
{#- a publication kept from before the family fields existed has none: nulls of the published types stand in -#}
{%- set family_fields = {
    'health_family_score__c': 'round(cast(null as ' ~ dbt.type_numeric() ~ '), 2)',
    'health_family_tier__c': 'cast(null as ' ~ dbt.type_string() ~ ')',
    'health_family_worst_tier__c': 'cast(null as ' ~ dbt.type_string() ~ ')',
    'health_family_accounts__c': 'cast(null as ' ~ dbt.type_bigint() ~ ')',
} %}
{%- set previous_columns = [] %}
{%- if previous_is_usable and execute %}
    {%- set previous_columns = adapter.get_columns_in_relation(previous) | map(attribute='name') | map('lower') | list %}
{%- endif %}

with health as (

    select * from {{ ref('customer_health') }}

),

alerts as (

    select * from {{ ref('customer_health_alerts') }}

),

families as (

    select * from {{ ref('customer_health_account_families') }}

),

checks as (

    select * from {{ ref('crm_account_health_sync_checks') }}

),

gate as (

    select
        max(checked_on) as checked_on,
        sum(case when passed then 0 else 1 end) as failed_checks,
        {{ dbt.listagg("case when passed then null else check_name end", "', '", "order by check_name") }} as failed_check_names
    from checks

),

{#- an alert recommends an action for health_sync_action_days; older ones are history -#}
latest_alert as (

    select
        alerts.account_id,
        alerts.action,
        row_number() over (
            partition by alerts.account_id
            order by alerts.alert_date desc, alerts.priority asc, alerts.rule_id asc
        ) as alert_rank
    from alerts
    inner join health
        on alerts.account_id = health.account_id
    where alerts.alert_date <= health.score_date
        and alerts.alert_date > {{ dbt.dateadd('day', -var('health_sync_action_days'), 'health.score_date') }}

),

candidate as (

    select
        health.account_id as crm_account_id,
        health.health_score as health_score__c,
        health.health_tier as health_tier__c,
        health.trend as health_trend__c,
        health.score_change_30d as health_score_change_30d__c,
        health.top_risk_driver as health_top_risk__c,
        health.top_strength_driver as health_top_strength__c,
        health.coverage_pct as health_coverage_pct__c,
        latest_alert.action as health_recommended_action__c,
        health.is_overridden as health_is_overridden__c,
        health.config_version as health_config_version__c,
        families.family_health_score as health_family_score__c,
        families.family_health_tier as health_family_tier__c,
        families.worst_tier as health_family_worst_tier__c,
        families.member_accounts as health_family_accounts__c,
        cast(health.score_date as {{ dbt.type_timestamp() }}) as health_updated_at__c
    from health
    left join latest_alert
        on health.account_id = latest_alert.account_id
        and latest_alert.alert_rank = 1
    left join families
        on health.account_id = families.family_account_id

),

hashed as (

    select
        candidate.*,
        {{ dbt.hash(dbt.concat([
            "coalesce(" ~ dbt.cast('health_score__c', dbt.type_string()) ~ ", '')", "'|'",
            "coalesce(health_tier__c, '')", "'|'",
            "coalesce(health_trend__c, '')", "'|'",
            "coalesce(" ~ dbt.cast('health_score_change_30d__c', dbt.type_string()) ~ ", '')", "'|'",
            "coalesce(health_top_risk__c, '')", "'|'",
            "coalesce(health_top_strength__c, '')", "'|'",
            "coalesce(" ~ dbt.cast('health_coverage_pct__c', dbt.type_string()) ~ ", '')", "'|'",
            "coalesce(health_recommended_action__c, '')", "'|'",
            "coalesce(" ~ dbt.cast('health_is_overridden__c', dbt.type_string()) ~ ", '')", "'|'",
            "coalesce(health_config_version__c, '')", "'|'",
            "coalesce(" ~ dbt.cast('health_family_score__c', dbt.type_string()) ~ ", '')", "'|'",
            "coalesce(health_family_tier__c, '')", "'|'",
            "coalesce(health_family_worst_tier__c, '')", "'|'",
            "coalesce(" ~ dbt.cast('health_family_accounts__c', dbt.type_string()) ~ ", '')"
        ]) ) }} as row_hash
    from candidate

),

published_today as (

    select
        hashed.*,
        'published' as publication_status,
        gate.checked_on as publication_checked_on,
        cast(null as {{ dbt.type_string() }}) as held_because
    from hashed
    cross join gate
    where gate.failed_checks = 0

),

kept_from_last_publication as (

    {%- if previous_is_usable %}
    select
        previous_publication.crm_account_id,
        previous_publication.health_score__c,
        previous_publication.health_tier__c,
        previous_publication.health_trend__c,
        previous_publication.health_score_change_30d__c,
        previous_publication.health_top_risk__c,
        previous_publication.health_top_strength__c,
        previous_publication.health_coverage_pct__c,
        previous_publication.health_recommended_action__c,
        previous_publication.health_is_overridden__c,
        previous_publication.health_config_version__c,
        {%- for field, null_value in family_fields.items() %}
        {%- if field in previous_columns %}
        previous_publication.{{ field }},
        {%- else %}
        {{ null_value }} as {{ field }},
        {%- endif %}
        {%- endfor %}
        previous_publication.health_updated_at__c,
        previous_publication.row_hash,
        'held' as publication_status,
        gate.checked_on as publication_checked_on,
        {{ dbt.concat(["'checks failed: '", 'gate.failed_check_names']) }} as held_because
    from {{ previous }} as previous_publication
    cross join gate
    where gate.failed_checks > 0
    {%- else %}
    -- no earlier publication to keep
    select *
    from published_today
    where 1 = 0
    {%- endif %}

)

select * from published_today
union all
select * from kept_from_last_publication
