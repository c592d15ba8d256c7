//! The ground truth of a run: for every vehicle component that degrades,
//! when (at what odometer) the fault started and when (at what odometer)
//! its physical quantity crossed the failure limit, written as CSV for
//! scoring the pipeline's alerts and RUL.

use std::io::Write;
use std::path::{Path, PathBuf};

use schemas::Component;

use super::degrade::Mode;
use super::error::SimulateError;
use super::format::rfc3339;

/// The CSV header of the truth file.
pub const TRUTH_HEADER: [&str; 8] = [
    "vehicle_id",
    "fleet_id",
    "component",
    "mode",
    "onset_ts",
    "onset_odometer_km",
    "failure_ts",
    "failure_odometer_km",
];

/// One degrading vehicle component.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthRow {
    /// The vehicle.
    pub vehicle_id: String,
    /// Its fleet.
    pub fleet_id: String,
    /// How it degrades.
    pub mode: Mode,
    /// Event time the fault started, ms.
    pub onset_ms: i64,
    /// Odometer when the fault started, km.
    pub onset_odometer_km: f64,
    /// Event time the failure threshold was first crossed, ms (`None`: not within the run).
    pub failure_ms: Option<i64>,
    /// Odometer at the failure, km.
    pub failure_odometer_km: Option<f64>,
}

impl TruthRow {
    /// The component that degrades.
    pub fn component(&self) -> Component {
        self.mode.component()
    }
}

/// Writes `rows` as CSV (with [`TRUTH_HEADER`]) to `out`.
pub fn write_csv(rows: &[TruthRow], out: impl Write) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(TRUTH_HEADER)?;
    for row in rows {
        writer.write_record([
            row.vehicle_id.clone(),
            row.fleet_id.clone(),
            row.component().to_string(),
            row.mode.as_str().to_string(),
            rfc3339(row.onset_ms),
            format!("{:.1}", row.onset_odometer_km),
            row.failure_ms.map(rfc3339).unwrap_or_default(),
            row.failure_odometer_km.map(|km| format!("{km:.1}")).unwrap_or_default(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// Replaces the truth file at `path` with `rows`: written to a temporary
/// name beside it and renamed, so a reader never sees half a file.
pub fn write_file(path: &Path, rows: &[TruthRow]) -> Result<(), SimulateError> {
    let fail = |source: std::io::Error| SimulateError::Truth { path: path.to_path_buf(), source };
    let mut temp = PathBuf::from(path);
    temp.as_mut_os_string().push(".tmp");
    let file = std::fs::File::create(&temp).map_err(fail)?;
    write_csv(rows, std::io::BufWriter::new(file)).map_err(|e| fail(e.into()))?;
    std::fs::rename(&temp, path).map_err(fail)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_print_as_rfc3339_with_empty_failures() {
        let rows = [
            TruthRow {
                vehicle_id: "veh-0001".into(),
                fleet_id: "fleet-1".into(),
                mode: Mode::PadWear,
                onset_ms: 1_795_500_000_000,
                onset_odometer_km: 9_876.5,
                failure_ms: Some(1_795_586_400_000),
                failure_odometer_km: Some(10_234.5),
            },
            TruthRow {
                vehicle_id: "veh-0002".into(),
                fleet_id: "fleet-2".into(),
                mode: Mode::WeakBattery,
                onset_ms: 1_795_500_060_000,
                onset_odometer_km: 20_000.0,
                failure_ms: None,
                failure_odometer_km: None,
            },
        ];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "vehicle_id,fleet_id,component,mode,onset_ts,onset_odometer_km,failure_ts,failure_odometer_km\n\
             veh-0001,fleet-1,brakes,pad_wear,2026-11-24T06:00:00Z,9876.5,2026-11-25T06:00:00Z,10234.5\n\
             veh-0002,fleet-2,battery,weak_battery,2026-11-24T06:01:00Z,20000.0,,\n"
        );
        let dir = std::env::temp_dir().join(format!("carvrooom-truth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("truth.csv");
        write_file(&path, &rows).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
