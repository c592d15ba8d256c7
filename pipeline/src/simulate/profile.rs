//! Driving profiles: how fast, how far per day, how long per trip and how
//! hard on the brakes an urban, highway or mixed-use vehicle is driven.

use rand::Rng;
use rand::rngs::StdRng;

use super::random::normal;

/// The kind of use a vehicle sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Profile {
    /// Delivery vans in town: slow, stop-and-go, short trips.
    Urban,
    /// Long-haul trucks: steady high speed, long trips.
    Highway,
    /// Regional service vehicles: a mix of both.
    Mixed,
}

impl Profile {
    /// Every profile, for seeded choice.
    pub(super) const ALL: [Profile; 3] = [Profile::Urban, Profile::Highway, Profile::Mixed];

    /// Range of the vehicle's planned kilometres per day.
    pub(super) fn km_per_day(self) -> (f64, f64) {
        match self {
            Profile::Urban => (80.0, 200.0),
            Profile::Highway => (300.0, 600.0),
            Profile::Mixed => (150.0, 380.0),
        }
    }

    /// Average speed over a trip (stops included), km/h.
    pub(super) fn mean_speed(self) -> f64 {
        match self {
            Profile::Urban => 30.0,
            Profile::Highway => 95.0,
            Profile::Mixed => 55.0,
        }
    }

    /// Mean trip length, minutes.
    pub(super) fn trip_minutes(self) -> f64 {
        match self {
            Profile::Urban => 35.0,
            Profile::Highway => 150.0,
            Profile::Mixed => 70.0,
        }
    }

    /// Brake use per km relative to mixed driving.
    pub(super) fn braking(self) -> f64 {
        match self {
            Profile::Urban => 1.6,
            Profile::Highway => 0.5,
            Profile::Mixed => 1.0,
        }
    }

    /// The speed the driver aims for in the next tick, km/h (0: stopped in traffic).
    pub(super) fn target_speed(self, rng: &mut StdRng) -> f64 {
        let urban = |rng: &mut StdRng| {
            if rng.random_bool(0.18) { 0.0 } else { normal(rng, 36.0, 12.0).clamp(8.0, 70.0) }
        };
        match self {
            Profile::Urban => urban(rng),
            Profile::Highway => {
                if rng.random_bool(0.03) {
                    0.0
                } else {
                    normal(rng, 98.0, 10.0).clamp(60.0, 130.0)
                }
            }
            Profile::Mixed => {
                if rng.random_bool(0.5) {
                    urban(rng)
                } else {
                    normal(rng, 80.0, 15.0).clamp(40.0, 120.0)
                }
            }
        }
    }
}

/// Engine speed for a road speed: idle when (nearly) stopped, else the
/// speed times the ratio of the gear an automatic would pick.
pub(super) fn engine_rpm(speed_kmh: f64) -> f64 {
    const IDLE: f64 = 750.0;
    if speed_kmh < 3.0 {
        return IDLE;
    }
    let rpm_per_kmh = match speed_kmh {
        s if s < 15.0 => 110.0,
        s if s < 30.0 => 60.0,
        s if s < 50.0 => 42.0,
        s if s < 70.0 => 33.0,
        s if s < 95.0 => 27.0,
        _ => 22.0,
    };
    (speed_kmh * rpm_per_kmh).max(IDLE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn rpm_follows_the_gears() {
        assert_eq!(engine_rpm(0.0), 750.0);
        assert_eq!(engine_rpm(10.0), 1_100.0);
        assert_eq!(engine_rpm(40.0), 1_680.0);
        assert_eq!(engine_rpm(100.0), 2_200.0);
    }

    #[test]
    fn target_speeds_average_near_the_profile_mean() {
        let mut rng = StdRng::seed_from_u64(11);
        for profile in Profile::ALL {
            let n = 20_000;
            let mean = (0..n).map(|_| profile.target_speed(&mut rng)).sum::<f64>() / f64::from(n);
            assert!((mean - profile.mean_speed()).abs() < 0.12 * profile.mean_speed(), "{profile:?}: {mean}");
        }
    }
}
