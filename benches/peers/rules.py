"""The rules-v3 health logic of CarVrooom, shared by the Pathway and Bytewax peers.

A Python transcription of what decides a health row's score and band:

* ``schemas/src/signal.rs``: which VSS signal informs which component, and
  the system letter of a DTC (``Vehicle.OBD.DTCList[P0300]`` in the workload);
* ``operators/src/health/rule.rs`` and one file per component: the primary
  signals and their rank, which direction is worse, the 0-100 ramp and the
  DTC penalty;
* ``operators/src/health/features.rs``: only the best-ranked primary signals
  present count, and the score reads the worst value of the worst series;
* ``operators/src/degrade.rs``: the band, with hysteresis, walked per
  (vehicle, component) over its windows in event-time order.

The score depends on a window's readings only through the worst value of
its best-ranked primary series and the number of distinct active DTCs. The
worst series is the one with the worst extreme (its mean only breaks ties
between series with the same extreme), so its worst value is the worst value
over every best-ranked reading: ``lowest``/``highest`` below are all a peer
needs to aggregate. The arithmetic follows the Rust operation by operation
(IEEE doubles, ``f64::round`` rounding halves away from zero), so scores are
bit-equal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

#: Width of the tumbling event-time windows, ms (``HealthConfig::default``).
WINDOW_MS = 10 * 60 * 1000
#: How far behind a vehicle's newest event time a reading is still accepted,
#: ms (``GateConfig::default().horizon_ms``).
HORIZON_MS = 60 * 60 * 1000
#: Points a score loses per distinct active DTC (``rule::DTC_PENALTY``).
DTC_PENALTY = 15.0

#: The health bands, best first (``Band::ALL``).
BANDS = ("healthy", "watch", "degraded", "critical")
#: Lowest score of each band; critical has no floor (``DegradeConfig::default``).
BAND_FLOORS = (80.0, 60.0, 40.0, None)
#: How far a score must clear a better band's floor before the band improves.
BAND_MARGIN = 5.0

#: How a DTC reading's signal is written in the workload (``Display`` of ``Signal::Dtc``).
DTC_PREFIX = "Vehicle.OBD.DTCList["


@dataclass(frozen=True)
class Rule:
    """How one component is scored: a linear ramp from ``full`` (score 100)
    to ``zero`` (score 0) of the worst primary value, minus the DTC penalty
    when the component has a DTC letter."""

    component: str
    lower_is_worse: bool
    full: float
    zero: float
    dtc_letter: str | None = None


#: The rules-v3 rule of every component, by component name.
RULES = {
    rule.component: rule
    for rule in (
        Rule("engine", lower_is_worse=False, full=110.0, zero=150.0, dtc_letter="P"),
        Rule("cooling", lower_is_worse=False, full=93.5, zero=99.75),
        Rule("brakes", lower_is_worse=False, full=40.0, zero=115.0, dtc_letter="C"),
        Rule("transmission", lower_is_worse=False, full=95.0, zero=127.5),
        Rule("battery", lower_is_worse=True, full=12.5, zero=12.25),
        Rule("tires", lower_is_worse=True, full=220.0, zero=150.0),
        Rule("turbofan", lower_is_worse=False, full=1400.0, zero=1440.0),
    )
}

_WHEELS = tuple(f"Vehicle.Chassis.Axle.Row{row}.Wheel.{side}" for row in (1, 2) for side in ("Left", "Right"))

#: Primary signals by VSS name: (component, rank), rank 0 preferred; a
#: fallback (rank 1) counts only in windows without a rank-0 reading.
PRIMARY = {
    "Vehicle.Powertrain.CombustionEngine.EOT": ("engine", 0),
    "Vehicle.Powertrain.CombustionEngine.ECT": ("cooling", 0),
    **{f"{wheel}.Brake.PadWear": ("brakes", 0) for wheel in _WHEELS},
    "Vehicle.Powertrain.Transmission.Temperature": ("transmission", 0),
    "Vehicle.LowVoltageBattery.CurrentVoltage": ("battery", 0),
    "Vehicle.OBD.ControlModuleVoltage": ("battery", 1),
    **{f"{wheel}.Tire.Pressure": ("tires", 0) for wheel in _WHEELS},
    "Asset.Turbofan.Sensor4": ("turbofan", 0),
}


def dtc_component(signal: str) -> str | None:
    """The component a DTC reading penalises (``P`` codes the engine, ``C``
    codes the brakes), or ``None`` for any other signal or letter."""
    if not (signal.startswith(DTC_PREFIX) and signal.endswith("]")):
        return None
    letter = signal[len(DTC_PREFIX) : len(DTC_PREFIX) + 1]
    return next((r.component for r in RULES.values() if r.dtc_letter == letter), None)


def role(signal: str) -> tuple[str, int | None] | None:
    """What a reading of ``signal`` does to a score: ``(component, rank)``
    for a primary signal, ``(component, None)`` for a DTC the component
    counts, ``None`` when it does not affect any score."""
    if signal in PRIMARY:
        return PRIMARY[signal]
    component = dtc_component(signal)
    return None if component is None else (component, None)


def window_start(ts_ms: int) -> int:
    """Start of the epoch-aligned window holding ``ts_ms``."""
    return ts_ms // WINDOW_MS * WINDOW_MS


def round_half_away(x: float) -> float:
    """``f64::round``: to the nearest integer, halves away from zero, sign kept."""
    magnitude = abs(x)
    whole = math.floor(magnitude)
    if magnitude - whole >= 0.5:
        whole += 1
    return math.copysign(whole, x)


def round2(x: float) -> float:
    """Rounds to two decimals (``rule::round2``)."""
    return round_half_away(x * 100.0) / 100.0


def ramp(x: float, full: float, zero: float) -> float:
    """100 at ``full`` or better, 0 at ``zero`` or worse, linear between (``rule::ramp``)."""
    y = (zero - x) / (zero - full) * 100.0
    return 0.0 if y < 0.0 else 100.0 if y > 100.0 else y


def worst(component: str, lowest: float, highest: float) -> float:
    """The worse of a window's extremes for ``component``."""
    return lowest if RULES[component].lower_is_worse else highest


def worse_sign(component: str) -> float:
    """``1.0`` when higher values are worse for ``component``, else ``-1.0``:
    ``worse_sign(c) * value`` orders readings so that the highest is the worst
    (negation is exact, so multiplying back gives the value bit for bit)."""
    return -1.0 if RULES[component].lower_is_worse else 1.0


def score(component: str, worst_value: float, dtcs: int) -> float:
    """The window score from its worst primary value and distinct active DTCs."""
    rule = RULES[component]
    base = ramp(worst_value, rule.full, rule.zero)
    if rule.dtc_letter is None:
        return round2(base)
    penalised = base - DTC_PENALTY * dtcs
    return round2(penalised if penalised > 0.0 else 0.0)


def window_scores(readings: Iterable[tuple[str, float]]) -> dict[str, float]:
    """The score of every component that has a primary reading among one
    window's (deduplicated) ``(signal, value)`` readings."""
    extremes: dict[str, tuple[int, float, float]] = {}
    dtcs: dict[str, set[str]] = {}
    for signal, value in readings:
        what = role(signal)
        if what is None:
            continue
        component, rank = what
        if rank is None:
            if value != 0.0:
                dtcs.setdefault(component, set()).add(signal)
            continue
        seen = extremes.get(component)
        if seen is None or rank < seen[0]:
            extremes[component] = (rank, value, value)
        elif rank == seen[0]:
            extremes[component] = (rank, min(seen[1], value), max(seen[2], value))
    return {
        component: score(component, worst(component, lowest, highest), len(dtcs.get(component, ())))
        for component, (_, lowest, highest) in extremes.items()
    }


def next_band(previous: str | None, window_score: float) -> str:
    """The band after ``previous`` given a new score: worsening is
    immediate, improving needs the better band's floor plus the margin."""
    raw = next(b for b, floor in zip(BANDS, BAND_FLOORS, strict=True) if floor is None or window_score >= floor)
    if previous is None or BANDS.index(raw) >= BANDS.index(previous):
        return raw
    better = zip(BANDS[: BANDS.index(previous)], BAND_FLOORS[: BANDS.index(previous)], strict=True)
    return next((b for b, floor in better if window_score >= floor + BAND_MARGIN), previous)


def walk_bands(scores: Iterable[float]) -> list[str]:
    """The band of each of one (vehicle, component)'s window scores, in event-time order."""
    bands: list[str] = []
    for window_score in scores:
        bands.append(next_band(bands[-1] if bands else None, window_score))
    return bands
