{#-
    The signals the intermediate models compute: each is a column of
    int_account_signals_daily (value, plus `<signal>__observed_on` for the
    date it was last observed where staleness applies). Configuration may only
    name these. To add your own signal: compute it in int_account_signals_daily,
    add its name here, and describe it in the health_signals var.
-#}
{% macro available_health_signals() %}
    {{ return(adapter.dispatch('available_health_signals', 'customer_health')()) }}
{% endmacro %}

{% macro default__available_health_signals() %}
    {{ return([
        'active_user_ratio',
        'active_days',
        'feature_breadth',
        'core_workflows_per_seat',
        'usage_trend',
        'active_users_trend',
        'adoption_milestones',
        'tickets_per_10_seats',
        'ticket_trend',
        'escalated_tickets',
        'csat',
        'nps',
        'csm_sentiment',
        'failed_payments',
        'overdue_invoices',
        'seat_change',
        'days_to_renewal',
        'executive_meetings',
        'qbrs',
        'days_since_last_touch',
    ]) }}
{% endmacro %}
