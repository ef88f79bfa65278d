{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'account')) -%}

with source_rows as (

    select * from {{ source('salesforce', 'account') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as account_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'owner_id', 'string')) }} as owner_user_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'parent_id', 'string')) }} as parent_account_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'product_workspace_id_c', 'string')) }} as product_workspace_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as account_name,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as account_type,
        {{ customer_health.source_column(raw_columns, 'industry', 'string') }} as industry,
        {{ customer_health.source_column(raw_columns, 'billing_country_code', 'string') }} as billing_country_code,
        {{ customer_health.source_column(raw_columns, 'website', 'string') }} as website,
        {{ customer_health.source_column(raw_columns, 'customer_segment_c', 'string') }} as raw_segment,
        {{ customer_health.source_column(raw_columns, 'cs_coverage_model_c', 'string') }} as raw_coverage_model,
        {{ customer_health.source_column(raw_columns, 'number_of_employees', 'integer') }} as number_of_employees,
        {{ customer_health.source_column(raw_columns, 'annual_revenue', 'numeric') }} as company_annual_revenue,
        {{ customer_health.source_column(raw_columns, 'arr_c', 'numeric') }} as arr,
        {{ customer_health.source_column(raw_columns, 'licensed_seats_c', 'integer') }} as licensed_seats,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'contract_start_date_c', 'date') }} as contract_start_date,
        {{ customer_health.source_column(raw_columns, 'contract_end_date_c', 'date') }} as contract_end_date,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'last_modified_date', 'timestamp') }} as last_modified_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.account_id
            order by typed.fivetran_synced_at desc, typed.last_modified_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.account_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
