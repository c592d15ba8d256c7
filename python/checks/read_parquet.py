#!/usr/bin/env python3
"""Reads the CarVrooom Parquet archive the way analysts do, and checks it.

Usage: read_parquet.py ARCHIVE_DIR EXPECTATIONS_JSON

ARCHIVE_DIR holds the hive-partitioned datasets `raw/`, `readings/` and
`health/` (e.g. `readings/date=2026-11-24/part-0001.parquet`). Each dataset
that exists is read twice, with DuckDB
(`read_parquet('<dir>/<name>/**/*.parquet', hive_partitioning = true)`) and
with `pyarrow.dataset` (`partitioning='hive'`), and the two readers must
return the same columns and the same rows.

EXPECTATIONS_JSON maps a dataset name to what it must hold; every key is
optional:

    {"readings": {"count": 12,
                  "columns": ["fleet_id", "vehicle_id", "ts", ..., "date"],
                  "rows": [{"vehicle_id": "v1", "signal": "Vehicle.Speed",
                            "value": 42.0}],
                  "contains": [{"vehicle_id": "v1", "value": 42.0}]}}

- count: the exact number of rows.
- columns: the exact column list, as both readers report it: the file's
  columns, then the hive partition keys.
- rows: the exact multiset of rows, each row projected on the keys that
  the expected rows name (all expected rows name the same keys).
- contains: rows that must each be present (as many times as listed),
  each compared on the keys it names.

Values compare as JSON: timestamps as ISO-8601 UTC strings with
milliseconds ("2026-11-24T10:00:00.000Z"; an expected integer is taken as
epoch milliseconds, an expected string as an ISO-8601 time), dates as
"YYYY-MM-DD", binary as its UTF-8 text (or "hex:<hex>" when it is not
UTF-8), numbers by value (1 equals 1.0).

A dataset that is absent, or has no Parquet file, has 0 rows. Exits 0 when
everything matches; otherwise prints every mismatch and exits 1.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

DATASETS = ("raw", "readings", "health")
SPEC_KEYS = {"count", "columns", "rows", "contains"}
SHOWN = 5


class CheckError(Exception):
    """A mismatch or a read failure, reported with its dataset's name."""


def iso_ms(millis: int) -> str:
    """Epoch milliseconds as an ISO-8601 UTC string with milliseconds."""
    stamp = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=millis)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def canonical_number(value: int | float) -> int | float:
    """An integral float as an int, so that 1 and 1.0 compare equal."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def normalize_column(column: pa.ChunkedArray) -> list[Any]:
    """The column's values as JSON-comparable Python values."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        millis = pc.cast(column, pa.timestamp("ms", tz=kind.tz)).cast(pa.int64())
        return [None if v is None else iso_ms(v) for v in millis.to_pylist()]
    values = column.to_pylist()
    out: list[Any] = []
    for value in values:
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                out.append("hex:" + raw.hex())
        elif isinstance(value, dt.datetime):
            out.append(value.isoformat())
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            out.append(value)
        elif isinstance(value, (int, float)):
            out.append(canonical_number(value))
        else:
            out.append(value)
    return out


def table_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The table as a list of rows of normalized values."""
    columns = {name: normalize_column(table.column(name)) for name in table.column_names}
    return [
        {name: columns[name][i] for name in table.column_names} for i in range(table.num_rows)
    ]


def row_key(row: dict[str, Any]) -> str:
    """A canonical, hashable and sortable form of a row."""
    return json.dumps(row, sort_keys=True, default=str)


@dataclass
class Read:
    """What one reader returned for one dataset."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    timestamps: set[str] = field(default_factory=set)

    @staticmethod
    def of(table: pa.Table, count: int) -> "Read":
        """The normalized content of an Arrow table and the reader's row count."""
        stamps = {f.name for f in table.schema if pa.types.is_timestamp(f.type)}
        return Read(list(table.column_names), table_rows(table), int(count), stamps)


def read_duckdb(path: str, files: list[str]) -> Read:
    """Columns, rows and count(*) of a dataset as DuckDB reads it."""
    if not files:
        return Read()
    pattern = os.path.join(path, "**", "*.parquet").replace("'", "''")
    source = f"read_parquet('{pattern}', hive_partitioning = true)"
    con = duckdb.connect()
    try:
        relation = con.sql(f"SELECT * FROM {source}")
        # DuckDB 2 names it to_arrow_table; 1.x returned a Table from arrow().
        to_table = getattr(relation, "to_arrow_table", None) or relation.arrow
        table = to_table()
        count = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    finally:
        con.close()
    return Read.of(table, count)


def read_pyarrow(path: str) -> Read:
    """Columns, rows and count_rows() of a dataset as pyarrow reads it."""
    if not os.path.isdir(path):
        return Read()
    dataset = pads.dataset(path, format="parquet", partitioning="hive")
    return Read.of(dataset.to_table(), dataset.count_rows())


def expected_value(value: Any, is_timestamp: bool) -> Any:
    """An expected JSON value in the normalized form of its column."""
    if is_timestamp:
        if isinstance(value, int) and not isinstance(value, bool):
            return iso_ms(value)
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.timezone.utc)
            epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
            return iso_ms((parsed - epoch) // dt.timedelta(milliseconds=1))
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
        return canonical_number(value)
    return value


def project(
    name: str, what: str, expected: list[Any], actual: Read
) -> list[tuple[list[str], list[str]]]:
    """Expected and actual rows as row keys, projected on the keys that the
    expected rows name: one (expected, actual) pair per distinct key set."""
    if not isinstance(expected, list) or not all(isinstance(r, dict) and r for r in expected):
        raise CheckError(f"{name}: expectations '{what}' must be a list of non-empty objects")
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in expected:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    if what == "rows" and len(groups) > 1:
        raise CheckError(f"{name}: every row in 'rows' must name the same keys, got {sorted(groups)}")
    pairs = []
    for keys, rows in groups.items():
        unknown = [k for k in keys if k not in actual.columns]
        if unknown and actual.columns:
            raise CheckError(f"{name}: '{what}' names columns {unknown} not in {actual.columns}")
        want = [
            row_key({k: expected_value(r[k], k in actual.timestamps) for k in keys}) for r in rows
        ]
        got = [row_key({k: r.get(k) for k in keys}) for r in actual.rows]
        pairs.append((want, got))
    return pairs


def describe(keys: Counter[str]) -> str:
    """A few rows of a multiset difference, one per line."""
    items = sorted(keys.elements())
    if not items:
        return "    (none)"
    lines = [f"    {k}" for k in items[:SHOWN]]
    if len(items) > SHOWN:
        lines.append(f"    … and {len(items) - SHOWN} more")
    return "\n".join(lines)


def check_dataset(archive: str, name: str, spec: dict[str, Any] | None) -> tuple[int, list[str]]:
    """Reads one dataset with both readers; returns its row count and mismatches."""
    path = os.path.join(archive, name)
    files = sorted(glob.glob(os.path.join(path, "**", "*.parquet"), recursive=True))
    try:
        duck = read_duckdb(path, files)
    except Exception as err:  # noqa: BLE001 - any reader error is a check failure
        return 0, [f"{name}: duckdb could not read {path}: {err}"]
    try:
        arrow = read_pyarrow(path)
    except Exception as err:  # noqa: BLE001 - any reader error is a check failure
        return 0, [f"{name}: pyarrow could not read {path}: {err}"]

    failures: list[str] = []
    for reader, read in (("duckdb", duck), ("pyarrow", arrow)):
        if read.count != len(read.rows):
            failures.append(f"{name}: {reader} counts {read.count} rows but returned {len(read.rows)}")
    if (duck.rows or arrow.rows) and duck.columns != arrow.columns:
        failures.append(f"{name}: columns differ: duckdb {duck.columns}, pyarrow {arrow.columns}")
    d_keys = Counter(row_key(r) for r in duck.rows)
    p_keys = Counter(row_key(r) for r in arrow.rows)
    if d_keys != p_keys:
        failures.append(
            f"{name}: duckdb and pyarrow disagree ({len(duck.rows)} vs {len(arrow.rows)} rows)\n"
            f"  only in duckdb:\n{describe(d_keys - p_keys)}\n"
            f"  only in pyarrow:\n{describe(p_keys - d_keys)}"
        )
    if spec is None:
        return len(duck.rows), failures

    read = duck if duck.columns else arrow
    if "count" in spec and len(read.rows) != spec["count"]:
        failures.append(f"{name}: expected {spec['count']} rows, read {len(read.rows)}")
    if "columns" in spec and read.rows and read.columns != spec["columns"]:
        failures.append(f"{name}: expected columns {spec['columns']}, read {read.columns}")
    for what in ("rows", "contains"):
        if what not in spec:
            continue
        try:
            pairs = project(name, what, spec[what], read)
        except CheckError as err:
            failures.append(str(err))
            continue
        missing: Counter[str] = Counter()
        extra: Counter[str] = Counter()
        for want, got in pairs:
            missing += Counter(want) - Counter(got)
            if what == "rows":
                extra += Counter(got) - Counter(want)
        if missing or extra:
            text = f"{name}: '{what}' not matched"
            if missing:
                text += f"\n  expected but not read:\n{describe(missing)}"
            if extra:
                text += f"\n  read but not expected:\n{describe(extra)}"
            failures.append(text)
    return len(read.rows), failures


def load_expectations(path: str) -> dict[str, dict[str, Any]]:
    """The expectations file, validated for shape."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise CheckError("expectations must be a JSON object keyed by dataset name")
    for name, spec in data.items():
        if name not in DATASETS:
            raise CheckError(f"unknown dataset '{name}' in expectations (known: {', '.join(DATASETS)})")
        if not isinstance(spec, dict) or not set(spec) <= SPEC_KEYS:
            raise CheckError(f"{name}: expectations must be an object with keys among {sorted(SPEC_KEYS)}")
    return data


def main(argv: list[str]) -> int:
    """Runs the check; returns the process exit code."""
    if len(argv) != 3:
        print("usage: read_parquet.py ARCHIVE_DIR EXPECTATIONS_JSON", file=sys.stderr)
        return 2
    archive, expectations_path = argv[1], argv[2]
    try:
        expectations = load_expectations(expectations_path)
    except (OSError, ValueError, CheckError) as err:
        print(f"read_parquet: bad expectations {expectations_path}: {err}", file=sys.stderr)
        return 1
    if not os.path.isdir(archive):
        print(f"read_parquet: archive dir {archive} does not exist", file=sys.stderr)
        return 1
    failures: list[str] = []
    for name in DATASETS:
        rows, found = check_dataset(archive, name, expectations.get(name))
        failures.extend(found)
        if not found:
            checked = " and match the expectations" if name in expectations else ""
            print(f"read_parquet: {name}: {rows} rows; duckdb and pyarrow agree{checked}")
    if failures:
        for failure in failures:
            print(f"read_parquet: FAIL {failure}", file=sys.stderr)
        return 1
    print("read_parquet: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
