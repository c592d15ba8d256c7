//! Assembles the CarVrooom dataflow on one worker: the operators in order,
//! every result gathered into one [`Output`] stream, and the sink operator.

use std::sync::Arc;

use differential_dataflow::AsCollection;
use differential_dataflow::input::{Input, InputSession};
use timely::dataflow::operators::probe::{Handle as ProbeHandle, Probe};
use timely::worker::Worker;

use operators::decode::Decoders;
use operators::degrade::DegradeSetup;
use operators::diagnose::diagnose;
use operators::finality::Finality;
use operators::gate::{GateConfig, gate};
use operators::health::HealthConfig;
use operators::normalize::normalize;
use operators::schedule::{Resource, ScheduleConfig, schedule, service_jobs};
use operators::stages::vehicle_stages;
use operators::{Diff, Epoch};
use schemas::RawRecord;

use crate::output::Output;
use crate::write::{EpochWriter, write_outputs};

/// Everything the operators are configured with.
#[derive(Clone)]
pub struct DataflowSettings {
    /// Decoders for OBD-II and CAN input.
    pub decoders: Arc<Decoders>,
    /// Lateness gate.
    pub gate: GateConfig,
    /// Health windows.
    pub health: HealthConfig,
    /// Bands, trend RUL and the (hot-swappable) trained model.
    pub degrade: DegradeSetup,
    /// Scheduler.
    pub schedule: ScheduleConfig,
    /// Commit point every this many epochs.
    pub commit_every: u64,
}

/// The handles a worker drives its dataflow with.
pub struct DataflowHandles {
    /// Raw Kafka records, one epoch at a time.
    pub raw: InputSession<Epoch, RawRecord, Diff>,
    /// Scheduling resources (fed by worker 0 only).
    pub resources: InputSession<Epoch, Resource, Diff>,
    /// Passes an epoch once the dataflow has computed all of its results.
    pub computed: ProbeHandle<Epoch>,
    /// Passes an epoch once every worker has written it to every sink.
    pub probe: ProbeHandle<Epoch>,
}

/// Builds the dataflow on `worker`, writing results through `writer`.
pub fn build<W: EpochWriter>(worker: &mut Worker, settings: DataflowSettings, writer: W) -> DataflowHandles {
    worker.dataflow::<Epoch, _, _>(move |scope| {
        let (raw_input, raw) = scope.new_collection::<RawRecord, Diff>();
        let (resource_input, resources) = scope.new_collection::<Resource, Diff>();

        let (messages, undecodable) = normalize(raw.clone(), settings.decoders);
        let (accepted, late) = gate(messages, settings.gate);
        let finality = Finality { horizon_ms: settings.gate.horizon_ms, window_ms: settings.health.window_ms };
        let (rows, transitions, alerts) = vehicle_stages(accepted.clone(), settings.health, settings.degrade, finality);
        let decisions = diagnose(alerts.clone());
        let appointments = schedule(service_jobs(alerts.clone()), resources, settings.schedule);

        let seen = accepted.clone().map(|t| (t.fleet_id, t.vehicle_id)).distinct();
        let outputs = differential_dataflow::collection::concatenate(
            scope,
            [
                raw.map(Output::Raw),
                accepted.flat_map(|t| t.readings().collect::<Vec<_>>()).map(Output::Reading),
                undecodable.concat(late).map(Output::DeadLetter),
                rows.map(Output::Health),
                transitions.map(Output::Transition),
                alerts.map(Output::Alert),
                decisions.map(Output::Decision),
                appointments.map(Output::Appointment),
                seen.map(|(fleet, vehicle)| Output::Seen(fleet.to_string(), vehicle.to_string())),
            ],
        );
        let (computed, outputs) = outputs.inner.probe();
        let probe = write_outputs(outputs.as_collection(), writer, settings.commit_every);
        DataflowHandles { raw: raw_input, resources: resource_input, computed, probe }
    })
}
