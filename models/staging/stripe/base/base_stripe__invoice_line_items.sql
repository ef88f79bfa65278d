{%- set raw_columns = customer_health.relation_columns(source('stripe', 'invoice_line_item')) -%}

with source_rows as (

    select * from {{ source('stripe', 'invoice_line_item') }}

),

invoices as (

    select invoice_id from {{ ref('stg_stripe__invoices') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as invoice_line_item_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'invoice_id', 'string')) }} as invoice_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'subscription_id', 'string')) }} as subscription_id,
        coalesce(
            {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'price_id', 'string')) }},
            {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'plan_id', 'string')) }}
        ) as price_id,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_line_type,
        {{ customer_health.source_column(raw_columns, 'description', 'string') }} as line_description,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'amount', 'integer') }} as amount_cents,
        {{ customer_health.source_column(raw_columns, 'quantity', 'integer') }} as quantity,
        coalesce({{ customer_health.source_column(raw_columns, 'proration', 'boolean') }}, false) as is_proration,
        {{ customer_health.source_column(raw_columns, 'period_start', 'timestamp') }} as period_started_at,
        {{ customer_health.source_column(raw_columns, 'period_end', 'timestamp') }} as period_ended_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.invoice_line_item_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.invoice_line_item_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.invoice_id is null then 'missing_invoice_id'
            when invoices.invoice_id is null then 'orphan_invoice'
        end as reject_reason
    from ranked
    left join invoices
        on ranked.invoice_id = invoices.invoice_id

)

select * from checked
