{#-
    Product usage measures per account and day over the trailing activity
    window (and the window before it, for trends), on the account-day spine.
    Zero when the account has a product workspace but did nothing; null when
    it has no product workspace at all (usage unknown, not bad).
-#}

{%- set window_days = customer_health.health_config().windows.activity_days %}

with account_days as (

    select
        account_id,
        date_day,
        spine_day_number
    from {{ ref('int_account_days') }}

),

daily_usage as (

    select * from {{ ref('int_product_events_aggregated_to_account_days') }}

),

window_deltas as (

    select * from {{ ref('int_product_window_deltas') }}

),

mapped_events as (

    select * from {{ ref('int_product_events_mapped_to_accounts') }}

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
        max(date_day) as last_day
    from account_days
    group by account_id

),

{#- deltas dated before an account's first spine day are carried into that day -#}
clamped_deltas as (

    select
        window_deltas.account_id,
        case
            when window_deltas.date_day < spine_bounds.first_day then spine_bounds.first_day
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
            when window_deltas.date_day < spine_bounds.first_day then spine_bounds.first_day
            else window_deltas.date_day
        end

),

daily_milestones as (

    select
        account_id,
        occurred_on as date_day,
        sum(case when milestone = 'invite' then event_count else 0 end) as invites,
        sum(case when milestone = 'core_workflow' then event_count else 0 end) as core_workflow_events,
        sum(case when milestone = 'integration' then event_count else 0 end) as integration_events
    from mapped_events
    where milestone is not null
    group by
        account_id,
        occurred_on

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
    left join accounts_with_workspace
        on account_days.account_id = accounts_with_workspace.account_id

),

windowed as (

    select
        account_id,
        date_day,
        has_product_workspace,
        spine_day_number >= {{ 2 * window_days }} as has_full_trend_history,
        sum(product_events) over (
            partition by account_id order by date_day
            rows between {{ window_days - 1 }} preceding and current row
        ) as product_events_in_window,
        sum(product_events) over (
            partition by account_id order by date_day
            rows between {{ 2 * window_days - 1 }} preceding and {{ window_days }} preceding
        ) as product_events_prior_window,
        sum(core_workflow_completions) over (
            partition by account_id order by date_day
            rows between {{ window_days - 1 }} preceding and current row
        ) as core_workflows_in_window,
        sum(case when product_events > 0 then 1 else 0 end) over (
            partition by account_id order by date_day
            rows between {{ window_days - 1 }} preceding and current row
        ) as active_days_in_window,
        sum(active_users_delta) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as active_users_in_window,
        sum(features_delta) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as features_in_window,
        sum(invites) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as users_invited_to_date,
        sum(core_workflow_events) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as core_workflows_to_date,
        sum(integration_events) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as integrations_to_date
    from spined

),

with_window_ago as (

    select
        windowed.*,
        lag(windowed.active_users_in_window, {{ window_days }}) over (
            partition by windowed.account_id order by windowed.date_day
        ) as active_users_window_ago
    from windowed

)

select * from with_window_ago
