{#-
    A fingerprint of the condition parameters of every playbook rule (seed
    health_playbook_rules), as a scalar subquery. Incremental playbook models
    stamp it on their rows and recompute every day when it changes, so an
    edited, added or removed rule applies to the whole history. Actions,
    owners, due days and cooldowns are applied downstream on every run and do
    not take part.
-#}
{% macro playbook_conditions_version() %}
    {%- set condition_columns = [
        'rule_id', 'rule_type', 'from_tier', 'to_tier', 'min_days_in_tier', 'renewal_within_days',
        'score_drop_points', 'within_days', 'min_seat_utilization', 'min_nps', 'max_usage_trend',
        'min_coverage_drop_points'
    ] -%}
    {%- set parts = [] -%}
    {%- for column in condition_columns -%}
        {%- if not loop.first %}{% do parts.append("'~'") %}{% endif -%}
        {%- do parts.append("coalesce(" ~ dbt.cast(column, dbt.type_string()) ~ ", '')") -%}
    {%- endfor -%}
    (
        select {{ dbt.hash(dbt.listagg('rule_fingerprint', "'|'", 'order by rule_fingerprint')) }}
        from (
            select {{ dbt.concat(parts) }} as rule_fingerprint
            from {{ ref('health_playbook_rules') }}
        ) as rule_fingerprints
    )
{%- endmacro %}
