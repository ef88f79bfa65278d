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

{#-
    The windows are running sums of changes, like the sentiment and
    relationship models: a day's tickets enter the activity window on that
    day, leave it (and enter the window before) activity_days later and
    leave that one another activity_days later; escalations and ratings
    enter on their day and leave a window later. A daily run reads only the
    days it recomputes and starts from each window on the day before,
    counted from the tickets and ratings themselves (so a ticket loaded late
    counts as it would on a full refresh). Only records from the account's
    first spine day on count, as on a window over the spine.
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
        spine_day_number,
        cast({{ dbt.dateadd('day', '1 - spine_day_number', 'date_day') }} as date) as first_spine_day
    from {{ ref('int_account_days') }}
    where {{ customer_health.incremental_days('date_day') }}

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

{#- every kind of record per account and day: tickets opened, escalations, CSAT ratings -#}
daily_records as (

    select
        account_id,
        date_day,
        tickets_opened,
        0 as escalated_tickets,
        0 as good_ratings,
        0 as bad_ratings
    from daily_tickets

    union all

    select
        account_id,
        date_day,
        0 as tickets_opened,
        escalated_tickets,
        0 as good_ratings,
        0 as bad_ratings
    from daily_escalations

    union all

    select
        account_id,
        date_day,
        0 as tickets_opened,
        0 as escalated_tickets,
        good_ratings,
        bad_ratings
    from daily_ratings

),

{#-
    The days each record enters and leaves a window: tickets and escalations
    enter the activity window on their day and leave it activity_days later,
    when tickets enter the window before it, which they leave another
    activity_days later; ratings leave the quality window quality_days later.
-#}
window_changes as (

    select
        account_id,
        date_day as record_day,
        date_day as changes_on,
        tickets_opened as tickets_change,
        0 as prior_tickets_change,
        escalated_tickets as escalated_change,
        good_ratings as good_ratings_change,
        bad_ratings as bad_ratings_change
    from daily_records

    union all

    select
        account_id,
        date_day as record_day,
        cast({{ dbt.dateadd('day', windows.activity_days, 'date_day') }} as date) as changes_on,
        -tickets_opened as tickets_change,
        tickets_opened as prior_tickets_change,
        -escalated_tickets as escalated_change,
        0 as good_ratings_change,
        0 as bad_ratings_change
    from daily_records

    union all

    select
        account_id,
        date_day as record_day,
        cast({{ dbt.dateadd('day', 2 * windows.activity_days, 'date_day') }} as date) as changes_on,
        0 as tickets_change,
        -tickets_opened as prior_tickets_change,
        0 as escalated_change,
        0 as good_ratings_change,
        0 as bad_ratings_change
    from daily_records

    union all

    select
        account_id,
        date_day as record_day,
        cast({{ dbt.dateadd('day', windows.quality_days, 'date_day') }} as date) as changes_on,
        0 as tickets_change,
        0 as prior_tickets_change,
        0 as escalated_change,
        -good_ratings as good_ratings_change,
        -bad_ratings as bad_ratings_change
    from daily_records

),

daily_window_changes as (

    select
        account_days.account_id,
        account_days.date_day,
        cast(sum(window_changes.tickets_change) as {{ dbt.type_bigint() }}) as tickets_change,
        cast(sum(window_changes.prior_tickets_change) as {{ dbt.type_bigint() }}) as prior_tickets_change,
        cast(sum(window_changes.escalated_change) as {{ dbt.type_bigint() }}) as escalated_change,
        cast(sum(window_changes.good_ratings_change) as {{ dbt.type_bigint() }}) as good_ratings_change,
        cast(sum(window_changes.bad_ratings_change) as {{ dbt.type_bigint() }}) as bad_ratings_change
    from account_days
    inner join window_changes
        on account_days.account_id = window_changes.account_id
        and account_days.date_day = window_changes.changes_on
        and account_days.first_spine_day <= window_changes.record_day
    group by
        account_days.account_id,
        account_days.date_day

),

{#-
    Each account's windows on the day before the days recomputed (none on a
    full build, where the running sums start on the account's first day),
    counted from the records, not read from the model's own row: a ticket
    loaded after its day left the lookback enters the windows of the days a
    run recomputes, as on a full refresh, and never leaves a window it did
    not enter.
-#}
carry_accounts as (

    select distinct
        account_id,
        first_spine_day
    from account_days

),

carried as (

    {%- if is_incremental() %}
    {%- set carry_day = customer_health.incremental_window_start(1) %}
    select
        carry_accounts.account_id,
        {{ customer_health.sum_in_window('daily_records.tickets_opened', 'daily_records.date_day', carry_day, windows.activity_days) }}
            as tickets_in_window,
        {{ customer_health.sum_in_window(
            'daily_records.tickets_opened', 'daily_records.date_day', carry_day, windows.activity_days,
            lag_days=windows.activity_days
        ) }} as tickets_prior_window,
        {{ customer_health.sum_in_window('daily_records.escalated_tickets', 'daily_records.date_day', carry_day, windows.activity_days) }}
            as escalated_tickets_in_window,
        {{ customer_health.sum_in_window('daily_records.good_ratings', 'daily_records.date_day', carry_day, windows.quality_days) }}
            as good_ratings_in_quality_window,
        {{ customer_health.sum_in_window('daily_records.bad_ratings', 'daily_records.date_day', carry_day, windows.quality_days) }}
            as bad_ratings_in_quality_window
    from carry_accounts
    inner join daily_records
        on carry_accounts.account_id = daily_records.account_id
        and daily_records.date_day >= carry_accounts.first_spine_day
        and daily_records.date_day <= {{ carry_day }}
        and daily_records.date_day > {{ dbt.dateadd('day', -([2 * windows.activity_days, windows.quality_days] | max), carry_day) }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        0 as tickets_in_window,
        0 as tickets_prior_window,
        0 as escalated_tickets_in_window,
        0 as good_ratings_in_quality_window,
        0 as bad_ratings_in_quality_window
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        account_days.spine_day_number,
        coalesce(daily_window_changes.tickets_change, 0) as tickets_change,
        coalesce(daily_window_changes.prior_tickets_change, 0) as prior_tickets_change,
        coalesce(daily_window_changes.escalated_change, 0) as escalated_change,
        coalesce(daily_window_changes.good_ratings_change, 0) as good_ratings_change,
        coalesce(daily_window_changes.bad_ratings_change, 0) as bad_ratings_change,
        accounts_with_support.account_id is not null as has_support_organization
    from account_days
    left join daily_window_changes
        on account_days.account_id = daily_window_changes.account_id
        and account_days.date_day = daily_window_changes.date_day
    left join accounts_with_support
        on account_days.account_id = accounts_with_support.account_id

),

running as (

    select
        account_id,
        date_day,
        spine_day_number,
        has_support_organization,
        sum(tickets_change) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as tickets_change_so_far,
        sum(prior_tickets_change) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as prior_tickets_change_so_far,
        sum(escalated_change) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as escalated_change_so_far,
        sum(good_ratings_change) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as good_ratings_change_so_far,
        sum(bad_ratings_change) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as bad_ratings_change_so_far
    from spined

),

windowed as (

    select
        running.account_id,
        running.date_day,
        running.has_support_organization,
        running.spine_day_number >= {{ 2 * windows.activity_days }} as has_full_trend_history,
        cast(
            coalesce(carried.tickets_in_window, 0) + running.tickets_change_so_far as {{ dbt.type_bigint() }}
        ) as tickets_in_window,
        {#- the window before is empty (null) until the account has a whole activity window behind it #}
        case
            when running.spine_day_number > {{ windows.activity_days }}
                then cast(
                        coalesce(carried.tickets_prior_window, 0) + running.prior_tickets_change_so_far
                        as {{ dbt.type_bigint() }}
                    )
        end as tickets_prior_window,
        cast(
            coalesce(carried.escalated_tickets_in_window, 0) + running.escalated_change_so_far
            as {{ dbt.type_bigint() }}
        ) as escalated_tickets_in_window,
        cast(
            coalesce(carried.good_ratings_in_quality_window, 0) + running.good_ratings_change_so_far
            as {{ dbt.type_bigint() }}
        ) as good_ratings_in_quality_window,
        cast(
            coalesce(carried.bad_ratings_in_quality_window, 0) + running.bad_ratings_change_so_far
            as {{ dbt.type_bigint() }}
        ) as bad_ratings_in_quality_window
    from running
    left join carried
        on running.account_id = carried.account_id

)

select
    windowed.*,
    '{{ customer_health.health_config_version() }}' as config_version,
    {{ customer_health.built_at() }} as built_at
from windowed
