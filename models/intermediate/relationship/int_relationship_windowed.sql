{#-
    Relationship measures per account and day: meetings with the executive
    sponsor in the quality window, QBRs in the QBR window, and the day of the
    latest logged touchpoint (CSM call, email or meeting) on or before the day.
-#}

{%- set windows = customer_health.health_config().windows %}

with account_days as (

    select
        account_id,
        date_day
    from {{ ref('int_account_days') }}

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

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        coalesce(daily_meetings.executive_meetings, 0) as executive_meetings,
        coalesce(daily_meetings.qbrs, 0) as qbrs,
        coalesce(daily_touchpoints.touchpoints, 0) as touchpoints
    from account_days
    left join daily_meetings
        on account_days.account_id = daily_meetings.account_id
        and account_days.date_day = daily_meetings.date_day
    left join daily_touchpoints
        on account_days.account_id = daily_touchpoints.account_id
        and account_days.date_day = daily_touchpoints.date_day

),

windowed as (

    select
        account_id,
        date_day,
        sum(executive_meetings) over (
            partition by account_id order by date_day
            rows between {{ windows.quality_days - 1 }} preceding and current row
        ) as executive_meetings_in_quality_window,
        sum(qbrs) over (
            partition by account_id order by date_day
            rows between {{ windows.qbr_days - 1 }} preceding and current row
        ) as qbrs_in_qbr_window,
        max(case when touchpoints > 0 then date_day end) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as last_touch_on
    from spined

)

select * from windowed
