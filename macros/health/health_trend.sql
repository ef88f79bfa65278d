{#-
    The trend of a score over 30 days, as SQL: up or down when the change
    exceeds health_trend_flat_points, else flat; null when either score is
    null. One definition for accounts (customer_health) and account families.

    score_expression:         SQL for the score now.
    earlier_score_expression: SQL for the score 30 days earlier.
-#}
{% macro health_trend(score_expression, earlier_score_expression) %}
    {%- set flat_points = customer_health.health_config().trend_flat_points -%}
    case
        when {{ score_expression }} is null or {{ earlier_score_expression }} is null then null
        when {{ score_expression }} - {{ earlier_score_expression }} > {{ flat_points }} then 'up'
        when {{ score_expression }} - {{ earlier_score_expression }} < -{{ flat_points }} then 'down'
        else 'flat'
    end
{%- endmacro %}
