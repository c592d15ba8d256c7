"""The Pathway peer: CarVrooom's health rows from the workload CSV, as a
Pathway program on one thread (``PATHWAY_THREADS=1``).

Pathway reads the CSV itself (``pw.io.csv.read``, static mode), so the
timing covers all of ``pw.run``: parsing the file, building the dataflow
and computing the rows. Before it (untimed) the workload is copied with
its line number as a first column, the log position that decides which of
two readings of one (vehicle, signal, event time) is the latest.

The tables, all built-in Pathway operators but for small UDFs over the
shared ``rules`` (once per distinct signal, per window and per component):

1. ``latest``: one reading per (vehicle, signal, event time), the one at
   the highest log position;
2. each distinct signal's role (``rules.role``: a primary signal of a
   component with its rank, or a DTC a component counts), joined in;
3. per (vehicle, component, 10-minute window) the worst reading of the
   best-ranked primary signals, the distinct active DTCs, and the score (a
   UDF over ``rules``);
4. per (vehicle, component) the windows' scores sorted by event time,
   walked through the band hysteresis (a UDF) and flattened into rows.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pathway as pw

import harness
import rules

#: The columns a reading is identified by.
READING_KEYS = ("fleet_id", "vehicle_id", "signal", "ts_ms")
#: The columns a health window is identified by.
WINDOW_KEYS = ("fleet_id", "vehicle_id", "component", "window_end")


class Reading(pw.Schema):
    """A workload row, with its log position."""

    pos: int
    fleet_id: str
    vehicle_id: str
    ts_ms: int
    signal: str
    value: float


@pw.udf(deterministic=True)
def component_of(signal: str) -> str | None:
    """The component whose score a reading of ``signal`` affects."""
    role = rules.role(signal)
    return None if role is None else role[0]


@pw.udf(deterministic=True)
def rank_of(signal: str) -> int | None:
    """The primary rank of ``signal`` (``None`` for a DTC or an uninformative signal)."""
    role = rules.role(signal)
    return None if role is None else role[1]


@pw.udf(deterministic=True)
def score_of(component: str, signed_worst: float, dtcs: int) -> float:
    """The window score from its worst primary value (signed, see
    ``rules.worse_sign``) and its distinct active DTCs."""
    return rules.score(component, rules.worse_sign(component) * signed_worst, dtcs)


@pw.udf(deterministic=True)
def walk(history: tuple) -> list[tuple[int, float, str]]:
    """(window end, score, band) of each window of one component, from its
    (window end, score) pairs in event-time order."""
    bands = rules.walk_bands(score for _, score in history)
    return [(end, score, band) for (end, score), band in zip(history, bands, strict=True)]


def with_positions(workload: Path, into: Path) -> None:
    """Copies the workload with a ``pos`` column first: the row's line number."""
    with workload.open() as src, into.open("w") as dst:
        dst.write(f"pos,{next(src)}")
        for number, line in enumerate(src):
            dst.write(f"{number},{line}")


def latest(readings: pw.Table) -> pw.Table:
    """One reading per (vehicle, signal, event time): the one logged last,
    i.e. the greatest (log position, …) tuple of its group."""
    keys = [pw.this[k] for k in READING_KEYS]
    winners = readings.groupby(*keys).reduce(last=pw.reducers.max(pw.make_tuple(pw.this.pos, *keys, pw.this.value)))
    return winners.select(
        **{k: pw.this.last[i] for i, k in enumerate(READING_KEYS, start=1)},
        value=pw.this.last[len(READING_KEYS) + 1],
    )


def informative(readings: pw.Table) -> pw.Table:
    """The readings that affect a score, with their component, rank, window end
    and value signed so that higher is worse."""
    signals = readings.groupby(pw.this.signal).reduce(pw.this.signal)
    roles = signals.select(pw.this.signal, component=component_of(pw.this.signal), rank=rank_of(pw.this.signal))
    roles = roles.filter(pw.this.component.is_not_none()).select(
        pw.this.signal, pw.this.rank, component=pw.unwrap(pw.this.component)
    )
    roles = roles.select(*pw.this, sign=pw.apply_with_type(rules.worse_sign, float, pw.this.component))
    return readings.join(roles, pw.left.signal == pw.right.signal).select(
        pw.left.fleet_id,
        pw.left.vehicle_id,
        pw.left.signal,
        pw.left.value,
        pw.right.component,
        pw.right.rank,
        signed=pw.right.sign * pw.left.value,
        window_end=pw.left.ts_ms // rules.WINDOW_MS * rules.WINDOW_MS + rules.WINDOW_MS,
    )


def scored_windows(readings: pw.Table) -> pw.Table:
    """The score of every (vehicle, component, window) with a primary reading.

    The window's worst reading is the greatest (−rank, signed value): the
    best rank present first, then the worst value among its readings."""
    keys = [pw.this[k] for k in WINDOW_KEYS]
    primary = readings.filter(pw.this.rank.is_not_none())
    worst = primary.groupby(*keys).reduce(
        *keys, worst=pw.reducers.max(pw.make_tuple(-pw.unwrap(pw.this.rank), pw.this.signed))
    )
    active = readings.filter(pw.this.rank.is_none() & (pw.this.value != 0.0))
    dtcs = active.groupby(*keys).reduce(*keys, dtcs=pw.reducers.count_distinct(pw.this.signal))
    joined = worst.join_left(dtcs, *[worst[k] == dtcs[k] for k in WINDOW_KEYS])
    return joined.select(
        *[worst[k] for k in WINDOW_KEYS],
        score=score_of(worst.component, worst.worst[1], pw.coalesce(dtcs.dtcs, 0)),
    )


def health_rows(windows: pw.Table) -> pw.Table:
    """Each window's row with its band, walked per (vehicle, component) in event-time order."""
    keys = (pw.this.fleet_id, pw.this.vehicle_id, pw.this.component)
    histories = windows.groupby(*keys).reduce(
        *keys, history=pw.reducers.sorted_tuple(pw.make_tuple(pw.this.window_end, pw.this.score))
    )
    rows = histories.select(pw.this.vehicle_id, pw.this.component, row=walk(pw.this.history)).flatten(pw.this.row)
    return rows.select(
        pw.this.vehicle_id,
        pw.this.component,
        ts_ms=pw.this.row[0],
        score=pw.this.row[1],
        band=pw.this.row[2],
    )


def run(workload: Path) -> tuple[list[harness.Row], float]:
    """The health rows of the workload and the seconds ``pw.run`` took."""
    found: dict[pw.Pointer, harness.Row] = {}

    def collect(key: pw.Pointer, row: dict, time: int, is_addition: bool) -> None:
        if is_addition:
            found[key] = (row["vehicle_id"], row["component"], row["ts_ms"], row["score"], row["band"])
        else:
            found.pop(key, None)

    with tempfile.TemporaryDirectory() as scratch:
        positioned = Path(scratch) / "workload.csv"
        with_positions(workload, positioned)
        readings = pw.io.csv.read(positioned, schema=Reading, mode="static")
        pw.io.subscribe(health_rows(scored_windows(informative(latest(readings)))), on_change=collect)
        os.environ["PATHWAY_THREADS"] = "1"  # one worker thread: the figure is per core
        harness.log("pathway: running on one thread")
        # Timed: the whole of pw.run, Pathway's own reading of the CSV included.
        began = time.perf_counter()
        pw.run(monitoring_level=pw.MonitoringLevel.NONE)
        seconds = time.perf_counter() - began
    return list(found.values()), seconds


if __name__ == "__main__":
    harness.main("pathway", run)
