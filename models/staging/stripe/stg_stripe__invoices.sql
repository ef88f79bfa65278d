with base_invoices as (

    select * from {{ ref('base_stripe__invoices') }}

),

accepted_invoices as (

    select
        invoice_id,
        customer_id,
        subscription_id,
        invoice_number,
        {{ customer_health.normalize_enum('raw_status') }} as status,
        {{ customer_health.normalize_enum('raw_billing_reason') }} as billing_reason,
        {{ customer_health.normalize_enum('raw_collection_method') }} as collection_method,
        lower(raw_currency) as currency,
        {{ customer_health.cents_to_currency('amount_due_cents', 'raw_currency') }} as amount_due,
        {{ customer_health.cents_to_currency('amount_paid_cents', 'raw_currency') }} as amount_paid,
        {{ customer_health.cents_to_currency('amount_remaining_cents', 'raw_currency') }} as amount_remaining,
        {{ customer_health.cents_to_currency('total_cents', 'raw_currency') }} as total_amount,
        attempt_count,
        is_paid,
        due_at,
        period_started_at,
        period_ended_at,
        finalized_at,
        paid_at,
        voided_at,
        created_at,
        fivetran_synced_at
    from base_invoices
    where reject_reason is null

)

select * from accepted_invoices
