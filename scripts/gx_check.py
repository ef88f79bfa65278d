#!/usr/bin/env python3
"""Great Expectations checkpoint on the customer_health marts.

Validates the published marts (customer_health, customer_health_history) with
an expectation suite and writes a Data Docs site (default: target/gx_data_docs,
which is git-ignored). The GX context is ephemeral: nothing is written into
the repository besides that site.

    python scripts/gx_check.py --db customer_health.duckdb
    python scripts/gx_check.py --postgres-url postgresql://postgres@127.0.0.1:5432/customer_health \\
        --schema analytics_marts

Engines:
  duckdb    each mart is read with the duckdb package (read-only) into a pandas
            DataFrame and validated through GX's pandas datasource. GX has no
            DuckDB dialect of its own; its SQL datasource would need SQLAlchemy
            and duckdb-engine, neither of which the project installs.
  postgres  GX's SQL datasource on the tables themselves (metrics run as SQL in
            PostgreSQL). That needs SQLAlchemy; without it (pg_backend="auto")
            the tables are read with psycopg2 into DataFrames instead, and the
            result says so (backend="pandas").

The expected row count of customer_health is the number of active customer
accounts, computed in the warehouse with the definition the singular dbt test
tests/assert_customer_health_covers_active_accounts.sql uses: accounts that
are customers on the as-of date (int_account_days.is_as_of_date) plus every
CRM account of type customer (stg_salesforce__accounts).

Exit status: 0 every expectation passed, 1 at least one failed, 2 the check
could not run (missing table, connection error, bad arguments).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DOCS_DIR = "target/gx_data_docs"
DATA_DOCS_SITE = "customer_health_gx"

HEALTH_TABLE = "customer_health"
HISTORY_TABLE = "customer_health_history"
HEALTH_TIERS = ["green", "yellow", "red", "insufficient_data"]
HISTORY_KEY = ["account_id", "score_date", "config_version"]
# The history table grows with accounts x days: read only the columns the suite checks.
HISTORY_COLUMNS = [*HISTORY_KEY, "health_score", "health_tier", "coverage_pct"]
DEFAULT_MIN_MEAN_COVERAGE_PCT = 60.0


class GxCheckError(RuntimeError):
    """The checkpoint could not run (as opposed to: it ran and an expectation failed)."""


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, flattened for printing and asserting."""

    table: str
    check: str              # short stable name, e.g. "health_score_between_0_and_100"
    expectation_type: str   # e.g. "expect_column_values_to_be_between"
    column: str | None
    success: bool
    observed: str           # observed value or unexpected count, as text
    exception: str | None = None

    @property
    def name(self) -> str:
        return f"{self.table}.{self.check}"


@dataclass
class CheckpointResult:
    success: bool
    engine: str
    backend: str                       # "pandas" (DataFrames) or "sql" (GX SQL datasource)
    schema: str
    expected_row_count: int
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    data_docs_index: Path | None = None

    @property
    def failed(self) -> list[str]:
        """Names (table.check) of the expectations that did not pass."""
        return [outcome.name for outcome in self.expectations if not outcome.success]

    @property
    def passed(self) -> list[str]:
        return [outcome.name for outcome in self.expectations if outcome.success]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["data_docs_index"] = str(self.data_docs_index) if self.data_docs_index else None
        data["failed"] = self.failed
        for outcome in data["expectations"]:
            outcome["name"] = f"{outcome['table']}.{outcome['check']}"
        return data

    def format_table(self) -> str:
        rows = [("result", "expectation", "type", "observed")]
        for outcome in self.expectations:
            observed = outcome.observed if outcome.exception is None else f"ERROR: {outcome.exception}"
            rows.append(("PASS" if outcome.success else "FAIL", outcome.name, outcome.expectation_type, observed))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = []
        for index, row in enumerate(rows):
            lines.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
            if index == 0:
                lines.append("  ".join("-" * widths[i] for i in range(3)) + "  " + "-" * 8)
        failed = len(self.failed)
        lines.append("")
        lines.append(
            f"{len(self.expectations) - failed}/{len(self.expectations)} expectations passed "
            f"({self.engine}, backend={self.backend}, schema={self.schema}, "
            f"active accounts={self.expected_row_count})"
        )
        lines.append(f"data docs: {self.data_docs_index}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Expectation suites
# ---------------------------------------------------------------------------

def build_expectations(expected_row_count: int, min_mean_coverage_pct: float = DEFAULT_MIN_MEAN_COVERAGE_PCT) -> dict[str, list]:
    """The expectations per mart table. Each carries meta={"check": short name}.

    health_score may be null only where the tier is insufficient_data (the
    scoring model gives insufficient_data to a null score), so the range
    expectation ignores nulls and a conditional not-null covers the rest.
    """
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    def meta(check: str) -> dict:
        return {"check": check}

    scored_tier = Column("health_tier") != "insufficient_data"

    health = [
        gxe.ExpectColumnValuesToNotBeNull(column="account_id", meta=meta("account_id_not_null")),
        gxe.ExpectColumnValuesToBeUnique(column="account_id", meta=meta("account_id_unique")),
        gxe.ExpectTableRowCountToEqual(value=int(expected_row_count), meta=meta("row_count_equals_active_accounts")),
        gxe.ExpectColumnValuesToBeBetween(column="health_score", min_value=0, max_value=100,
                                          meta=meta("health_score_between_0_and_100")),
        gxe.ExpectColumnValuesToNotBeNull(column="health_score", row_condition=scored_tier,
                                          meta=meta("health_score_not_null_unless_insufficient_data")),
        gxe.ExpectColumnValuesToNotBeNull(column="health_tier", meta=meta("health_tier_not_null")),
        gxe.ExpectColumnValuesToBeInSet(column="health_tier", value_set=HEALTH_TIERS, meta=meta("health_tier_in_set")),
        gxe.ExpectColumnValuesToNotBeNull(column="coverage_pct", meta=meta("coverage_pct_not_null")),
        gxe.ExpectColumnValuesToBeBetween(column="coverage_pct", min_value=0, max_value=100,
                                          meta=meta("coverage_pct_between_0_and_100")),
        gxe.ExpectColumnMeanToBeBetween(column="coverage_pct", min_value=float(min_mean_coverage_pct), max_value=100,
                                        meta=meta("coverage_pct_mean_at_least_min")),
    ]
    history = [
        *[gxe.ExpectColumnValuesToNotBeNull(column=column, meta=meta(f"{column}_not_null")) for column in HISTORY_KEY],
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(HISTORY_KEY),
                                            meta=meta("account_id_score_date_config_version_unique")),
        gxe.ExpectColumnValuesToBeBetween(column="health_score", min_value=0, max_value=100,
                                          meta=meta("health_score_between_0_and_100")),
        gxe.ExpectColumnValuesToNotBeNull(column="health_score", row_condition=scored_tier,
                                          meta=meta("health_score_not_null_unless_insufficient_data")),
        gxe.ExpectColumnValuesToBeInSet(column="health_tier", value_set=HEALTH_TIERS, meta=meta("health_tier_in_set")),
        gxe.ExpectColumnValuesToBeBetween(column="coverage_pct", min_value=0, max_value=100,
                                          meta=meta("coverage_pct_between_0_and_100")),
    ]
    return {HEALTH_TABLE: health, HISTORY_TABLE: history}


# ---------------------------------------------------------------------------
# Warehouse access
# ---------------------------------------------------------------------------

def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def derive_schema(marts_schema: str, layer: str) -> str:
    """main_marts -> main_staging / main_intermediate (dbt's <target schema>_<layer>)."""
    if marts_schema.endswith("marts"):
        return marts_schema[: -len("marts")] + layer
    raise GxCheckError(
        f"cannot derive the {layer} schema from marts schema {marts_schema!r}: pass {layer}_schema explicitly"
    )


def active_accounts_sql(staging_schema: str, intermediate_schema: str) -> str:
    """Count of active customer accounts, as in tests/assert_customer_health_covers_active_accounts.sql."""
    return f"""
        select count(*) from (
            select account_id
            from {quote_ident(intermediate_schema)}.int_account_days
            where is_as_of_date
            union
            select account_id
            from {quote_ident(staging_schema)}.stg_salesforce__accounts
            where account_type = 'customer'
        ) as expected_accounts
    """


def mart_select_sql(schema: str, table: str) -> str:
    columns = "*" if table == HEALTH_TABLE else ", ".join(quote_ident(c) for c in HISTORY_COLUMNS)
    return f"select {columns} from {quote_ident(schema)}.{quote_ident(table)}"


def load_duckdb(db_path: str | Path, schema: str, staging_schema: str, intermediate_schema: str):
    """(expected_row_count, {table: DataFrame}) from a DuckDB warehouse file, opened read-only."""
    import duckdb

    path = Path(db_path)
    if not path.exists():
        raise GxCheckError(f"DuckDB warehouse not found: {path}")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:  # e.g. locked by a dbt run writing to it
        raise GxCheckError(f"cannot open {path} read-only: {exc}") from exc
    try:
        try:
            expected = con.execute(active_accounts_sql(staging_schema, intermediate_schema)).fetchone()[0]
        except duckdb.Error as exc:
            raise GxCheckError(
                f"cannot count active accounts in {staging_schema}/{intermediate_schema}: {exc}"
            ) from exc
        frames = {}
        for table in (HEALTH_TABLE, HISTORY_TABLE):
            try:
                frames[table] = con.execute(mart_select_sql(schema, table)).df()
            except duckdb.Error as exc:
                raise GxCheckError(f"cannot read {schema}.{table}: {exc}") from exc
        return int(expected), frames
    finally:
        con.close()


def pg_urls(pg_url: str | None) -> tuple[str, str]:
    """(SQLAlchemy URL with the psycopg2 driver, libpq URI for psycopg2).

    Accepts postgresql://, postgres:// or postgresql+psycopg2:// URLs. Without a
    URL, builds one from the CUSTOMER_HEALTH_PG_* variables profiles.yml reads
    (and scripts/postgres_server.py prints).
    """
    if not pg_url:
        env = os.environ
        user = quote(env.get("CUSTOMER_HEALTH_PG_USER", "postgres"), safe="")
        password = env.get("CUSTOMER_HEALTH_PG_PASSWORD", "")
        auth = user + (":" + quote(password, safe="") if password else "")
        host = env.get("CUSTOMER_HEALTH_PG_HOST", "127.0.0.1")
        port = env.get("CUSTOMER_HEALTH_PG_PORT", "5432")
        database = quote(env.get("CUSTOMER_HEALTH_PG_DATABASE", "customer_health"), safe="")
        pg_url = f"postgresql://{auth}@{host}:{port}/{database}"
    parts = urlsplit(pg_url)
    if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg2"):
        raise GxCheckError(f"unsupported PostgreSQL URL scheme {parts.scheme!r} (use postgresql://...)")
    sqlalchemy_url = urlunsplit(("postgresql+psycopg2", *parts[1:]))
    libpq_url = urlunsplit(("postgresql", *parts[1:]))
    return sqlalchemy_url, libpq_url


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit((parts.scheme, netloc, *parts[2:]))
    return url


def postgres_prepare(libpq_url: str, schema: str, staging_schema: str, intermediate_schema: str, read_frames: bool):
    """(expected_row_count, {table: DataFrame} or None): counts active accounts and checks the marts exist."""
    import pandas as pd
    import psycopg2

    try:
        con = psycopg2.connect(libpq_url)
    except psycopg2.Error as exc:
        raise GxCheckError(f"cannot connect to PostgreSQL at {redact(libpq_url)}: {exc}") from exc
    try:
        con.set_session(readonly=True, autocommit=True)
        with con.cursor() as cur:
            for table in (HEALTH_TABLE, HISTORY_TABLE):
                cur.execute("select 1 from information_schema.tables where table_schema = %s and table_name = %s",
                            (schema, table))
                if cur.fetchone() is None:
                    raise GxCheckError(f"table {schema}.{table} not found in PostgreSQL")
            try:
                cur.execute(active_accounts_sql(staging_schema, intermediate_schema))
            except psycopg2.Error as exc:
                raise GxCheckError(
                    f"cannot count active accounts in {staging_schema}/{intermediate_schema}: {exc}"
                ) from exc
            expected = int(cur.fetchone()[0])
            if not read_frames:
                return expected, None
            frames = {}
            for table in (HEALTH_TABLE, HISTORY_TABLE):
                cur.execute(mart_select_sql(schema, table))
                columns = [description[0] for description in cur.description]
                # coerce_float: numeric columns arrive as Decimal; GX's pandas metrics want floats.
                frames[table] = pd.DataFrame.from_records(cur.fetchall(), columns=columns, coerce_float=True)
            return expected, frames
    finally:
        con.close()


def sqlalchemy_available() -> bool:
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------
# GX context and checkpoint
# ---------------------------------------------------------------------------

def make_context(data_docs_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    try:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # pragma: no cover - cosmetic only
        pass
    # The ephemeral context comes with a "local_site" in a temporary directory: drop it,
    # so the only site is ours.
    for site_name in list((context.variables.data_docs_sites or {}).keys()):
        try:
            context.delete_data_docs_site(site_name)
        except Exception:  # pragma: no cover - older/newer GX without it
            pass
    context.add_data_docs_site(
        site_name=DATA_DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
        },
    )
    return context


def outcome_from(table: str, result) -> ExpectationOutcome:
    config = result.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or (",".join(kwargs["column_list"]) if kwargs.get("column_list") else None)
    details = result.result or {}
    if "observed_value" in details and details["observed_value"] is not None:
        observed_value = details["observed_value"]
        if isinstance(observed_value, float):
            observed_value = round(observed_value, 3)
        observed = f"observed {observed_value}"
        if config.type == "expect_table_row_count_to_equal":
            observed += f" (expected {kwargs.get('value')})"
    elif "unexpected_count" in details:
        observed = f"{details.get('unexpected_count')} unexpected"
        sample = details.get("partial_unexpected_list") or []
        if sample:
            observed += f", e.g. {sample[:3]}"
    else:
        observed = ""
    if len(observed) > 160:
        observed = observed[:157] + "..."
    exception = None
    info = result.exception_info or {}
    # Either one flat {"raised_exception": ..., "exception_message": ...} or one such dict per metric.
    candidates = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            exception = str(candidate.get("exception_message"))[:200]
            break
    check = (config.meta or {}).get("check") or f"{config.type}({column})"
    return ExpectationOutcome(
        table=table,
        check=check,
        expectation_type=config.type,
        column=column,
        success=bool(result.success),
        observed=observed,
        exception=exception,
    )


def run_checkpoint(
    engine: Literal["duckdb", "postgres"] = "duckdb",
    db_path: str | Path | None = None,
    pg_url: str | None = None,
    schema: str = "main_marts",
    staging_schema: str | None = None,
    data_docs_dir: str | Path = DEFAULT_DATA_DOCS_DIR,
    *,
    intermediate_schema: str | None = None,
    expected_row_count: int | None = None,
    min_mean_coverage_pct: float = DEFAULT_MIN_MEAN_COVERAGE_PCT,
    pg_backend: Literal["auto", "sql", "pandas"] = "auto",
) -> CheckpointResult:
    """Validate the marts and write Data Docs; returns success and a per-expectation summary.

    engine="duckdb": db_path is the warehouse file (default $CUSTOMER_HEALTH_DB or
    customer_health.duckdb), read read-only into DataFrames.
    engine="postgres": pg_url (postgresql://, postgres:// or postgresql+psycopg2://;
    default from the CUSTOMER_HEALTH_PG_* variables). pg_backend "sql" uses GX's
    SQL datasource (needs SQLAlchemy), "pandas" reads the tables with psycopg2,
    "auto" picks "sql" when SQLAlchemy is importable.
    staging_schema / intermediate_schema default to the marts schema with
    "marts" replaced (main_marts -> main_staging, main_intermediate).
    expected_row_count overrides the active-account count read from the warehouse.
    A relative data_docs_dir is taken from the current directory; the site's
    index is result.data_docs_index.

    Raises GxCheckError when the check cannot run.
    """
    import great_expectations as gx

    if engine not in ("duckdb", "postgres"):
        raise GxCheckError(f"unknown engine {engine!r}: use 'duckdb' or 'postgres'")
    staging_schema = staging_schema or derive_schema(schema, "staging")
    intermediate_schema = intermediate_schema or derive_schema(schema, "intermediate")
    docs_dir = Path(data_docs_dir).expanduser().resolve()

    frames: dict | None
    if engine == "duckdb":
        db_path = db_path or os.environ.get("CUSTOMER_HEALTH_DB", "customer_health.duckdb")
        counted, frames = load_duckdb(db_path, schema, staging_schema, intermediate_schema)
        backend = "pandas"
    else:
        if pg_backend not in ("auto", "sql", "pandas"):
            raise GxCheckError(f"unknown pg_backend {pg_backend!r}")
        sqlalchemy_url, libpq_url = pg_urls(pg_url)
        backend = pg_backend
        if backend == "auto":
            backend = "sql" if sqlalchemy_available() else "pandas"
            if backend == "pandas":
                print("gx_check: SQLAlchemy is not installed; reading the PostgreSQL marts into pandas "
                      "instead of GX's SQL datasource", file=sys.stderr)
        elif backend == "sql" and not sqlalchemy_available():
            raise GxCheckError("pg_backend='sql' needs SQLAlchemy, which is not installed")
        counted, frames = postgres_prepare(libpq_url, schema, staging_schema, intermediate_schema,
                                           read_frames=backend == "pandas")
    if expected_row_count is None:
        expected_row_count = counted

    docs_dir.mkdir(parents=True, exist_ok=True)
    context = make_context(docs_dir)
    expectations = build_expectations(expected_row_count, min_mean_coverage_pct)

    if backend == "sql":
        try:
            datasource = context.data_sources.add_postgres(name="warehouse", connection_string=sqlalchemy_url)
        except Exception as exc:  # GX tests the connection when the datasource is added
            raise GxCheckError(f"GX cannot use PostgreSQL at {redact(sqlalchemy_url)}: {exc}") from exc
    else:
        datasource = context.data_sources.add_pandas(name="warehouse")

    outcomes: list[ExpectationOutcome] = []
    success = True
    for table, table_expectations in expectations.items():
        if backend == "sql":
            asset = datasource.add_table_asset(name=table, table_name=table, schema_name=schema)
            batch_definition = asset.add_batch_definition_whole_table(name="whole_table")
            batch_parameters = None
        else:
            asset = datasource.add_dataframe_asset(name=table)
            batch_definition = asset.add_batch_definition_whole_dataframe(name="whole_table")
            batch_parameters = {"dataframe": frames[table]}
        suite = context.suites.add(gx.ExpectationSuite(name=f"{table}_suite"))
        for expectation in table_expectations:
            suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{table}_validation", data=batch_definition, suite=suite)
        )
        # One checkpoint per table: a pandas batch takes its DataFrame from the
        # run's batch_parameters, which a checkpoint shares across its validations.
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"{table}_checkpoint",
                validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs", site_names=[DATA_DOCS_SITE])],
                result_format="SUMMARY",
            )
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            run = checkpoint.run(batch_parameters=batch_parameters)
        success = success and bool(run.success)
        for validation_result in run.run_results.values():
            outcomes.extend(outcome_from(table, result) for result in validation_result.results)

    index = docs_dir / "index.html"
    if not index.exists():
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return CheckpointResult(
        success=success and all(outcome.success for outcome in outcomes),
        engine=engine,
        backend=backend,
        schema=schema,
        expected_row_count=int(expected_row_count),
        expectations=outcomes,
        data_docs_index=index if index.exists() else None,
    )


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--db", help="DuckDB warehouse file (default $CUSTOMER_HEALTH_DB or customer_health.duckdb)")
    target.add_argument("--postgres-url", help="PostgreSQL URL, e.g. postgresql://user@host:5432/customer_health")
    target.add_argument("--postgres", action="store_true",
                        help="PostgreSQL from the CUSTOMER_HEALTH_PG_* variables (as profiles.yml)")
    parser.add_argument("--schema", help="marts schema (default main_marts on DuckDB, "
                                         "${CUSTOMER_HEALTH_PG_SCHEMA:-analytics}_marts on PostgreSQL)")
    parser.add_argument("--staging-schema", help="default: the marts schema with marts -> staging")
    parser.add_argument("--intermediate-schema", help="default: the marts schema with marts -> intermediate")
    parser.add_argument("--data-docs-dir", default=str(PROJECT_DIR / DEFAULT_DATA_DOCS_DIR),
                        help="where the Data Docs site is written (default: <project>/target/gx_data_docs)")
    parser.add_argument("--expected-row-count", type=int,
                        help="override the active-account count the row-count expectation uses")
    parser.add_argument("--min-mean-coverage", type=float, default=DEFAULT_MIN_MEAN_COVERAGE_PCT,
                        help="lowest acceptable mean coverage_pct of customer_health (default %(default)s)")
    parser.add_argument("--pg-backend", choices=["auto", "sql", "pandas"], default="auto",
                        help="PostgreSQL: GX SQL datasource (needs SQLAlchemy) or pandas via psycopg2")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")
    args = parser.parse_args(argv)

    engine = "postgres" if (args.postgres_url or args.postgres) else "duckdb"
    if args.schema:
        schema = args.schema
    elif engine == "postgres":
        schema = os.environ.get("CUSTOMER_HEALTH_PG_SCHEMA", "analytics") + "_marts"
    else:
        schema = "main_marts"
    try:
        result = run_checkpoint(
            engine=engine,
            db_path=args.db,
            pg_url=args.postgres_url,
            schema=schema,
            staging_schema=args.staging_schema,
            data_docs_dir=args.data_docs_dir,
            intermediate_schema=args.intermediate_schema,
            expected_row_count=args.expected_row_count,
            min_mean_coverage_pct=args.min_mean_coverage,
            pg_backend=args.pg_backend,
        )
    except GxCheckError as exc:
        print(f"gx_check: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        print(result.format_table())
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
