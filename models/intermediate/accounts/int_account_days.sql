{#-
    The account x day spine: one row for every day an account is a customer,
    from the first day of data (or the day it became a customer) to the as-of
    date (or the day before its subscription ended). Rolling windows are row
    windows over this spine, which equal calendar windows because no day is
    missing.

    Customer periods come from int_account_customer_periods.

    Incremental like the models that read it: a daily run rebuilds the
    lookback days and later ones (an account that ended within them loses its
    days after the end); older days are kept as they were computed.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

with calendar as (

    select * from {{ ref('int_scoring_calendar') }}
    where {{ customer_health.incremental_days('date_day') }}

),

customer_periods as (

    select * from {{ ref('int_account_customer_periods') }}

),

account_days as (

    select
        customer_periods.account_id,
        calendar.date_day,
        customer_periods.segment,
        customer_periods.coverage_model,
        customer_periods.customer_since,
        customer_periods.is_billed_in_stripe,
        {{ dbt.datediff('customer_periods.customer_since', 'calendar.date_day', 'day') }} as tenure_days,
        {#- the spine has no gaps, so a day's number is its distance from the spine's first day -#}
        {{ dbt.datediff(
            'case when customer_periods.customer_since > calendar.data_start_date'
            ~ ' then customer_periods.customer_since else calendar.data_start_date end',
            'calendar.date_day',
            'day'
        ) }} + 1 as spine_day_number,
        calendar.is_scored_day,
        calendar.is_as_of_date,
        '{{ customer_health.health_config_version() }}' as config_version
    from customer_periods
    inner join calendar
        on customer_periods.customer_since <= calendar.date_day
        and (customer_periods.customer_until is null or customer_periods.customer_until > calendar.date_day)

)

select
    account_days.*,
    {{ customer_health.built_at() }} as built_at
from account_days
