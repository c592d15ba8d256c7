//! The planner: assigns service jobs to a technician, a slot and a bay
//! within the horizon, as a MILP solved by HiGHS.
//!
//! A job can go to a technician who has every skill it needs and works at
//! its depot, in a slot inside their shift that starts no earlier than the
//! job is ready. Each job is served at most once, a technician does one job
//! per slot (technicians alike are planned as one crew, see [`crews`]), a depot serves at most as many jobs per slot as it has bays,
//! and per depot and component no more jobs are served than kits are in
//! stock. The objective serves as many jobs as possible weighted by
//! priority (critical first), heavily penalises ending after the deadline
//! and mildly penalises later slots. Ties are broken by small deterministic
//! terms (urgent jobs earlier, lower technician ids first), so the same
//! input always yields the same plan.
//!
//! [`crews`]: super::crew::crews

use std::collections::BTreeMap;

use good_lp::ResolutionError;
use schemas::event::stable_id;
use schemas::{Appointment, Component, ServiceJob, Technician, TsMs};

use super::config::ScheduleConfig;
use super::crew::{Crew, crews};
use super::milp::{Candidate, Capacity, choose};
use super::resource::Resources;
use super::slots::{MAX_HORIZON_DAYS, Slot, check_shift, horizon_slots, on_shift};

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
    /// The solution put more jobs in one slot than a depot has bays or a
    /// crew has technicians.
    #[error("the solution overbooks depot {depot} in the slot starting at {start_ms}")]
    Overbooked {
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
    let crews = crews(&resources.technicians);
    let candidates = candidates(&ranked, &crews, resources, &slots, config.slot_minutes);
    let chosen = choose(&candidates, &Capacities { resources, crews: &crews })?;
    book(chosen.iter().map(|&i| &candidates[i]), &ranked, &crews, resources, &slots)
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

/// Every feasible (job, crew, slot) with its objective weight.
fn candidates(
    ranked: &[Ranked<'_>],
    crews: &[Crew<'_>],
    resources: &Resources,
    slots: &[Slot],
    slot_minutes: u32,
) -> Vec<Candidate> {
    let scale = Weight { jobs: ranked.len(), crews: crews.len(), slots: slots.len() };
    let mut out = Vec::new();
    for (j, r) in ranked.iter().enumerate() {
        let servable = !resources.bays_at(&r.depot).is_empty()
            && r.job.components.iter().all(|c| resources.stock(&r.depot, *c) > 0);
        if !servable {
            continue;
        }
        for (t, crew) in crews.iter().enumerate() {
            let technician = crew.lead();
            if !qualified(technician, &r.depot, &r.job.components) {
                continue;
            }
            for (s, slot) in slots.iter().enumerate() {
                if slot.start_ms < r.job.ready_ms || !on_shift(technician, slot, slot_minutes) {
                    continue;
                }
                let weight = scale.of(j, t, s, r.job.priority, slot.end_ms > r.job.deadline_ms);
                out.push(Candidate {
                    job: j,
                    crew: t,
                    slot: s,
                    depot: r.depot.clone(),
                    components: r.job.components.clone(),
                    weight,
                });
            }
        }
    }
    out
}

/// True when the technician works at `depot` and has every needed skill.
fn qualified(technician: &Technician, depot: &str, components: &[Component]) -> bool {
    technician.depot == depot && components.iter().all(|c| technician.skills.contains(c))
}

/// The objective's scale: how many jobs, crews and slots there are.
struct Weight {
    jobs: usize,
    crews: usize,
    slots: usize,
}

impl Weight {
    /// Value of serving job `j` (rank) by crew `t` in slot `s`.
    ///
    /// Priority 1 is worth 25 600, each lower priority a quarter of that; a
    /// late slot loses half the job's value (still better than not serving
    /// it); a later slot loses up to 1.1; the tie-breakers under 1e-4 make
    /// more urgent jobs take earlier slots and crews of lower technician ids.
    fn of(&self, j: usize, t: usize, s: usize, priority: u8, late: bool) -> f64 {
        let value = 100.0 * 4f64.powi(5 - i32::from(priority.clamp(1, 5)));
        let late_penalty = if late { value / 2.0 } else { 0.0 };
        let (jobs, crews, slots) = (self.jobs as f64, self.crews as f64, self.slots as f64);
        let urgency = 1.0 + 0.1 * (jobs - 1.0 - j as f64) / jobs;
        let later = urgency * s as f64 / slots;
        let tie = 1e-4 * (jobs - j as f64) * (t as f64 + 1.0) / (jobs * crews);
        value - late_penalty - later - tie
    }
}

/// What the candidates share: crews, bays and parts.
struct Capacities<'a> {
    resources: &'a Resources,
    crews: &'a [Crew<'a>],
}

impl Capacity for Capacities<'_> {
    fn crew_size(&self, crew: usize) -> usize {
        self.crews.get(crew).map_or(0, |c| c.members.len())
    }

    fn bays(&self, depot: &str) -> usize {
        self.resources.bays_at(depot).len()
    }

    fn kits(&self, depot: &str, component: Component) -> u64 {
        self.resources.stock(depot, component)
    }
}

/// Turns the chosen candidates into appointments: in each slot, a crew's
/// jobs get its technicians and a depot's jobs its bays, both in id order,
/// jobs ordered by vehicle.
fn book<'c>(
    chosen: impl Iterator<Item = &'c Candidate>,
    ranked: &[Ranked<'_>],
    crews: &[Crew<'_>],
    resources: &Resources,
    slots: &[Slot],
) -> Result<Vec<Appointment>, PlanError> {
    let served: Vec<(&ServiceJob, &Candidate)> = chosen.map(|c| (ranked[c.job].job, c)).collect();
    let technicians = assign(&served, |c| (c.crew, c.slot), |c| crews[c.crew].members.as_slice(), slots)?;
    let bays = assign(&served, |c| (c.depot.clone(), c.slot), |c| resources.bays_at(&c.depot), slots)?;
    let mut out: Vec<Appointment> = served
        .iter()
        .zip(technicians.into_iter().zip(bays))
        .map(|((job, c), (technician, bay))| appointment(job, &c.depot, technician, bay, slots[c.slot]))
        .collect();
    out.sort();
    Ok(out)
}

/// Gives each served job one item of its pool: jobs sharing a pool key are
/// ordered by vehicle and take the pool's items in order.
fn assign<'p, K: Ord, X>(
    served: &[(&ServiceJob, &Candidate)],
    key: impl Fn(&Candidate) -> K,
    pool: impl Fn(&Candidate) -> &'p [X],
    slots: &[Slot],
) -> Result<Vec<&'p X>, PlanError> {
    let mut groups: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, (_, c)) in served.iter().enumerate() {
        groups.entry(key(c)).or_default().push(i);
    }
    let mut assigned: Vec<(usize, &'p X)> = Vec::with_capacity(served.len());
    for mut members in groups.into_values() {
        members.sort_by(|&a, &b| (&served[a].0.vehicle_id, served[a].0).cmp(&(&served[b].0.vehicle_id, served[b].0)));
        let first = served[members[0]].1;
        let items = pool(first);
        if members.len() > items.len() {
            return Err(PlanError::Overbooked { depot: first.depot.clone(), start_ms: slots[first.slot].start_ms });
        }
        assigned.extend(members.into_iter().zip(items));
    }
    assigned.sort_by_key(|(i, _)| *i);
    Ok(assigned.into_iter().map(|(_, item)| item).collect())
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
