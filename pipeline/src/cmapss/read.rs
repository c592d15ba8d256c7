//! The C-MAPSS text format: one row per engine cycle, space-separated —
//! unit, cycle, 3 operational settings, 21 sensor measurements.

use std::path::Path;

use sha2::{Digest, Sha256};

use schemas::{TURBOFAN_SENSORS, TURBOFAN_SETTINGS};

use super::error::CmapssError;

/// One cycle of one engine.
#[derive(Clone, Debug, PartialEq)]
pub struct CmapssRow {
    /// Engine number.
    pub unit: u32,
    /// Cycle number (1 = first).
    pub cycle: u32,
    /// Operational settings 1–3.
    pub settings: [f64; TURBOFAN_SETTINGS as usize],
    /// Sensors 1–21.
    pub sensors: [f64; TURBOFAN_SENSORS as usize],
}

/// Columns of a row.
const COLUMNS: usize = 2 + TURBOFAN_SETTINGS as usize + TURBOFAN_SENSORS as usize;

/// Parses C-MAPSS text; blank lines are skipped, anything else malformed is an error naming its line.
pub fn parse(text: &str) -> Result<Vec<CmapssRow>, CmapssError> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let bad = |reason: String| CmapssError::Row { line: i + 1, reason };
        if fields.len() != COLUMNS {
            return Err(bad(format!("expected {COLUMNS} columns, found {}", fields.len())));
        }
        let whole = |j: usize, name: &str| {
            fields[j]
                .parse::<u32>()
                .ok()
                .filter(|v| *v > 0)
                .ok_or_else(|| bad(format!("{name} '{}' is not a positive integer", fields[j])))
        };
        let (unit, cycle) = (whole(0, "unit")?, whole(1, "cycle")?);
        let mut numbers = [0.0; COLUMNS - 2];
        for (j, slot) in numbers.iter_mut().enumerate() {
            let text = fields[j + 2];
            *slot = text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(format!("column {} '{text}' is not a number", j + 3)))?;
        }
        let mut row = CmapssRow { unit, cycle, settings: [0.0; 3], sensors: [0.0; 21] };
        row.settings.copy_from_slice(&numbers[..TURBOFAN_SETTINGS as usize]);
        row.sensors.copy_from_slice(&numbers[TURBOFAN_SETTINGS as usize..]);
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(CmapssError::Empty);
    }
    Ok(rows)
}

/// Reads and parses a C-MAPSS file: its rows and the SHA-256 of its bytes (hex).
pub fn read(path: &Path) -> Result<(Vec<CmapssRow>, String), CmapssError> {
    let bytes = std::fs::read(path).map_err(|source| CmapssError::Io { path: path.into(), source })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok((parse(&text)?, hex::encode(Sha256::digest(&bytes))))
}
