with base_prices as (

    select * from {{ ref('base_stripe__prices') }}

),

accepted_prices as (

    select
        price_id,
        product_id,
        price_nickname,
        lower(raw_currency) as currency,
        {{ customer_health.normalize_enum('raw_recurring_interval') }} as recurring_interval,
        {{ customer_health.cents_to_currency('unit_amount_cents', 'raw_currency') }} as unit_amount,
        recurring_interval_count,
        is_active,
        created_at,
        fivetran_synced_at
    from base_prices
    where reject_reason is null

)

select * from accepted_prices
