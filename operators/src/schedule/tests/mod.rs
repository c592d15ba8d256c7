//! Tests of the scheduling stage: fixtures, a two-input dataflow harness,
//! and the planner, job and operator tests.

mod jobs;
mod operator;
mod plan;

use std::sync::mpsc;

use differential_dataflow::input::Input;
use schemas::event::stable_id;
use schemas::{Appointment, Bay, Component, PartStock, ServiceJob, Technician, TsMs};
use timely::dataflow::operators::capture::{Capture, Event};

use super::{Resource, ScheduleConfig};
use crate::{Coll, Diff, Epoch, testing};

pub(super) const HOUR: TsMs = 3_600_000;
pub(super) const DAY: TsMs = 24 * HOUR;
/// A UTC midnight.
pub(super) const NOW: TsMs = 20_000 * DAY;

pub(super) fn tech(id: &str, depot: &str, skills: &[Component]) -> Technician {
    Technician {
        technician_id: id.into(),
        name: id.to_uppercase(),
        depot: depot.into(),
        skills: skills.to_vec(),
        shift_start_hour: 8,
        shift_end_hour: 16,
    }
}

pub(super) fn bay(id: &str, depot: &str) -> Bay {
    Bay { bay_id: id.into(), depot: depot.into() }
}

pub(super) fn part(depot: &str, component: Component, quantity: u32) -> PartStock {
    PartStock { depot: depot.into(), component, quantity }
}

/// A job of fleet `f` whose single alert is `a-<vehicle>`.
pub(super) fn job(
    vehicle: &str,
    components: &[Component],
    priority: u8,
    deadline_ms: TsMs,
    ready_ms: TsMs,
) -> ServiceJob {
    ServiceJob {
        fleet_id: "f".into(),
        vehicle_id: vehicle.into(),
        depot: String::new(),
        components: components.to_vec(),
        alert_ids: vec![format!("a-{vehicle}")],
        priority,
        deadline_ms,
        ready_ms,
    }
}

/// The appointment the planner should make for `job`.
pub(super) fn appt(job: &ServiceJob, depot: &str, technician: &str, bay: &str, start_ms: TsMs) -> Appointment {
    let start = start_ms.to_string();
    let mut parts = vec![job.vehicle_id.as_str()];
    parts.extend(job.alert_ids.iter().map(String::as_str));
    parts.push(&start);
    Appointment {
        appointment_id: stable_id(&parts),
        fleet_id: job.fleet_id.clone(),
        vehicle_id: job.vehicle_id.clone(),
        depot: depot.into(),
        technician_id: technician.into(),
        bay_id: bay.into(),
        start_ms,
        end_ms: start_ms + 2 * HOUR,
        components: job.components.clone(),
        alert_ids: job.alert_ids.clone(),
        deadline_ms: job.deadline_ms,
    }
}

/// The default configuration with the given debounce.
pub(super) fn config(debounce_ms: u64) -> ScheduleConfig {
    ScheduleConfig { debounce: std::time::Duration::from_millis(debounce_ms), ..ScheduleConfig::default() }
}

/// Technicians, a bay and parts at the default depot, as resources.
pub(super) fn main_depot() -> Vec<Resource> {
    vec![
        Resource::Technician(tech("t1", "main", &[Component::Brakes, Component::Engine])),
        Resource::Technician(tech("t2", "main", &Component::ALL)),
        Resource::Bay(bay("b1", "main")),
        Resource::Part(part("main", Component::Brakes, 2)),
        Resource::Part(part("main", Component::Engine, 2)),
        Resource::Part(part("main", Component::Cooling, 2)),
    ]
}

/// Per epoch: updates of the first and of the second input.
pub(super) type Epochs<A, R> = Vec<(Vec<(A, Diff)>, Vec<(R, Diff)>)>;

/// Runs `build` over two inputs fed one epoch at a time. With `step`, the
/// worker runs until the output has passed each epoch before the next is
/// fed; without, all input is fed and closed before the dataflow runs.
pub(super) fn run_two<A, R, O, F>(epochs: Epochs<A, R>, step: bool, build: F) -> Vec<(O, Epoch, Diff)>
where
    A: differential_dataflow::ExchangeData + std::hash::Hash + Sync,
    R: differential_dataflow::ExchangeData + std::hash::Hash + Sync,
    O: differential_dataflow::ExchangeData + std::hash::Hash,
    F: for<'s> FnOnce(Coll<'s, A>, Coll<'s, R>) -> Coll<'s, O> + Send + Sync + 'static,
{
    let (send, recv) = mpsc::channel();
    timely::execute_directly(move |worker| {
        let (mut a, mut r, probe) = worker.dataflow::<Epoch, _, _>(move |scope| {
            let (a, first) = scope.new_collection::<A, Diff>();
            let (r, second) = scope.new_collection::<R, Diff>();
            let (probe, out) = build(first, second).probe();
            out.inner.capture_into(send);
            (a, r, probe)
        });
        for (epoch, (first, second)) in epochs.into_iter().enumerate() {
            let epoch = epoch as Epoch;
            a.advance_to(epoch);
            r.advance_to(epoch);
            for (data, diff) in first {
                a.update(data, diff);
            }
            for (data, diff) in second {
                r.update(data, diff);
            }
            if step {
                a.advance_to(epoch + 1);
                r.advance_to(epoch + 1);
                a.flush();
                r.flush();
                while probe.less_than(&(epoch + 1)) {
                    worker.step();
                }
            }
        }
    });
    testing::consolidate(recv.into_iter().flat_map(|event| match event {
        Event::Messages(_, data) => data,
        Event::Progress(_) => Vec::new(),
    }))
}
