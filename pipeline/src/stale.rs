//! Removes the unfinished `.tmp` files a killed run left in the Parquet
//! archive. Their rows were never published and their offsets never
//! committed, so the restarted pipeline writes them again; left in place,
//! readers such as pyarrow that do not filter by extension would see them.

use std::path::Path;

/// Deletes every `*.tmp` file below `dir`; returns how many.
pub fn remove_unfinished(dir: &Path) -> std::io::Result<usize> {
    if !dir.exists() {
        return Ok(0);
    }
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            removed += remove_unfinished(&path)?;
        } else if path.extension().is_some_and(|e| e == "tmp") {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tmp_files_go() {
        let dir = std::env::temp_dir().join(format!("carvrooom-stale-{}", std::process::id()));
        let day = dir.join("raw").join("date=2026-11-24");
        std::fs::create_dir_all(&day).expect("dirs");
        std::fs::write(day.join("part-w0-0-0-000000.parquet"), b"x").expect("write");
        std::fs::write(day.join("part-w0-0-9-000001.parquet.tmp"), b"x").expect("write");
        assert_eq!(remove_unfinished(&dir).expect("sweep"), 1);
        assert!(day.join("part-w0-0-0-000000.parquet").exists());
        assert_eq!(remove_unfinished(&dir.join("missing")).expect("sweep"), 0);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
