//! The planner: assigns service jobs to a technician, a slot and a bay
//! within the horizon, as a MILP solved by HiGHS.
//!
//! A job can go to a technician who has every skill it needs and works at
//! its depot, in a slot inside their shift that starts no earlier than the
//! job is ready. Each job is served at most once, a technician does one job
//! per slot, a depot serves at most as many jobs per slot as it has bays,
//! and per depot and component no more jobs are served than kits are in
//! stock. The objective serves as many jobs as possible weighted by
//! priority (critical first), heavily penalises ending after the deadline
//! and mildly penalises later slots. Ties are broken by small deterministic
//! terms (urgent jobs earlier, lower technician ids first), so the same
//! input always yields the same plan.

use std::collections::BTreeMap;

use good_lp::ResolutionError;
use schemas::event::stable_id;
use schemas::{Appointment, Component, ServiceJob, Technician, TsMs};

use super::config::ScheduleConfig;
use super::milp::{choose, Candidate, Capacity};
use super::resource::Resources;
use super::slots::{check_shift, horizon_slots, on_shift, Slot, MAX_HORIZON_DAYS};

/// Why no plan could be computed.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// `slot_minutes` outside 1..=1440.
    #[error("slot length must be 1 to 1440 minutes, got {0}")]
    SlotLength(u32),
    /// `horizon_days` beyond the supported maximum.
    #[error("horizon must be at most {MAX_HORIZON_DAYS} days, got {0}")]
    HorizonTooLong(u32),
    /// A technician's shift hour is beyond 24.
    #[error("technician {technician_id} has shift hours {start}..{end} beyond 24")]
    Shift {
        /// The technician.
        technician_id: String,
        /// Their shift start hour.
        start: u8,
        /// Their shift end hour.
        end: u8,
    },
    /// The solver did not produce a solution.
    #[error("solver failed")]
    Solver(#[from] ResolutionError),
    /// The solution put more jobs in one depot slot than it has bays.
    #[error("depot {depot} has more jobs than bays in the slot starting at {start_ms}")]
    BayOverflow {
        /// The depot.
        depot: String,
        /// The slot start, ms.
        start_ms: TsMs,
    },
}

/// Plans `jobs` over `resources` for the horizon starting at `now_ms`.
///
/// A job's depot is its vehicle's home depot, else the job's own `depot`
/// when non-empty, else `config.default_depot`. A depot without a stock row
/// for a component has no kits for it. Identical jobs count once. The
/// appointments are sorted; jobs that cannot be served are left out.
pub fn plan(
    jobs: &[ServiceJob],
    resources: &Resources,
    config: &ScheduleConfig,
    now_ms: TsMs,
) -> Result<Vec<Appointment>, PlanError> {
    let slots = horizon_slots(now_ms, config.horizon_days, config.slot_minutes)?;
    for technician in &resources.technicians {
        check_shift(technician)?;
    }
    let ranked = rank(jobs, resources, config);
    let candidates = candidates(&ranked, resources, &slots, config.slot_minutes);
    let chosen = choose(&candidates, resources)?;
    book(chosen.iter().map(|&i| &candidates[i]), &ranked, resources, &slots)
}

/// A job with its resolved depot.
struct Ranked<'a> {
    job: &'a ServiceJob,
    depot: String,
}

/// The jobs, deduplicated, most urgent first: by priority, then deadline,
/// then identity.
fn rank<'a>(jobs: &'a [ServiceJob], resources: &Resources, config: &ScheduleConfig) -> Vec<Ranked<'a>> {
    let mut sorted: Vec<&ServiceJob> = jobs.iter().collect();
    sorted.sort_by(|a, b| (a.priority, a.deadline_ms, a).cmp(&(b.priority, b.deadline_ms, b)));
    sorted.dedup();
    sorted
        .into_iter()
        .map(|job| {
            let depot = match resources.home_depots.get(&job.vehicle_id) {
                Some(depot) => depot.clone(),
                None if !job.depot.is_empty() => job.depot.clone(),
                None => config.default_depot.clone(),
            };
            Ranked { job, depot }
        })
        .collect()
}

/// Every feasible (job, technician, slot) with its objective weight.
fn candidates(ranked: &[Ranked<'_>], resources: &Resources, slots: &[Slot], slot_minutes: u32) -> Vec<Candidate> {
    let scale = Weight { jobs: ranked.len(), technicians: resources.technicians.len(), slots: slots.len() };
    let mut out = Vec::new();
    for (j, r) in ranked.iter().enumerate() {
        let servable = !resources.bays_at(&r.depot).is_empty()
            && r.job.components.iter().all(|c| resources.stock(&r.depot, *c) > 0);
        if !servable {
            continue;
        }
        for (t, technician) in resources.technicians.iter().enumerate() {
            if !qualified(technician, &r.depot, &r.job.components) {
                continue;
            }
            for (s, slot) in slots.iter().enumerate() {
                if slot.start_ms < r.job.ready_ms || !on_shift(technician, slot, slot_minutes) {
                    continue;
                }
                let weight = scale.of(j, t, s, r.job.priority, slot.end_ms > r.job.deadline_ms);
                out.push(Candidate { job: j, technician: t, slot: s, depot: r.depot.clone(), components: r.job.components.clone(), weight });
            }
        }
    }
    out
}

/// True when the technician works at `depot` and has every needed skill.
fn qualified(technician: &Technician, depot: &str, components: &[Component]) -> bool {
    technician.depot == depot && components.iter().all(|c| technician.skills.contains(c))
}

/// The objective's scale: how many jobs, technicians and slots there are.
struct Weight {
    jobs: usize,
    technicians: usize,
    slots: usize,
}

impl Weight {
    /// Value of serving job `j` (rank) by technician `t` in slot `s`.
    ///
    /// Priority 1 is worth 25 600, each lower priority a quarter of that; a
    /// late slot loses half the job's value (still better than not serving
    /// it); a later slot loses up to 1.1; the tie-breakers under 1e-4 make
    /// more urgent jobs take earlier slots and lower-ranked technicians.
    fn of(&self, j: usize, t: usize, s: usize, priority: u8, late: bool) -> f64 {
        let value = 100.0 * 4f64.powi(5 - i32::from(priority.clamp(1, 5)));
        let late_penalty = if late { value / 2.0 } else { 0.0 };
        let (jobs, technicians, slots) = (self.jobs as f64, self.technicians as f64, self.slots as f64);
        let urgency = 1.0 + 0.1 * (jobs - 1.0 - j as f64) / jobs;
        let later = urgency * s as f64 / slots;
        let tie = 1e-4 * (jobs - j as f64) * (t as f64 + 1.0) / (jobs * technicians);
        value - late_penalty - later - tie
    }
}

impl Capacity for Resources {
    fn bays(&self, depot: &str) -> usize {
        self.bays_at(depot).len()
    }

    fn kits(&self, depot: &str, component: Component) -> u64 {
        self.stock(depot, component)
    }
}

/// Turns the chosen candidates into appointments, giving each depot slot's
/// jobs its bays in id order (jobs ordered by vehicle).
fn book<'c>(
    chosen: impl Iterator<Item = &'c Candidate>,
    ranked: &[Ranked<'_>],
    resources: &Resources,
    slots: &[Slot],
) -> Result<Vec<Appointment>, PlanError> {
    let mut per_depot_slot: BTreeMap<(&str, usize), Vec<(&ServiceJob, usize)>> = BTreeMap::new();
    for c in chosen {
        per_depot_slot.entry((c.depot.as_str(), c.slot)).or_default().push((ranked[c.job].job, c.technician));
    }
    let mut out = Vec::new();
    for ((depot, s), mut served) in per_depot_slot {
        let slot = slots[s];
        let bays = resources.bays_at(depot);
        if served.len() > bays.len() {
            return Err(PlanError::BayOverflow { depot: depot.to_string(), start_ms: slot.start_ms });
        }
        served.sort_by(|a, b| (&a.0.vehicle_id, a.0).cmp(&(&b.0.vehicle_id, b.0)));
        for ((job, t), bay) in served.into_iter().zip(bays) {
            out.push(appointment(job, depot, &resources.technicians[t], bay, slot));
        }
    }
    out.sort();
    Ok(out)
}

/// One appointment; its id hashes the vehicle, the alerts and the start.
fn appointment(job: &ServiceJob, depot: &str, technician: &Technician, bay: &str, slot: Slot) -> Appointment {
    let start = slot.start_ms.to_string();
    let mut parts: Vec<&str> = vec![job.vehicle_id.as_str()];
    parts.extend(job.alert_ids.iter().map(String::as_str));
    parts.push(&start);
    Appointment {
        appointment_id: stable_id(&parts),
        fleet_id: job.fleet_id.clone(),
        vehicle_id: job.vehicle_id.clone(),
        depot: depot.to_string(),
        technician_id: technician.technician_id.clone(),
        bay_id: bay.to_string(),
        start_ms: slot.start_ms,
        end_ms: slot.end_ms,
        components: job.components.clone(),
        alert_ids: job.alert_ids.clone(),
        deadline_ms: job.deadline_ms,
    }
}
