{#-
    Public contract: the score of every account for every scored day, strictly
    point in time, one row per account, day and configuration version.

    Incremental: each run re-scores the last health_history_lookback_days days
    of the current configuration (late-arriving data, accounts that ended) and
    appends new days; a re-scored day replaces all of that day's rows.
    Rows of other configuration versions are never touched, so rescoring
    history under a changed configuration keeps the old rows beside the new
    ones for the same dates.
-#}

{#-
    The re-scored days are deleted by day, for the current configuration
    version only (a one-column key plus a predicate: a key of day and version
    would make DuckDB join every re-scored row with every row of its day).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='score_date',
    incremental_predicates=["config_version = '" ~ customer_health.health_config_version() ~ "'"],
    on_schema_change='append_new_columns'
) }}

{%- set config_version = customer_health.health_config_version() %}
{#-
    The last day held of the current configuration, read when the model is
    compiled and written in as a literal (none on a full refresh, or when no
    row of this version is held: every day is scored). A literal filter runs
    inside the scan of the scores; a filter on a subquery's result is applied
    after reading every stored row.
-#}
{%- set last_scored = customer_health.incremental_watermark(
    "max(case when config_version = '" ~ config_version ~ "' then score_date end)"
) %}

with scores as (

    select * from {{ ref('int_health_scores_overridden') }}
    {% if last_scored is not none -%}
    where date_day >= cast({{ dbt.dateadd('day', -var('health_history_lookback_days'), last_scored) }} as date)
    {%- endif %}

),

history as (

    select
        scores.account_id,
        scores.date_day as score_date,
        scores.segment,
        scores.coverage_model,
        scores.scorecard,
        scores.health_score,
        scores.health_tier,
        scores.coverage_pct,
        scores.computed_health_score,
        scores.computed_health_tier,
        scores.is_overridden,
        scores.licensed_seats,
        scores.next_renewal_on as renewal_date,
        scores.config_version
    from scores

)

select
    history.*,
    {{ customer_health.built_at() }} as built_at
from history
