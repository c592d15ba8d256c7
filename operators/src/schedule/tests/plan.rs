//! The planner: exact appointments for small instances, and the limits
//! holding on a fleet-sized one.

use std::collections::{BTreeMap, BTreeSet};

use schemas::Component::{Brakes, Cooling, Engine, Tires};
use schemas::{Appointment, ServiceJob};

use super::*;
use crate::schedule::{PlanError, Resource, Resources, plan};

fn resources(items: Vec<Resource>) -> Resources {
    Resources::from_resources(&items)
}

fn sorted(mut appointments: Vec<Appointment>) -> Vec<Appointment> {
    appointments.sort();
    appointments
}

fn run(jobs: &[ServiceJob], items: Vec<Resource>) -> Vec<Appointment> {
    plan(jobs, &resources(items), &config(0), NOW).expect("plan")
}

#[test]
fn a_job_goes_to_a_technician_with_all_its_skills() {
    let v1 = job("v1", &[Brakes], 3, NOW + 2 * DAY, NOW);
    let v2 = job("v2", &[Brakes, Engine], 3, NOW + 3 * DAY, NOW);
    let got = run(
        &[v1.clone(), v2.clone()],
        vec![
            Resource::Technician(tech("t1", "main", &[Cooling])),
            Resource::Technician(tech("t2", "main", &[Brakes])),
            Resource::Technician(tech("t3", "main", &[Engine, Brakes])),
            Resource::Bay(bay("b1", "main")),
            Resource::Bay(bay("b2", "main")),
            Resource::Part(part("main", Brakes, 5)),
            Resource::Part(part("main", Engine, 5)),
        ],
    );
    assert_eq!(
        got,
        sorted(vec![appt(&v1, "main", "t2", "b1", NOW + 8 * HOUR), appt(&v2, "main", "t3", "b2", NOW + 8 * HOUR)])
    );
}

#[test]
fn a_depot_serves_no_more_jobs_per_slot_than_it_has_bays() {
    let v1 = job("v1", &[Brakes], 1, NOW + 2 * DAY, NOW);
    let v2 = job("v2", &[Brakes], 3, NOW + 2 * DAY, NOW);
    let got = run(
        &[v1.clone(), v2.clone()],
        vec![
            Resource::Technician(tech("t1", "main", &[Brakes])),
            Resource::Technician(tech("t2", "main", &[Brakes])),
            Resource::Bay(bay("b1", "main")),
            Resource::Part(part("main", Brakes, 5)),
        ],
    );
    assert_eq!(
        got,
        sorted(vec![appt(&v1, "main", "t1", "b1", NOW + 8 * HOUR), appt(&v2, "main", "t1", "b1", NOW + 10 * HOUR)])
    );
}

#[test]
fn parts_in_stock_limit_the_jobs_and_critical_ones_go_first() {
    let v1 = job("v1", &[Brakes], 3, NOW + DAY, NOW);
    let v2 = job("v2", &[Brakes], 1, NOW + 2 * DAY, NOW);
    let v3 = job("v3", &[Engine], 3, NOW + DAY, NOW);
    let got = run(
        &[v1, v2.clone(), v3],
        vec![
            Resource::Technician(tech("t1", "main", &[Brakes, Engine])),
            Resource::Technician(tech("t2", "main", &[Brakes, Engine])),
            Resource::Bay(bay("b1", "main")),
            Resource::Bay(bay("b2", "main")),
            Resource::Part(part("main", Brakes, 1)),
        ],
    );
    assert_eq!(got, sorted(vec![appt(&v2, "main", "t1", "b1", NOW + 8 * HOUR)]));
}

#[test]
fn a_job_due_soon_takes_the_slot_that_meets_its_deadline() {
    let critical_later = job("v1", &[Brakes], 1, NOW + 5 * DAY, NOW);
    let warning_due_at_ten = job("v2", &[Brakes], 3, NOW + 10 * HOUR, NOW);
    let got = run(
        &[critical_later.clone(), warning_due_at_ten.clone()],
        vec![
            Resource::Technician(tech("t1", "main", &[Brakes])),
            Resource::Bay(bay("b1", "main")),
            Resource::Part(part("main", Brakes, 5)),
        ],
    );
    assert_eq!(
        got,
        sorted(vec![
            appt(&critical_later, "main", "t1", "b1", NOW + 10 * HOUR),
            appt(&warning_due_at_ten, "main", "t1", "b1", NOW + 8 * HOUR),
        ])
    );
}

#[test]
fn a_late_slot_is_still_better_than_none() {
    let overdue = job("v1", &[Brakes], 3, NOW - DAY, NOW);
    let got = run(
        std::slice::from_ref(&overdue),
        vec![
            Resource::Technician(tech("t1", "main", &[Brakes])),
            Resource::Bay(bay("b1", "main")),
            Resource::Part(part("main", Brakes, 1)),
        ],
    );
    assert_eq!(got, sorted(vec![appt(&overdue, "main", "t1", "b1", NOW + 8 * HOUR)]));
}

#[test]
fn jobs_no_technician_can_do_stay_unscheduled() {
    let tires = job("v1", &[Tires], 1, NOW + DAY, NOW);
    let brakes = job("v2", &[Brakes], 3, NOW + DAY, NOW);
    let north_unstaffed = job("v3", &[Brakes], 1, NOW + DAY, NOW);
    let north = job("v4", &[Cooling], 3, NOW + DAY, NOW);
    let got = run(
        &[tires, brakes.clone(), north_unstaffed, north.clone()],
        vec![
            Resource::Technician(tech("t1", "main", &[Brakes, Cooling])),
            Resource::Technician(tech("t9", "north", &[Cooling])),
            Resource::Bay(bay("b1", "main")),
            Resource::Bay(bay("n1", "north")),
            Resource::Part(part("main", Brakes, 5)),
            Resource::Part(part("main", Tires, 5)),
            Resource::Part(part("north", Brakes, 5)),
            Resource::Part(part("north", Cooling, 5)),
            Resource::HomeDepot { vehicle_id: "v3".into(), depot: "north".into() },
            Resource::HomeDepot { vehicle_id: "v4".into(), depot: "north".into() },
        ],
    );
    assert_eq!(
        got,
        sorted(vec![
            appt(&brakes, "main", "t1", "b1", NOW + 8 * HOUR),
            appt(&north, "north", "t9", "n1", NOW + 8 * HOUR)
        ])
    );
}

#[test]
fn slots_start_at_now_and_after_the_job_is_ready() {
    let v1 = job("v1", &[Brakes], 3, NOW + 3 * DAY, NOW + DAY + 9 * HOUR);
    let items = vec![
        Resource::Technician(tech("t1", "main", &[Brakes])),
        Resource::Bay(bay("b1", "main")),
        Resource::Part(part("main", Brakes, 1)),
    ];
    assert_eq!(
        run(std::slice::from_ref(&v1), items.clone()),
        vec![appt(&v1, "main", "t1", "b1", NOW + DAY + 10 * HOUR)]
    );
    let v2 = job("v2", &[Brakes], 3, NOW + 3 * DAY, NOW);
    let at_noon =
        plan(std::slice::from_ref(&v2), &resources(items.clone()), &config(0), NOW + 12 * HOUR).expect("plan");
    assert_eq!(at_noon, vec![appt(&v2, "main", "t1", "b1", NOW + 12 * HOUR)]);
    let no_horizon = ScheduleConfig { horizon_days: 0, ..config(0) };
    assert_eq!(plan(&[v2], &resources(items), &no_horizon, NOW).expect("plan"), vec![]);
}

#[test]
fn identical_input_gives_an_identical_plan_and_duplicate_jobs_count_once() {
    let jobs: Vec<ServiceJob> = (0..6).map(|i| job(&format!("v{i}"), &[Brakes], 3, NOW + DAY, NOW)).collect();
    let doubled: Vec<ServiceJob> = jobs.iter().chain(&jobs).cloned().collect();
    let first = run(&jobs, main_depot());
    assert_eq!(first.len(), 2, "two brake kits");
    assert_eq!(run(&doubled, main_depot()), first);
    let mut reversed = jobs.clone();
    reversed.reverse();
    assert_eq!(run(&reversed, main_depot()), first);
}

#[test]
fn bad_settings_and_shifts_are_errors() {
    let jobs = [job("v1", &[Brakes], 3, NOW + DAY, NOW)];
    let zero = ScheduleConfig { slot_minutes: 0, ..config(0) };
    assert!(matches!(plan(&jobs, &resources(main_depot()), &zero, NOW), Err(PlanError::SlotLength(0))));
    let mut night = tech("t1", "main", &[Brakes]);
    night.shift_end_hour = 30;
    let got = plan(&jobs, &resources(vec![Resource::Technician(night)]), &config(0), NOW);
    assert!(matches!(got, Err(PlanError::Shift { end: 30, .. })));
    assert_eq!(plan(&[], &resources(main_depot()), &config(0), NOW).expect("plan"), vec![]);
}

/// Checks every limit of the plan against the instance.
fn assert_feasible(plan: &[Appointment], jobs: &[ServiceJob], r: &Resources) {
    let mut vehicles = BTreeSet::new();
    let mut technician_slots = BTreeSet::new();
    let mut bay_slots = BTreeSet::new();
    let mut kits: BTreeMap<(String, schemas::Component), u64> = BTreeMap::new();
    for a in plan {
        assert!(vehicles.insert(a.vehicle_id.clone()), "one appointment per job");
        assert!(technician_slots.insert((a.technician_id.clone(), a.start_ms)), "technician double-booked");
        assert!(bay_slots.insert((a.bay_id.clone(), a.start_ms)), "bay double-booked");
        let job = jobs.iter().find(|j| j.vehicle_id == a.vehicle_id).expect("job of the appointment");
        let t =
            r.technicians.iter().find(|t| t.technician_id == a.technician_id).expect("technician of the appointment");
        assert!(job.components.iter().all(|c| t.skills.contains(c)), "technician lacks a skill");
        assert_eq!(t.depot, a.depot);
        assert!(r.bays_at(&a.depot).contains(&a.bay_id));
        for c in &job.components {
            *kits.entry((a.depot.clone(), *c)).or_insert(0) += 1;
        }
    }
    for ((depot, c), used) in kits {
        assert!(used <= r.stock(&depot, c), "parts overdrawn");
    }
}

#[test]
fn a_fleet_sized_instance_respects_every_limit() {
    let components = [Brakes, Engine, Cooling, Tires];
    let jobs: Vec<ServiceJob> = (0..50)
        .map(|i| {
            let needs =
                if i % 5 == 0 { vec![components[i % 4], components[(i + 1) % 4]] } else { vec![components[i % 4]] };
            let mut needs = needs;
            needs.sort();
            job(&format!("v{i:02}"), &needs, if i % 7 == 0 { 1 } else { 3 }, NOW + (i as i64 % 9) * DAY, NOW)
        })
        .collect();
    let mut items = Vec::new();
    for (d, depot) in ["main", "north"].into_iter().enumerate() {
        for t in 0..5 {
            let skills = vec![components[t % 4], components[(t + d + 1) % 4]];
            items.push(Resource::Technician(tech(&format!("t{d}{t}"), depot, &skills)));
        }
        for b in 0..3 {
            items.push(Resource::Bay(bay(&format!("b{d}{b}"), depot)));
        }
        for c in components {
            items.push(Resource::Part(part(depot, c, 12)));
        }
    }
    for i in (0..50).step_by(2) {
        items.push(Resource::HomeDepot { vehicle_id: format!("v{i:02}"), depot: "north".into() });
    }
    let r = resources(items);
    let got = plan(&jobs, &r, &config(0), NOW).expect("plan");
    assert_feasible(&got, &jobs, &r);
    assert!(got.len() >= 40, "most jobs are served, got {}", got.len());
    assert_eq!(plan(&jobs, &r, &config(0), NOW).expect("plan"), got);
}
