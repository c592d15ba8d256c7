//! The options of `carvrooom simulate`: fleet size, run length, pacing,
//! formats and simulated time, as a clap argument group the CLI flattens.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::error::SimulateError;
use super::format::Format;

/// Messages produced when neither `--messages` nor `--duration` is given.
pub const DEFAULT_MESSAGES: u64 = 10_000;

/// A span of simulated time, written `90s`, `15m`, `6h`, `3d` or plain seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimSpan {
    /// Whole seconds.
    pub secs: u64,
}

impl SimSpan {
    /// A span of `secs` seconds.
    pub const fn seconds(secs: u64) -> SimSpan {
        SimSpan { secs }
    }
}

impl FromStr for SimSpan {
    type Err = String;

    fn from_str(text: &str) -> Result<SimSpan, String> {
        let text = text.trim();
        let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(at) => text.split_at(at),
            None => (text, "s"),
        };
        let number: u64 = digits.parse().map_err(|_| format!("'{text}' is not a span like 90s, 15m, 6h or 3d"))?;
        let scale = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            other => return Err(format!("unknown unit '{other}' in '{text}' (use s, m, h or d)")),
        };
        number.checked_mul(scale).map(SimSpan::seconds).ok_or_else(|| format!("'{text}' is too long"))
    }
}

impl fmt::Display for SimSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.secs {
            s if s > 0 && s % 86_400 == 0 => write!(f, "{}d", s / 86_400),
            s if s > 0 && s % 3_600 == 0 => write!(f, "{}h", s / 3_600),
            s if s > 0 && s % 60 == 0 => write!(f, "{}m", s / 60),
            s => write!(f, "{s}s"),
        }
    }
}

/// How the simulated fleet is sized, timed, encoded and delivered.
#[derive(Clone, Debug, clap::Args)]
pub struct SimulateOptions {
    /// Kafka bootstrap servers to produce to.
    #[arg(long, env = "CARVROOOM_BROKERS", default_value = "127.0.0.1:9092")]
    pub brokers: String,
    /// Topic the telemetry is produced to (record key = vehicle id).
    #[arg(long, env = "CARVROOOM_TOPIC", default_value = "vehicle.telemetry.raw")]
    pub topic: String,
    /// Number of simulated vehicles (`veh-0001` …).
    #[arg(long, env = "CARVROOOM_SIM_VEHICLES", default_value_t = 20)]
    pub vehicles: usize,
    /// Number of fleets (tenants) the vehicles are spread over (`fleet-1` …).
    #[arg(long, env = "CARVROOOM_SIM_FLEETS", default_value_t = 2)]
    pub fleets: usize,
    /// Total messages to produce, offline bursts included (default 10 000 unless `--duration` is given).
    #[arg(long, env = "CARVROOOM_SIM_MESSAGES", conflicts_with = "duration")]
    pub messages: Option<u64>,
    /// Simulated event time to cover instead of a message count, e.g. `36h` or `3d`.
    #[arg(long, env = "CARVROOOM_SIM_DURATION")]
    pub duration: Option<SimSpan>,
    /// Messages per second of wall-clock time (0: as fast as the broker takes them).
    #[arg(long, env = "CARVROOOM_SIM_RATE", default_value_t = 0.0)]
    pub rate: f64,
    /// Seed of every random choice: the same seed and options give byte-identical messages.
    #[arg(long, env = "CARVROOOM_SIM_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Share of vehicles (0–1) that develop a fault (pads, cooling, battery, tire or transmission).
    #[arg(long, env = "CARVROOOM_SIM_DEGRADE_SHARE", default_value_t = 0.3)]
    pub degrade_share: f64,
    /// Share of vehicles (0–1) that go offline for hours and upload their buffer on reconnect.
    #[arg(long, env = "CARVROOOM_SIM_OFFLINE_SHARE", default_value_t = 0.2)]
    pub offline_share: f64,
    /// Message formats to mix, each message choosing one: `json`, `obd`, `can`.
    #[arg(long, env = "CARVROOOM_SIM_FORMATS", value_enum, value_delimiter = ',', default_value = "json,obd,can")]
    pub formats: Vec<Format>,
    /// Event time of the first reading, RFC 3339 (default: now, rounded down to the hour).
    #[arg(long, env = "CARVROOOM_SIM_START")]
    pub start: Option<DateTime<Utc>>,
    /// Simulated event time between two readings of one vehicle.
    #[arg(long, env = "CARVROOOM_SIM_TICK", default_value = "60s")]
    pub tick: SimSpan,
    /// Simulated time between two messages of one vehicle (a multiple of
    /// `--tick`; default: every tick). The physics still steps every tick:
    /// a sparse report keeps long runs to a manageable number of messages.
    #[arg(long, env = "CARVROOOM_SIM_REPORT_EVERY")]
    pub report_every: Option<SimSpan>,
    /// Simulated time over which faults start and progress (default: the run's simulated length, at most 3 days).
    #[arg(long, env = "CARVROOOM_SIM_HORIZON")]
    pub horizon: Option<SimSpan>,
    /// Write the ground truth (fault onsets and failures) to this CSV file.
    #[arg(long, env = "CARVROOOM_SIM_TRUTH")]
    pub truth: Option<PathBuf>,
    /// Show a progress bar on a terminal (`--progress=false` to hide it).
    #[arg(long, env = "CARVROOOM_SIM_PROGRESS", default_value_t = true, action = clap::ArgAction::Set)]
    pub progress: bool,
}

impl Default for SimulateOptions {
    fn default() -> SimulateOptions {
        SimulateOptions {
            brokers: "127.0.0.1:9092".to_string(),
            topic: "vehicle.telemetry.raw".to_string(),
            vehicles: 20,
            fleets: 2,
            messages: None,
            duration: None,
            rate: 0.0,
            seed: 1,
            degrade_share: 0.3,
            offline_share: 0.2,
            formats: vec![Format::Json, Format::Obd, Format::Can],
            start: None,
            tick: SimSpan::seconds(60),
            report_every: None,
            horizon: None,
            truth: None,
            progress: true,
        }
    }
}

/// The longest default fault horizon: long or endless runs still show failures early.
const MAX_DEFAULT_HORIZON_S: u64 = 3 * 86_400;

impl SimulateOptions {
    /// Checks that the options describe a runnable simulation.
    pub fn validate(&self) -> Result<(), SimulateError> {
        let bad = |option, reason: &str| Err(SimulateError::Option { option, reason: reason.to_string() });
        if self.vehicles == 0 {
            return bad("vehicles", "at least one vehicle is needed");
        }
        if self.fleets == 0 || self.fleets > self.vehicles {
            return bad("fleets", "between 1 and the number of vehicles");
        }
        if !(0.0..=1.0).contains(&self.degrade_share) {
            return bad("degrade-share", "a share between 0 and 1");
        }
        if !(0.0..=1.0).contains(&self.offline_share) {
            return bad("offline-share", "a share between 0 and 1");
        }
        if !self.rate.is_finite() || self.rate < 0.0 {
            return bad("rate", "messages per second, 0 or more");
        }
        if self.formats.is_empty() {
            return bad("formats", "name at least one of json, obd, can");
        }
        if self.tick.secs == 0 {
            return bad("tick", "a simulated tick of at least one second");
        }
        if self.report_every.is_some_and(|r| r.secs == 0 || !r.secs.is_multiple_of(self.tick.secs)) {
            return bad("report-every", "a whole number of ticks");
        }
        if self.horizon.is_some_and(|h| h.secs == 0) || self.duration.is_some_and(|d| d.secs == 0) {
            return bad("horizon", "a span of at least one second");
        }
        Ok(())
    }

    /// The message limit: `--messages`, or the default when no duration is given.
    pub fn message_limit(&self) -> Option<u64> {
        match (self.messages, self.duration) {
            (Some(n), _) => Some(n),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_MESSAGES),
        }
    }

    /// Ticks between two messages of one vehicle.
    pub fn report_ticks(&self) -> u64 {
        self.report_every.map_or(1, |r| (r.secs / self.tick.secs.max(1)).max(1))
    }

    /// Vehicle rounds (ticks) the run lasts when a duration is given.
    pub fn round_limit(&self) -> Option<u64> {
        self.duration.map(|d| d.secs.div_ceil(self.tick.secs.max(1)))
    }

    /// Simulated seconds over which faults are planned.
    pub fn horizon_secs(&self) -> u64 {
        if let Some(horizon) = self.horizon {
            return horizon.secs;
        }
        let run = match (self.duration, self.message_limit()) {
            (Some(duration), _) => duration.secs,
            (None, Some(messages)) => {
                (messages / self.vehicles.max(1) as u64).saturating_mul(self.tick.secs).min(MAX_DEFAULT_HORIZON_S)
            }
            (None, None) => MAX_DEFAULT_HORIZON_S,
        };
        run.clamp(self.tick.secs.max(1), MAX_DEFAULT_HORIZON_S)
    }

    /// Event time of the first round, ms: `--start`, or now rounded down to the hour.
    pub fn start_ms(&self) -> i64 {
        match self.start {
            Some(start) => start.timestamp_millis(),
            None => {
                let now = Utc::now().timestamp_millis();
                now - now.rem_euclid(3_600_000)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::Parser;

    const START_MS: i64 = 1_795_500_000_000;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        options: SimulateOptions,
    }

    #[test]
    fn spans_parse_with_units_and_print_back() {
        for (text, secs, shown) in
            [("90s", 90, "90s"), ("15m", 900, "15m"), ("6h", 21_600, "6h"), ("3d", 259_200, "3d"), ("120", 120, "2m")]
        {
            let span: SimSpan = text.parse().unwrap();
            assert_eq!(span.secs, secs, "{text}");
            assert_eq!(span.to_string(), shown);
        }
        assert!("5w".parse::<SimSpan>().is_err());
        assert!("h".parse::<SimSpan>().is_err());
    }

    #[test]
    fn command_line_parses_into_the_options_and_defaults_match() {
        let cli = Cli::try_parse_from(["sim"]).unwrap();
        let defaults = SimulateOptions::default();
        assert_eq!(format!("{:?}", cli.options), format!("{defaults:?}"));
        let cli = Cli::try_parse_from([
            "sim",
            "--vehicles=5",
            "--formats=obd,can",
            "--start=2026-11-24T06:00:00Z",
            "--tick=2m",
            "--messages=7",
            "--progress=false",
            "--rate=200",
        ])
        .unwrap();
        let o = cli.options;
        assert_eq!((o.vehicles, o.tick.secs, o.messages, o.progress, o.rate), (5, 120, Some(7), false, 200.0));
        assert_eq!(o.formats, vec![Format::Obd, Format::Can]);
        assert_eq!(o.start_ms(), START_MS);
        assert!(Cli::try_parse_from(["sim", "--messages=5", "--duration=1d"]).is_err());
    }

    #[test]
    fn limits_and_horizon_follow_the_run_length() {
        let mut o = SimulateOptions { vehicles: 10, ..SimulateOptions::default() };
        assert_eq!((o.message_limit(), o.round_limit()), (Some(DEFAULT_MESSAGES), None));
        assert_eq!(o.horizon_secs(), 1_000 * 60);
        o.messages = Some(u64::MAX / 2);
        assert_eq!(o.horizon_secs(), MAX_DEFAULT_HORIZON_S);
        o.messages = None;
        o.duration = Some(SimSpan::seconds(86_400 + 30));
        assert_eq!((o.message_limit(), o.round_limit()), (None, Some(1_441)));
        assert_eq!(o.horizon_secs(), 86_430);
        o.horizon = Some(SimSpan::seconds(3_600));
        assert_eq!(o.horizon_secs(), 3_600);
    }

    #[test]
    fn invalid_options_are_errors_naming_the_option() {
        let check = |o: SimulateOptions| o.validate().unwrap_err().to_string();
        assert_eq!(
            check(SimulateOptions { vehicles: 0, ..SimulateOptions::default() }),
            "invalid simulate option --vehicles: at least one vehicle is needed"
        );
        assert!(
            check(SimulateOptions { degrade_share: 1.5, ..SimulateOptions::default() }).contains("--degrade-share")
        );
        assert!(check(SimulateOptions { formats: vec![], ..SimulateOptions::default() }).contains("--formats"));
        assert!(check(SimulateOptions { rate: -1.0, ..SimulateOptions::default() }).contains("--rate"));
        assert!(check(SimulateOptions { fleets: 30, ..SimulateOptions::default() }).contains("--fleets"));
        let sparse =
            |secs| SimulateOptions { report_every: Some(SimSpan::seconds(secs)), ..SimulateOptions::default() };
        assert!(check(sparse(90)).contains("--report-every"));
        assert_eq!((sparse(600).validate().is_ok(), sparse(600).report_ticks()), (true, 10));
        assert_eq!(SimulateOptions::default().report_ticks(), 1);
        assert!(SimulateOptions::default().validate().is_ok());
    }
}
