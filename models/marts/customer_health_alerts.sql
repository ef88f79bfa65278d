-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    Public contract: the playbook actions the score calls for. A rule of the
    seed health_playbook_rules raises an alert on the day its condition starts
    to hold; while it keeps holding no new alert is raised, and a new onset
    within the rule's cooldown_days of the previous one is suppressed, so an
    ongoing condition does not nag every day. The owner is the account's CSM
    from the CRM (data_operations alerts go to the data operations owner).
    The onsets come from int_playbook_onsets; cooldowns, actions and owners
    are applied here on every run, so editing them needs no rebuild.
-#}

with onsets as (

    select * from {{ ref('int_playbook_onsets') }}

),

rules as (

    select * from {{ ref('health_playbook_rules') }}

),

crm_accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

),

crm_users as (

    select * from {{ ref('stg_salesforce__users') }}

),

with_rules as (

    select
        onsets.*,
        rules.rule_type,
        rules.cooldown_days,
        rules.action,
        rules.owner_role,
        rules.due_in_days,
        rules.priority
    from onsets
    inner join rules
        on onsets.rule_id = rules.rule_id

),

cooled_down as (

    select *
    from (
        select
            with_rules.*,
            lag(date_day) over (partition by account_id, rule_id order by date_day) as previous_onset_on
        from with_rules
    ) as with_previous_onset
    where previous_onset_on is null
        or {{ dbt.datediff('previous_onset_on', 'date_day', 'day') }} > cooldown_days

),

alerts as (

    select
        {{ dbt.hash(dbt.concat(['cooled_down.account_id', "'|'", 'cooled_down.rule_id', "'|'", dbt.cast('cooled_down.date_day', dbt.type_string())])) }} as alert_id,
        cooled_down.account_id,
        crm_accounts.account_name,
        cooled_down.date_day as alert_date,
        cooled_down.rule_id,
        cooled_down.rule_type,
        cooled_down.previous_tier as from_tier,
        cooled_down.health_tier as to_tier,
        cooled_down.health_score,
        cooled_down.top_risk_driver,
        cooled_down.action,
        case
            when cooled_down.owner_role = 'data_operations' then '{{ var("health_data_operations_owner") }}'
            else coalesce(crm_users.user_name, 'unassigned')
        end as owner,
        crm_accounts.owner_user_id,
        cooled_down.owner_role,
        cooled_down.priority,
        cast({{ dbt.dateadd('day', 'cooled_down.due_in_days', 'cooled_down.date_day') }} as date) as due_date,
        case cooled_down.rule_type
            when 'tier_change' then {{ dbt.concat(["'tier changed from '", 'cooled_down.previous_tier', "' to '", 'cooled_down.health_tier']) }}
            when 'tier_held_before_renewal' then {{ dbt.concat(["'in '", 'cooled_down.health_tier', "' for '", dbt.cast('cooled_down.days_in_tier', dbt.type_string()), "' days, renewal in '", dbt.cast('cooled_down.days_to_renewal', dbt.type_string()), "' days'"]) }}
            when 'score_drop' then {{ dbt.concat(["'score fell '", customer_health.format_number('cooled_down.earlier_health_score - cooled_down.health_score'), "' points in '", dbt.cast('cooled_down.within_days', dbt.type_string()), "' days'"]) }}
            when 'expansion_signal' then {{ dbt.concat(["'using '", customer_health.format_number('100 * cooled_down.active_user_ratio', 0), "'% of licensed seats, usage growing'"]) }}
            when 'promoter_usage_falling' then {{ dbt.concat(["'NPS '", customer_health.format_number('cooled_down.nps', 0), "', usage '", customer_health.format_number('100 * cooled_down.usage_trend', 0), "'% against the window before'"]) }}
            when 'coverage_collapse' then {{ dbt.concat(["'coverage fell from '", customer_health.format_number('cooled_down.earlier_coverage_pct', 0), "'% to '", customer_health.format_number('cooled_down.coverage_pct', 0), "'%'"]) }}
        end as reason
    from cooled_down
    left join crm_accounts
        on cooled_down.account_id = crm_accounts.account_id
    left join crm_users
        on crm_accounts.owner_user_id = crm_users.user_id

)

select * from alerts
