{%- set raw_columns = customer_health.relation_columns(source('stripe', 'invoice')) -%}

with source_rows as (

    select * from {{ source('stripe', 'invoice') }}

),

customers as (

    select customer_id from {{ ref('stg_stripe__customers') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as invoice_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'customer_id', 'string')) }} as customer_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'subscription_id', 'string')) }} as subscription_id,
        {{ customer_health.source_column(raw_columns, 'number', 'string') }} as invoice_number,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'billing_reason', 'string') }} as raw_billing_reason,
        {{ customer_health.source_column(raw_columns, 'collection_method', 'string') }} as raw_collection_method,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'amount_due', 'integer') }} as amount_due_cents,
        {{ customer_health.source_column(raw_columns, 'amount_paid', 'integer') }} as amount_paid_cents,
        {{ customer_health.source_column(raw_columns, 'amount_remaining', 'integer') }} as amount_remaining_cents,
        {{ customer_health.source_column(raw_columns, 'total', 'integer') }} as total_cents,
        {{ customer_health.source_column(raw_columns, 'attempt_count', 'integer') }} as attempt_count,
        coalesce({{ customer_health.source_column(raw_columns, 'paid', 'boolean') }}, false) as is_paid,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'due_date', 'timestamp') }} as due_at,
        {{ customer_health.source_column(raw_columns, 'period_start', 'timestamp') }} as period_started_at,
        {{ customer_health.source_column(raw_columns, 'period_end', 'timestamp') }} as period_ended_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_finalized_at', 'timestamp') }} as finalized_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_paid_at', 'timestamp') }} as paid_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_voided_at', 'timestamp') }} as voided_at,
        {{ customer_health.source_column(raw_columns, 'created', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.invoice_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.invoice_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.customer_id is null then 'missing_customer_id'
            when customers.customer_id is null then 'orphan_customer'
        end as reject_reason
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id

)

select * from checked
