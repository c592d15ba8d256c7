//! The scheduling resources as one collection type ([`Resource`]) and their
//! materialised, sorted view ([`Resources`]) that the planner reads.

use std::collections::BTreeMap;

use schemas::{Bay, Component, PartStock, Technician};
use serde::{Deserialize, Serialize};

/// One scheduling resource; all of them enter the dataflow as one collection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    /// A technician and their shift.
    Technician(Technician),
    /// A service bay.
    Bay(Bay),
    /// Parts kits in stock at a depot.
    Part(PartStock),
    /// The depot that serves a vehicle (vehicles without one use the
    /// configured default depot).
    HomeDepot {
        /// The vehicle.
        vehicle_id: String,
        /// Its depot.
        depot: String,
    },
}

/// The resources one plan is computed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// Technicians, sorted (by id first).
    pub technicians: Vec<Technician>,
    /// Bays per depot, each list sorted by bay id.
    pub bays: BTreeMap<String, Vec<String>>,
    /// Kits per (depot, component); several stock rows for one pair add up.
    pub parts: BTreeMap<(String, Component), u64>,
    /// Home depot per vehicle; of several rows for one vehicle the smallest
    /// depot name wins, so the choice is deterministic.
    pub home_depots: BTreeMap<String, String>,
}

impl Resources {
    /// Materialises a set of resources (duplicates count once).
    pub fn from_resources<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> Resources {
        let mut sorted: Vec<&Resource> = resources.into_iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut out = Resources::default();
        for resource in sorted {
            match resource {
                Resource::Technician(t) => out.technicians.push(t.clone()),
                Resource::Bay(b) => out.bays.entry(b.depot.clone()).or_default().push(b.bay_id.clone()),
                Resource::Part(p) => {
                    *out.parts.entry((p.depot.clone(), p.component)).or_insert(0) += u64::from(p.quantity);
                }
                Resource::HomeDepot { vehicle_id, depot } => {
                    out.home_depots.entry(vehicle_id.clone()).or_insert_with(|| depot.clone());
                }
            }
        }
        for bays in out.bays.values_mut() {
            bays.sort();
            bays.dedup();
        }
        out
    }

    /// Bays at `depot`, sorted by id.
    pub fn bays_at(&self, depot: &str) -> &[String] {
        self.bays.get(depot).map_or(&[], Vec::as_slice)
    }

    /// Kits for `component` in stock at `depot` (0 when there is no row).
    pub fn stock(&self, depot: &str, component: Component) -> u64 {
        self.parts.get(&(depot.to_string(), component)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn materialises_sorted_and_summed() {
        let part = |q| Resource::Part(PartStock { depot: "d".into(), component: Component::Brakes, quantity: q });
        let bay = |id: &str| Resource::Bay(Bay { bay_id: id.into(), depot: "d".into() });
        let home = |d: &str| Resource::HomeDepot { vehicle_id: "v".into(), depot: d.into() };
        let input = [part(2), part(3), bay("b2"), bay("b1"), bay("b1"), home("z"), home("a")];
        let r = Resources::from_resources(&input);
        assert_eq!(r.stock("d", Component::Brakes), 5);
        assert_eq!(r.stock("d", Component::Engine), 0);
        assert_eq!(r.bays_at("d"), ["b1".to_string(), "b2".to_string()]);
        assert!(r.bays_at("x").is_empty());
        assert_eq!(r.home_depots.get("v").map(String::as_str), Some("a"));
    }
}
