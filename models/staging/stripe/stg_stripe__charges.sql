with base_charges as (

    select * from {{ ref('base_stripe__charges') }}

),

accepted_charges as (

    select
        charge_id,
        customer_id,
        invoice_id,
        {{ customer_health.normalize_enum('raw_status') }} as status,
        failure_code,
        {{ customer_health.normalize_enum('raw_outcome_type') }} as outcome_type,
        lower(raw_currency) as currency,
        {{ customer_health.cents_to_currency('amount_cents', 'raw_currency') }} as amount,
        {{ customer_health.cents_to_currency('amount_refunded_cents', 'raw_currency') }} as amount_refunded,
        is_paid,
        {{ customer_health.normalize_enum('raw_status') }} = 'failed' as is_failed,
        is_refunded,
        is_livemode,
        created_at,
        fivetran_synced_at
    from base_charges
    where reject_reason is null

)

select * from accepted_charges
