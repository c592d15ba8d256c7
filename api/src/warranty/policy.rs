//! What the warranty covers: per component, how long from the vehicle's
//! warranty start and how far on its odometer.

use schemas::Component;
use serde::Serialize;

/// The coverage of one component: months from the warranty start and km, whichever ends first.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Coverage {
    /// Months from the vehicle's warranty start.
    pub months: u32,
    /// Odometer limit, km.
    pub km: f64,
}

/// The components a claim may be made for, and their coverage.
#[derive(Clone, Debug, PartialEq)]
pub struct WarrantyPolicy {
    /// Coverage by component; a component not listed is not covered.
    pub coverage: Vec<(Component, Coverage)>,
}

impl Default for WarrantyPolicy {
    /// A typical new-car warranty: the powertrain (engine, transmission,
    /// cooling) 5 years / 100 000 km; the 12 V battery 3 years / 60 000 km;
    /// brakes and tires, wear parts covered only for defects, 2 years /
    /// 40 000 km. Turbofans are not road vehicles and are not covered.
    fn default() -> Self {
        let powertrain = Coverage { months: 60, km: 100_000.0 };
        let wear = Coverage { months: 24, km: 40_000.0 };
        WarrantyPolicy {
            coverage: vec![
                (Component::Engine, powertrain),
                (Component::Cooling, powertrain),
                (Component::Transmission, powertrain),
                (Component::Battery, Coverage { months: 36, km: 60_000.0 }),
                (Component::Brakes, wear),
                (Component::Tires, wear),
            ],
        }
    }
}

impl WarrantyPolicy {
    /// The coverage of `component`, `None` when it is not covered.
    pub fn of(&self, component: Component) -> Option<Coverage> {
        self.coverage.iter().find(|(c, _)| *c == component).map(|(_, coverage)| *coverage)
    }
}
