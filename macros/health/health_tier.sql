{#-
    The tier of a score, as SQL: red below health_tier_thresholds.red_below,
    green above green_above, yellow between (both bounds inclusive), and
    insufficient_data when the score is null or, given coverage_expression,
    when less than health_min_coverage_pct of the weight was known. One
    definition for computed scores, overridden scores and family roll-ups.

    score_expression:    SQL for the 0-100 score.
    coverage_expression: SQL for the 0-100 share of weight known, or none.
-#}
{% macro health_tier(score_expression, coverage_expression=none) %}
    {%- set config = customer_health.health_config() -%}
    case
        when {{ score_expression }} is null
            {%- if coverage_expression is not none %} or {{ coverage_expression }} < {{ config.min_coverage_pct }}{% endif %}
            then 'insufficient_data'
        when {{ score_expression }} < {{ config.tiers.red_below }} then 'red'
        when {{ score_expression }} > {{ config.tiers.green_above }} then 'green'
        else 'yellow'
    end
{%- endmacro %}
