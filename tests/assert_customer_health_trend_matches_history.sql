-- The 30-day change and trend in customer_health are the account's score
-- history: its score on the score date less its score 30 days earlier (both
-- as kept in customer_health_history under the same configuration), and the
-- trend is flat within health_trend_flat_points. An account without a score
-- 30 days earlier has no change and no trend.
{%- set flat_points = customer_health.health_config().trend_flat_points %}

with current_scores as (

    select
        account_id,
        score_date,
        score_change_30d,
        trend,
        config_version
    from {{ ref('customer_health') }}

),

score_day as (

    select max(score_date) as score_date
    from current_scores

),

{#- the two days compared, not every account-day of the history (one list: a filter on the scan) -#}
days_compared as (

    select score_day.score_date from score_day
    union all
    select cast({{ dbt.dateadd('day', -30, 'score_day.score_date') }} as date) as score_date from score_day

),

history as (

    select
        account_id,
        score_date,
        health_score,
        config_version
    from {{ ref('customer_health_history') }}
    where score_date in (select days_compared.score_date from days_compared)

),

compared as (

    select
        current_scores.account_id,
        current_scores.score_change_30d,
        current_scores.trend,
        history_now.health_score - history_before.health_score as expected_difference,
        round(
            cast(history_now.health_score - history_before.health_score as {{ dbt.type_numeric() }}), 2
        ) as expected_change_30d
    from current_scores
    left join history as history_now
        on current_scores.account_id = history_now.account_id
        and current_scores.score_date = history_now.score_date
        and current_scores.config_version = history_now.config_version
    left join history as history_before
        on current_scores.account_id = history_before.account_id
        and history_before.score_date = {{ dbt.dateadd('day', -30, 'current_scores.score_date') }}
        and current_scores.config_version = history_before.config_version

),

checked as (

    select
        compared.*,
        case
            when compared.expected_difference is null then null
            when compared.expected_difference > {{ flat_points }} then 'up'
            when compared.expected_difference < -{{ flat_points }} then 'down'
            else 'flat'
        end as expected_trend
    from compared

)

select *
from checked
where score_change_30d is distinct from expected_change_30d
    or trend is distinct from expected_trend
