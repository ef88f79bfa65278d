-- The seven standard playbook rules are in the seed with their rule_type:
-- the alerts, their documentation and the unit tests of the playbook models
-- are written for them, so deleting or renaming one (or changing its type)
-- would silently stop its alerts. Own rules may be added next to them.
-- Returns the standard rules the seed lacks or holds with another rule_type.
with standard_rules as (

    select
        'green_to_yellow_check_in' as rule_id,
        'tier_change' as rule_type
    union all
    select
        'yellow_to_red_call' as rule_id,
        'tier_change' as rule_type
    union all
    select
        'red_before_renewal_save_plan' as rule_id,
        'tier_held_before_renewal' as rule_type
    union all
    select
        'sharp_drop_outreach' as rule_id,
        'score_drop' as rule_type
    union all
    select
        'expansion_conversation' as rule_id,
        'expansion_signal' as rule_type
    union all
    select
        'promoter_usage_falling' as rule_id,
        'promoter_usage_falling' as rule_type
    union all
    select
        'coverage_collapse_data_alert' as rule_id,
        'coverage_collapse' as rule_type

),

seeded_rules as (

    select
        rule_id,
        rule_type
    from {{ ref('health_playbook_rules') }}

),

missing_rules as (

    select
        standard_rules.rule_id,
        standard_rules.rule_type,
        seeded_rules.rule_type as seeded_rule_type,
        case
            when seeded_rules.rule_id is null then 'standard rule missing from the seed'
            else 'standard rule has another rule_type in the seed'
        end as problem
    from standard_rules
    left join seeded_rules
        on standard_rules.rule_id = seeded_rules.rule_id
    where seeded_rules.rule_id is null
        or seeded_rules.rule_type is null
        or seeded_rules.rule_type <> standard_rules.rule_type

)

select * from missing_rules
