with base_line_items as (

    select * from {{ ref('base_stripe__invoice_line_items') }}

),

accepted_line_items as (

    select
        invoice_line_item_id,
        invoice_id,
        subscription_id,
        price_id,
        {{ customer_health.normalize_enum('raw_line_type') }} as line_type,
        line_description,
        lower(raw_currency) as currency,
        {{ customer_health.cents_to_currency('amount_cents', 'raw_currency') }} as amount,
        quantity,
        is_proration,
        period_started_at,
        period_ended_at,
        fivetran_synced_at
    from base_line_items
    where reject_reason is null

)

select * from accepted_line_items
