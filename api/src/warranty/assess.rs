//! The decision on a warranty claim, from the vehicle's coverage and its own
//! telemetry: a pure function of the claim and what the store holds, so the
//! route only gathers the evidence.
//!
//! Five checks, each kept with its numbers as the claim's evidence:
//!
//! - **coverage_period**: the failure falls between the vehicle's warranty
//!   start and the end of the component's coverage (calendar months).
//! - **mileage_limit**: the odometer at the failure (the claimed one, or the
//!   telemetry's if that is higher) is within the component's km limit.
//! - **odometer**: the claimed odometer is not below what the telemetry
//!   recorded before the failure (beyond a tolerance): a rolled-back figure
//!   is how a claim sneaks under the km limit.
//! - **telemetry**: the component's health in the 30 days before the failure
//!   shows it coming (a degraded or critical window, or an alert). Telemetry
//!   up to the failure that shows it healthy contradicts the claim.
//! - **duplicate**: no other claim for the same component was validated for
//!   a failure within 90 days.
//!
//! A claim is **rejected** when coverage, mileage, odometer or duplicate
//! fails; **validated** when coverage, mileage and telemetry pass and nothing
//! fails; otherwise it stays **submitted** for a person to review (telemetry
//! missing or contradicting the failure is evidence for a reviewer, not a
//! rule to reject on).

use chrono::{DateTime, Months, NaiveDate, NaiveTime, Utc};
use schemas::{
    Alert, AlertState, Band, CheckOutcome, Claim, ClaimCheck, ClaimRecord, ClaimStatus, HealthRow, TsMs, Vehicle,
};

use super::policy::{Coverage, WarrantyPolicy};

const DAY_MS: TsMs = 86_400_000;
/// How far before the failure the telemetry is read.
pub const LOOKBACK_MS: TsMs = 30 * DAY_MS;
/// How far after the claimed failure time the telemetry is read (clocks and
/// claimants are approximate).
pub const GRACE_MS: TsMs = DAY_MS;
/// Telemetry this close before the failure counts as reaching it.
const RECENT_MS: TsMs = DAY_MS;
/// Two validated claims on one component this close together are one failure paid twice.
const DUPLICATE_WINDOW_MS: TsMs = 90 * DAY_MS;
/// How far below the telemetry's odometer a claimed one may be, km (at least; 1 % when more).
const ODOMETER_TOLERANCE_KM: f64 = 50.0;

/// What the decision reads besides the claim.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The vehicle as registered.
    pub vehicle: &'a Vehicle,
    /// The claimed component's health rows from [`LOOKBACK_MS`] before the
    /// failure to [`GRACE_MS`] after it, in any order.
    pub history: &'a [HealthRow],
    /// The vehicle's alerts, in any order.
    pub alerts: &'a [Alert],
    /// The vehicle's claims already stored.
    pub claims: &'a [ClaimRecord],
}

/// Decides `claim` at `now_ms`.
pub fn assess(claim: Claim, evidence: Evidence<'_>, policy: &WarrantyPolicy, now_ms: TsMs) -> ClaimRecord {
    let coverage = policy.of(claim.component);
    let telemetry_km = odometer_before(&claim, evidence.history);
    let mut checks = vec![coverage_period(&claim, coverage, evidence.vehicle)];
    if let Some(coverage) = coverage {
        checks.push(mileage_limit(&claim, coverage, telemetry_km));
    }
    checks.push(odometer(&claim, telemetry_km));
    checks.push(telemetry(&claim, evidence));
    checks.push(duplicate(&claim, evidence.claims));

    let outcome = |name: &str| checks.iter().find(|c| c.name == name).map(|c| c.outcome);
    let hard_fail = checks.iter().find(|c| c.outcome == CheckOutcome::Fail && c.name != "telemetry");
    let passes =
        ["coverage_period", "mileage_limit", "telemetry"].iter().all(|n| outcome(n) == Some(CheckOutcome::Pass));
    let (status, reason) = match hard_fail {
        Some(failed) => (ClaimStatus::Rejected, format!("rejected: {}", failed.detail)),
        None if passes => (
            ClaimStatus::Validated,
            format!(
                "validated: covered, and {}",
                checks.iter().find(|c| c.name == "telemetry").map_or("", |c| &c.detail)
            ),
        ),
        None => {
            let open = checks.iter().find(|c| c.outcome != CheckOutcome::Pass).map_or("", |c| c.detail.as_str());
            (ClaimStatus::Submitted, format!("needs review: {open}"))
        }
    };
    let decided_ms = (status != ClaimStatus::Submitted).then_some(now_ms);
    ClaimRecord { claim, status, reason, checks, decided_ms }
}

fn check(name: &str, outcome: CheckOutcome, detail: String) -> ClaimCheck {
    ClaimCheck { name: name.to_string(), outcome, detail }
}

/// The vehicle's warranty start and the component's coverage against the failure date.
fn coverage_period(claim: &Claim, coverage: Option<Coverage>, vehicle: &Vehicle) -> ClaimCheck {
    const NAME: &str = "coverage_period";
    let component = claim.component;
    let Some(coverage) = coverage else {
        return check(NAME, CheckOutcome::Fail, format!("the warranty does not cover the {component}"));
    };
    let Some(start_text) = vehicle.warranty_start.as_deref() else {
        return check(NAME, CheckOutcome::Unknown, "the vehicle has no warranty start date registered".into());
    };
    let Ok(start) = NaiveDate::parse_from_str(start_text, "%Y-%m-%d") else {
        return check(NAME, CheckOutcome::Unknown, format!("the warranty start '{start_text}' is not a date"));
    };
    let months = coverage.months;
    let Some(end) = start.checked_add_months(Months::new(months)) else {
        return check(NAME, CheckOutcome::Unknown, format!("the coverage from {start} cannot be dated"));
    };
    let failed = date(claim.failed_ms);
    if claim.failed_ms < midnight_ms(start) {
        check(
            NAME,
            CheckOutcome::Fail,
            format!("the {component} failed on {failed}, before the warranty started on {start}"),
        )
    } else if claim.failed_ms >= midnight_ms(end) {
        let late = (claim.failed_ms - midnight_ms(end)) / DAY_MS;
        check(
            NAME,
            CheckOutcome::Fail,
            format!(
                "the {component} failed on {failed}, {late} days after its {months}-month coverage from {start} ended on {end}"
            ),
        )
    } else {
        check(
            NAME,
            CheckOutcome::Pass,
            format!("the {component} failed on {failed}, within its {months}-month coverage from {start} to {end}"),
        )
    }
}

/// The odometer at the failure against the component's km limit.
fn mileage_limit(claim: &Claim, coverage: Coverage, telemetry_km: Option<(f64, TsMs)>) -> ClaimCheck {
    const NAME: &str = "mileage_limit";
    let (km, source) = match telemetry_km {
        Some((seen, _)) if seen > claim.odometer_km => (seen, "recorded by the telemetry"),
        _ => (claim.odometer_km, "claimed"),
    };
    let limit = coverage.km;
    if km > limit {
        check(NAME, CheckOutcome::Fail, format!("{km:.0} km {source} at the failure is past the {limit:.0} km limit"))
    } else {
        check(NAME, CheckOutcome::Pass, format!("{km:.0} km {source} at the failure is within the {limit:.0} km limit"))
    }
}

/// The highest odometer of the telemetry at or before the failure, with its time.
fn odometer_before(claim: &Claim, history: &[HealthRow]) -> Option<(f64, TsMs)> {
    history
        .iter()
        .filter(|row| row.ts_ms <= claim.failed_ms)
        .filter_map(|row| Some((row.odometer_km?.get(), row.ts_ms)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
}

/// The claimed odometer against the telemetry's before the failure.
fn odometer(claim: &Claim, telemetry_km: Option<(f64, TsMs)>) -> ClaimCheck {
    const NAME: &str = "odometer";
    let claimed = claim.odometer_km;
    let Some((seen, at)) = telemetry_km else {
        return check(NAME, CheckOutcome::Unknown, "the telemetry recorded no odometer before the failure".into());
    };
    let tolerance = ODOMETER_TOLERANCE_KM.max(0.01 * seen);
    let when = moment(at);
    if claimed < seen - tolerance {
        check(
            NAME,
            CheckOutcome::Fail,
            format!("{claimed:.0} km claimed, but the telemetry recorded {seen:.0} km on {when}, before the failure"),
        )
    } else {
        check(
            NAME,
            CheckOutcome::Pass,
            format!("{claimed:.0} km claimed; the telemetry recorded {seen:.0} km on {when}, before the failure"),
        )
    }
}

/// Whether the component's health before the failure shows it coming.
fn telemetry(claim: &Claim, evidence: Evidence<'_>) -> ClaimCheck {
    const NAME: &str = "telemetry";
    let component = claim.component;
    let (from, to) = (claim.failed_ms - LOOKBACK_MS, claim.failed_ms + GRACE_MS);
    let mut rows: Vec<&HealthRow> =
        evidence.history.iter().filter(|r| r.component == component && (from..=to).contains(&r.ts_ms)).collect();
    rows.sort_by_key(|r| r.ts_ms);
    let lowest = rows.iter().map(|r| r.score.get()).min_by(f64::total_cmp);
    if let (Some(first), Some(lowest)) = (rows.iter().find(|r| r.band >= Band::Degraded), lowest) {
        return check(
            NAME,
            CheckOutcome::Pass,
            format!(
                "the telemetry showed the {component} {} from {} (lowest score {lowest:.1})",
                first.band.as_str(),
                moment(first.ts_ms)
            ),
        );
    }
    let alert = evidence
        .alerts
        .iter()
        .filter(|a| a.component == component && a.state != AlertState::Withdrawn && (from..=to).contains(&a.opened_ms))
        .min_by_key(|a| a.opened_ms);
    if let Some(alert) = alert {
        return check(
            NAME,
            CheckOutcome::Pass,
            format!("alert {} on the {component} was opened on {}", alert.alert_id, moment(alert.opened_ms)),
        );
    }
    let reaches = rows.iter().any(|r| r.ts_ms >= claim.failed_ms - RECENT_MS);
    match (lowest, reaches) {
        (Some(lowest), true) => {
            let worst = rows.iter().map(|r| r.band).max().unwrap_or(Band::Healthy);
            check(
                NAME,
                CheckOutcome::Fail,
                format!(
                    "the telemetry shows the {component} {} up to the failure ({} in the 30 days before it, lowest score {lowest:.1}, no alert)",
                    worst.as_str(),
                    windows(rows.len())
                ),
            )
        }
        (Some(_), false) => check(
            NAME,
            CheckOutcome::Unknown,
            format!("the {component}'s telemetry stops more than a day before the failure, without a sign of it"),
        ),
        (None, _) => check(
            NAME,
            CheckOutcome::Unknown,
            format!("no telemetry of the {component} in the 30 days before the failure"),
        ),
    }
}

/// Another validated claim for the same component within the duplicate window.
fn duplicate(claim: &Claim, claims: &[ClaimRecord]) -> ClaimCheck {
    const NAME: &str = "duplicate";
    let component = claim.component;
    let earlier = claims
        .iter()
        .filter(|c| c.claim.claim_id != claim.claim_id && c.claim.component == component)
        .filter(|c| c.status == ClaimStatus::Validated)
        .find(|c| (c.claim.failed_ms - claim.failed_ms).abs() <= DUPLICATE_WINDOW_MS);
    match earlier {
        Some(other) => check(
            NAME,
            CheckOutcome::Fail,
            format!(
                "claim {} for a {component} failure on {} was already validated",
                other.claim.claim_id,
                date(other.claim.failed_ms)
            ),
        ),
        None => check(NAME, CheckOutcome::Pass, format!("no other validated claim for the {component} within 90 days")),
    }
}

/// `1 window`, `29 windows`.
fn windows(n: usize) -> String {
    if n == 1 { "1 window".into() } else { format!("{n} windows") }
}

fn midnight_ms(day: NaiveDate) -> TsMs {
    day.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

fn utc(ms: TsMs) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `2026-03-01`.
fn date(ms: TsMs) -> String {
    utc(ms).format("%Y-%m-%d").to_string()
}

/// `2026-03-01 14:20 UTC`.
fn moment(ms: TsMs) -> String {
    utc(ms).format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests;
