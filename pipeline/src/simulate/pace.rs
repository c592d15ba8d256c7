//! Open-loop pacing: message `i` is due `i / rate` seconds after the start,
//! whatever happened to the messages before it, so a stall is caught up
//! rather than stretching the whole run.

use std::time::Duration;

/// When each message is due, for a rate in messages per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Pacer {
    rate: f64,
}

impl Pacer {
    /// A pacer for `rate` messages per second (0: unpaced).
    pub(super) fn new(rate: f64) -> Pacer {
        Pacer { rate }
    }

    /// How long after the start message `index` (from 0) is due; `None` when unpaced.
    pub(super) fn due(&self, index: u64) -> Option<Duration> {
        (self.rate > 0.0).then(|| Duration::from_secs_f64(index as f64 / self.rate))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_due_at_index_over_rate() {
        assert_eq!(Pacer::new(0.0).due(5), None);
        let p = Pacer::new(200.0);
        assert_eq!(p.due(0), Some(Duration::ZERO));
        assert_eq!(p.due(1), Some(Duration::from_millis(5)));
        assert_eq!(p.due(200), Some(Duration::from_secs(1)));
        assert_eq!(p.due(1_000_000_000), Some(Duration::from_secs(5_000_000)));
        assert_eq!(Pacer::new(3.0).due(1), Some(Duration::from_nanos(333_333_333)));
        assert_eq!(Pacer::new(0.5).due(3), Some(Duration::from_secs(6)));
    }

    #[test]
    fn the_schedule_is_open_loop() {
        // Due times depend on the index only: being late for one message
        // does not move the next one.
        let p = Pacer::new(4.0);
        let gaps: Vec<Duration> = (1..9).map(|i| p.due(i).unwrap() - p.due(i - 1).unwrap()).collect();
        assert!(gaps.iter().all(|g| *g == Duration::from_millis(250)));
    }
}
