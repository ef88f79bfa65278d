{#-
    Per-model session settings, run as a pre-hook. PostgreSQL's JIT compiler
    decides from the planner's cost estimate, and the scoring models' wide
    generated expressions (twenty signals, each with weights per scorecard)
    cost it minutes of LLVM compilation for a query that runs in under a
    second without it: 814 s against 0.4 s for int_health_scored on an
    80-account world. JIT is switched off for the model's session.
-#}
{% macro session_settings() %}
    {{ return(adapter.dispatch('session_settings', 'customer_health')()) }}
{% endmacro %}

{% macro default__session_settings() -%}
    select 1 as session_configured
{%- endmacro %}

{% macro postgres__session_settings() -%}
    set jit = off
{%- endmacro %}
