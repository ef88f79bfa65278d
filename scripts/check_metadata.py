#!/usr/bin/env python3
"""Metadata gate: every model and column is described, every model has a primary-key
test, and every source table is described and has a freshness check.

Reads dbt's manifest (for descriptions, tests and sources) and catalog (for the
columns the built relations really have), so a column added to a model without
a description fails, not only a described column left blank.

Usage:
    python scripts/check_metadata.py --target-path target

Base models (models/staging/*/base/) hold every raw row, duplicates and
missing keys included, by design; they need descriptions but no primary-key
test. Every source table of this project (manifest["sources"]) needs a
description (and its source one too), a `loaded_at_field` and a `freshness`
block with `warn_after` or `error_after` (each with a count and a period);
set at the source level under `config:` they apply to every table. Exit
status 1 lists every problem found, one a line: "<model>: ...",
"<model>.<column>: ...", "<source>: ..." or "<source>.<table>: ...".
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PRIMARY_KEY_TESTS = {"unique", "unique_combination_of_columns"}


def primary_key_tested(model_id: str, manifest: dict) -> bool:
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") in PRIMARY_KEY_TESTS and model_id in node["depends_on"]["nodes"]:
            if node.get("attached_node") in (None, model_id):
                return True
    return False


def source_setting(source: dict, key: str):
    """A source table's effective setting: under `config:` (dbt >= 1.10) or, failing that, top-level."""
    value = (source.get("config") or {}).get(key)
    return value if value is not None else source.get(key)


def has_freshness(freshness: dict | None) -> bool:
    for threshold in ("warn_after", "error_after"):
        rule = (freshness or {}).get(threshold) or {}
        if rule.get("count") and rule.get("period"):
            return True
    return False


def find_source_problems(manifest: dict, project: str) -> list[str]:
    problems: list[str] = []
    sources_without_description: set[str] = set()
    for _, source in sorted(manifest.get("sources", {}).items()):
        if source.get("package_name") != project:
            continue
        name = f"{source['source_name']}.{source['name']}"
        if not (source.get("source_description") or "").strip() and source["source_name"] not in sources_without_description:
            sources_without_description.add(source["source_name"])
            problems.append(f"{source['source_name']}: source has no description")
        if not (source.get("description") or "").strip():
            problems.append(f"{name}: source table has no description")
        if not (source_setting(source, "loaded_at_field") or "").strip():
            problems.append(f"{name}: source table has no loaded_at_field")
        if not has_freshness(source_setting(source, "freshness")):
            problems.append(f"{name}: source table has no freshness (warn_after or error_after)")
    return problems


def find_problems(manifest: dict, catalog: dict) -> list[str]:
    problems: list[str] = []
    project = manifest["metadata"].get("project_name", "customer_health")
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["package_name"] != project:
            continue
        name = node["name"]
        if not (node.get("description") or "").strip():
            problems.append(f"{name}: model has no description")
        documented = {column.lower(): (meta.get("description") or "").strip()
                      for column, meta in node.get("columns", {}).items()}
        built_columns = [c.lower() for c in catalog.get("nodes", {}).get(unique_id, {}).get("columns", {})]
        if not built_columns and node["config"].get("materialized") != "ephemeral":
            problems.append(f"{name}: not in the catalog (build it before checking)")
        for column in built_columns:
            if not documented.get(column):
                problems.append(f"{name}.{column}: column has no description")
        for column in documented:
            if built_columns and column not in built_columns:
                problems.append(f"{name}.{column}: documented column does not exist in the model")
        is_base_model = "/base/" in node["original_file_path"].replace("\\", "/")
        if not is_base_model and not primary_key_tested(unique_id, manifest):
            problems.append(f"{name}: model has no primary-key test (unique, or unique_combination_of_columns)")
    problems.extend(find_source_problems(manifest, project))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target-path", default="target", help="dbt target directory holding manifest.json and catalog.json")
    args = parser.parse_args(argv)
    target = Path(args.target_path)
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    problems = find_problems(manifest, catalog)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\nmetadata gate: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("metadata gate: every model and column is described, every model has a primary-key test, "
          "every source table is described and has a freshness check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
