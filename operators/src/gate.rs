//! The lateness gate: per vehicle, by event time, in log order.
//!
//! Each vehicle keeps the newest event time accepted from it. A message
//! older than that by more than the horizon is `TooLate`; a message stamped
//! more than `max_future_ms` after its Kafka append time is `Future` (a bad
//! clock) and does not move the vehicle's newest time; everything else
//! passes and advances it. There is no global watermark: a vehicle that was
//! offline for hours and uploads its buffer is judged only against its own
//! past, so its readings pass.
//!
//! The verdict depends on the order messages are judged in, so the gate
//! judges them in log order: it is exchanged by vehicle, stashes each
//! epoch's messages until the input frontier passes the epoch, then judges
//! epochs in order and, within one, messages by log position (one vehicle's
//! records share a partition). Any cut of the same log into epochs gives
//! the same verdicts.
//!
//! The input is append-only (raw records are never retracted), so every
//! diff is positive; a retraction would be a programming error upstream:
//! it is ignored (and fails a debug assertion).

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use foldhash::HashMap;

use differential_dataflow::{AsCollection, Hashable};
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Capability;
use timely::dataflow::operators::generic::Operator;

use schemas::{DeadLetter, DeadLetterReason, Id, Telemetry, TsMs};

use crate::split::split;
use crate::{Coll, Diff, Epoch};

/// The gate's tolerances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GateConfig {
    /// How far behind a vehicle's newest event time a message is still accepted, ms.
    pub horizon_ms: i64,
    /// How far after its Kafka append time a message may be stamped, ms.
    pub max_future_ms: i64,
}

impl GateConfig {
    /// The default correction horizon: one hour, ms.
    pub const DEFAULT_HORIZON_MS: i64 = 3_600_000;
}

impl Default for GateConfig {
    /// One hour of horizon, five minutes of allowed clock skew.
    fn default() -> Self {
        GateConfig { horizon_ms: GateConfig::DEFAULT_HORIZON_MS, max_future_ms: 300_000 }
    }
}

/// The per-vehicle state of the gate: the newest accepted event time, by
/// `(fleet, vehicle)`. Its keys are the canonical ids: every message that
/// passes leaves with them, so all of a vehicle's downstream records share
/// one copy of its ids.
#[derive(Debug)]
struct Judge {
    config: GateConfig,
    newest: HashMap<(Id, Id), TsMs>,
}

impl Judge {
    /// Judges one message, in log order: why it is rejected, or `None` when
    /// it passes (and then advances its vehicle's newest time).
    fn reject(&mut self, message: &mut Telemetry) -> Option<(DeadLetterReason, String)> {
        let append_ms = message.record.append_ms;
        if message.ts_ms > append_ms.saturating_add(self.config.max_future_ms) {
            let detail = format!(
                "event time {} is {} ms after append time {append_ms} (allowed {} ms)",
                message.ts_ms,
                message.ts_ms.saturating_sub(append_ms),
                self.config.max_future_ms
            );
            return Some((DeadLetterReason::Future, detail));
        }
        let key = (message.fleet_id.clone(), message.vehicle_id.clone());
        let (newest, canonical) = match self.newest.entry(key) {
            Entry::Occupied(seen) => {
                let canonical = seen.key().clone();
                (seen.into_mut(), canonical)
            }
            Entry::Vacant(first) => {
                let canonical = first.key().clone();
                (first.insert(message.ts_ms), canonical)
            }
        };
        if message.ts_ms < newest.saturating_sub(self.config.horizon_ms) {
            let detail = format!(
                "event time {} is {} ms behind the vehicle's newest {newest} (horizon {} ms)",
                message.ts_ms,
                newest.saturating_sub(message.ts_ms),
                self.config.horizon_ms
            );
            return Some((DeadLetterReason::TooLate, detail));
        }
        *newest = (*newest).max(message.ts_ms);
        (message.fleet_id, message.vehicle_id) = canonical;
        None
    }
}

/// The dead letter of a message the gate rejects.
fn dead_letter(message: Telemetry, reason: DeadLetterReason, detail: String) -> DeadLetter {
    DeadLetter {
        vehicle_id: Some(message.vehicle_id.to_string()),
        ts_ms: Some(message.ts_ms),
        ..DeadLetter::whole(message.record, reason, detail)
    }
}

/// What the gate says about one message.
type Verdict = Result<Telemetry, DeadLetter>;

/// Messages waiting for the frontier to pass their epoch, with the capability to emit at it.
type Stash = BTreeMap<Epoch, (Capability<Epoch>, Vec<(Telemetry, Diff)>)>;

/// Splits messages into those within their vehicle's horizon and the dead
/// letters of those that are too late or stamped in the future.
pub fn gate<'s>(messages: Coll<'s, Telemetry>, config: GateConfig) -> (Coll<'s, Telemetry>, Coll<'s, DeadLetter>) {
    let by_vehicle = Exchange::new(|(message, _, _): &(Telemetry, Epoch, Diff)| message.vehicle_id.hashed());
    let verdicts = messages
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<(Verdict, Epoch, Diff)>>, _, _, _>(
            by_vehicle,
            "Gate",
            move |_capability, _info| {
                let mut judge = Judge { config, newest: HashMap::default() };
                let mut stash = Stash::new();
                move |(input, frontier), output| {
                    let port = output.output_index();
                    input.for_each_stamp(|capability, containers| {
                        for container in containers {
                            for (message, epoch, diff) in container.drain(..) {
                                debug_assert!(diff > 0, "the gate's input is append-only");
                                if diff <= 0 {
                                    continue;
                                }
                                stash
                                    .entry(epoch)
                                    .or_insert_with(|| (capability.delayed(&epoch, port), Vec::new()))
                                    .1
                                    .push((message, diff));
                            }
                        }
                    });
                    while let Some(entry) = stash.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (epoch, (capability, mut batch)) = entry.remove_entry();
                        batch.sort_by(|(a, _), (b, _)| a.record.pos.cmp(&b.record.pos).then_with(|| a.cmp(b)));
                        let mut session = output.session(&capability);
                        for (mut message, diff) in batch {
                            let verdict: Verdict = match judge.reject(&mut message) {
                                None => Ok(message),
                                Some((reason, detail)) => Err(dead_letter(message, reason, detail)),
                            };
                            session.give((verdict, epoch, diff));
                        }
                    }
                }
            },
        )
        .as_collection();
    split(verdicts, std::convert::identity)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{content_at, run_epochs};
    use rand::{Rng, SeedableRng};
    use schemas::{LogPos, RawRecord};

    const HOUR: i64 = 3_600_000;

    fn message(vehicle: &str, offset: i64, ts_ms: TsMs, append_ms: TsMs) -> Telemetry {
        Telemetry {
            fleet_id: "f".into(),
            vehicle_id: vehicle.into(),
            ts_ms,
            values: Vec::new(),
            record: RawRecord {
                pos: LogPos { partition: 0, offset },
                append_ms,
                key: Some(vehicle.as_bytes().to_vec()),
                payload: Vec::new(),
            },
        }
    }

    fn letter(message: &Telemetry, reason: DeadLetterReason, detail: &str) -> DeadLetter {
        DeadLetter {
            record: message.record.clone(),
            reason,
            detail: detail.to_string(),
            item: None,
            vehicle_id: Some(message.vehicle_id.to_string()),
            ts_ms: Some(message.ts_ms),
        }
    }

    fn verdicts<'s>(messages: Coll<'s, Telemetry>) -> Coll<'s, Result<Telemetry, DeadLetter>> {
        let (ok, err) = gate(messages, GateConfig::default());
        ok.map(Ok).concat(err.map(Err))
    }

    fn once(epochs: Vec<Vec<Telemetry>>) -> Vec<(Result<Telemetry, DeadLetter>, Epoch, Diff)> {
        run_epochs(epochs.into_iter().map(|e| e.into_iter().map(|m| (m, 1)).collect()).collect(), verdicts)
    }

    #[test]
    fn in_order_messages_all_pass_in_their_epoch() {
        let a = message("v1", 1, 1_000, 1_000);
        let b = message("v1", 2, 2_000, 2_000);
        let c = message("v2", 3, 500, 2_000);
        let out = once(vec![vec![a.clone(), c.clone()], vec![b.clone()]]);
        assert_eq!(out, vec![(Ok(a), 0, 1), (Ok(c), 0, 1), (Ok(b), 1, 1)]);
    }

    #[test]
    fn a_message_beyond_the_horizon_is_too_late() {
        let newest = message("v1", 1, 10 * HOUR, 10 * HOUR);
        let within = message("v1", 2, 9 * HOUR, 10 * HOUR);
        let late = message("v1", 3, 9 * HOUR - 1, 10 * HOUR);
        let out = once(vec![vec![newest.clone()], vec![within.clone(), late.clone()]]);
        let detail = "event time 32399999 is 3600001 ms behind the vehicle's newest 36000000 (horizon 3600000 ms)";
        assert_eq!(
            out,
            vec![(Ok(newest), 0, 1), (Ok(within), 1, 1), (Err(letter(&late, DeadLetterReason::TooLate, detail)), 1, 1),]
        );
    }

    #[test]
    fn a_future_message_is_rejected_and_does_not_advance_the_vehicle() {
        let now = message("v1", 1, HOUR, HOUR);
        let future = message("v1", 2, 3 * HOUR, HOUR + 1_000);
        // Had the future message advanced the vehicle, this would be too late.
        let after = message("v1", 3, HOUR + 2_000, HOUR + 2_000);
        let at_limit = message("v1", 4, HOUR + 2_000 + 300_000, HOUR + 2_000);
        let out = once(vec![vec![now.clone()], vec![future.clone(), after.clone(), at_limit.clone()]]);
        let detail = "event time 10800000 is 7199000 ms after append time 3601000 (allowed 300000 ms)";
        assert_eq!(
            out,
            vec![
                (Ok(now), 0, 1),
                (Ok(after), 1, 1),
                (Ok(at_limit), 1, 1),
                (Err(letter(&future, DeadLetterReason::Future, detail)), 1, 1),
            ]
        );
    }

    #[test]
    fn a_buffered_upload_after_six_hours_offline_is_accepted() {
        // v2 streams live for seven hours; v1 went dark at hour 1 and uploads
        // its buffered readings (hours 1..7) when it reconnects at hour 7.
        let before = message("v1", 1, HOUR, HOUR);
        let live = message("v2", 2, 7 * HOUR, 7 * HOUR);
        let buffered: Vec<Telemetry> =
            (0..6).map(|h| message("v1", 3 + h, HOUR + (h + 1) * HOUR - 60_000, 7 * HOUR)).collect();
        let out = once(vec![vec![before.clone()], vec![live.clone()], buffered.clone()]);
        let mut expected = vec![(Ok(before), 0, 1), (Ok(live), 1, 1)];
        expected.extend(buffered.into_iter().map(|m| (Ok(m), 2, 1)));
        assert_eq!(out, expected);
    }

    #[test]
    fn cutting_the_log_into_epochs_differently_gives_the_same_content() {
        let log = vec![
            message("v1", 1, 10 * HOUR, 10 * HOUR),
            message("v2", 2, 5 * HOUR, 5 * HOUR),
            message("v1", 3, 8 * HOUR, 10 * HOUR),
            message("v1", 4, 12 * HOUR, 12 * HOUR),
            message("v1", 5, 10 * HOUR + 1, 12 * HOUR),
            message("v1", 6, 11 * HOUR, 12 * HOUR),
            message("v1", 7, 11 * HOUR - 1, 12 * HOUR),
            message("v2", 8, 9 * HOUR, 5 * HOUR),
        ];
        let one_epoch = once(vec![log.clone()]);
        let per_message = once(log.iter().map(|m| vec![m.clone()]).collect());
        let uneven = once(vec![log[..3].to_vec(), vec![], log[3..].to_vec()]);
        let final_content = |out: &[(Result<Telemetry, DeadLetter>, Epoch, Diff)]| content_at(out, Epoch::MAX);
        assert_eq!(final_content(&per_message), final_content(&one_epoch));
        assert_eq!(final_content(&uneven), final_content(&one_epoch));
        let mut verdicts: Vec<_> = final_content(&one_epoch)
            .into_iter()
            .map(|(v, _)| match v {
                Ok(m) => (m.record.pos.offset, None),
                Err(l) => (l.record.pos.offset, Some(l.reason)),
            })
            .collect();
        verdicts.sort();
        assert_eq!(
            verdicts,
            vec![
                (1, None),
                (2, None),
                (3, Some(DeadLetterReason::TooLate)),
                (4, None),
                (5, Some(DeadLetterReason::TooLate)),
                (6, None),
                (7, Some(DeadLetterReason::TooLate)),
                (8, Some(DeadLetterReason::Future)),
            ]
        );
    }

    /// Judges the whole log in order, one message at a time.
    fn reference(log: &[Telemetry], config: GateConfig) -> Vec<Verdict> {
        let mut newest: std::collections::HashMap<Id, TsMs> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for m in log {
            let reason = if m.ts_ms > m.record.append_ms + config.max_future_ms {
                Some(DeadLetterReason::Future)
            } else if newest.get(&m.vehicle_id).is_some_and(|n| m.ts_ms < n - config.horizon_ms) {
                Some(DeadLetterReason::TooLate)
            } else {
                let n = newest.entry(m.vehicle_id.clone()).or_insert(m.ts_ms);
                *n = (*n).max(m.ts_ms);
                None
            };
            match reason {
                None => out.push(Ok(m.clone())),
                Some(reason) => out.push(Err(dead_letter(m.clone(), reason, String::new()))),
            }
        }
        out
    }

    #[test]
    fn random_logs_match_a_sequential_reference() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2024);
        let config = GateConfig::default();
        let mut log = Vec::new();
        let mut epochs: Vec<Vec<(Telemetry, Diff)>> = Vec::new();
        let mut append = 0;
        for _ in 0..30 {
            let mut batch = Vec::new();
            for _ in 0..rng.random_range(0..8) {
                append += rng.random_range(0..20 * 60_000);
                let vehicle = ["v1", "v2", "v3"][rng.random_range(0..3)];
                let ts = append + rng.random_range(-3 * HOUR..10 * 60_000);
                let m = message(vehicle, log.len() as i64, ts, append);
                log.push(m.clone());
                batch.push((m, 1));
            }
            epochs.push(batch);
        }
        let out = run_epochs(epochs.clone(), verdicts);
        let mut seen = 0;
        for (epoch, batch) in epochs.iter().enumerate() {
            seen += batch.len();
            let mut expected: Vec<(Result<Telemetry, DeadLetter>, Diff)> =
                reference(&log[..seen], config).into_iter().map(|v| (v, 1)).collect();
            expected.sort();
            // The reference does not phrase details; compare everything else.
            let actual: Vec<_> = content_at(&out, epoch as Epoch)
                .into_iter()
                .map(|(v, d)| (v.map_err(|l| DeadLetter { detail: String::new(), ..l }), d))
                .collect();
            let mut actual = actual;
            actual.sort();
            assert_eq!(actual, expected, "epoch {epoch}");
        }
        let all = reference(&log, config);
        for reason in [DeadLetterReason::TooLate, DeadLetterReason::Future] {
            assert!(all.iter().any(|v| v.as_ref().is_err_and(|l| l.reason == reason)), "no {reason} in the log");
        }
        assert!(all.iter().filter(|v| v.is_ok()).count() > log.len() / 2);
    }
}
