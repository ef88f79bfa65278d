{#-
    Commercial measures per account and day: failed card charges in the
    quality window, invoices overdue on the day, licensed seats on the day and
    a quality window earlier (from the seat quantity billed on subscription
    invoice lines), and days until the contract renews (from the latest
    closed-won new-business or renewal opportunity and its term, or an open
    renewal opportunity). Null when the account is not billed in Stripe.
-#}

{%- set windows = customer_health.health_config().windows %}

{#-
    Incremental: a daily run reads only the days it recomputes. Open overdue
    invoices, the latest seat count and the current contract term from
    before the first day recomputed carry into that day, exactly as values
    from before an account's first day do. The failed charges in the quality
    window are a running sum of changes (each failed charge adds on its day
    and leaves quality_days later), started from the window on the day
    before, counted from the charges; the seats a quality window ago are
    read from the model's own rows for days before the first day
    recomputed. So the run does not rebuild a quality window of days on the
    spine to keep eight.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

with account_days as (

    select
        account_id,
        date_day,
        is_billed_in_stripe,
        cast({{ dbt.dateadd('day', '1 - spine_day_number', 'date_day') }} as date) as first_spine_day
    from {{ ref('int_account_days') }}
    where {{ customer_health.incremental_days('date_day') }}

),

customer_accounts as (

    select
        source_id as customer_id,
        account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'stripe'
        and source_entity = 'customer'
        and is_matched

),

charges as (

    select * from {{ ref('stg_stripe__charges') }}

),

invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

invoice_lines as (

    select * from {{ ref('stg_stripe__invoice_line_items') }}

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

),

daily_failed_charges as (

    select
        customer_accounts.account_id,
        cast(charges.created_at as date) as date_day,
        count(*) as failed_charges
    from charges
    inner join customer_accounts
        on charges.customer_id = customer_accounts.customer_id
    where charges.is_failed
    group by
        customer_accounts.account_id,
        cast(charges.created_at as date)

),

{#-
    Each account's failed charges in the window on the day before the days
    recomputed (none on a full build), counted from the charges, not read
    from the model's own row: a charge loaded after its day left the
    lookback enters the window of the days a run recomputes, as on a full
    refresh, and never leaves a window it did not enter. Only charges from
    the account's first spine day on count.
-#}
carry_accounts as (

    select distinct
        account_id,
        first_spine_day
    from account_days

),

carried_failed_charges as (

    {%- if is_incremental() %}
    {%- set carry_day = customer_health.incremental_window_start(1) %}
    select
        carry_accounts.account_id,
        {{ customer_health.sum_in_window('daily_failed_charges.failed_charges', 'daily_failed_charges.date_day', carry_day, windows.quality_days) }}
            as failed_charges_in_quality_window
    from carry_accounts
    inner join daily_failed_charges
        on carry_accounts.account_id = daily_failed_charges.account_id
        and daily_failed_charges.date_day >= carry_accounts.first_spine_day
        and daily_failed_charges.date_day <= {{ carry_day }}
        and daily_failed_charges.date_day > {{ dbt.dateadd('day', -windows.quality_days, carry_day) }}
    group by carry_accounts.account_id
    {%- else %}
    select
        account_id,
        0 as failed_charges_in_quality_window
    from carry_accounts
    where 1 = 0
    {%- endif %}

),

{#- a day's failed charges enter the window on that day and leave it quality_days later -#}
failed_charge_changes as (

    select
        account_id,
        date_day as charged_on,
        date_day as changes_on,
        failed_charges
    from daily_failed_charges

    union all

    select
        account_id,
        date_day as charged_on,
        cast({{ dbt.dateadd('day', windows.quality_days, 'date_day') }} as date) as changes_on,
        -failed_charges as failed_charges
    from daily_failed_charges

),

{#- only charges from the account's first spine day on count, as on a window over the spine -#}
daily_failed_charge_changes as (

    select
        account_days.account_id,
        account_days.date_day,
        cast(sum(failed_charge_changes.failed_charges) as {{ dbt.type_bigint() }}) as failed_charges_change
    from account_days
    inner join failed_charge_changes
        on account_days.account_id = failed_charge_changes.account_id
        and account_days.date_day = failed_charge_changes.changes_on
        and account_days.first_spine_day <= failed_charge_changes.charged_on
    group by
        account_days.account_id,
        account_days.date_day

),

{#- an invoice is overdue from the day after it was due until the day it is paid or voided -#}
overdue_periods as (

    select
        customer_accounts.account_id,
        cast({{ dbt.dateadd('day', 1, 'invoices.due_at') }} as date) as overdue_from,
        cast(coalesce(invoices.paid_at, invoices.voided_at) as date) as overdue_until
    from invoices
    inner join customer_accounts
        on invoices.customer_id = customer_accounts.customer_id
    where invoices.due_at is not null
        and invoices.status <> 'draft'
        and (
            coalesce(invoices.paid_at, invoices.voided_at) is null
            or cast(coalesce(invoices.paid_at, invoices.voided_at) as date)
            > cast({{ dbt.dateadd('day', 1, 'invoices.due_at') }} as date)
        )

),

overdue_deltas as (

    select
        account_id,
        overdue_from as date_day,
        1 as delta
    from overdue_periods
    union all
    select
        account_id,
        overdue_until as date_day,
        -1 as delta
    from overdue_periods
    where overdue_until is not null

),

daily_overdue_deltas as (

    select
        account_id,
        date_day,
        sum(delta) as overdue_delta
    from overdue_deltas
    group by
        account_id,
        date_day

),

spine_bounds as (

    select
        account_id,
        min(date_day) as first_day
    from account_days
    group by account_id

),

seat_quantities as (

    select
        customer_accounts.account_id,
        cast(invoice_lines.period_started_at as date) as period_started_on,
        max(invoice_lines.quantity) as licensed_seats
    from invoice_lines
    inner join invoices
        on invoice_lines.invoice_id = invoices.invoice_id
    inner join customer_accounts
        on invoices.customer_id = customer_accounts.customer_id
    where invoice_lines.line_type = 'subscription'
        and invoice_lines.quantity > 0
        and invoices.status <> 'void'
    group by
        customer_accounts.account_id,
        cast(invoice_lines.period_started_at as date)

),

contract_term_starts as (

    select
        account_id,
        close_date as term_started_on,
        max(cast({{ dbt.dateadd('month', 'coalesce(contract_term_months, 12)', 'close_date') }} as date)) as term_ends_on
    from opportunities
    where is_won
        and opportunity_type in ('new_business', 'renewal')
        and close_date is not null
    group by
        account_id,
        close_date

),

{#- values set before an account's first spine day (or the first day read) take effect on that day (latest one wins) -#}
seat_lines as (

    select
        account_id,
        date_day,
        licensed_seats
    from (
        select
            seat_quantities.account_id,
            case
                when seat_quantities.period_started_on < spine_bounds.first_day then spine_bounds.first_day
                else seat_quantities.period_started_on
            end as date_day,
            seat_quantities.licensed_seats,
            row_number() over (
                partition by
                    seat_quantities.account_id,
                    case
                        when seat_quantities.period_started_on < spine_bounds.first_day then spine_bounds.first_day
                        else seat_quantities.period_started_on
                    end
                order by seat_quantities.period_started_on desc
            ) as recency_rank
        from seat_quantities
        inner join spine_bounds
            on seat_quantities.account_id = spine_bounds.account_id
    ) as ranked_seats
    where recency_rank = 1

),

contract_terms as (

    select
        account_id,
        date_day,
        term_ends_on
    from (
        select
            contract_term_starts.account_id,
            case
                when contract_term_starts.term_started_on < spine_bounds.first_day then spine_bounds.first_day
                else contract_term_starts.term_started_on
            end as date_day,
            contract_term_starts.term_ends_on,
            row_number() over (
                partition by
                    contract_term_starts.account_id,
                    case
                        when contract_term_starts.term_started_on < spine_bounds.first_day then spine_bounds.first_day
                        else contract_term_starts.term_started_on
                    end
                order by contract_term_starts.term_started_on desc
            ) as recency_rank
        from contract_term_starts
        inner join spine_bounds
            on contract_term_starts.account_id = spine_bounds.account_id
    ) as ranked_terms
    where recency_rank = 1

),

open_renewals as (

    select
        account_days.account_id,
        account_days.date_day,
        min(opportunities.close_date) as renewal_close_date
    from account_days
    inner join opportunities
        on account_days.account_id = opportunities.account_id
        and opportunities.opportunity_type = 'renewal'
        and cast(opportunities.created_at as date) <= account_days.date_day
        and account_days.date_day <= opportunities.close_date
    group by
        account_days.account_id,
        account_days.date_day

),

spined as (

    select
        account_days.account_id,
        account_days.date_day,
        account_days.is_billed_in_stripe,
        coalesce(daily_failed_charge_changes.failed_charges_change, 0) as failed_charges_change,
        coalesce(daily_overdue_deltas.overdue_delta, 0) as overdue_delta,
        seat_lines.licensed_seats as billed_seats,
        contract_terms.term_ends_on,
        open_renewals.renewal_close_date
    from account_days
    left join daily_failed_charge_changes
        on account_days.account_id = daily_failed_charge_changes.account_id
        and account_days.date_day = daily_failed_charge_changes.date_day
    left join daily_overdue_deltas
        on account_days.account_id = daily_overdue_deltas.account_id
        and account_days.date_day = daily_overdue_deltas.date_day
    left join seat_lines
        on account_days.account_id = seat_lines.account_id
        and account_days.date_day = seat_lines.date_day
    left join contract_terms
        on account_days.account_id = contract_terms.account_id
        and account_days.date_day = contract_terms.date_day
    left join open_renewals
        on account_days.account_id = open_renewals.account_id
        and account_days.date_day = open_renewals.date_day

),

{#- invoices already overdue before an account's first spine day (or the first day read) carry in -#}
carry_in as (

    select
        daily_overdue_deltas.account_id,
        sum(daily_overdue_deltas.overdue_delta) as overdue_before_spine
    from daily_overdue_deltas
    inner join spine_bounds
        on daily_overdue_deltas.account_id = spine_bounds.account_id
    where daily_overdue_deltas.date_day < spine_bounds.first_day
    group by daily_overdue_deltas.account_id

),

sequenced as (

    select
        spined.*,
        count(spined.billed_seats) over (
            partition by spined.account_id order by spined.date_day
            rows between unbounded preceding and current row
        ) as seat_sequence,
        count(spined.term_ends_on) over (
            partition by spined.account_id order by spined.date_day
            rows between unbounded preceding and current row
        ) as term_sequence,
        {#- the sums share the sequences' partition and order: one window pass for all four -#}
        cast(
            coalesce(carried_failed_charges.failed_charges_in_quality_window, 0) + sum(spined.failed_charges_change) over (
                partition by spined.account_id order by spined.date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as failed_charges_in_quality_window,
        cast(
            coalesce(carry_in.overdue_before_spine, 0) + sum(spined.overdue_delta) over (
                partition by spined.account_id order by spined.date_day
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as overdue_invoices
    from spined
    left join carry_in
        on spined.account_id = carry_in.account_id
    left join carried_failed_charges
        on spined.account_id = carried_failed_charges.account_id

),

carried_forward as (

    select
        account_id,
        date_day,
        is_billed_in_stripe,
        failed_charges_in_quality_window,
        overdue_invoices,
        max(billed_seats) over (partition by account_id, seat_sequence) as licensed_seats,
        max(term_ends_on) over (partition by account_id, term_sequence) as current_term_ends_on,
        renewal_close_date
    from sequenced

),

{#-
    The days recomputed next to the seat counts of the days a quality window
    before them: on a daily run those days are older than the first day
    recomputed and come from the model's own rows (the spine has no missing
    days, so a lag of quality_days rows is the day a quality window earlier).
-#}
seat_rows as (

    select
        account_id,
        date_day,
        licensed_seats,
        1 as is_recomputed
    from carried_forward
    {%- if is_incremental() %}

    union all

    select
        account_id,
        date_day,
        licensed_seats,
        0 as is_recomputed
    from {{ this }}
    where date_day >= {{ customer_health.incremental_window_start(windows.quality_days) }}
        and date_day < {{ customer_health.incremental_window_start(0) }}
    {%- endif %}

),

seats_quality_window_ago as (

    select
        account_id,
        date_day,
        lag(licensed_seats, {{ windows.quality_days }}) over (
            partition by account_id order by date_day
        ) as licensed_seats_quality_window_ago,
        is_recomputed
    from seat_rows

),

with_history as (

    select
        carried_forward.*,
        seats_quality_window_ago.licensed_seats_quality_window_ago,
        case
            when carried_forward.renewal_close_date is not null then carried_forward.renewal_close_date
            when carried_forward.current_term_ends_on >= carried_forward.date_day then carried_forward.current_term_ends_on
        end as next_renewal_on
    from carried_forward
    inner join seats_quality_window_ago
        on carried_forward.account_id = seats_quality_window_ago.account_id
        and carried_forward.date_day = seats_quality_window_ago.date_day
        and seats_quality_window_ago.is_recomputed = 1

)

select
    with_history.*,
    '{{ customer_health.health_config_version() }}' as config_version,
    {{ customer_health.built_at() }} as built_at
from with_history
