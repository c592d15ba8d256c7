"""The shared rules against the Rust unit tests they transcribe
(``operators/src/health/{rule,features}.rs``, ``operators/src/degrade.rs``).
Standard library only: ``python3 -m unittest discover benches/peers``."""

import unittest

import rules

FL = "Vehicle.Chassis.Axle.Row1.Wheel.Left.Brake.PadWear"
RR = "Vehicle.Chassis.Axle.Row2.Wheel.Right.Brake.PadWear"


class RampAndRounding(unittest.TestCase):
    def test_ramp_runs_both_ways_and_clamps(self):
        self.assertEqual(rules.ramp(100.0, 100.0, 125.0), 100.0)
        self.assertEqual(rules.ramp(90.0, 100.0, 125.0), 100.0)
        self.assertEqual(rules.ramp(112.5, 100.0, 125.0), 50.0)
        self.assertEqual(rules.ramp(130.0, 100.0, 125.0), 0.0)
        self.assertEqual(rules.ramp(185.0, 220.0, 150.0), 50.0)
        self.assertEqual(rules.ramp(260.0, 220.0, 150.0), 100.0)

    def test_penalty_floors_at_zero_and_rounds(self):
        self.assertEqual(rules.score("engine", 110.0, 2), 70.0)
        self.assertEqual(rules.score("brakes", 90.0, 1), 18.33)
        self.assertEqual(rules.score("brakes", 110.0, 1), 0.0)
        self.assertEqual(rules.round2(49.999_999_9), 50.0)

    def test_rounding_takes_halves_away_from_zero_and_keeps_the_sign(self):
        self.assertEqual(rules.round_half_away(2.5), 3.0)
        self.assertEqual(rules.round_half_away(-2.5), -3.0)
        self.assertEqual(rules.round_half_away(0.49999999999999994), 0.0)
        self.assertEqual(str(rules.round_half_away(-0.0)), "-0.0")


class ComponentRamps(unittest.TestCase):
    """The cases of each component's unit test in ``operators/src/health/<component>.rs``."""

    CASES = {
        "battery": [(12.7, 0, 100.0), (12.5, 0, 100.0), (12.45, 0, 80.0), (12.4, 0, 60.0), (12.33, 0, 32.0),
                    (12.25, 0, 0.0), (9.5, 0, 0.0)],
        "brakes": [(0.0, 0, 100.0), (40.0, 0, 100.0), (55.0, 0, 80.0), (70.0, 0, 60.0), (72.0, 0, 57.33),
                   (72.0, 1, 42.33), (85.0, 0, 40.0), (100.0, 0, 20.0), (100.0, 2, 0.0)],
        "cooling": [(92.0, 0, 100.0), (93.5, 0, 100.0), (94.75, 0, 80.0), (96.0, 0, 60.0), (97.25, 0, 40.0),
                    (98.9, 0, 13.6), (99.75, 0, 0.0), (120.0, 0, 0.0)],
        "engine": [(95.0, 0, 100.0), (110.0, 0, 100.0), (120.0, 0, 75.0), (130.0, 0, 50.0), (130.0, 1, 35.0),
                   (95.0, 2, 70.0), (145.0, 1, 0.0), (160.0, 0, 0.0)],
        "tires": [(245.0, 0, 100.0), (220.0, 0, 100.0), (185.0, 0, 50.0), (164.0, 0, 20.0), (150.0, 0, 0.0),
                  (90.0, 0, 0.0)],
        "transmission": [(85.0, 0, 100.0), (95.0, 0, 100.0), (101.5, 0, 80.0), (108.0, 0, 60.0),
                         (114.5, 0, 40.0), (120.0, 0, 23.08), (127.5, 0, 0.0), (150.0, 0, 0.0)],
        "turbofan": [(1395.0, 0, 100.0), (1410.0, 0, 75.0), (1433.3, 0, 16.75), (1450.0, 0, 0.0)],
    }

    def test_every_component_scores_as_its_rust_rule(self):
        self.assertEqual(sorted(self.CASES), sorted(rules.RULES))
        for component, cases in self.CASES.items():
            for worst, dtcs, expected in cases:
                with self.subTest(component=component, worst=worst, dtcs=dtcs):
                    self.assertEqual(rules.score(component, worst, dtcs), expected)


class WindowScores(unittest.TestCase):
    def test_the_worst_wheel_describes_a_brake_window_and_c_codes_penalise(self):
        readings = [(FL, 40.0), (FL, 42.0), (RR, 71.0), (RR, 75.0)]
        readings += [("Vehicle.OBD.DTCList[C0035]", 1.0), ("Vehicle.OBD.DTCList[P0300]", 1.0)]
        self.assertEqual(rules.window_scores(readings), {"brakes": 38.33})

    def test_control_module_voltage_counts_only_without_battery_voltage(self):
        both = [("Vehicle.LowVoltageBattery.CurrentVoltage", 12.5), ("Vehicle.OBD.ControlModuleVoltage", 11.0)]
        self.assertEqual(rules.window_scores(both), {"battery": 100.0})
        fallback = [("Vehicle.OBD.ControlModuleVoltage", 12.36), ("Vehicle.OBD.ControlModuleVoltage", 12.42)]
        self.assertEqual(rules.window_scores(fallback), {"battery": 44.0})

    def test_windows_without_the_primary_signal_have_no_score(self):
        speed_and_code = [("Vehicle.Powertrain.CombustionEngine.Speed", 3000.0), ("Vehicle.OBD.DTCList[P0300]", 1.0)]
        self.assertEqual(rules.window_scores(speed_and_code), {})
        self.assertEqual(rules.window_scores([]), {})

    def test_cleared_and_repeated_dtcs_count_once_or_not_at_all(self):
        readings = [("Vehicle.Powertrain.CombustionEngine.EOT", 100.0)]
        readings += [("Vehicle.OBD.DTCList[P0300]", 1.0)] * 2 + [("Vehicle.OBD.DTCList[P0171]", 0.0)]
        self.assertEqual(rules.window_scores(readings), {"engine": 85.0})

    def test_b_and_u_codes_inform_no_component(self):
        self.assertIsNone(rules.role("Vehicle.OBD.DTCList[B1000]"))
        self.assertIsNone(rules.role("Vehicle.OBD.DTCList[U0100]"))
        self.assertEqual(rules.role("Vehicle.OBD.DTCList[C0035]"), ("brakes", None))


class Bands(unittest.TestCase):
    def test_bands_worsen_at_once_and_improve_only_past_the_margin(self):
        scores = [85.0, 78.0, 82.0, 86.0, 55.0, 62.0, 66.0, 30.0, 44.0, 46.0, 100.0]
        expected = "healthy watch watch healthy degraded degraded watch critical critical degraded healthy"
        self.assertEqual(rules.walk_bands(scores), expected.split())
        self.assertEqual(rules.next_band(None, 79.9), "watch")
        self.assertEqual(rules.next_band(None, 39.9), "critical")


if __name__ == "__main__":
    unittest.main()
