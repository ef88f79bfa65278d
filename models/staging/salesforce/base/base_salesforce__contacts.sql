{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'contact')) -%}

with source_rows as (

    select * from {{ source('salesforce', 'contact') }}

),

accounts as (

    select account_id from {{ ref('stg_salesforce__accounts') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as contact_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'account_id', 'string')) }} as account_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as contact_name,
        lower(trim({{ customer_health.source_column(raw_columns, 'email', 'string') }})) as email,
        {{ customer_health.source_column(raw_columns, 'title', 'string') }} as title,
        coalesce({{ customer_health.source_column(raw_columns, 'is_executive_sponsor_c', 'boolean') }}, false) as is_executive_sponsor,
        coalesce({{ customer_health.source_column(raw_columns, 'is_champion_c', 'boolean') }}, false) as is_champion,
        coalesce({{ customer_health.source_column(raw_columns, 'no_longer_at_company_c', 'boolean') }}, false) as is_no_longer_at_company,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'last_modified_date', 'timestamp') }} as last_modified_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.contact_id
            order by typed.fivetran_synced_at desc, typed.last_modified_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.contact_id is null then 'missing_key'
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
