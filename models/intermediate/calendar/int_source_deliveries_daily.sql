{#-
    For every calendar day, the latest day on or before it on which each
    source delivered any data (across all accounts). A signal whose source has
    gone silent for longer than the signal's freshness_days is `stale` rather
    than read as inactivity: a broken sync must not look like a churning
    customer.
-#}

with calendar as (

    select date_day from {{ ref('int_scoring_calendar') }}

),

product_days as (

    select distinct occurred_on as activity_date from {{ ref('stg_segment__tracks') }}

),

support_days as (

    select distinct cast(created_at as date) as activity_date from {{ ref('stg_zendesk__tickets') }}
    union
    select distinct cast(changed_at as date) as activity_date from {{ ref('stg_zendesk__ticket_field_history') }}

),

billing_days as (

    select distinct cast(created_at as date) as activity_date from {{ ref('stg_stripe__invoices') }}
    union
    select distinct cast(created_at as date) as activity_date from {{ ref('stg_stripe__charges') }}

),

crm_days as (

    select distinct activity_date from {{ ref('stg_salesforce__tasks') }}
    union
    select distinct activity_date from {{ ref('stg_salesforce__events') }}

),

survey_days as (

    select distinct responded_on as activity_date from {{ ref('stg_survey__nps_responses') }}

),

flagged as (

    select
        calendar.date_day,
        case when product_days.activity_date is not null then calendar.date_day end as product_day,
        case when support_days.activity_date is not null then calendar.date_day end as support_day,
        case when billing_days.activity_date is not null then calendar.date_day end as billing_day,
        case when crm_days.activity_date is not null then calendar.date_day end as crm_day,
        case when survey_days.activity_date is not null then calendar.date_day end as survey_day
    from calendar
    left join product_days on calendar.date_day = product_days.activity_date
    left join support_days on calendar.date_day = support_days.activity_date
    left join billing_days on calendar.date_day = billing_days.activity_date
    left join crm_days on calendar.date_day = crm_days.activity_date
    left join survey_days on calendar.date_day = survey_days.activity_date

),

latest_deliveries as (

    select
        date_day,
        max(product_day) over (order by date_day rows between unbounded preceding and current row) as product_data_through,
        max(support_day) over (order by date_day rows between unbounded preceding and current row) as support_data_through,
        max(billing_day) over (order by date_day rows between unbounded preceding and current row) as billing_data_through,
        max(crm_day) over (order by date_day rows between unbounded preceding and current row) as crm_data_through,
        max(survey_day) over (order by date_day rows between unbounded preceding and current row) as survey_data_through
    from flagged

)

select * from latest_deliveries
