{#-
    Product activity per account and day (only days with activity). A view:
    its one reader filters it to the days it needs, and DuckDB and PostgreSQL
    push that filter down to the event counts.
-#}

{{ config(materialized='view') }}

with mapped_events as (

    select * from {{ ref('int_product_events_mapped_to_accounts') }}

),

aggregated as (

    select
        account_id,
        occurred_on as date_day,
        sum(event_count) as product_events,
        sum(case when is_core_workflow then event_count else 0 end) as core_workflow_completions,
        count(distinct user_id) as active_users
    from mapped_events
    group by
        account_id,
        occurred_on

)

select * from aggregated
