{#-
    Relationship measures per account and day: meetings with the executive
    sponsor in the quality window, QBRs in the QBR window, and the day of the
    latest logged touchpoint (CSM call, email or meeting) on or before the day.

    Like the sentiment model, windows are running sums of changes: a day's
    meetings enter a window on that day and leave it a window later, so a
    daily run reads only the days it recomputes, starting from each window
    on the day before, counted from the meetings themselves. Only meetings
    on the account's spine count.
-#}

{%- set windows = customer_health.health_config().windows %}

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
        cast({{ dbt.dateadd('day', '1 - spine_day_number', 'date_day') }} as date) as first_spine_day
    from {{ ref('int_account_days') }}
    where {{ customer_health.incremental_days('date_day') }}

),

meetings as (

    select * from {{ ref('stg_salesforce__events') }}

),

tasks as (

    select * from {{ ref('stg_salesforce__tasks') }}

),

contacts as (

    select * from {{ ref('stg_salesforce__contacts') }}

),

daily_meetings as (

    select
        meetings.account_id,
        meetings.activity_date as date_day,
        sum(
            case
                when meetings.meeting_type = 'executive_sponsor' or contacts.is_executive_sponsor then 1
                else 0
            end
        ) as executive_meetings,
        sum(
            case
                when meetings.meeting_type = 'qbr' or lower(meetings.subject) like '%qbr%'
                    or lower(meetings.subject) like '%business review%' then 1
                else 0
            end
        ) as qbrs
    from meetings
    left join contacts
        on meetings.contact_id = contacts.contact_id
    group by
        meetings.account_id,
        meetings.activity_date

),

touchpoints as (

    select
        account_id,
        activity_date
    from tasks
    where status = 'completed' or is_closed
    union all
    select
        account_id,
        activity_date
    from meetings

),

daily_touchpoints as (

    select
        account_id,
        activity_date as date_day,
        count(*) as touchpoints
    from touchpoints
    group by
        account_id,
        activity_date

),

{#-
    Each account's windows and latest touchpoint on the day before the days
    recomputed (none on a full build, where the running sums start on the
    account's first day), counted from the meetings and touchpoints, not
    read from the model's own rows: a meeting logged after its day left the
    lookback enters the windows of the days a run recomputes, as on a full
    refresh, and never leaves a window it did not enter.
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
        {{ customer_health.sum_in_window('daily_meetings.executive_meetings', 'daily_meetings.date_day', carry_day, windows.quality_days) }}
            as executive_meetings_in_quality_window,
        {{ customer_health.sum_in_window('daily_meetings.qbrs', 'daily_meetings.date_day', carry_day, windows.qbr_days) }} as qbrs_in_qbr_window
    from carry_accounts
    inner join daily_meetings
        on carry_accounts.account_id = daily_meetings.account_id
        and daily_meetings.date_day >= carry_accounts.first_spine_day
        and daily_meetings.date_day <= {{ carry_day }}
        and daily_meetings.date_day > {{ dbt.dateadd('day', -([windows.quality_days, windows.qbr_days] | max), carry_day) }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        0 as executive_meetings_in_quality_window,
        0 as qbrs_in_qbr_window
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

carried_touch as (

    {%- if is_incremental() %}
    select
        carry_accounts.account_id,
        max(daily_touchpoints.date_day) as last_touch_on
    from carry_accounts
    inner join daily_touchpoints
        on carry_accounts.account_id = daily_touchpoints.account_id
        and daily_touchpoints.date_day >= carry_accounts.first_spine_day
        and daily_touchpoints.date_day <= {{ customer_health.incremental_window_start(1) }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        first_spine_day as last_touch_on
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

{#- a day's meetings enter each window on that day and leave it a window later -#}
window_changes as (

    select
        account_id,
        date_day as meeting_day,
        date_day as changes_on,
        executive_meetings,
        qbrs
    from daily_meetings

    union all

    select
        account_id,
        date_day as meeting_day,
        cast({{ dbt.dateadd('day', windows.quality_days, 'date_day') }} as date) as changes_on,
        -executive_meetings as executive_meetings,
        0 as qbrs
    from daily_meetings

    union all

    select
        account_id,
        date_day as meeting_day,
        cast({{ dbt.dateadd('day', windows.qbr_days, 'date_day') }} as date) as changes_on,
        0 as executive_meetings,
        -qbrs as qbrs
    from daily_meetings

),

daily_window_changes as (

    select
        account_days.account_id,
        account_days.date_day,
        cast(sum(window_changes.executive_meetings) as {{ dbt.type_bigint() }}) as executive_meetings_change,
        cast(sum(window_changes.qbrs) as {{ dbt.type_bigint() }}) as qbrs_change
    from account_days
    inner join window_changes
        on account_days.account_id = window_changes.account_id
        and account_days.date_day = window_changes.changes_on
        and account_days.first_spine_day <= window_changes.meeting_day
    group by
        account_days.account_id,
        account_days.date_day

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        coalesce(daily_window_changes.executive_meetings_change, 0) as executive_meetings_change,
        coalesce(daily_window_changes.qbrs_change, 0) as qbrs_change,
        coalesce(daily_touchpoints.touchpoints, 0) as touchpoints
    from account_days
    left join daily_window_changes
        on account_days.account_id = daily_window_changes.account_id
        and account_days.date_day = daily_window_changes.date_day
    left join daily_touchpoints
        on account_days.account_id = daily_touchpoints.account_id
        and account_days.date_day = daily_touchpoints.date_day

),

running as (

    select
        account_id,
        date_day,
        cast(
            sum(executive_meetings_change) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as executive_meetings_change_so_far,
        cast(
            sum(qbrs_change) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as qbrs_change_so_far,
        max(case when touchpoints > 0 then date_day end) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as last_touch_so_far
    from spined

),

windowed as (

    select
        running.account_id,
        running.date_day,
        coalesce(carried.executive_meetings_in_quality_window, 0)
        + running.executive_meetings_change_so_far as executive_meetings_in_quality_window,
        coalesce(carried.qbrs_in_qbr_window, 0) + running.qbrs_change_so_far as qbrs_in_qbr_window,
        coalesce(running.last_touch_so_far, carried_touch.last_touch_on) as last_touch_on,
        '{{ customer_health.health_config_version() }}' as config_version
    from running
    left join carried
        on running.account_id = carried.account_id
    left join carried_touch
        on running.account_id = carried_touch.account_id

)

select
    windowed.*,
    {{ customer_health.built_at() }} as built_at
from windowed
