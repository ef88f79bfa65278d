-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    Every health signal's raw value for every account and day, point in time:
    each value uses only data dated on or before the day. One wide row per
    account-day; `<signal>__observed_on` is the day the value was last
    observed (for windowed signals, the last day the source delivered data),
    from which scoring judges staleness. A null value means the signal is
    unknown for the account (no workspace, no support organization, no
    billing, no response yet), which scoring treats as missing, not as bad.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

{#- the days recomputed on this run (read once, used by every input) -#}
{%- set recomputed_days = customer_health.incremental_days('date_day') %}

with account_days as (

    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days }}

),

crm_accounts as (

    select
        account_id,
        licensed_seats as crm_licensed_seats
    from {{ ref('stg_salesforce__accounts') }}

),

product as (

    select * from {{ ref('int_product_usage_windowed') }}
    where {{ recomputed_days }}

),

support as (

    select * from {{ ref('int_support_windowed') }}
    where {{ recomputed_days }}

),

sentiment as (

    select * from {{ ref('int_sentiment_windowed') }}
    where {{ recomputed_days }}

),

commercial as (

    select * from {{ ref('int_commercial_windowed') }}
    where {{ recomputed_days }}

),

relationship as (

    select * from {{ ref('int_relationship_windowed') }}
    where {{ recomputed_days }}

),

deliveries as (

    select * from {{ ref('int_source_deliveries_daily') }}

),

breadth_features as (

    select count(distinct feature_name) as feature_count
    from {{ ref('product_feature_catalog') }}
    where counts_for_breadth

),

joined as (

    select
        account_days.account_id,
        account_days.date_day,
        account_days.segment,
        account_days.coverage_model,
        account_days.tenure_days,
        account_days.is_scored_day,
        account_days.is_as_of_date,
        coalesce(commercial.licensed_seats, crm_accounts.crm_licensed_seats) as licensed_seats,
        commercial.next_renewal_on,
        product.has_product_workspace,
        product.has_full_trend_history as has_full_product_history,
        product.active_users_in_window,
        product.active_users_window_ago,
        product.active_days_in_window,
        product.features_in_window,
        product.core_workflows_in_window,
        product.product_events_in_window,
        product.product_events_prior_window,
        product.users_invited_to_date,
        product.core_workflows_to_date,
        product.integrations_to_date,
        support.has_support_organization,
        support.has_full_trend_history as has_full_support_history,
        support.tickets_in_window,
        support.tickets_prior_window,
        support.escalated_tickets_in_window,
        support.good_ratings_in_quality_window,
        support.bad_ratings_in_quality_window,
        sentiment.nps as nps_value,
        sentiment.last_nps_response_on,
        sentiment.latest_csm_sentiment,
        sentiment.last_csm_sentiment_on,
        commercial.is_billed_in_stripe,
        commercial.failed_charges_in_quality_window,
        commercial.overdue_invoices as overdue_invoice_count,
        commercial.licensed_seats as billed_seats,
        commercial.licensed_seats_quality_window_ago,
        relationship.executive_meetings_in_quality_window,
        relationship.qbrs_in_qbr_window,
        relationship.last_touch_on,
        deliveries.product_data_through,
        deliveries.support_data_through,
        deliveries.billing_data_through,
        deliveries.crm_data_through,
        breadth_features.feature_count
    from account_days
    left join crm_accounts
        on account_days.account_id = crm_accounts.account_id
    left join product
        on account_days.account_id = product.account_id
        and account_days.date_day = product.date_day
    left join support
        on account_days.account_id = support.account_id
        and account_days.date_day = support.date_day
    left join sentiment
        on account_days.account_id = sentiment.account_id
        and account_days.date_day = sentiment.date_day
    left join commercial
        on account_days.account_id = commercial.account_id
        and account_days.date_day = commercial.date_day
    left join relationship
        on account_days.account_id = relationship.account_id
        and account_days.date_day = relationship.date_day
    left join deliveries
        on account_days.date_day = deliveries.date_day
    cross join breadth_features

),

{#- ratios divide a double, so they are double precision on every engine (not numeric on PostgreSQL) -#}
signals as (

    select
        {%- for column in customer_health.scored_day_columns() %}
        {{ column }},
        {%- endfor %}

        -- product engagement
        case when has_product_workspace and licensed_seats > 0
            then cast(active_users_in_window as {{ customer_health.type_double() }}) / licensed_seats end as active_user_ratio,
        product_data_through as active_user_ratio__observed_on,
        case when has_product_workspace
            then active_days_in_window end as active_days,
        product_data_through as active_days__observed_on,
        case when has_product_workspace and feature_count > 0
            then cast(features_in_window as {{ customer_health.type_double() }}) / feature_count end as feature_breadth,
        product_data_through as feature_breadth__observed_on,
        case when has_product_workspace and licensed_seats > 0
            then cast(core_workflows_in_window as {{ customer_health.type_double() }}) / licensed_seats end as core_workflows_per_seat,
        product_data_through as core_workflows_per_seat__observed_on,
        case when has_product_workspace and has_full_product_history
            then cast(product_events_in_window - product_events_prior_window as {{ customer_health.type_double() }})
                / (case when product_events_prior_window > 1 then product_events_prior_window else 1 end)
        end as usage_trend,
        product_data_through as usage_trend__observed_on,
        case when has_product_workspace and has_full_product_history
            then cast(active_users_in_window - active_users_window_ago as {{ customer_health.type_double() }})
                / (case when active_users_window_ago > 1 then active_users_window_ago else 1 end)
        end as active_users_trend,
        product_data_through as active_users_trend__observed_on,

        -- adoption milestones
        case when has_product_workspace
            then (case when users_invited_to_date >= 3 then 1 else 0 end)
                + (case when core_workflows_to_date > 0 then 1 else 0 end)
                + (case when integrations_to_date > 0 then 1 else 0 end)
        end as adoption_milestones,
        product_data_through as adoption_milestones__observed_on,

        -- support
        case when has_support_organization and licensed_seats > 0
            then cast(10 * tickets_in_window as {{ customer_health.type_double() }}) / licensed_seats end as tickets_per_10_seats,
        support_data_through as tickets_per_10_seats__observed_on,
        case when has_support_organization and has_full_support_history
            then cast(tickets_in_window - tickets_prior_window as {{ customer_health.type_double() }}) / (tickets_prior_window + 2) end as ticket_trend,
        support_data_through as ticket_trend__observed_on,
        case when has_support_organization
            then escalated_tickets_in_window end as escalated_tickets,
        support_data_through as escalated_tickets__observed_on,
        case when good_ratings_in_quality_window + bad_ratings_in_quality_window > 0
            then cast(good_ratings_in_quality_window as {{ customer_health.type_double() }})
                / (good_ratings_in_quality_window + bad_ratings_in_quality_window)
        end as csat,
        support_data_through as csat__observed_on,

        -- sentiment
        nps_value as nps,
        last_nps_response_on as nps__observed_on,
        latest_csm_sentiment as csm_sentiment,
        last_csm_sentiment_on as csm_sentiment__observed_on,

        -- commercial
        case when is_billed_in_stripe
            then failed_charges_in_quality_window end as failed_payments,
        billing_data_through as failed_payments__observed_on,
        case when is_billed_in_stripe
            then overdue_invoice_count end as overdue_invoices,
        billing_data_through as overdue_invoices__observed_on,
        case when billed_seats > 0 and licensed_seats_quality_window_ago > 0
            then cast(billed_seats as {{ customer_health.type_double() }}) / licensed_seats_quality_window_ago - 1 end as seat_change,
        billing_data_through as seat_change__observed_on,
        case when next_renewal_on is not null
            then {{ dbt.datediff('date_day', 'next_renewal_on', 'day') }} end as days_to_renewal,
        crm_data_through as days_to_renewal__observed_on,

        -- relationship
        executive_meetings_in_quality_window as executive_meetings,
        crm_data_through as executive_meetings__observed_on,
        qbrs_in_qbr_window as qbrs,
        crm_data_through as qbrs__observed_on,
        case when last_touch_on is not null
            then {{ dbt.datediff('last_touch_on', 'date_day', 'day') }} end as days_since_last_touch,
        crm_data_through as days_since_last_touch__observed_on,
        '{{ customer_health.health_config_version() }}' as config_version

    from joined

),

{#- a daily run writes again only the recomputed days that changed (macro changed_days_only) #}
fingerprinted as (

    select
        signals.*,
        {{ customer_health.row_fingerprint(['signals']) }} as row_fingerprint
    from signals

)

{#-
    Written in day order: every model downstream reads this table by day
    (a daily run: the days it recomputes), and the rows of a day stored
    together let the engine skip the rest of the table. The scores,
    drivers and playbook conditions inherit the order.
-#}
select
    fingerprinted.*,
    {{ customer_health.built_at() }} as built_at
from fingerprinted
{{ customer_health.changed_days_only('fingerprinted', 'row_fingerprint') }}
order by fingerprinted.date_day
