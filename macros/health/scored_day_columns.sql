{#-
    The account-day columns every scoring model carries through unchanged,
    from int_account_signals_daily to int_health_scored: the key, what the
    scorecard and applicability rules read, and the renewal context. One list,
    so a column added here reaches every model of the chain.
-#}
{% macro scored_day_columns() %}
    {{- return([
        'account_id',
        'date_day',
        'segment',
        'coverage_model',
        'tenure_days',
        'is_scored_day',
        'is_as_of_date',
        'licensed_seats',
        'next_renewal_on',
    ]) -}}
{% endmacro %}
