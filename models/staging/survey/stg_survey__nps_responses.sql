with base_responses as (

    select * from {{ ref('base_survey__nps_responses') }}

),

accepted_responses as (

    select
        response_id,
        respondent_id,
        respondent_email,
        response_comment,
        {{ customer_health.normalize_enum('raw_survey_type') }} as survey_type,
        {{ customer_health.normalize_enum('raw_channel') }} as channel,
        score,
        case
            when score >= 9 then 'promoter'
            when score >= 7 then 'passive'
            else 'detractor'
        end as nps_category,
        cast(responded_at as date) as responded_on,
        responded_at,
        loaded_at
    from base_responses
    where reject_reason is null

)

select * from accepted_responses
