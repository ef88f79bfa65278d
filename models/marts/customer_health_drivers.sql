{#-
    Public contract: why each account scores what it does. One row per
    account, scored day (the most recent health_drivers_days days) and signal;
    the contributions of an account-day sum to its computed health score.

    A view over the incremental drivers table, so the daily run does not
    copy every account x signal x day of the window again.
-#}

{{ config(materialized='view') }}

{%- set config = customer_health.health_config() %}

with drivers as (

    select * from {{ ref('int_health_drivers_recent') }}

),

final as (

    select
        account_id,
        date_day as score_date,
        signal_name,
        {#- the group is configuration, not stored per row and day #}
        case signal_name
            {%- for name, settings in config.signals.items() %}
            when '{{ name }}' then '{{ settings.group }}'
            {%- endfor %}
        end as signal_group,
        signal_status,
        raw_value,
        normalized_value,
        weight,
        renormalized_weight,
        contribution,
        points_lost,
        delta_30d,
        built_at
    from drivers

)

select * from final
