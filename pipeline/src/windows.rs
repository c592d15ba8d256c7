//! The scored windows of a data set, through the live operators: records →
//! normalize → gate → latest → health, offline on one worker. Training reads
//! its features from these, so a model is fitted on exactly the windows the
//! running dataflow hands the `degrade` walk.

use std::collections::BTreeMap;
use std::sync::{Arc, mpsc};

use differential_dataflow::input::Input;
use timely::dataflow::operators::capture::{Capture, Event};

use operators::decode::Decoders;
use operators::finality::Finality;
use operators::gate::{GateConfig, gate};
use operators::health::{HealthConfig, health};
use operators::latest::latest;
use operators::normalize::normalize;
use operators::prognostics::WindowPoint;
use operators::{Diff, Epoch};
use schemas::{Component, Id, RawRecord};

use crate::offline::OfflineRecord;

/// Records per epoch fed to the operators.
const RECORDS_PER_EPOCH: usize = 10_000;

/// The windows of one (fleet, vehicle, component), oldest first.
pub type Trails = BTreeMap<(Id, Id, Component), Vec<WindowPoint>>;

/// Every window the health operator scores for `records` (in the order the
/// Kafka source would read them), grouped by (fleet, vehicle, component).
pub fn window_points(
    records: Vec<OfflineRecord>,
    decoders: Decoders,
    gate_config: GateConfig,
    health_config: HealthConfig,
) -> Trails {
    let (send, recv) = mpsc::channel();
    let decoders = Arc::new(decoders);
    timely::execute_directly(move |worker| {
        let decoders = decoders.clone();
        let mut input = worker.dataflow::<Epoch, _, _>(move |scope| {
            let (input, raw) = scope.new_collection::<RawRecord, Diff>();
            let finality = Finality { horizon_ms: gate_config.horizon_ms, window_ms: health_config.window_ms };
            let (messages, _undecodable) = normalize(raw, decoders);
            let (accepted, _late) = gate(messages, gate_config);
            health(latest(accepted, finality), health_config, finality).inner.capture_into(send);
            input
        });
        for (i, record) in records.into_iter().enumerate() {
            let epoch = (i / RECORDS_PER_EPOCH) as Epoch;
            if epoch > *input.time() {
                input.advance_to(epoch);
            }
            input.insert(record.into_raw(i as u64));
        }
    });
    let mut content: BTreeMap<_, Diff> = BTreeMap::new();
    for event in recv {
        if let Event::Messages(_, updates) = event {
            for (score, _, diff) in updates {
                *content.entry(score).or_default() += diff;
            }
        }
    }
    let mut trails = Trails::new();
    for (score, _) in content.into_iter().filter(|(_, n)| *n > 0) {
        let key = (score.fleet_id.clone(), score.vehicle_id.clone(), score.component);
        trails.entry(key).or_default().push(WindowPoint::of(&score));
    }
    for points in trails.values_mut() {
        points.sort();
    }
    trails
}
