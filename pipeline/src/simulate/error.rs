//! Why a simulation could not be set up or delivered.

use std::path::PathBuf;

/// A simulator error: bad options, a Kafka failure or an unwritable truth file.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// An option value the simulator cannot run with.
    #[error("invalid simulate option --{option}: {reason}")]
    Option {
        /// The option's flag name.
        option: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// The project's CAN database could not be loaded for the `can` format.
    #[error("cannot load the can database")]
    Dbc(#[source] operators::decode::DecodeError),
    /// The Kafka producer could not be created or refused a record.
    #[error("kafka producer")]
    Kafka(#[from] rdkafka::error::KafkaError),
    /// The broker did not acknowledge a record.
    #[error("record for vehicle {key} was not delivered")]
    Delivery {
        /// The record key (vehicle id).
        key: String,
        /// Why delivery failed.
        #[source]
        source: rdkafka::error::KafkaError,
    },
    /// The producer dropped a delivery report (it was shut down mid-flight).
    #[error("the producer dropped a delivery report")]
    DeliveryCanceled,
    /// The ground-truth CSV could not be written.
    #[error("cannot write ground truth to {path}")]
    Truth {
        /// The truth file.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: std::io::Error,
    },
}
