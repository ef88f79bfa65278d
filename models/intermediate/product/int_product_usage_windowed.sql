{#-
    Product usage measures per account and day over the trailing activity
    window (and the window before it, for trends), on the account-day spine.
    Zero when the account has a product workspace but did nothing; null when
    it has no product workspace at all (usage unknown, not bad).

    Distinct users and features in a trailing window are counted without a
    distinct-count window function (which PostgreSQL lacks): each user's (or
    feature's) active days are merged into covered periods - a day of activity
    covers that day and the window-1 days after it - and every period
    contributes +1 on its first covered day and -1 the day after its last. A
    running sum of these deltas over the spine is the number of distinct
    users (features) active in the window ending on each day.

    The window before (the trend's baseline) is the in-window value one
    window earlier on the spine, which has no missing days.

    Incremental: a daily run recomputes the lookback days and reads one
    activity window before them. The milestone totals to date start from the
    model's own row on the day before the first day read (so the run does not
    read every milestone event since the account's first day); the
    distinct-user and feature deltas from before the first day recomputed are
    carried into that one. The in-window values
    one window back that fall before the first day recomputed are taken from
    the model's own rows (older days are not recomputed, by design), so the
    run does not read a second window of activity to rebuild them.
-#}

{%- set window_days = customer_health.health_config().windows.activity_days %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

{#- the first day read: one activity window before the first day recomputed -#}
{%- set window_start = customer_health.incremental_window_start(window_days) %}
{#- the first day recomputed (the beginning on a full build) -#}
{%- set recompute_start = customer_health.incremental_window_start(0) %}

with account_days as (

    select
        account_id,
        date_day,
        spine_day_number
    from {{ ref('int_account_days') }}
    where date_day >= {{ window_start }}

),

{#- each account's milestone totals on the day before the first day read (none on a full build) -#}
carried_milestones as (

    {%- if is_incremental() %}
    select
        account_id,
        users_invited_to_date,
        core_workflows_to_date,
        integrations_to_date
    from {{ this }}
    where date_day = {{ customer_health.incremental_window_start(window_days + 1) }}
    {%- else %}
    select
        account_id,
        0 as users_invited_to_date,
        0 as core_workflows_to_date,
        0 as integrations_to_date
    from account_days
    where 1 = 0
    {%- endif %}

),

{#-
    Each CTE below reads the mapped events itself, with its own filter: a
    CTE read twice would be materialized whole by DuckDB, and its filters
    would no longer reach the table scan.
-#}
daily_usage as (

    select
        account_id,
        occurred_on as date_day,
        sum(event_count) as product_events,
        sum(case when is_core_workflow then event_count else 0 end) as core_workflow_completions
    from {{ ref('int_product_events_mapped_to_accounts') }}
    where occurred_on >= {{ window_start }}
    group by
        account_id,
        occurred_on

),

{#-
    Distinct users and features are needed from the first day recomputed
    on: activity more than a window before it cannot reach a window
    recomputed, and the periods that cover that day start their count there
    (clamped_deltas).
-#}
recent_events as (

    select
        account_id,
        user_id,
        feature_name,
        counts_for_breadth,
        occurred_on
    from {{ ref('int_product_events_mapped_to_accounts') }}
    where occurred_on >= cast({{ dbt.dateadd('day', -(window_days - 1), recompute_start) }} as date)

),

member_days as (

    select distinct
        account_id,
        'user' as member_kind,
        user_id as member_id,
        occurred_on
    from recent_events

    union all

    select distinct
        account_id,
        'feature' as member_kind,
        feature_name as member_id,
        occurred_on
    from recent_events
    where counts_for_breadth

),

{#- each active day next to the member's previous and next active days (one sort) -#}
with_neighbour_days as (

    select
        member_days.*,
        lag(occurred_on) over (
            partition by account_id, member_kind, member_id
            order by occurred_on
        ) as previous_active_on,
        lead(occurred_on) over (
            partition by account_id, member_kind, member_id
            order by occurred_on
        ) as next_active_on
    from member_days

),

{#-
    A covered period starts on an active day more than a window after the
    previous one (+1 that day) and ends a window after an active day with no
    other within a window after it (-1 on the first day it no longer covers).
-#}
period_deltas as (

    select
        account_id,
        member_kind,
        occurred_on as date_day,
        1 as delta
    from with_neighbour_days
    where previous_active_on is null
        or {{ dbt.datediff('previous_active_on', 'occurred_on', 'day') }} > {{ window_days }}
    union all
    select
        account_id,
        member_kind,
        cast({{ dbt.dateadd('day', window_days, 'occurred_on') }} as date) as date_day,
        -1 as delta
    from with_neighbour_days
    where next_active_on is null
        or {{ dbt.datediff('occurred_on', 'next_active_on', 'day') }} > {{ window_days }}

),

window_deltas as (

    select
        account_id,
        date_day,
        sum(case when member_kind = 'user' then delta else 0 end) as active_users_delta,
        sum(case when member_kind = 'feature' then delta else 0 end) as features_delta
    from period_deltas
    group by
        account_id,
        date_day

),

accounts_with_workspace as (

    select distinct account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'segment'
        and source_entity = 'workspace'
        and is_matched

),

spine_bounds as (

    select
        account_id,
        min(date_day) as first_day,
        min(case when date_day >= {{ recompute_start }} then date_day end) as first_recomputed_day,
        max(date_day) as last_day
    from account_days
    group by account_id

),

{#-
    Deltas dated before an account's first recomputed spine day are carried
    into that day, so the running counts are right from there on. The days
    read before it keep their stored counts (window_rows).
-#}
clamped_deltas as (

    select
        window_deltas.account_id,
        case
            when window_deltas.date_day < spine_bounds.first_recomputed_day then spine_bounds.first_recomputed_day
            else window_deltas.date_day
        end as date_day,
        sum(window_deltas.active_users_delta) as active_users_delta,
        sum(window_deltas.features_delta) as features_delta
    from window_deltas
    inner join spine_bounds
        on window_deltas.account_id = spine_bounds.account_id
    where window_deltas.date_day <= spine_bounds.last_day
    group by
        window_deltas.account_id,
        case
            when window_deltas.date_day < spine_bounds.first_recomputed_day then spine_bounds.first_recomputed_day
            else window_deltas.date_day
        end

),

{#-
    Milestones on the days read, from the account's first spine day on
    (events before it, like those from before it was a customer, never
    count); earlier ones are in the carried totals. The first day read is
    also written as a literal, which the engine pushes into the scan.
-#}
daily_milestones as (

    select
        mapped_events.account_id,
        mapped_events.occurred_on as date_day,
        sum(case when mapped_events.milestone = 'invite' then mapped_events.event_count else 0 end) as invites,
        sum(case when mapped_events.milestone = 'core_workflow' then mapped_events.event_count else 0 end) as core_workflow_events,
        sum(case when mapped_events.milestone = 'integration' then mapped_events.event_count else 0 end) as integration_events
    from {{ ref('int_product_events_mapped_to_accounts') }} as mapped_events
    inner join spine_bounds
        on mapped_events.account_id = spine_bounds.account_id
    where mapped_events.milestone is not null
        and mapped_events.occurred_on >= {{ window_start }}
        and mapped_events.occurred_on >= spine_bounds.first_day
    group by
        mapped_events.account_id,
        mapped_events.occurred_on

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        account_days.spine_day_number,
        coalesce(daily_usage.product_events, 0) as product_events,
        coalesce(daily_usage.core_workflow_completions, 0) as core_workflow_completions,
        coalesce(clamped_deltas.active_users_delta, 0) as active_users_delta,
        coalesce(clamped_deltas.features_delta, 0) as features_delta,
        coalesce(daily_milestones.invites, 0) as invites,
        coalesce(daily_milestones.core_workflow_events, 0) as core_workflow_events,
        coalesce(daily_milestones.integration_events, 0) as integration_events,
        coalesce(carried_milestones.users_invited_to_date, 0) as invites_before,
        coalesce(carried_milestones.core_workflows_to_date, 0) as core_workflow_events_before,
        coalesce(carried_milestones.integrations_to_date, 0) as integration_events_before,
        accounts_with_workspace.account_id is not null as has_product_workspace
    from account_days
    left join daily_usage
        on account_days.account_id = daily_usage.account_id
        and account_days.date_day = daily_usage.date_day
    left join clamped_deltas
        on account_days.account_id = clamped_deltas.account_id
        and account_days.date_day = clamped_deltas.date_day
    left join daily_milestones
        on account_days.account_id = daily_milestones.account_id
        and account_days.date_day = daily_milestones.date_day
    left join carried_milestones
        on account_days.account_id = carried_milestones.account_id
    left join accounts_with_workspace
        on account_days.account_id = accounts_with_workspace.account_id

),

windowed as (

    select
        account_id,
        date_day,
        has_product_workspace,
        spine_day_number >= {{ 2 * window_days }} as has_full_trend_history,
        cast(
            sum(product_events) over (
                partition by account_id order by date_day
                rows between {{ window_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as product_events_in_window,
        cast(
            sum(core_workflow_completions) over (
                partition by account_id order by date_day
                rows between {{ window_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as core_workflows_in_window,
        cast(
            sum(case when product_events > 0 then 1 else 0 end) over (
                partition by account_id order by date_day
                rows between {{ window_days - 1 }} preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as active_days_in_window,
        cast(
            sum(active_users_delta) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as active_users_in_window,
        cast(
            sum(features_delta) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as features_in_window,
        cast(
            invites_before + sum(invites) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as users_invited_to_date,
        cast(
            core_workflow_events_before + sum(core_workflow_events) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as core_workflows_to_date,
        cast(
            integration_events_before + sum(integration_events) over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as integrations_to_date
    from spined

),

{#-
    The recomputed days next to the in-window values before them: those of
    the days read before the first day recomputed come from the model's own
    rows (the days read there lack a full window of context).
-#}
window_rows as (

    select
        windowed.*,
        1 as is_recomputed
    from windowed
    where {{ customer_health.incremental_days('windowed.date_day') }}
    {%- if is_incremental() %}

    union all

    select
        account_id,
        date_day,
        null as has_product_workspace,
        null as has_full_trend_history,
        product_events_in_window,
        null as core_workflows_in_window,
        null as active_days_in_window,
        active_users_in_window,
        null as features_in_window,
        null as users_invited_to_date,
        null as core_workflows_to_date,
        null as integrations_to_date,
        0 as is_recomputed
    from {{ this }}
    where date_day >= {{ window_start }}
        and date_day < {{ customer_health.incremental_window_start(0) }}
    {%- endif %}

),

with_window_ago as (

    select
        window_rows.*,
        lag(window_rows.product_events_in_window, {{ window_days }}) over (
            partition by window_rows.account_id order by window_rows.date_day
        ) as product_events_prior_window,
        lag(window_rows.active_users_in_window, {{ window_days }}) over (
            partition by window_rows.account_id order by window_rows.date_day
        ) as active_users_window_ago
    from window_rows

)

select
    account_id,
    date_day,
    has_product_workspace,
    has_full_trend_history,
    product_events_in_window,
    product_events_prior_window,
    core_workflows_in_window,
    active_days_in_window,
    active_users_in_window,
    features_in_window,
    users_invited_to_date,
    core_workflows_to_date,
    integrations_to_date,
    active_users_window_ago,
    '{{ customer_health.health_config_version() }}' as config_version,
    {{ customer_health.built_at() }} as built_at
from with_window_ago
where is_recomputed = 1
