-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    The score of each account-day decomposed into per-signal contributions,
    for the most recent health_drivers_days scored days (the full daily
    history of signals stays wide in int_signals_normalized):
      weight              configured effective weight of the signal (scorecard)
      renormalized_weight share of the observed weight (0 unless observed), x 100
      contribution        points the signal adds to the score; they sum to the score
      points_lost         points the signal keeps the score below 100
      delta_30d           contribution now minus 30 days earlier
    Only what varies by signal and day is stored, and config_version (a
    daily run recomputes every day when it changed): the signal's group comes
    from the configuration in the customer_health_drivers view, and the score
    stays in int_health_scored.
-#}

{#-
    Incremental: a daily run reads the days the scores recomputed and writes
    again only the days on which some account's inputs differ from those its
    stored rows were decomposed from (source_fingerprint, one per
    account-day; macro changed_days_only), then drops the days that left the
    health_drivers_days window. The lookback days whose inputs are the same
    keep their rows: at 20,000 accounts each of them is 327 k rows that a
    daily run would otherwise delete, write and compress again.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail',
    post_hook=[
        "delete from {{ this }} where date_day <= (select "
        ~ dbt.dateadd('day', -customer_health.health_config().drivers_days, 'as_of_date')
        ~ " from {{ ref('int_scoring_calendar') }} where is_as_of_date)"
    ]
) }}

{%- set config = customer_health.health_config() %}
{%- set lookback_days = config.drivers_days + 30 %}
{%- set read_from = customer_health.incremental_window_start(30) %}
{%- set fingerprinted = ['current_days.observed_weight', 'current_days.config_version',
    'earlier_days.account_id is not null', 'earlier_days.observed_weight'] %}
{%- for name in config.signals %}
{%- do fingerprinted.extend([
    'current_days.' ~ name ~ '__status', 'current_days.' ~ name ~ '__raw',
    'current_days.' ~ name ~ '__normalized', 'current_days.' ~ name ~ '__weight',
    'earlier_days.' ~ name ~ '__status', 'earlier_days.' ~ name ~ '__normalized',
    'earlier_days.' ~ name ~ '__weight']) %}
{%- endfor %}

{#-
    The day bounds are read as one-row scalar subqueries: a filter. A cross
    join with an inequality on the calendar is planned as a range join that
    sorts every scored row first (on the 20,000-account demo world that cost
    a third of this model's daily run).
-#}
with calendar as (

    select
        {{ dbt.dateadd('day', -lookback_days, 'as_of_date') }} as read_after,
        {{ dbt.dateadd('day', -config.drivers_days, 'as_of_date') }} as decompose_after,
        {{ dbt.dateadd('day', -30, 'as_of_date') }} as earlier_until
    from {{ ref('int_scoring_calendar') }}
    where is_as_of_date

),

{#-
    The days decomposed, read with the signal values they were scored from
    (not stored again with the scores). The same bounds on both scans, so
    both skip the older days.
-#}
current_days as (

    select
        scored.*
        {%- for name in config.signals %},
        signals.{{ name }}__raw,
        signals.{{ name }}__status,
        signals.{{ name }}__normalized
        {%- endfor %}
    from {{ ref('int_health_scored') }} as scored
    inner join {{ ref('int_signals_normalized') }} as signals
        on scored.account_id = signals.account_id
        and scored.date_day = signals.date_day
    where scored.date_day > (select calendar.decompose_after from calendar)
        and {{ customer_health.incremental_days('scored.date_day') }}
        and signals.date_day > (select calendar.decompose_after from calendar)
        and {{ customer_health.incremental_days('signals.date_day') }}

),

{#-
    The days 30 days before the days decomposed, with only what the delta
    needs: read separately rather than as one range with the current days,
    so a daily run reads the 30-days-earlier copies of its recomputed days,
    not every day in between.
-#}
earlier_days as (

    select
        scored.account_id,
        scored.date_day,
        scored.observed_weight
        {%- for name in config.signals %},
        scored.{{ name }}__weight,
        signals.{{ name }}__status,
        signals.{{ name }}__normalized
        {%- endfor %}
    from {{ ref('int_health_scored') }} as scored
    inner join {{ ref('int_signals_normalized') }} as signals
        on scored.account_id = signals.account_id
        and scored.date_day = signals.date_day
    where scored.date_day > (select calendar.read_after from calendar)
        and scored.date_day <= (select calendar.earlier_until from calendar)
        -- a daily run reads only the days 30 days before the days it recomputes
        and scored.date_day >= {{ read_from }}
        and signals.date_day > (select calendar.read_after from calendar)
        and signals.date_day <= (select calendar.earlier_until from calendar)
        and signals.date_day >= {{ read_from }}

),

{#- each recent day next to the same account's scores 30 days earlier, still one wide row per account-day -#}
paired as (

    select
        current_days.*,
        earlier_days.account_id is not null as has_earlier_day,
        earlier_days.observed_weight as earlier_observed_weight
        {%- for name in config.signals %},
        earlier_days.{{ name }}__status as earlier_{{ name }}__status,
        earlier_days.{{ name }}__normalized as earlier_{{ name }}__normalized,
        earlier_days.{{ name }}__weight as earlier_{{ name }}__weight
        {%- endfor %},
        {#- every input of the account-day's driver rows #}
        {{ customer_health.row_fingerprint(fingerprinted) }} as source_fingerprint
    from current_days
    left join earlier_days
        on current_days.account_id = earlier_days.account_id
        and earlier_days.date_day = {{ dbt.dateadd('day', -30, 'current_days.date_day') }}

),

to_decompose as (

    select * from paired
    {#- on a daily run, the days with an account-day new, gone or changed; the stored rows' fingerprints are read from one signal's row #}
    {{ customer_health.changed_days_only(
        'paired', 'source_fingerprint',
        stored_filter="signal_name = '" ~ (config.signals | list)[0] ~ "'") }}

),

unpivoted as (
    {%- for name, settings in config.signals.items() %}
    {%- if not loop.first %}
    union all
    {% endif %}
    select
        account_id,
        date_day,
        '{{ name }}' as signal_name,
        {{ name }}__status as signal_status,
        cast({{ name }}__raw as {{ customer_health.type_double() }}) as raw_value,
        {{ name }}__normalized as normalized_value,
        {{ name }}__weight as weight,
        observed_weight,
        config_version,
        case
            when not has_earlier_day then null
            when earlier_{{ name }}__status = 'observed' and earlier_observed_weight > 0
                then earlier_{{ name }}__weight * earlier_{{ name }}__normalized / earlier_observed_weight
            else 0
        end as earlier_contribution,
        source_fingerprint
    from to_decompose
    {%- endfor %}

),

contributions as (

    select
        account_id,
        date_day,
        signal_name,
        signal_status,
        raw_value,
        normalized_value,
        weight,
        case when signal_status = 'observed' and observed_weight > 0
            then 100.0 * weight / observed_weight else 0 end as renormalized_weight,
        case when signal_status = 'observed' and observed_weight > 0
            then weight * normalized_value / observed_weight else 0 end as contribution,
        case when signal_status = 'observed' and observed_weight > 0
            then weight * (100 - normalized_value) / observed_weight else 0 end as points_lost,
        earlier_contribution,
        config_version,
        source_fingerprint
    from unpivoted

),

with_delta as (

    select
        account_id,
        date_day,
        signal_name,
        signal_status,
        raw_value,
        normalized_value,
        weight,
        renormalized_weight,
        contribution,
        points_lost,
        contribution - earlier_contribution as delta_30d,
        config_version,
        source_fingerprint
    from contributions

)

select
    with_delta.*,
    {{ customer_health.built_at() }} as built_at
from with_delta
