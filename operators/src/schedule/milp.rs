//! The mixed-integer program behind [`plan`](super::plan): one binary per
//! candidate (job, crew, slot), capacity rows for jobs, crews, bays and
//! parts, solved by HiGHS.

use std::collections::BTreeMap;

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, highs, variable};
use schemas::Component;

/// One way to serve one job: a member of a crew in a slot, worth `weight`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Candidate {
    /// Index of the job (in planner rank order).
    pub job: usize,
    /// Index of the crew.
    pub crew: usize,
    /// Index of the slot.
    pub slot: usize,
    /// The depot both work at.
    pub depot: String,
    /// Components the job needs.
    pub components: Vec<Component>,
    /// Objective coefficient (maximised).
    pub weight: f64,
}

/// Capacities the candidates share.
pub(crate) trait Capacity {
    /// Technicians in a crew.
    fn crew_size(&self, crew: usize) -> usize;
    /// Bays at a depot.
    fn bays(&self, depot: &str) -> usize;
    /// Parts kits of a component at a depot.
    fn kits(&self, depot: &str, component: Component) -> u64;
}

/// The candidates that use one kind of part at one depot, and their jobs.
type Users = (Vec<Variable>, Vec<usize>);

/// Solves the program and returns the indices of the chosen candidates, in
/// order. No candidates means nothing to choose.
pub(crate) fn choose(candidates: &[Candidate], capacity: &impl Capacity) -> Result<Vec<usize>, ResolutionError> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut vars = ProblemVariables::new();
    let xs: Vec<Variable> = candidates.iter().map(|_| vars.add(variable().binary())).collect();
    let mut objective = Expression::with_capacity(xs.len());
    for (x, c) in xs.iter().zip(candidates) {
        objective.add_mul(c.weight, *x);
    }

    let mut per_job: BTreeMap<usize, Vec<Variable>> = BTreeMap::new();
    let mut per_crew_slot: BTreeMap<(usize, usize), Vec<Variable>> = BTreeMap::new();
    let mut per_depot_slot: BTreeMap<(&str, usize), Vec<Variable>> = BTreeMap::new();
    let mut per_depot_part: BTreeMap<(&str, Component), Users> = BTreeMap::new();
    for (x, c) in xs.iter().zip(candidates) {
        per_job.entry(c.job).or_default().push(*x);
        per_crew_slot.entry((c.crew, c.slot)).or_default().push(*x);
        per_depot_slot.entry((c.depot.as_str(), c.slot)).or_default().push(*x);
        for component in &c.components {
            let (vars, jobs) = per_depot_part.entry((c.depot.as_str(), *component)).or_default();
            vars.push(*x);
            jobs.push(c.job);
        }
    }

    let mut model = vars
        .maximise(objective)
        .using(highs)
        .set_option("parallel", "off")
        .set_option("mip_rel_gap", 0.0)
        .set_option("mip_abs_gap", 1e-7);
    let sum = |vars: &[Variable]| vars.iter().copied().sum::<Expression>();
    for vars in per_job.values().filter(|v| v.len() > 1) {
        model.add_constraint(sum(vars).leq(1.0));
    }
    for ((crew, _), vars) in &per_crew_slot {
        let size = capacity.crew_size(*crew);
        if vars.len() > size {
            model.add_constraint(sum(vars).leq(size as f64));
        }
    }
    for ((depot, _), vars) in &per_depot_slot {
        let bays = capacity.bays(depot);
        if vars.len() > bays {
            model.add_constraint(sum(vars).leq(bays as f64));
        }
    }
    for ((depot, component), (vars, jobs)) in &mut per_depot_part {
        jobs.sort_unstable();
        jobs.dedup();
        let kits = capacity.kits(depot, *component);
        if jobs.len() as u64 > kits {
            model.add_constraint(sum(vars).leq(kits as f64));
        }
    }

    let solution = model.solve()?;
    Ok(xs.iter().enumerate().filter(|(_, x)| solution.value(**x) > 0.5).map(|(i, _)| i).collect())
}
