with base_accounts as (

    select * from {{ ref('base_salesforce__accounts') }}

),

accepted_accounts as (

    select
        account_id,
        owner_user_id,
        parent_account_id,
        product_workspace_id,
        account_name,
        {{ customer_health.normalize_enum('account_type') }} as account_type,
        industry,
        upper(billing_country_code) as billing_country_code,
        website,
        coalesce({{ customer_health.normalize_enum('raw_segment') }}, 'unknown') as segment,
        coalesce({{ customer_health.normalize_enum('raw_coverage_model') }}, 'unknown') as coverage_model,
        number_of_employees,
        company_annual_revenue,
        arr,
        licensed_seats,
        contract_start_date,
        contract_end_date,
        created_at,
        last_modified_at,
        fivetran_synced_at
    from base_accounts
    where reject_reason is null

)

select * from accepted_accounts
