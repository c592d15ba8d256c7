//! The maintained components of a vehicle and the health bands they move through.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A component that gets a health score, a band and a remaining useful life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Engine: oil temperature, load, powertrain DTCs.
    Engine,
    /// Cooling system: coolant temperature.
    Cooling,
    /// Brakes: pad wear per wheel, chassis DTCs.
    Brakes,
    /// Transmission: transmission fluid temperature.
    Transmission,
    /// 12 V battery: battery / control-module voltage.
    Battery,
    /// Tires: pressure per wheel.
    Tires,
    /// A turbofan engine (the NASA C-MAPSS assets): gas-path temperatures,
    /// pressures and speeds; its usage axis is flight cycles.
    Turbofan,
}

impl Component {
    /// Every component, in a fixed order.
    pub const ALL: [Component; 7] = [
        Component::Engine,
        Component::Cooling,
        Component::Brakes,
        Component::Transmission,
        Component::Battery,
        Component::Tires,
        Component::Turbofan,
    ];

    /// The lowercase name used in tables, topics and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Engine => "engine",
            Component::Cooling => "cooling",
            Component::Brakes => "brakes",
            Component::Transmission => "transmission",
            Component::Battery => "battery",
            Component::Tires => "tires",
            Component::Turbofan => "turbofan",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Component {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Component::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown component '{s}'"))
    }
}

/// The health band of a component, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Nothing to do.
    Healthy,
    /// Trending the wrong way; keep an eye on it.
    Watch,
    /// Needs service soon: opens a warning alert.
    Degraded,
    /// Needs service now: opens a critical alert.
    Critical,
}

impl Band {
    /// Every band, best first.
    pub const ALL: [Band; 4] = [Band::Healthy, Band::Watch, Band::Degraded, Band::Critical];

    /// The lowercase name used in tables and events.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Healthy => "healthy",
            Band::Watch => "watch",
            Band::Degraded => "degraded",
            Band::Critical => "critical",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Band {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Band::ALL.into_iter().find(|b| b.as_str() == s).ok_or_else(|| format!("unknown band '{s}'"))
    }
}
