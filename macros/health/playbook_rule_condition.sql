{#-
    Whether a playbook rule's condition holds on an account-day, as a boolean
    SQL expression (false, not null, when a value it needs is missing).
    days: the alias of a relation with the columns of
    int_playbook_conditions_daily that the conditions test, listed by
    playbook_condition_columns below (a condition on another column adds it
    there); rules: the alias of the rules seed;
    earlier: the alias of the same account's values rules.within_days
    earlier (health_score, coverage_pct). int_playbook_onsets tests each rule
    on a day and on the day before with this one definition.
-#}
{% macro playbook_rule_condition(days, rules, earlier) -%}
    coalesce(
        case {{ rules }}.rule_type
            when 'tier_change'
                then
                    {{ days }}.previous_tier = {{ rules }}.from_tier
                    and {{ days }}.health_tier = {{ rules }}.to_tier
            when 'tier_held_before_renewal'
                then
                    {{ days }}.health_tier = {{ rules }}.to_tier
                    and {{ days }}.days_in_tier >= {{ rules }}.min_days_in_tier
                    and {{ days }}.days_to_renewal between 0 and {{ rules }}.renewal_within_days
            when 'score_drop'
                then {{ earlier }}.health_score - {{ days }}.health_score >= {{ rules }}.score_drop_points
            when 'expansion_signal'
                then
                    {{ days }}.health_tier = {{ rules }}.to_tier
                    and {{ days }}.active_user_ratio >= {{ rules }}.min_seat_utilization
                    and {{ days }}.usage_trend >= 0
            when 'promoter_usage_falling'
                then
                    {{ days }}.nps >= {{ rules }}.min_nps
                    and {{ days }}.usage_trend <= {{ rules }}.max_usage_trend
            when 'coverage_collapse'
                then {{ earlier }}.coverage_pct - {{ days }}.coverage_pct >= {{ rules }}.min_coverage_drop_points
        end,
        false
    )
{%- endmacro %}

{#-
    The columns of int_playbook_conditions_daily that playbook_rule_condition
    tests on the day (days), kept next to it so the two change together.
    int_playbook_onsets carries only these through the CTE it reads twice.
-#}
{% macro playbook_condition_columns() %}
    {{- return([
        'previous_tier', 'health_tier', 'health_score', 'coverage_pct',
        'days_in_tier', 'days_to_renewal', 'active_user_ratio', 'usage_trend', 'nps'
    ]) -}}
{% endmacro %}
