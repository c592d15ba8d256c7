//! The discretised planning horizon: every UTC day is cut into slots of
//! `slot_minutes` starting at midnight, and a technician can take a slot
//! that lies entirely inside their shift.

use schemas::{Technician, TsMs};

use super::plan::PlanError;

/// Milliseconds per day.
pub(crate) const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;
const MINUTES_PER_DAY: u32 = 1440;
/// The longest horizon the planner accepts, days.
pub(crate) const MAX_HORIZON_DAYS: u32 = 366;

/// One appointment slot, `[start_ms, end_ms)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Slot {
    /// Start, ms.
    pub start_ms: TsMs,
    /// End (exclusive), ms.
    pub end_ms: TsMs,
}

impl Slot {
    /// Minute of the UTC day at which the slot starts.
    fn start_minute(&self) -> i64 {
        self.start_ms.rem_euclid(DAY_MS) / MINUTE_MS
    }
}

/// The slots starting in `[now_ms, now_ms + horizon_days)`, in time order.
pub(crate) fn horizon_slots(now_ms: TsMs, horizon_days: u32, slot_minutes: u32) -> Result<Vec<Slot>, PlanError> {
    if slot_minutes == 0 || slot_minutes > MINUTES_PER_DAY {
        return Err(PlanError::SlotLength(slot_minutes));
    }
    if horizon_days > MAX_HORIZON_DAYS {
        return Err(PlanError::HorizonTooLong(horizon_days));
    }
    let len_ms = i64::from(slot_minutes) * MINUTE_MS;
    let per_day = i64::from(MINUTES_PER_DAY / slot_minutes);
    let end_ms = now_ms.saturating_add(i64::from(horizon_days) * DAY_MS);
    let first_day = now_ms.div_euclid(DAY_MS);
    let last_day = end_ms.div_euclid(DAY_MS);
    let mut slots = Vec::new();
    for day in first_day..=last_day {
        for i in 0..per_day {
            let start_ms = day * DAY_MS + i * len_ms;
            if start_ms >= now_ms && start_ms < end_ms {
                slots.push(Slot { start_ms, end_ms: start_ms + len_ms });
            }
        }
    }
    Ok(slots)
}

/// Checks a technician's shift hours: each at most 24.
pub(crate) fn check_shift(technician: &Technician) -> Result<(), PlanError> {
    if technician.shift_start_hour > 24 || technician.shift_end_hour > 24 {
        return Err(PlanError::Shift {
            technician_id: technician.technician_id.clone(),
            start: technician.shift_start_hour,
            end: technician.shift_end_hour,
        });
    }
    Ok(())
}

/// True when `slot` lies inside the technician's shift. A shift whose end
/// hour is before its start runs overnight; equal hours mean no shift.
pub(crate) fn on_shift(technician: &Technician, slot: &Slot, slot_minutes: u32) -> bool {
    let from = i64::from(technician.shift_start_hour) * 60;
    let to = i64::from(technician.shift_end_hour) * 60;
    let start = slot.start_minute();
    let end = start + i64::from(slot_minutes);
    if from < to {
        from <= start && end <= to
    } else if from > to {
        start >= from || end <= to
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tech(start: u8, end: u8) -> Technician {
        Technician {
            technician_id: "t".into(),
            name: "T".into(),
            depot: "d".into(),
            skills: vec![],
            shift_start_hour: start,
            shift_end_hour: end,
        }
    }

    #[test]
    fn slots_cover_the_horizon_from_now() {
        let now = 10 * DAY_MS + 13 * 60 * MINUTE_MS; // day 10, 13:00
        let slots = horizon_slots(now, 1, 360).expect("valid");
        let hours: Vec<i64> = slots.iter().map(|s| (s.start_ms - 10 * DAY_MS) / (60 * MINUTE_MS)).collect();
        assert_eq!(hours, vec![18, 24, 30, 36]);
        assert_eq!(slots[0].end_ms - slots[0].start_ms, 360 * MINUTE_MS);
        assert_eq!(horizon_slots(now, 0, 120).expect("valid"), vec![]);
        assert!(matches!(horizon_slots(now, 1, 0), Err(PlanError::SlotLength(0))));
        assert!(matches!(horizon_slots(now, 1, 1441), Err(PlanError::SlotLength(1441))));
        assert!(matches!(horizon_slots(now, 400, 60), Err(PlanError::HorizonTooLong(400))));
    }

    #[test]
    fn shifts_contain_whole_slots_and_may_run_overnight() {
        let at = |h: i64| Slot { start_ms: h * 60 * MINUTE_MS, end_ms: (h + 2) * 60 * MINUTE_MS };
        let day = tech(8, 16);
        assert!(on_shift(&day, &at(8), 120));
        assert!(on_shift(&day, &at(14), 120));
        assert!(!on_shift(&day, &at(15), 120));
        assert!(!on_shift(&day, &at(6), 120));
        let night = tech(22, 6);
        assert!(on_shift(&night, &at(22), 120));
        assert!(on_shift(&night, &at(4), 120));
        assert!(!on_shift(&night, &at(6), 120));
        assert!(!on_shift(&night, &at(21), 120));
        assert!(!on_shift(&tech(8, 8), &at(8), 120));
        assert!(on_shift(&tech(0, 24), &at(22), 120));
        assert!(check_shift(&tech(0, 24)).is_ok());
        assert!(matches!(check_shift(&tech(8, 25)), Err(PlanError::Shift { end: 25, .. })));
    }
}
