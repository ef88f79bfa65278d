{#-
    Distinct users and features in a trailing window, counted without a
    distinct-count window function (which PostgreSQL lacks): each user's (or
    feature's) active days are merged into covered periods - a day of activity
    covers that day and the window-1 days after it - and every period
    contributes +1 on its first covered day and -1 the day after its last.
    A running sum of these deltas over the account-day spine is the number of
    distinct users (features) active in the window ending on each day.
-#}

{%- set window_days = customer_health.health_config().windows.activity_days %}

with mapped_events as (

    select * from {{ ref('int_product_events_mapped_to_accounts') }}

),

member_days as (

    select distinct
        account_id,
        'user' as member_kind,
        user_id as member_id,
        occurred_on
    from mapped_events

    union all

    select distinct
        account_id,
        'feature' as member_kind,
        feature_name as member_id,
        occurred_on
    from mapped_events
    where counts_for_breadth

),

with_previous_day as (

    select
        member_days.*,
        lag(occurred_on) over (
            partition by account_id, member_kind, member_id
            order by occurred_on
        ) as previous_active_on
    from member_days

),

period_starts as (

    select
        with_previous_day.*,
        case
            when previous_active_on is null
                or {{ dbt.datediff('previous_active_on', 'occurred_on', 'day') }} > {{ window_days }}
                then 1
            else 0
        end as starts_period
    from with_previous_day

),

numbered_periods as (

    select
        period_starts.*,
        sum(starts_period) over (
            partition by account_id, member_kind, member_id
            order by occurred_on
            rows between unbounded preceding and current row
        ) as period_number
    from period_starts

),

covered_periods as (

    select
        account_id,
        member_kind,
        member_id,
        min(occurred_on) as covered_from,
        cast({{ dbt.dateadd('day', window_days, 'max(occurred_on)') }} as date) as uncovered_from
    from numbered_periods
    group by
        account_id,
        member_kind,
        member_id,
        period_number

),

deltas as (

    select
        account_id,
        member_kind,
        covered_from as date_day,
        1 as delta
    from covered_periods
    union all
    select
        account_id,
        member_kind,
        uncovered_from as date_day,
        -1 as delta
    from covered_periods

),

daily_deltas as (

    select
        account_id,
        date_day,
        sum(case when member_kind = 'user' then delta else 0 end) as active_users_delta,
        sum(case when member_kind = 'feature' then delta else 0 end) as features_delta
    from deltas
    group by
        account_id,
        date_day

)

select * from daily_deltas
