{#-
    Sentiment per account and day: the account's NPS over the NPS window and
    the day of its latest response; the latest sentiment the CSM logged at a
    touchpoint and the day it was logged (values carry forward until
    replaced; staleness is judged from the observed-on dates).

    The NPS window is long (a year by default), so it is not a rolling window
    over the spine: each response adds to the counts on its day and leaves
    them nps_days later, and a day's counts are the running sum of those
    changes. A daily run therefore reads only the days it recomputes: the
    counts and latest values of the day before carry in, computed from the
    responses and CSM touchpoints. Only responses on the account's spine
    count (a response before its first day, like one from before it was a
    customer, never enters).
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

responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

respondent_accounts as (

    select
        source_id as respondent_email,
        account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'survey'
        and source_entity = 'respondent'
        and is_matched

),

csm_tasks as (

    select * from {{ ref('stg_salesforce__tasks') }}
    where csm_sentiment in ('positive', 'neutral', 'negative')

),

daily_responses as (

    select
        respondent_accounts.account_id,
        responses.responded_on as date_day,
        count(*) as responses,
        sum(case when responses.nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when responses.nps_category = 'detractor' then 1 else 0 end) as detractors
    from responses
    inner join respondent_accounts
        on responses.respondent_email = respondent_accounts.respondent_email
    group by
        respondent_accounts.account_id,
        responses.responded_on

),

{#- a day's responses enter the window on that day and leave it nps_days later -#}
window_changes as (

    select
        account_id,
        date_day as response_day,
        date_day as changes_on,
        responses,
        promoters,
        detractors
    from daily_responses

    union all

    select
        account_id,
        date_day as response_day,
        cast({{ dbt.dateadd('day', windows.nps_days, 'date_day') }} as date) as changes_on,
        -responses as responses,
        -promoters as promoters,
        -detractors as detractors
    from daily_responses

),

daily_csm_sentiment as (

    select
        account_id,
        activity_date as date_day,
        avg(
            case csm_sentiment
                when 'positive' then 1.0
                when 'neutral' then 0.5
                else 0.0
            end
        ) as csm_sentiment_value
    from csm_tasks
    group by
        account_id,
        activity_date

),

{#-
    Each account's window counts and latest values on the day before the
    days recomputed (none on a full build, where the running values start on
    the account's first day), computed from the responses and touchpoints,
    not read from the model's own rows: a response loaded after its day left
    the lookback enters the window of the days a run recomputes, as on a
    full refresh, and never leaves a window it did not enter. Only days from
    the account's first spine day on count.
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
        {{ customer_health.sum_in_window('daily_responses.responses', 'daily_responses.date_day', carry_day, windows.nps_days) }}
            as responses_in_window,
        {{ customer_health.sum_in_window('daily_responses.promoters', 'daily_responses.date_day', carry_day, windows.nps_days) }}
            as promoters_in_window,
        {{ customer_health.sum_in_window('daily_responses.detractors', 'daily_responses.date_day', carry_day, windows.nps_days) }}
            as detractors_in_window,
        max(daily_responses.date_day) as last_nps_response_on
    from carry_accounts
    inner join daily_responses
        on carry_accounts.account_id = daily_responses.account_id
        and daily_responses.date_day >= carry_accounts.first_spine_day
        and daily_responses.date_day <= {{ carry_day }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        0 as responses_in_window,
        0 as promoters_in_window,
        0 as detractors_in_window,
        first_spine_day as last_nps_response_on
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

last_csm_sentiment_days as (

    {%- if is_incremental() %}
    select
        carry_accounts.account_id,
        max(daily_csm_sentiment.date_day) as last_csm_sentiment_on
    from carry_accounts
    inner join daily_csm_sentiment
        on carry_accounts.account_id = daily_csm_sentiment.account_id
        and daily_csm_sentiment.date_day >= carry_accounts.first_spine_day
        and daily_csm_sentiment.date_day <= {{ customer_health.incremental_window_start(1) }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        first_spine_day as last_csm_sentiment_on
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

carried_csm_sentiment as (

    select
        last_csm_sentiment_days.account_id,
        daily_csm_sentiment.csm_sentiment_value as latest_csm_sentiment,
        last_csm_sentiment_days.last_csm_sentiment_on
    from last_csm_sentiment_days
    inner join daily_csm_sentiment
        on last_csm_sentiment_days.account_id = daily_csm_sentiment.account_id
        and last_csm_sentiment_days.last_csm_sentiment_on = daily_csm_sentiment.date_day

),

daily_window_changes as (

    select
        account_days.account_id,
        account_days.date_day,
        cast(sum(window_changes.responses) as {{ dbt.type_bigint() }}) as responses_change,
        cast(sum(window_changes.promoters) as {{ dbt.type_bigint() }}) as promoters_change,
        cast(sum(window_changes.detractors) as {{ dbt.type_bigint() }}) as detractors_change
    from account_days
    inner join window_changes
        on account_days.account_id = window_changes.account_id
        and account_days.date_day = window_changes.changes_on
        and account_days.first_spine_day <= window_changes.response_day
    group by
        account_days.account_id,
        account_days.date_day

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        coalesce(daily_window_changes.responses_change, 0) as responses_change,
        coalesce(daily_window_changes.promoters_change, 0) as promoters_change,
        coalesce(daily_window_changes.detractors_change, 0) as detractors_change,
        daily_responses.account_id is not null as has_response,
        daily_csm_sentiment.csm_sentiment_value
    from account_days
    left join daily_window_changes
        on account_days.account_id = daily_window_changes.account_id
        and account_days.date_day = daily_window_changes.date_day
    left join daily_responses
        on account_days.account_id = daily_responses.account_id
        and account_days.date_day = daily_responses.date_day
    left join daily_csm_sentiment
        on account_days.account_id = daily_csm_sentiment.account_id
        and account_days.date_day = daily_csm_sentiment.date_day

),

running as (

    select
        spined.account_id,
        spined.date_day,
        spined.csm_sentiment_value,
        cast(
            sum(spined.responses_change) over (
                partition by spined.account_id order by spined.date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as responses_change_so_far,
        cast(
            sum(spined.promoters_change) over (
                partition by spined.account_id order by spined.date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as promoters_change_so_far,
        cast(
            sum(spined.detractors_change) over (
                partition by spined.account_id order by spined.date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as detractors_change_so_far,
        max(case when spined.has_response then spined.date_day end) over (
            partition by spined.account_id order by spined.date_day
            rows between unbounded preceding and current row
        ) as last_nps_response_so_far,
        max(case when spined.csm_sentiment_value is not null then spined.date_day end) over (
            partition by spined.account_id order by spined.date_day
            rows between unbounded preceding and current row
        ) as last_csm_sentiment_so_far,
        count(spined.csm_sentiment_value) over (
            partition by spined.account_id order by spined.date_day
            rows between unbounded preceding and current row
        ) as csm_sentiment_sequence
    from spined

),

windowed as (

    select
        running.account_id,
        running.date_day,
        coalesce(carried.responses_in_window, 0) + running.responses_change_so_far as responses_in_window,
        coalesce(carried.promoters_in_window, 0) + running.promoters_change_so_far as promoters_in_window,
        coalesce(carried.detractors_in_window, 0) + running.detractors_change_so_far as detractors_in_window,
        coalesce(running.last_nps_response_so_far, carried.last_nps_response_on) as last_nps_response_on,
        coalesce(
            max(running.csm_sentiment_value) over (
                partition by running.account_id, running.csm_sentiment_sequence
            ),
            carried_csm_sentiment.latest_csm_sentiment
        ) as latest_csm_sentiment,
        coalesce(running.last_csm_sentiment_so_far, carried_csm_sentiment.last_csm_sentiment_on)
            as last_csm_sentiment_on
    from running
    left join carried
        on running.account_id = carried.account_id
    left join carried_csm_sentiment
        on running.account_id = carried_csm_sentiment.account_id

),

final as (

    select
        account_id,
        date_day,
        responses_in_window,
        promoters_in_window,
        detractors_in_window,
        case
            when responses_in_window > 0
                then 100.0 * (promoters_in_window - detractors_in_window) / responses_in_window
        end as nps,
        last_nps_response_on,
        latest_csm_sentiment,
        last_csm_sentiment_on,
        '{{ customer_health.health_config_version() }}' as config_version
    from windowed

)

select
    final.*,
    {{ customer_health.built_at() }} as built_at
from final
