with base_customers as (

    select * from {{ ref('base_stripe__customers') }}

),

accepted_customers as (

    select
        customer_id,
        {{ customer_health.clean_id(customer_health.json_extract_text('metadata', var('stripe_account_id_metadata_key'))) }} as crm_account_id,
        customer_name,
        lower(raw_currency) as currency,
        {{ customer_health.cents_to_currency('balance_cents', 'raw_currency') }} as balance,
        is_delinquent,
        is_livemode,
        created_at,
        fivetran_synced_at
    from base_customers
    where reject_reason is null

)

select * from accepted_customers
