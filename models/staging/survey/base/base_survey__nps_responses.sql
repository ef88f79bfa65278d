{%- set raw_columns = customer_health.relation_columns(source('survey', 'nps_responses')) -%}

with source_rows as (

    select * from {{ source('survey', 'nps_responses') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as response_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'person_id', 'string')) }} as respondent_id,
        lower(trim({{ customer_health.source_column(raw_columns, 'email', 'string') }})) as respondent_email,
        {{ customer_health.source_column(raw_columns, 'score', 'string') }} as raw_score,
        {{ customer_health.source_column(raw_columns, 'comment', 'string') }} as response_comment,
        {{ customer_health.source_column(raw_columns, 'survey_type', 'string') }} as raw_survey_type,
        {{ customer_health.source_column(raw_columns, 'channel', 'string') }} as raw_channel,
        {{ customer_health.source_column(raw_columns, 'created_at', 'string') }} as raw_created_at,
        {{ customer_health.safe_cast_to('trim(' ~ customer_health.source_column(raw_columns, 'score', 'string') ~ ')', 'integer') }} as score,
        {{ customer_health.to_utc_timestamp(customer_health.source_column(raw_columns, 'created_at', 'string')) }} as responded_at,
        {{ customer_health.source_column(raw_columns, '_loaded_at', 'timestamp') }} as loaded_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.response_id
            order by typed.loaded_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.response_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.respondent_email is null or ranked.respondent_email = '' then 'missing_email'
            when ranked.score is null then 'unparseable_score'
            when ranked.score < 0 or ranked.score > 10 then 'score_out_of_range'
            when ranked.responded_at is null then 'unparseable_created_at'
            when ranked.responded_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.loaded_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
