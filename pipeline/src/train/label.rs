//! Ground-truth RUL labels of a simulated fleet's windows.

/// The true RUL (km) of a component at odometer `km`, for training:
/// the distance to its failure when it fails later in the run; `cap` when
/// it does not fail and the run goes on for at least `cap` more km (its
/// remaining life is then known to be at least the cap); otherwise unknown
/// (`None`): after the failure, or too close to the end of the run to tell.
pub fn rul_label(km: Option<f64>, failure_km: Option<f64>, last_km: f64, cap: f64) -> Option<f64> {
    let km = km?;
    match failure_km {
        Some(failure) => (km <= failure).then_some(failure - km),
        None => (last_km - km >= cap).then_some(cap),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_count_down_to_failure_and_cap_the_healthy() {
        assert_eq!(rul_label(Some(1000.0), Some(1800.0), 9000.0, 5000.0), Some(800.0));
        assert_eq!(rul_label(Some(1800.0), Some(1800.0), 9000.0, 5000.0), Some(0.0));
        assert_eq!(rul_label(Some(1900.0), Some(1800.0), 9000.0, 5000.0), None);
        assert_eq!(rul_label(Some(1000.0), None, 9000.0, 5000.0), Some(5000.0));
        assert_eq!(rul_label(Some(4500.0), None, 9000.0, 5000.0), None);
        assert_eq!(rul_label(None, Some(1800.0), 9000.0, 5000.0), None);
    }
}
