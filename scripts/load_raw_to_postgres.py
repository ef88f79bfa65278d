#!/usr/bin/env python3
"""Copy the raw loader schemas of a DuckDB warehouse into PostgreSQL.

Used to put the same demo world on PostgreSQL as on DuckDB (tests compare the
scores both engines compute). Each raw_* schema is recreated with the same
tables, column names and types, and filled with COPY.

    python scripts/load_raw_to_postgres.py --db customer_health.duckdb --dsn "host=127.0.0.1 port=5432 user=postgres dbname=customer_health"
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import duckdb
import psycopg2

RAW_SCHEMAS = ("raw_salesforce", "raw_zendesk", "raw_stripe", "raw_segment", "raw_survey")

TYPE_MAP = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "text",
}


def postgres_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    if duckdb_type not in TYPE_MAP:
        raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type}")
    return TYPE_MAP[duckdb_type]


def copy_raw(duckdb_path: str, dsn: str, schemas=RAW_SCHEMAS) -> dict[str, int]:
    counts: dict[str, int] = {}
    source = duckdb.connect(duckdb_path, read_only=True)
    source.execute("set TimeZone = 'UTC'")
    target = psycopg2.connect(dsn)
    try:
        with target, target.cursor() as cursor:
            cursor.execute("set timezone = 'UTC'")
            for schema in schemas:
                cursor.execute(f'drop schema if exists "{schema}" cascade')
                cursor.execute(f'create schema "{schema}"')
                tables = source.execute(
                    "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
                ).fetchall()
                for (table,) in tables:
                    columns = source.execute(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, table],
                    ).fetchall()
                    ddl = ", ".join(f'"{name}" {postgres_type(kind)}' for name, kind in columns)
                    cursor.execute(f'create table "{schema}"."{table}" ({ddl})')
                    with tempfile.TemporaryDirectory() as scratch:
                        csv_path = Path(scratch) / "rows.csv"
                        # DuckDB writes exact values (integers stay integers, timestamps keep offsets)
                        source.execute(
                            f"copy (select * from \"{schema}\".\"{table}\") to '{csv_path}' "
                            "(format csv, header false, nullstr '\\N')"
                        )
                        column_list = ", ".join(f'"{name}"' for name, _ in columns)
                        with csv_path.open() as rows:
                            cursor.copy_expert(
                                f'copy "{schema}"."{table}" ({column_list}) from stdin with (format csv, null \'\\N\')',
                                rows,
                            )
                    counts[f"{schema}.{table}"] = source.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    finally:
        source.close()
        target.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="DuckDB file holding the raw schemas")
    parser.add_argument("--dsn", required=True, help="libpq connection string of the PostgreSQL database")
    args = parser.parse_args(argv)
    for table, rows in copy_raw(args.db, args.dsn).items():
        print(f"{table:<45} {rows:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
