//! Our clap cluster flags → `timely::Config`: timely's own cluster mode, no
//! home-made clustering. A cluster restarts as a whole.

use std::path::Path;

use thiserror::Error;
use timely::CommunicationConfig;

use crate::cli::ClusterArgs;

/// Why the cluster flags do not describe a cluster.
#[derive(Debug, Error)]
pub enum ClusterError {
    /// `--workers` was zero.
    #[error("--workers must be at least 1")]
    NoWorkers,
    /// `--process` is not below `--processes`.
    #[error("--process {process} is not below --processes {processes}")]
    ProcessIndex {
        /// The index given.
        process: usize,
        /// The process count.
        processes: usize,
    },
    /// Several processes need a host file.
    #[error("--processes {0} needs --hostfile with one host:port per process")]
    NoHostfile(usize),
    /// The host file could not be read.
    #[error("cannot read host file {path}")]
    Hostfile {
        /// The file.
        path: String,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The host file lists another number of hosts than `--processes`.
    #[error("host file lists {found} hosts, --processes is {expected}")]
    HostCount {
        /// Hosts in the file.
        found: usize,
        /// `--processes`.
        expected: usize,
    },
}

/// Builds the timely configuration the flags describe.
pub fn timely_config(args: &ClusterArgs) -> Result<timely::Config, ClusterError> {
    if args.workers == 0 {
        return Err(ClusterError::NoWorkers);
    }
    if args.process >= args.processes.max(1) {
        return Err(ClusterError::ProcessIndex { process: args.process, processes: args.processes });
    }
    let communication = if args.processes <= 1 {
        if args.workers == 1 { CommunicationConfig::Thread } else { CommunicationConfig::Process(args.workers) }
    } else {
        let path = args.hostfile.as_deref().ok_or(ClusterError::NoHostfile(args.processes))?;
        let addresses = read_hosts(path)?;
        if addresses.len() != args.processes {
            return Err(ClusterError::HostCount { found: addresses.len(), expected: args.processes });
        }
        CommunicationConfig::Cluster {
            threads: args.workers,
            process: args.process,
            addresses,
            report: false,
            zerocopy: false,
        }
    };
    Ok(timely::Config { communication, worker: timely::WorkerConfig::default() })
}

fn read_hosts(path: &Path) -> Result<Vec<String>, ClusterError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ClusterError::Hostfile { path: path.display().to_string(), source })?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(workers: usize, processes: usize, process: usize) -> ClusterArgs {
        ClusterArgs { workers, processes, process, hostfile: None }
    }

    #[test]
    fn single_process_configs() {
        assert!(matches!(timely_config(&args(1, 1, 0)).map(|c| c.communication), Ok(CommunicationConfig::Thread)));
        assert!(matches!(timely_config(&args(2, 1, 0)).map(|c| c.communication), Ok(CommunicationConfig::Process(2))));
    }

    #[test]
    fn bad_flags_are_explained() {
        assert_eq!(
            timely_config(&args(0, 1, 0)).err().map(|e| e.to_string()),
            Some("--workers must be at least 1".into())
        );
        assert_eq!(
            timely_config(&args(1, 2, 2)).err().map(|e| e.to_string()),
            Some("--process 2 is not below --processes 2".into())
        );
        assert_eq!(
            timely_config(&args(1, 2, 0)).err().map(|e| e.to_string()),
            Some("--processes 2 needs --hostfile with one host:port per process".into())
        );
    }

    #[test]
    fn hostfile_gives_the_cluster() {
        let dir = std::env::temp_dir().join(format!("carvrooom-hosts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("hosts");
        std::fs::write(&file, "127.0.0.1:2101\n# comment\n127.0.0.1:2102\n").expect("write");
        let mut a = args(2, 2, 1);
        a.hostfile = Some(file);
        match timely_config(&a).map(|c| c.communication) {
            Ok(CommunicationConfig::Cluster { threads, process, addresses, .. }) => {
                assert_eq!((threads, process), (2, 1));
                assert_eq!(addresses, vec!["127.0.0.1:2101".to_string(), "127.0.0.1:2102".to_string()]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
