//! Splits a batch's `(row, diff)` changes into what a sink must do per natural
//! key: upsert the inserted version, or act on a key that was only retracted.
//!
//! Every store and the event publisher read a [`ResultBatch`](crate::ResultBatch)
//! the same way, so the rule lives once: a key with an inserted row (diff > 0)
//! is upserted with that row — a retraction of an older version of the same key
//! is then just the "before" of an update — and a key whose rows were all
//! retracted is withdrawn, cancelled or deleted, depending on the table.

use std::collections::BTreeMap;

use schemas::{Alert, Appointment, Decision, HealthRow, RawRecord};

/// The effect of one collection's changes, by natural key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedChanges<'a, T> {
    /// One row per key that has an inserted row: the greatest inserted row of
    /// that key, so a (malformed) batch with two versions still writes one
    /// deterministic row. Sorted by key.
    pub upserts: Vec<&'a T>,
    /// One retracted row per key that has no inserted row (the greatest
    /// retracted row of that key). Sorted by key.
    pub retracted_only: Vec<&'a T>,
    /// Keys that have both a retraction and an insertion (an update).
    pub updated: Vec<&'a T>,
}

/// Groups `changes` by `key` and classifies each key (see [`KeyedChanges`]).
///
/// The keys borrow from the rows, and grouping sorts them: a batch arrives
/// sorted by row, which for every table here is nearly sorted by key, so the
/// sort is close to one pass.
pub fn by_key<'a, T: Ord, K: Ord>(changes: &'a [(T, isize)], key: impl Fn(&'a T) -> K) -> KeyedChanges<'a, T> {
    let mut keyed: Vec<(K, bool, &T)> =
        changes.iter().filter(|(_, diff)| *diff != 0).map(|(row, diff)| (key(row), *diff > 0, row)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = KeyedChanges { upserts: Vec::new(), retracted_only: Vec::new(), updated: Vec::new() };
    for rows in keyed.chunk_by(|a, b| a.0 == b.0) {
        let greatest = |inserted: bool| rows.iter().filter(|r| r.1 == inserted).map(|r| r.2).max();
        match (greatest(true), greatest(false)) {
            (Some(row), Some(_)) => {
                out.upserts.push(row);
                out.updated.push(row);
            }
            (Some(row), None) => out.upserts.push(row),
            (None, Some(row)) => out.retracted_only.push(row),
            (None, None) => {}
        }
    }
    out
}

/// Health changes by `(fleet, vehicle, component, ts, model_version)`.
pub fn health(changes: &[(HealthRow, isize)]) -> KeyedChanges<'_, HealthRow> {
    by_key(changes, |r| (&*r.fleet_id, &*r.vehicle_id, r.component, r.ts_ms, &*r.model_version))
}

/// Alert changes by alert id.
pub fn alerts(changes: &[(Alert, isize)]) -> KeyedChanges<'_, Alert> {
    by_key(changes, |a| a.alert_id.as_str())
}

/// Decision changes by decision id.
pub fn decisions(changes: &[(Decision, isize)]) -> KeyedChanges<'_, Decision> {
    by_key(changes, |d| d.decision_id.as_str())
}

/// Appointment changes by appointment id.
pub fn appointments(changes: &[(Appointment, isize)]) -> KeyedChanges<'_, Appointment> {
    by_key(changes, |a| a.appointment_id.as_str())
}

/// `(fleet_id, vehicle_id)` pairs, sorted and distinct.
pub fn distinct_vehicles(seen: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = seen.iter().map(|(f, v)| (f.as_str(), v.as_str())).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `(partition, next offset)` for every partition `raw` holds records of,
/// partitions ascending: the offset just past the last record of each, so a
/// store that writes it with the batch tells how far its rows go.
pub fn next_offsets(raw: &[RawRecord]) -> Vec<(i32, i64)> {
    let mut next = BTreeMap::new();
    for record in raw {
        let slot = next.entry(record.pos.partition).or_insert(record.pos.offset + 1);
        *slot = (*slot).max(record.pos.offset + 1);
    }
    next.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_inserts_updates_and_retractions() {
        let changes = vec![
            (("a", 1), 1),
            (("b", 1), -1),
            (("b", 2), 1),
            (("c", 1), -1),
            (("d", 1), 0),
            (("e", 1), 2),
            (("e", 2), 1),
        ];
        let out = by_key(&changes, |r| r.0);
        assert_eq!(out.upserts, vec![&("a", 1), &("b", 2), &("e", 2)]);
        assert_eq!(out.updated, vec![&("b", 2)]);
        assert_eq!(out.retracted_only, vec![&("c", 1)]);
    }

    #[test]
    fn distinct_vehicles_sorts_and_dedups() {
        let seen = vec![
            ("f2".to_string(), "v1".to_string()),
            ("f1".to_string(), "v2".to_string()),
            ("f2".to_string(), "v1".to_string()),
        ];
        assert_eq!(distinct_vehicles(&seen), vec![("f1", "v2"), ("f2", "v1")]);
    }

    #[test]
    fn next_offsets_is_one_past_the_last_record_of_each_partition() {
        let record = |partition, offset| RawRecord {
            pos: schemas::LogPos { partition, offset },
            append_ms: 0,
            key: None,
            payload: Vec::new(),
        };
        let raw = vec![record(3, 7), record(1, 40), record(3, 9), record(3, 8), record(1, 2)];
        assert_eq!(next_offsets(&raw), vec![(1, 41), (3, 10)]);
        assert_eq!(next_offsets(&[]), vec![]);
    }
}
