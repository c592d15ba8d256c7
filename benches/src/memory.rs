//! Resident memory of this process, from `/proc/self/status`.

/// A `/proc/self/status` field in bytes (`VmHWM` peak, `VmRSS` current).
pub fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_status(&status, field)
}

/// Reads `field:   N kB` out of a status text, in bytes.
pub fn parse_status(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.split(':').next() == Some(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_in_bytes() {
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t    1024 kB\n";
        assert_eq!(parse_status(status, "VmHWM"), Some(2 * 1024 * 1024));
        assert_eq!(parse_status(status, "VmRSS"), Some(1024 * 1024));
        assert_eq!(parse_status(status, "VmSwap"), None);
        assert!(status_bytes("VmRSS").is_some_and(|b| b > 0));
    }
}
