//! Exact decisions of the workers, and the decision lifecycle in the dataflow.

use schemas::event::stable_id;
use schemas::{Alert, AlertState, Component, Decision, Severity, Value};

use super::{decide, diagnose};
use crate::testing::{consolidate, run_epochs};

const T0: i64 = 1_795_514_400_000; // 2026-11-24T10:00:00Z

fn alert(component: Component, severity: Severity, state: AlertState, rul: Option<(f64, Option<f64>)>) -> Alert {
    Alert {
        alert_id: format!("a-{component}"),
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component,
        severity,
        state,
        opened_ms: T0,
        last_ms: T0 + 1_200_000,
        resolved_ms: (state == AlertState::Resolved).then_some(T0 + 1_800_000),
        min_score: Value(12.5),
        rul_km: rul.map(|r| Value(r.0)),
        rul_days: rul.and_then(|r| r.1.map(Value)),
    }
}

#[test]
fn a_critical_brake_alert_with_little_life_left_escalates() {
    let a = alert(Component::Brakes, Severity::Critical, AlertState::Open, Some((150.0, Some(1.5))));
    assert_eq!(
        decide(&a),
        Decision {
            decision_id: stable_id(&["a-brakes", "replace_brake_pads", "1"]),
            alert_id: "a-brakes".into(),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            worker: "brake_worker".into(),
            action: "replace_brake_pads".into(),
            recommendation:
                "Replace the brake pads before further driving; the most worn pad is close to its backing plate \
                             within about 150 km (1.5 days at this vehicle's usage)."
                    .into(),
            reasoning:
                "critical brakes alert (open): lowest score 12.5 in the episode opened at 2026-11-24T10:00:00Z, \
                        last degraded window at 2026-11-24T10:20:00Z; RUL 150 km / 1.5 days"
                    .into(),
            priority: 1,
            escalate: true,
            ts_ms: T0 + 1_200_000,
        }
    );
}

#[test]
fn a_critical_alert_with_days_left_is_priority_two_without_escalation() {
    let d = decide(&alert(Component::Battery, Severity::Critical, AlertState::Open, Some((900.0, Some(9.0)))));
    assert_eq!(
        (d.worker.as_str(), d.action.as_str(), d.priority, d.escalate),
        ("battery_worker", "replace_battery", 2, false)
    );
    assert_eq!(
        d.recommendation,
        "Replace the 12 V battery; it no longer holds a start-capable charge within about 900 km (9.0 days at this vehicle's usage)."
    );
}

#[test]
fn a_warning_without_rul_gets_the_routine_plan() {
    let d = decide(&alert(Component::Cooling, Severity::Warning, AlertState::Open, None));
    assert_eq!(
        (d.worker.as_str(), d.action.as_str(), d.priority, d.escalate),
        ("cooling_worker", "inspect_cooling_system", 4, false)
    );
    assert_eq!(d.recommendation, "Inspect the cooling system: coolant level, radiator fan, thermostat and hoses.");
    assert_eq!(
        d.reasoning,
        "warning cooling alert (open): lowest score 12.5 in the episode opened at 2026-11-24T10:00:00Z, \
         last degraded window at 2026-11-24T10:20:00Z; RUL unknown (no declining trend against the odometer)"
    );
    assert_eq!(d.decision_id, stable_id(&["a-cooling", "inspect_cooling_system", "4"]));
}

#[test]
fn a_resolved_critical_alert_falls_back_to_the_routine_plan() {
    let d = decide(&alert(Component::Tires, Severity::Critical, AlertState::Resolved, Some((40.0, None))));
    assert_eq!(
        (d.worker.as_str(), d.action.as_str(), d.priority, d.escalate),
        ("tire_worker", "inflate_tires", 5, false)
    );
    assert_eq!(
        d.recommendation,
        "Check the tire pressures, inflate to the nominal 240 kPa and look for a slow leak within about 40 km; \
         the readings have recovered, so this can wait for the next service."
    );
    assert_eq!(
        d.reasoning,
        "critical tires alert (resolved): lowest score 12.5 in the episode opened at 2026-11-24T10:00:00Z, \
         last degraded window at 2026-11-24T10:20:00Z, recovered at 2026-11-24T10:30:00Z; \
         RUL 40 km (days unknown: the vehicle barely moves)"
    );
    assert_eq!(d.ts_ms, T0 + 1_800_000);
}

#[test]
fn every_component_has_its_worker() {
    let workers: Vec<String> = Component::ALL
        .into_iter()
        .map(|c| decide(&alert(c, Severity::Warning, AlertState::Open, Some((500.0, Some(5.0))))))
        .map(|d| format!("{}:{}:{}", d.worker, d.action, d.priority))
        .collect();
    assert_eq!(
        workers,
        vec![
            "engine_worker:inspect_engine:3",
            "cooling_worker:inspect_cooling_system:3",
            "brake_worker:replace_brake_pads:3",
            "transmission_worker:inspect_transmission_fluid:3",
            "battery_worker:test_battery:3",
            "tire_worker:inflate_tires:3",
            "turbofan_worker:inspect_turbofan:3",
        ]
    );
}

#[test]
fn a_retracted_alert_retracts_its_decision_and_an_upgrade_replaces_it() {
    let warning = alert(Component::Engine, Severity::Warning, AlertState::Open, None);
    let critical = alert(Component::Engine, Severity::Critical, AlertState::Open, None);
    let epochs = vec![
        vec![(warning.clone(), 1)],
        vec![(warning.clone(), -1), (critical.clone(), 1)],
        vec![(critical.clone(), -1)],
    ];
    let out = run_epochs(epochs, diagnose);
    let (w, c) = (decide(&warning), decide(&critical));
    assert_eq!((w.action.as_str(), c.action.as_str()), ("inspect_engine", "stop_and_inspect_engine"));
    assert_eq!(out, consolidate(vec![(w.clone(), 0, 1), (w, 1, -1), (c.clone(), 1, 1), (c, 2, -1)]));
}
