{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'task')) -%}

with source_rows as (

    select * from {{ source('salesforce', 'task') }}

),

accounts as (

    select account_id from {{ ref('stg_salesforce__accounts') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as task_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'account_id', 'string')) }} as account_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'who_id', 'string')) }} as contact_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'owner_id', 'string')) }} as owner_user_id,
        {{ customer_health.source_column(raw_columns, 'subject', 'string') }} as subject,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_task_type,
        {{ customer_health.source_column(raw_columns, 'task_subtype', 'string') }} as raw_task_subtype,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'csm_sentiment_c', 'string') }} as raw_csm_sentiment,
        coalesce({{ customer_health.source_column(raw_columns, 'is_closed', 'boolean') }}, false) as is_closed,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'activity_date', 'date') }} as activity_date,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.task_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.task_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.account_id is null then 'missing_account_id'
            when accounts.account_id is null then 'orphan_account'
        end as reject_reason
    from ranked
    left join accounts
        on ranked.account_id = accounts.account_id

)

select * from checked
