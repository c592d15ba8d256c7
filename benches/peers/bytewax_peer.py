"""The Bytewax peer: CarVrooom's health rows from the workload CSV, as a
Bytewax dataflow on one worker.

The workload is read into memory first (untimed), its rows grouped into
the messages they came from (consecutive rows of one vehicle and event
time). The timed dataflow then, keyed by vehicle:

1. ``fold_window``: tumbling 10-minute event-time windows aligned to the
   Unix epoch, each keeping the latest value per (signal, event time) (a
   re-sent reading replaces the earlier one, as ``latest`` does). The event
   clock waits the gate's one-hour horizon: a reading up to an hour behind
   its vehicle's newest is still placed in order, an older one is dropped
   (the gate's ``TooLate``), and a window closes, final, once its vehicle's
   event time is an hour past its end;
2. ``flat_map``: each closed window's component scores (``rules``);
3. ``stateful_map`` keyed by (vehicle, component): the band walk, windows
   arriving in event-time order since each vehicle's windows close in order.

Bytewax cannot retract, so unlike our operators it emits a window only when
it is final; with the workload in event-time order the rows are the same.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower, fold_window
from bytewax.testing import TestingSink, TestingSource, run_main

import harness
import rules

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Separates the parts of a key (Bytewax keys are strings).
SEP = "\x1f"
#: Messages the source hands on per batch (as a Kafka source would batch them).
BATCH = 1000


class Message(NamedTuple):
    """One vehicle's readings at one event time."""

    fleet_id: str
    vehicle_id: str
    ts_ms: int
    readings: list[tuple[str, float]]


def load_messages(workload: Path) -> list[Message]:
    """The workload's rows grouped into messages, in file (log) order."""
    messages: list[Message] = []
    with workload.open(newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for fleet_id, vehicle_id, ts, signal, value in rows:
            ts_ms = int(ts)
            last = messages[-1] if messages else None
            if last is None or (last.ts_ms, last.vehicle_id, last.fleet_id) != (ts_ms, vehicle_id, fleet_id):
                last = Message(sys.intern(fleet_id), sys.intern(vehicle_id), ts_ms, [])
                messages.append(last)
            last.readings.append((sys.intern(signal), float(value)))
    return messages


def event_time(message: Message) -> datetime:
    """The message's event time."""
    return EPOCH + timedelta(milliseconds=message.ts_ms)


def keep_latest(window: dict[tuple[str, int], float], message: Message) -> dict[tuple[str, int], float]:
    """Adds a message to its window: the latest value per (signal, event time) wins."""
    for signal, value in message.readings:
        window[(signal, message.ts_ms)] = value
    return window


def merge(a: dict[tuple[str, int], float], b: dict[tuple[str, int], float]) -> dict[tuple[str, int], float]:
    """Merges two windows' readings (tumbling windows never merge; Bytewax asks for it)."""
    return {**a, **b}


def score_window(item: tuple[str, tuple[int, dict[tuple[str, int], float]]]) -> Iterator[tuple[str, tuple]]:
    """A closed window's component scores, keyed by (vehicle, component)."""
    vehicle_key, (window_id, window) = item
    end_ms = (window_id + 1) * rules.WINDOW_MS
    vehicle_id = vehicle_key.split(SEP, 1)[1]
    scores = rules.window_scores((signal, value) for (signal, _), value in window.items())
    for component, score in scores.items():
        yield f"{vehicle_key}{SEP}{component}", (vehicle_id, component, end_ms, score)


def walk_band(band: str | None, window: tuple[str, str, int, float]) -> tuple[str, harness.Row]:
    """One step of a component's band walk: the health row of its next window."""
    vehicle_id, component, end_ms, score = window
    band = rules.next_band(band, score)
    return band, (vehicle_id, component, end_ms, score, band)


def health_flow(messages: list[Message], rows: list[harness.Row]) -> Dataflow:
    """The dataflow from the workload's messages to health rows appended to ``rows``."""
    flow = Dataflow("carvrooom_health")
    stream = op.input("workload", flow, TestingSource(messages, batch_size=BATCH))
    by_vehicle = op.key_on("by_vehicle", stream, lambda m: f"{m.fleet_id}{SEP}{m.vehicle_id}")
    clock = EventClock(
        event_time,
        wait_for_system_duration=timedelta(milliseconds=rules.HORIZON_MS),
        # Event time only: the wall clock neither advances watermarks nor wakes windows.
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _: None,
    )
    windower = TumblingWindower(length=timedelta(milliseconds=rules.WINDOW_MS), align_to=EPOCH)
    windows = fold_window("windows", by_vehicle, clock, windower, dict, keep_latest, merge)
    scores = op.flat_map("scores", windows.down, score_window)
    banded = op.stateful_map("bands", scores, walk_band)
    op.output("rows", op.key_rm("unkey", banded), TestingSink(rows))
    return flow


def run(workload: Path) -> tuple[list[harness.Row], float]:
    """The health rows of the workload and the seconds the dataflow took."""
    messages = load_messages(workload)
    harness.log(f"bytewax: {len(messages)} messages loaded, running the dataflow on one worker")
    rows: list[harness.Row] = []
    flow = health_flow(messages, rows)
    began = time.perf_counter()
    run_main(flow)
    return rows, time.perf_counter() - began


if __name__ == "__main__":
    harness.main("bytewax", run)
