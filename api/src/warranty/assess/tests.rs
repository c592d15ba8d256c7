use schemas::{Component, Severity, Value};

use super::*;

const NOW: TsMs = 1_800_000_000_000;

fn at(text: &str) -> TsMs {
    DateTime::parse_from_rfc3339(text).map(|t| t.timestamp_millis()).unwrap_or(TsMs::MIN)
}

fn vehicle(warranty_start: Option<&str>) -> Vehicle {
    Vehicle {
        vehicle_id: "v1".into(),
        fleet_id: "acme".into(),
        vin: None,
        owner: Some("ann".into()),
        make: None,
        model: None,
        warranty_start: warranty_start.map(str::to_string),
        home_depot: None,
        time_zone: None,
    }
}

fn claim(component: Component, odometer_km: f64) -> Claim {
    let failed_ms = at("2026-03-01T12:00:00Z");
    Claim {
        claim_id: Claim::id_for("v1", component, failed_ms),
        fleet_id: "acme".into(),
        vehicle_id: "v1".into(),
        component,
        failed_ms,
        odometer_km,
        description: "no crank in the morning".into(),
        alert_id: None,
        submitted_by: "ann".into(),
        submitted_ms: NOW - 1_000,
    }
}

fn row(component: Component, ts_ms: TsMs, score: f64, band: Band, odometer_km: f64) -> HealthRow {
    HealthRow {
        fleet_id: "acme".into(),
        vehicle_id: "v1".into(),
        component,
        ts_ms,
        score: Value(score),
        band,
        rul_km: None,
        rul_km_p10: None,
        rul_km_p90: None,
        rul_days: None,
        odometer_km: Some(Value(odometer_km)),
        model_version: "rules-v3".into(),
    }
}

/// One battery row a day from 2026-02-01 12:00 to the failure (2026-03-01
/// 12:00), 100 km a day from 40 000 km: healthy, then degraded on 02-25,
/// critical from 02-27.
fn failing_history() -> Vec<HealthRow> {
    (0..=28)
        .map(|d| {
            let (score, band) = match d {
                0..24 => (90.0, Band::Healthy),
                24..26 => (55.0, Band::Degraded),
                _ => (38.0, Band::Critical),
            };
            row(Component::Battery, at("2026-02-01T12:00:00Z") + d * DAY_MS, score, band, 40_000.0 + 100.0 * d as f64)
        })
        .collect()
}

/// The same days, healthy throughout.
fn healthy_history() -> Vec<HealthRow> {
    (0..=28)
        .map(|d| {
            row(
                Component::Battery,
                at("2026-02-01T12:00:00Z") + d * DAY_MS,
                88.0,
                Band::Healthy,
                40_000.0 + 100.0 * d as f64,
            )
        })
        .collect()
}

fn decide(
    claim: Claim,
    vehicle: &Vehicle,
    history: &[HealthRow],
    alerts: &[Alert],
    claims: &[ClaimRecord],
) -> ClaimRecord {
    assess(claim, Evidence { vehicle, history, alerts, claims }, &WarrantyPolicy::default(), NOW)
}

fn outcomes(record: &ClaimRecord) -> Vec<(&str, CheckOutcome)> {
    record.checks.iter().map(|c| (c.name.as_str(), c.outcome)).collect()
}

use CheckOutcome::{Fail, Pass, Unknown};

#[test]
fn a_covered_failure_the_telemetry_saw_coming_is_validated_with_its_evidence() {
    let v = vehicle(Some("2024-01-15"));
    let record = decide(claim(Component::Battery, 42_850.0), &v, &failing_history(), &[], &[]);
    let telemetry = "the telemetry showed the battery degraded from 2026-02-25 12:00 UTC (lowest score 38.0)";
    assert_eq!(
        record,
        ClaimRecord {
            claim: claim(Component::Battery, 42_850.0),
            status: ClaimStatus::Validated,
            reason: format!("validated: covered, and {telemetry}"),
            checks: vec![
                check(
                    "coverage_period",
                    Pass,
                    "the battery failed on 2026-03-01, within its 36-month coverage from 2024-01-15 to 2027-01-15"
                        .into()
                ),
                check("mileage_limit", Pass, "42850 km claimed at the failure is within the 60000 km limit".into()),
                check(
                    "odometer",
                    Pass,
                    "42850 km claimed; the telemetry recorded 42800 km on 2026-03-01 12:00 UTC, before the failure"
                        .into()
                ),
                check("telemetry", Pass, telemetry.into()),
                check("duplicate", Pass, "no other validated claim for the battery within 90 days".into()),
            ],
            decided_ms: Some(NOW),
        }
    );
}

#[test]
fn a_failure_after_the_coverage_ended_is_rejected() {
    let v = vehicle(Some("2023-01-15"));
    let record = decide(claim(Component::Battery, 42_850.0), &v, &failing_history(), &[], &[]);
    assert_eq!(record.status, ClaimStatus::Rejected);
    assert_eq!(
        record.reason,
        "rejected: the battery failed on 2026-03-01, 45 days after its 36-month coverage from 2023-01-15 ended on 2026-01-15"
    );
    assert_eq!(record.decided_ms, Some(NOW));
    // The powertrain's five years still cover the cooling system.
    let cooling: Vec<HealthRow> =
        failing_history().into_iter().map(|r| HealthRow { component: Component::Cooling, ..r }).collect();
    let record = decide(claim(Component::Cooling, 42_850.0), &v, &cooling, &[], &[]);
    assert_eq!(record.status, ClaimStatus::Validated);
    assert_eq!(
        record.checks[0].detail,
        "the cooling failed on 2026-03-01, within its 60-month coverage from 2023-01-15 to 2028-01-15"
    );
}

#[test]
fn a_failure_before_the_warranty_started_is_rejected() {
    let v = vehicle(Some("2026-03-02"));
    let record = decide(claim(Component::Battery, 42_850.0), &v, &failing_history(), &[], &[]);
    assert_eq!(record.reason, "rejected: the battery failed on 2026-03-01, before the warranty started on 2026-03-02");
}

#[test]
fn the_telemetry_odometer_decides_the_mileage_limit_and_catches_a_rolled_back_claim() {
    let v = vehicle(Some("2024-01-15"));
    let far: Vec<HealthRow> = failing_history()
        .into_iter()
        .map(|r| HealthRow { odometer_km: r.odometer_km.map(|k| Value(k.get() + 20_000.0)), ..r })
        .collect();
    let record = decide(claim(Component::Battery, 59_000.0), &v, &far, &[], &[]);
    assert_eq!(record.status, ClaimStatus::Rejected);
    assert_eq!(record.reason, "rejected: 62800 km recorded by the telemetry at the failure is past the 60000 km limit");
    assert_eq!(
        record.checks[2],
        check(
            "odometer",
            Fail,
            "59000 km claimed, but the telemetry recorded 62800 km on 2026-03-01 12:00 UTC, before the failure".into()
        )
    );
    // Within the tolerance (1 % of 42 800 km = 428 km) a lower claim passes.
    let record = decide(claim(Component::Battery, 42_400.0), &v, &failing_history(), &[], &[]);
    assert_eq!(outcomes(&record)[2], ("odometer", Pass));
    let record = decide(claim(Component::Battery, 42_300.0), &v, &failing_history(), &[], &[]);
    assert_eq!((outcomes(&record)[2], record.status), (("odometer", Fail), ClaimStatus::Rejected));
}

#[test]
fn telemetry_healthy_up_to_the_failure_sends_the_claim_to_review() {
    let v = vehicle(Some("2024-01-15"));
    let record = decide(claim(Component::Battery, 42_850.0), &v, &healthy_history(), &[], &[]);
    let detail = "the telemetry shows the battery healthy up to the failure (29 windows in the 30 days before it, lowest score 88.0, no alert)";
    assert_eq!(record.status, ClaimStatus::Submitted);
    assert_eq!(record.reason, format!("needs review: {detail}"));
    assert_eq!(record.checks[3], check("telemetry", Fail, detail.into()));
    assert_eq!(record.decided_ms, None);
}

#[test]
fn an_alert_on_the_component_is_enough_telemetry() {
    let v = vehicle(Some("2024-01-15"));
    let alert = |component, state, opened_ms| Alert {
        alert_id: "a7".into(),
        fleet_id: "acme".into(),
        vehicle_id: "v1".into(),
        component,
        severity: Severity::Warning,
        state,
        opened_ms,
        last_ms: opened_ms,
        resolved_ms: None,
        min_score: Value(45.0),
        rul_km: None,
        rul_days: None,
    };
    let opened = at("2026-02-20T08:00:00Z");
    let record = decide(
        claim(Component::Battery, 42_850.0),
        &v,
        &healthy_history(),
        &[alert(Component::Battery, AlertState::Open, opened)],
        &[],
    );
    assert_eq!(record.status, ClaimStatus::Validated);
    assert_eq!(record.checks[3].detail, "alert a7 on the battery was opened on 2026-02-20 08:00 UTC");
    // Another component's alert, a withdrawn one or one from long before do not count.
    for other in [
        alert(Component::Tires, AlertState::Open, opened),
        alert(Component::Battery, AlertState::Withdrawn, opened),
        alert(Component::Battery, AlertState::Resolved, at("2025-12-01T00:00:00Z")),
    ] {
        let record = decide(claim(Component::Battery, 42_850.0), &v, &healthy_history(), &[other], &[]);
        assert_eq!(record.status, ClaimStatus::Submitted);
    }
}

#[test]
fn missing_telemetry_or_warranty_start_sends_the_claim_to_review() {
    let v = vehicle(Some("2024-01-15"));
    let record = decide(claim(Component::Battery, 42_850.0), &v, &[], &[], &[]);
    assert_eq!(record.reason, "needs review: the telemetry recorded no odometer before the failure");
    assert_eq!(
        outcomes(&record),
        vec![
            ("coverage_period", Pass),
            ("mileage_limit", Pass),
            ("odometer", Unknown),
            ("telemetry", Unknown),
            ("duplicate", Pass)
        ]
    );
    assert_eq!(record.checks[3].detail, "no telemetry of the battery in the 30 days before the failure");
    let stale: Vec<HealthRow> =
        healthy_history().into_iter().filter(|r| r.ts_ms < at("2026-02-20T00:00:00Z")).collect();
    let record = decide(claim(Component::Battery, 42_850.0), &v, &stale, &[], &[]);
    assert_eq!(
        (record.status, record.checks[3].outcome, record.checks[3].detail.as_str()),
        (
            ClaimStatus::Submitted,
            Unknown,
            "the battery's telemetry stops more than a day before the failure, without a sign of it"
        )
    );
    let record = decide(claim(Component::Battery, 42_850.0), &vehicle(None), &failing_history(), &[], &[]);
    assert_eq!(record.reason, "needs review: the vehicle has no warranty start date registered");
}

#[test]
fn a_component_the_warranty_does_not_cover_is_rejected_without_a_mileage_check() {
    let v = vehicle(Some("2024-01-15"));
    let record = decide(claim(Component::Turbofan, 100.0), &v, &[], &[], &[]);
    assert_eq!(record.reason, "rejected: the warranty does not cover the turbofan");
    assert_eq!(
        outcomes(&record),
        vec![("coverage_period", Fail), ("odometer", Unknown), ("telemetry", Unknown), ("duplicate", Pass)]
    );
}

#[test]
fn a_second_validated_claim_for_the_same_failure_is_rejected() {
    let v = vehicle(Some("2024-01-15"));
    let earlier = |days: i64, status| {
        let mut first = claim(Component::Battery, 42_000.0);
        first.failed_ms -= days * DAY_MS;
        first.claim_id = Claim::id_for("v1", Component::Battery, first.failed_ms);
        ClaimRecord { claim: first, status, reason: String::new(), checks: vec![], decided_ms: Some(NOW - DAY_MS) }
    };
    let paid = earlier(10, ClaimStatus::Validated);
    let record = decide(claim(Component::Battery, 42_850.0), &v, &failing_history(), &[], std::slice::from_ref(&paid));
    assert_eq!(
        record.reason,
        format!("rejected: claim {} for a battery failure on 2026-02-19 was already validated", paid.claim.claim_id)
    );
    // A rejected claim, one 91 days earlier, or the claim itself (a resubmission) do not count.
    let own = ClaimRecord { claim: claim(Component::Battery, 42_850.0), ..earlier(0, ClaimStatus::Validated) };
    for other in [earlier(10, ClaimStatus::Rejected), earlier(91, ClaimStatus::Validated), own] {
        let record = decide(claim(Component::Battery, 42_850.0), &v, &failing_history(), &[], &[other]);
        assert_eq!(record.status, ClaimStatus::Validated);
    }
}
