-- Each playbook rule carries the parameters its rule_type needs; a rule
-- missing one would never fire, silently. Returns the rules to fix.
select
    rule_id,
    rule_type,
    'missing parameters for this rule_type' as problem
from {{ ref('health_playbook_rules') }}
where
    (rule_type = 'tier_change' and (from_tier is null or to_tier is null))
    or (rule_type = 'tier_held_before_renewal' and (to_tier is null or min_days_in_tier is null or renewal_within_days is null))
    or (rule_type = 'score_drop' and (score_drop_points is null or within_days is null))
    or (rule_type = 'expansion_signal' and (to_tier is null or min_seat_utilization is null))
    or (rule_type = 'promoter_usage_falling' and (min_nps is null or max_usage_trend is null))
    or (rule_type = 'coverage_collapse' and (min_coverage_drop_points is null or within_days is null))
