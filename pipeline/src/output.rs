//! Every result of the dataflow as one stream, so a single sink operator per
//! worker can write a commit point's changes together.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use schemas::{Alert, Appointment, DeadLetter, Decision, HealthRow, RawRecord, Reading, Transition};
use sinks::ResultBatch;

/// One result of the dataflow, of any kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Output {
    /// A consumed record (raw archive).
    Raw(RawRecord),
    /// An accepted reading (readings archive, `vehicle.telemetry.received`).
    Reading(Reading),
    /// A dead letter.
    DeadLetter(DeadLetter),
    /// A health history row.
    Health(HealthRow),
    /// A band transition.
    Transition(Transition),
    /// An alert version.
    Alert(Alert),
    /// An agent decision.
    Decision(Decision),
    /// A planned appointment.
    Appointment(Appointment),
    /// `(fleet_id, vehicle_id)` of a vehicle that sent telemetry.
    Seen(String, String),
}

impl Output {
    /// The routing key: results about one vehicle meet on one worker, so that
    /// the retraction and the insertion of one alert version are written together.
    pub fn route(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        match self {
            Output::Raw(r) => r.pos.partition.hash(&mut hasher),
            Output::Reading(r) => r.vehicle_id.hash(&mut hasher),
            Output::DeadLetter(d) => d.record.pos.partition.hash(&mut hasher),
            Output::Health(h) => h.vehicle_id.hash(&mut hasher),
            Output::Transition(t) => t.vehicle_id.hash(&mut hasher),
            Output::Alert(a) => a.vehicle_id.hash(&mut hasher),
            Output::Decision(d) => d.vehicle_id.hash(&mut hasher),
            Output::Appointment(a) => a.vehicle_id.hash(&mut hasher),
            Output::Seen(_, vehicle) => vehicle.hash(&mut hasher),
        }
        hasher.finish()
    }
}

/// Consolidates one epoch's updates (summing diffs, dropping zeros) into the
/// batch every sink receives.
pub fn into_batch(mut updates: Vec<(Output, isize)>) -> ResultBatch {
    updates.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut batch = ResultBatch::default();
    let mut iter = updates.into_iter().peekable();
    while let Some((output, mut diff)) = iter.next() {
        while iter.peek().is_some_and(|(next, _)| *next == output) {
            diff += iter.next().map_or(0, |(_, d)| d);
        }
        if diff == 0 {
            continue;
        }
        match output {
            Output::Raw(r) if diff > 0 => batch.raw.push(r),
            Output::Reading(r) if diff > 0 => batch.readings.push(r),
            Output::DeadLetter(d) if diff > 0 => batch.dead_letters.push(d),
            Output::Seen(f, v) if diff > 0 => batch.vehicles_seen.push((f, v)),
            Output::Health(h) => batch.health.push((h, diff)),
            Output::Transition(t) => batch.transitions.push((t, diff)),
            Output::Alert(a) => batch.alerts.push((a, diff)),
            Output::Decision(d) => batch.decisions.push((d, diff)),
            Output::Appointment(a) => batch.appointments.push((a, diff)),
            // Append-only outputs are never retracted.
            Output::Raw(_) | Output::Reading(_) | Output::DeadLetter(_) | Output::Seen(..) => {}
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_sum_diffs_and_drop_cancelled_updates() {
        let seen = |v: &str| Output::Seen("f".into(), v.into());
        let batch = into_batch(vec![(seen("a"), 1), (seen("b"), 1), (seen("b"), -1), (seen("a"), 1)]);
        assert_eq!(batch.vehicles_seen, vec![("f".to_string(), "a".to_string())]);
        assert!(batch.alerts.is_empty());
    }
}
