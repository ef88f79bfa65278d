-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    One row per day from the first day of product data to the as-of date.
    The as-of date is the health_as_of_date var, or else the latest day any
    source has data. Days from history_start_date on are scored; earlier days
    only fill the rolling windows.
-#}

with product_events as (

    select occurred_on as activity_date from {{ ref('stg_segment__tracks') }}

),

tickets as (

    select cast(created_at as date) as activity_date from {{ ref('stg_zendesk__tickets') }}

),

charges as (

    select cast(created_at as date) as activity_date from {{ ref('stg_stripe__charges') }}

),

invoices as (

    select cast(created_at as date) as activity_date from {{ ref('stg_stripe__invoices') }}

),

crm_tasks as (

    select activity_date from {{ ref('stg_salesforce__tasks') }}

),

all_activity_dates as (

    select activity_date from product_events
    union all
    select activity_date from tickets
    union all
    select activity_date from charges
    union all
    select activity_date from invoices
    union all
    select activity_date from crm_tasks

),

bounds as (

    select
        coalesce(
            (select min(product_events.activity_date) from product_events),
            min(all_activity_dates.activity_date)
        ) as data_start_date,
        {% if var('health_as_of_date') -%}
        cast('{{ var("health_as_of_date") }}' as date)
        {%- else -%}
        max(all_activity_dates.activity_date)
        {%- endif %} as as_of_date
    from all_activity_dates

),

resolved_bounds as (

    select
        data_start_date,
        as_of_date,
        {% if var('health_history_start_date') -%}
        cast('{{ var("health_history_start_date") }}' as date)
        {%- else -%}
        cast({{ dbt.dateadd('day', customer_health.health_config().windows.quality_days, 'data_start_date') }} as date)
        {%- endif %} as history_start_date
    from bounds

),

days as (

    {{ customer_health.date_spine('resolved_bounds.data_start_date', 'resolved_bounds.as_of_date', 'resolved_bounds') }}

),

calendar as (

    select
        days.date_day,
        resolved_bounds.data_start_date,
        resolved_bounds.history_start_date,
        resolved_bounds.as_of_date,
        days.date_day >= resolved_bounds.history_start_date as is_scored_day,
        days.date_day = resolved_bounds.as_of_date as is_as_of_date
    from days
    cross join resolved_bounds

)

select * from calendar
