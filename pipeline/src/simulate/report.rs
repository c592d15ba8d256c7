//! What a simulation run produced: messages and readings per format,
//! bytes, offline-burst messages, the simulated time span and the faults.

use std::fmt;

use super::format::{Format, rfc3339};
use super::generate::Message;

/// A count per message format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FormatCounts {
    /// Named-signal JSON messages.
    pub json: u64,
    /// OBD-II messages.
    pub obd: u64,
    /// CAN messages.
    pub can: u64,
}

impl FormatCounts {
    /// Adds `n` to the count of `format`.
    pub fn add(&mut self, format: Format, n: u64) {
        match format {
            Format::Json => self.json += n,
            Format::Obd => self.obd += n,
            Format::Can => self.can += n,
        }
    }

    /// The sum over all formats.
    pub fn total(&self) -> u64 {
        self.json + self.obd + self.can
    }
}

/// The outcome of `carvrooom simulate`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimulateReport {
    /// Messages produced, by format.
    pub messages: FormatCounts,
    /// Signal values carried, by format.
    pub readings: FormatCounts,
    /// Payload bytes produced.
    pub bytes: u64,
    /// Messages sent late in an offline burst.
    pub buffered: u64,
    /// Earliest event time sent, ms.
    pub first_ts_ms: Option<i64>,
    /// Latest event time sent, ms.
    pub last_ts_ms: Option<i64>,
    /// Vehicles planned to degrade.
    pub degrading: usize,
    /// Faults that started within the run.
    pub faults_started: usize,
    /// Faults that reached failure within the run.
    pub failures: usize,
}

impl SimulateReport {
    /// Counts one produced message.
    pub fn count(&mut self, message: &Message) {
        self.messages.add(message.format, 1);
        self.readings.add(message.format, message.readings);
        self.bytes += message.payload.len() as u64;
        self.buffered += u64::from(message.buffered);
        self.first_ts_ms = Some(self.first_ts_ms.map_or(message.ts_ms, |t| t.min(message.ts_ms)));
        self.last_ts_ms = Some(self.last_ts_ms.map_or(message.ts_ms, |t| t.max(message.ts_ms)));
    }
}

impl fmt::Display for SimulateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (m, r) = (&self.messages, &self.readings);
        write!(
            f,
            "produced {} messages (json {}, obd {}, can {}; {} from offline buffers), {} readings (json {}, obd {}, can {}), {} bytes",
            m.total(),
            m.json,
            m.obd,
            m.can,
            self.buffered,
            r.total(),
            r.json,
            r.obd,
            r.can,
            self.bytes
        )?;
        if let (Some(first), Some(last)) = (self.first_ts_ms, self.last_ts_ms) {
            write!(f, "; event time {} .. {}", rfc3339(first), rfc3339(last))?;
        }
        write!(
            f,
            "; {} degrading vehicles, {} faults started, {} failed",
            self.degrading, self.faults_started, self.failures
        )
    }
}
