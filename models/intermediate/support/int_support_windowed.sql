{#-
    Support measures per account and day: tickets and escalations in the
    activity window and the window before, and CSAT ratings received in the
    quality window. A CSAT rating counts on the day it was given and an
    escalation on the day the ticket's priority first became high or urgent
    (both from the ticket field history, strictly point in time; a ticket
    high or urgent today whose history does not show the change counts on
    the day it was opened). Null when the account has no support
    organization.
-#}

{%- set windows = customer_health.health_config().windows %}
{%- set context_days = [2 * windows.activity_days, windows.quality_days] | max %}

{#-
    Incremental: a daily run recomputes the lookback days and reads the
    context_days before them that the windows cover.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

with account_days as (

    select
        account_id,
        date_day,
        spine_day_number
    from {{ ref('int_account_days') }}
    where date_day >= {{ customer_health.incremental_window_start(context_days) }}

),

mapped_tickets as (

    select * from {{ ref('int_support_tickets_mapped_to_accounts') }}
    where account_id is not null

),

ratings as (

    select
        ticket_id,
        lower(field_value) as rating,
        cast(changed_at as date) as rated_on
    from {{ ref('stg_zendesk__ticket_field_history') }}
    where field_name = 'satisfaction_score'
        and lower(field_value) in ('good', 'bad')

),

priority_history as (

    select
        ticket_id,
        min(
            case when lower(field_value) in ('high', 'urgent') then cast(changed_at as date) end
        ) as first_escalated_on
    from {{ ref('stg_zendesk__ticket_field_history') }}
    where field_name = 'priority'
    group by ticket_id

),

escalations as (

    select
        mapped_tickets.account_id,
        coalesce(
            priority_history.first_escalated_on,
            case when mapped_tickets.is_escalated then mapped_tickets.created_on end
        ) as escalated_on
    from mapped_tickets
    left join priority_history
        on mapped_tickets.ticket_id = priority_history.ticket_id

),

accounts_with_support as (

    select distinct account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'zendesk'
        and source_entity = 'organization'
        and is_matched

),

daily_tickets as (

    select
        account_id,
        created_on as date_day,
        count(*) as tickets_opened
    from mapped_tickets
    group by
        account_id,
        created_on

),

daily_escalations as (

    select
        account_id,
        escalated_on as date_day,
        count(*) as escalated_tickets
    from escalations
    where escalated_on is not null
    group by
        account_id,
        escalated_on

),

daily_ratings as (

    select
        mapped_tickets.account_id,
        ratings.rated_on as date_day,
        sum(case when ratings.rating = 'good' then 1 else 0 end) as good_ratings,
        sum(case when ratings.rating = 'bad' then 1 else 0 end) as bad_ratings
    from ratings
    inner join mapped_tickets
        on ratings.ticket_id = mapped_tickets.ticket_id
    group by
        mapped_tickets.account_id,
        ratings.rated_on

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        account_days.spine_day_number,
        coalesce(daily_tickets.tickets_opened, 0) as tickets_opened,
        coalesce(daily_escalations.escalated_tickets, 0) as escalated_tickets,
        coalesce(daily_ratings.good_ratings, 0) as good_ratings,
        coalesce(daily_ratings.bad_ratings, 0) as bad_ratings,
        accounts_with_support.account_id is not null as has_support_organization
    from account_days
    left join daily_tickets
        on account_days.account_id = daily_tickets.account_id
        and account_days.date_day = daily_tickets.date_day
    left join daily_escalations
        on account_days.account_id = daily_escalations.account_id
        and account_days.date_day = daily_escalations.date_day
    left join daily_ratings
        on account_days.account_id = daily_ratings.account_id
        and account_days.date_day = daily_ratings.date_day
    left join accounts_with_support
        on account_days.account_id = accounts_with_support.account_id

),

windowed as (

    select
        account_id,
        date_day,
        has_support_organization,
        spine_day_number >= {{ 2 * windows.activity_days }} as has_full_trend_history,
        cast(
            sum(tickets_opened) over (
                partition by account_id order by date_day
                rows between {{ windows.activity_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as tickets_in_window,
        cast(
            sum(tickets_opened) over (
                partition by account_id order by date_day
                rows between {{ 2 * windows.activity_days - 1 }} preceding and {{ windows.activity_days }} preceding
            ) as {{ dbt.type_bigint() }}
        ) as tickets_prior_window,
        cast(
            sum(escalated_tickets) over (
                partition by account_id order by date_day
                rows between {{ windows.activity_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as escalated_tickets_in_window,
        cast(
            sum(good_ratings) over (
                partition by account_id order by date_day
                rows between {{ windows.quality_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as good_ratings_in_quality_window,
        cast(
            sum(bad_ratings) over (
                partition by account_id order by date_day
                rows between {{ windows.quality_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as bad_ratings_in_quality_window
    from spined

)

select
    windowed.*,
    '{{ customer_health.health_config_version() }}' as config_version,
    {{ customer_health.built_at() }} as built_at
from windowed
where {{ customer_health.incremental_days('windowed.date_day') }}
