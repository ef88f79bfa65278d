{#-
    Least privilege for the BI reader role (var health_reader_role): dbt
    `grants` give it select on each mart; this on-run-end hook gives it usage
    on the marts schema, which PostgreSQL also requires. Nothing is granted on
    raw, staging, intermediate or config schemas.
-#}
{% macro grant_reader_schema_usage() %}
    {{ return(adapter.dispatch('grant_reader_schema_usage', 'customer_health')()) }}
{% endmacro %}

{% macro default__grant_reader_schema_usage() %}
    {%- set role = var('health_reader_role') %}
    {%- if execute and role %}
        {%- set marts_schema = generate_schema_name('marts', none) | trim %}
        {%- do run_query('grant usage on schema ' ~ adapter.quote(marts_schema) ~ ' to ' ~ adapter.quote(role)) %}
    {%- endif %}
{% endmacro %}

{#- DuckDB has no roles: access is the file's permissions. -#}
{% macro duckdb__grant_reader_schema_usage() %}
{% endmacro %}

{#- Silence dbt-duckdb's "grants not supported" warning when a role is configured for another engine. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) %}
{% endmacro %}
