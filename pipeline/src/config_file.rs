//! The optional TOML config file: its keys are long option names, turned
//! into command-line flags before parsing. Precedence: flags, then
//! environment variables, then the file, then defaults.

use std::ffi::OsString;
use std::path::Path;

use thiserror::Error;

/// Why a config file could not be applied.
#[derive(Debug, Error)]
pub enum ConfigFileError {
    /// The file could not be read.
    #[error("cannot read config file {path}")]
    Read {
        /// The file.
        path: String,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("config file {path} is not valid TOML")]
    Parse {
        /// The file.
        path: String,
        /// The parse error.
        #[source]
        source: toml::de::Error,
    },
    /// A value is a table or array, which no option takes.
    #[error("config key '{0}' must be a string, number or boolean")]
    Shape(String),
}

/// Returns `argv` with the config file's settings appended as flags, for
/// every key not already given as a flag or through its environment variable.
pub fn with_config_file(argv: Vec<OsString>) -> Result<Vec<OsString>, ConfigFileError> {
    let path = config_path(&argv).or_else(|| std::env::var_os("CARVROOOM_CONFIG"));
    let Some(path) = path else { return Ok(argv) };
    let path_text = Path::new(&path).display().to_string();
    let text =
        std::fs::read_to_string(&path).map_err(|source| ConfigFileError::Read { path: path_text.clone(), source })?;
    let table: toml::Table = text.parse().map_err(|source| ConfigFileError::Parse { path: path_text, source })?;
    let mut out = argv;
    for (key, value) in table {
        let flag = format!("--{key}");
        let env = format!("CARVROOOM_{}", key.to_uppercase().replace('-', "_"));
        let given = out.iter().any(|a| a.to_str().is_some_and(|a| a == flag || a.starts_with(&format!("{flag}="))));
        if given || std::env::var_os(&env).is_some() {
            continue;
        }
        match value {
            toml::Value::Boolean(true) if key.starts_with("no-") => out.push(flag.into()),
            toml::Value::Boolean(false) if key.starts_with("no-") => {}
            toml::Value::String(s) => out.extend([flag.into(), s.into()]),
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                out.extend([flag.into(), value.to_string().into()])
            }
            _ => return Err(ConfigFileError::Shape(key)),
        }
    }
    Ok(out)
}

fn config_path(argv: &[OsString]) -> Option<OsString> {
    let mut iter = argv.iter();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if text == "--config" {
            return iter.next().cloned();
        }
        if let Some(rest) = text.strip_prefix("--config=") {
            return Some(rest.into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn file_keys_become_flags_unless_given_on_the_command_line() {
        let dir = std::env::temp_dir().join(format!("carvrooom-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("c.toml");
        std::fs::write(&file, "topic = \"t\"\nepoch-ms = 50\nno-api = true\nparquet-dir = \"x\"\n").expect("write");
        let argv = args(&["carvrooom", "run", "--config", file.to_str().expect("utf-8"), "--topic", "cli"]);
        let out = with_config_file(argv).expect("applies");
        let tail: Vec<String> = out[5..].iter().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(tail, ["cli", "--epoch-ms", "50", "--no-api", "--parquet-dir", "x"]);
    }

    #[test]
    fn tables_are_rejected_with_the_key() {
        let dir = std::env::temp_dir().join(format!("carvrooom-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("c.toml");
        std::fs::write(&file, "[nested]\na = 1\n").expect("write");
        let err =
            with_config_file(args(&["carvrooom", "--config", file.to_str().expect("utf-8")])).expect_err("rejects");
        assert_eq!(err.to_string(), "config key 'nested' must be a string, number or boolean");
    }
}
