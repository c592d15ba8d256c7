"""What both peers share around their dataflow: the command line, the
health-row CSV in the exact format of ``carvrooom-bench ours``, the
byte-for-byte check against it, and the one JSON line the harness reads."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

#: A health row: (vehicle_id, component, ts_ms, score, band).
Row = tuple[str, str, int, float, str]

ROWS_HEADER = ("vehicle_id", "component", "ts_ms", "score", "band")


def log(message: str) -> None:
    """One progress line on stderr (stdout carries only the result)."""
    print(message, file=sys.stderr, flush=True)


def rows_csv(rows: Iterable[Row]) -> bytes:
    """The rows as ``carvrooom-bench ours`` writes them: the header, then
    one line per row with the score at two decimals, the lines sorted as
    tuples of their string fields."""
    lines = sorted(
        (vehicle, component, str(ts_ms), f"{score:.2f}", band) for vehicle, component, ts_ms, score, band in rows
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROWS_HEADER)
    writer.writerows(lines)
    return out.getvalue().encode()


def count_readings(workload: Path) -> int:
    """The workload's readings: its lines less the header."""
    with workload.open("rb") as f:
        return sum(1 for _ in f) - 1


def first_difference(ours: bytes, theirs: bytes) -> str:
    """Where two row files part, for the log."""
    for number, (a, b) in enumerate(zip(ours.splitlines(), theirs.splitlines(), strict=False), start=1):
        if a != b:
            return f"line {number}: ours {a.decode()!r}, peer {b.decode()!r}"
    return f"lengths differ: ours {len(ours.splitlines())} lines, peer {len(theirs.splitlines())} lines"


def main(name: str, run: Callable[[Path], tuple[list[Row], float]]) -> None:
    """Runs peer ``name``: ``run(workload)`` returns its health rows and the
    seconds its processing took (on one core). Writes the rows, compares them
    to ours and prints ``{"name", "readings_per_s_per_core", "equal_output"}``."""
    parser = argparse.ArgumentParser(description=f"The {name} peer of the CarVrooom benchmark.")
    parser.add_argument("--workload", type=Path, required=True, help="workload CSV (carvrooom-bench workload)")
    parser.add_argument("--expected", type=Path, required=True, help="our health rows (carvrooom-bench ours)")
    parser.add_argument("--out", type=Path, required=True, help="where to write this peer's health rows")
    args = parser.parse_args()

    readings = count_readings(args.workload)
    rows, seconds = run(args.workload)
    theirs = rows_csv(rows)
    args.out.write_bytes(theirs)
    ours = args.expected.read_bytes()
    equal = ours == theirs
    per_s = readings / max(seconds, sys.float_info.min)
    log(f"{name}: {readings} readings in {seconds:.3f} s = {per_s:,.0f} readings/s on 1 core, {len(rows)} rows")
    if not equal:
        log(f"{name}: output differs from ours, {first_difference(ours, theirs)}")
    result = {"name": name, "readings_per_s_per_core": round(per_s, 1), "equal_output": equal}
    print(json.dumps(result, separators=(",", ":")), flush=True)
