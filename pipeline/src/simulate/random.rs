//! The seeded samplers the fleet model draws from: uniform, normal and
//! exponential variates over one `StdRng`, so a seed fixes every draw.

use rand::Rng;
use rand::rngs::StdRng;

/// A uniform variate in `[lo, hi)` (`lo` when the range is empty).
pub(super) fn uniform(rng: &mut StdRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// A normal variate (Box–Muller), mean `mean`, standard deviation `sd`.
pub(super) fn normal(rng: &mut StdRng, mean: f64, sd: f64) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// An exponential variate with mean `mean`.
pub(super) fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    -mean * (1.0 - rng.random::<f64>()).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn samplers_have_the_requested_moments() {
        let mut rng = StdRng::seed_from_u64(3);
        let n = 20_000;
        let normals: Vec<f64> = (0..n).map(|_| normal(&mut rng, 10.0, 2.0)).collect();
        let mean = normals.iter().sum::<f64>() / n as f64;
        let var = normals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 10.0).abs() < 0.05, "{mean}");
        assert!((var.sqrt() - 2.0).abs() < 0.05, "{var}");
        let exp_mean = (0..n).map(|_| exponential(&mut rng, 5.0)).sum::<f64>() / n as f64;
        assert!((exp_mean - 5.0).abs() < 0.15, "{exp_mean}");
        assert!((0..n).map(|_| uniform(&mut rng, 2.0, 3.0)).all(|x| (2.0..3.0).contains(&x)));
        assert_eq!(uniform(&mut rng, 4.0, 4.0), 4.0);
    }
}
