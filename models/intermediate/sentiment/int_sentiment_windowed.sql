{#-
    Sentiment per account and day: the account's NPS over the NPS window and
    the day of its latest response; the latest sentiment the CSM logged at a
    touchpoint and the day it was logged (values carry forward until
    replaced; staleness is judged from the observed-on dates).
-#}

{%- set windows = customer_health.health_config().windows %}

with account_days as (

    select
        account_id,
        date_day
    from {{ ref('int_account_days') }}

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

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        coalesce(daily_responses.responses, 0) as responses,
        coalesce(daily_responses.promoters, 0) as promoters,
        coalesce(daily_responses.detractors, 0) as detractors,
        daily_csm_sentiment.csm_sentiment_value
    from account_days
    left join daily_responses
        on account_days.account_id = daily_responses.account_id
        and account_days.date_day = daily_responses.date_day
    left join daily_csm_sentiment
        on account_days.account_id = daily_csm_sentiment.account_id
        and account_days.date_day = daily_csm_sentiment.date_day

),

windowed as (

    select
        account_id,
        date_day,
        csm_sentiment_value,
        sum(responses) over (
            partition by account_id order by date_day
            rows between {{ windows.nps_days - 1 }} preceding and current row
        ) as responses_in_window,
        sum(promoters) over (
            partition by account_id order by date_day
            rows between {{ windows.nps_days - 1 }} preceding and current row
        ) as promoters_in_window,
        sum(detractors) over (
            partition by account_id order by date_day
            rows between {{ windows.nps_days - 1 }} preceding and current row
        ) as detractors_in_window,
        max(case when responses > 0 then date_day end) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as last_nps_response_on,
        max(case when csm_sentiment_value is not null then date_day end) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as last_csm_sentiment_on,
        count(csm_sentiment_value) over (
            partition by account_id order by date_day
            rows between unbounded preceding and current row
        ) as csm_sentiment_sequence
    from spined

),

carried_forward as (

    select
        account_id,
        date_day,
        responses_in_window,
        case
            when responses_in_window > 0
                then 100.0 * (promoters_in_window - detractors_in_window) / responses_in_window
        end as nps,
        last_nps_response_on,
        max(csm_sentiment_value) over (
            partition by account_id, csm_sentiment_sequence
        ) as latest_csm_sentiment,
        last_csm_sentiment_on
    from windowed

)

select * from carried_forward
