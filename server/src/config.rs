//! Configuration from the environment (or command-line flags), with documented defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Pretty,
    /// One JSON object per line, for production log collectors.
    Json,
}

/// Everything the server reads from its environment. Each field is also a flag of `server serve`.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` (embedded default) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/guantong.db?mode=rwc"
    )]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,

    /// Directory holding the built site (`pkg/` with the wasm, js and css, plus public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "pretty")]
    pub log_format: LogFormat,

    /// Mark cookies `Secure` (set when the site is served over TLS, e.g. behind a proxy).
    #[arg(long, env = "GUANTONG_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Directory for dossier attachments (kept outside the web root, under random names).
    #[arg(long, env = "GUANTONG_UPLOAD_DIR", default_value = "data/uploads")]
    pub upload_dir: PathBuf,

    /// The most every attachment stored may take together, in MB (MiB); uploads beyond it are
    /// refused until files are removed.
    #[arg(long, env = "GUANTONG_UPLOAD_MAX_TOTAL_MB", default_value_t = store::attachments::MAX_TOTAL_BYTES / MB, value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_max_total_mb: u64,

    /// The most dossiers one account may hold, whatever their states (a default of this
    /// installation, not a rule of the policy): a start beyond it is refused, naming it.
    #[arg(long, env = "GUANTONG_DOSSIERS_PER_ACCOUNT", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub dossiers_per_account: u32,

    /// Sign-in attempts allowed per client address in 10 minutes (beyond the per-account lockout).
    #[arg(long, env = "GUANTONG_LOGIN_ATTEMPTS_PER_IP", default_value_t = 30)]
    pub login_attempts_per_ip: u32,

    /// Hours a session lasts at most, however busy (its absolute lifetime).
    #[arg(long, env = "GUANTONG_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=24 * 90))]
    pub session_hours: u32,

    /// Minutes without use after which a session ends (its idle timeout).
    #[arg(long, env = "GUANTONG_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=60 * 24 * 90))]
    pub session_idle_minutes: u32,

    /// A secret that opens `GET /metrics` (as `Authorization: Bearer <token>`); without it the
    /// metrics are not served at all.
    #[arg(long, env = "GUANTONG_METRICS_TOKEN")]
    pub metrics_token: Option<String>,

    /// Seconds the server keeps answering the requests in flight after SIGTERM or Ctrl-C; then
    /// it closes the connections still open (a stalled upload, half a request) and exits.
    #[arg(long, env = "GUANTONG_SHUTDOWN_GRACE_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=600))]
    pub shutdown_grace_seconds: u64,

    /// End-to-end tests only: adds `POST /test/clock`, which moves the server's day forward.
    #[arg(long, env = "GUANTONG_TEST_CLOCK", default_value_t = false)]
    pub test_clock: bool,
}

/// The keys that seal ID numbers at rest (`store::pii`), from `GUANTONG_PII_KEYS`
/// (`name:64-hex,…`, the first seals, all open: add a new key first to rotate, then run `server
/// pii reseal`) and `GUANTONG_PII_INDEX_KEY` (64 hex digits, the keyed hash that finds a number;
/// keep it). From the environment only, never a flag: a flag shows in the process list. Neither
/// set: none (the development keys serve, and protect nothing).
pub fn pii_keys_from_env() -> Result<Option<store::pii::Keys>, String> {
    let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match (var("GUANTONG_PII_KEYS"), var("GUANTONG_PII_INDEX_KEY")) {
        (None, None) => Ok(None),
        (Some(sealing), Some(index)) => store::pii::Keys::parse(&sealing, &index)
            .map(Some)
            .map_err(|e| format!("GUANTONG_PII_KEYS / GUANTONG_PII_INDEX_KEY: {e}")),
        _ => Err("set both GUANTONG_PII_KEYS and GUANTONG_PII_INDEX_KEY, or neither".into()),
    }
}

/// Installs the configured keys (see [`pii_keys_from_env`]) for this process, once.
pub fn install_pii_keys() -> Result<(), String> {
    if let Some(keys) = pii_keys_from_env()? {
        store::pii::install(keys);
    }
    Ok(())
}

/// Bytes in the MB of the upload limits (as in "10 MB" per file).
const MB: u64 = 1024 * 1024;

impl Config {
    /// The attachment limits: per file and per dossier as `store::attachments` sets them, the
    /// whole store as configured.
    pub fn upload_limits(&self) -> store::attachments::Limits {
        store::attachments::Limits {
            max_total_bytes: self.upload_max_total_mb.saturating_mul(MB),
            ..store::attachments::Limits::default()
        }
    }

    /// A configuration for integration tests: the given database and site, a free loopback port
    /// (port 0), human-readable logs, no `Secure` cookies.
    pub fn for_tests(database_url: String, site_root: PathBuf) -> Config {
        Config {
            database_url,
            site_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root,
            log_format: LogFormat::Pretty,
            secure_cookies: false,
            upload_dir: std::env::temp_dir().join(format!(
                "guantong-uploads-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default()
            )),
            upload_max_total_mb: store::attachments::MAX_TOTAL_BYTES / MB,
            dossiers_per_account: 20,
            login_attempts_per_ip: 30,
            session_hours: 12,
            session_idle_minutes: 30,
            metrics_token: None,
            shutdown_grace_seconds: 10,
            test_clock: true,
        }
    }

    /// The limits on sign-in and sessions: the lockout of `store::accounts` and the session
    /// lifetimes configured here.
    pub fn login_policy(&self) -> store::accounts::LoginPolicy {
        store::accounts::LoginPolicy {
            session_ttl: chrono::Duration::hours(i64::from(self.session_hours)),
            idle_timeout: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            ..store::accounts::LoginPolicy::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn the_upload_store_cap_is_configured_in_mb() {
        let default = Cli::try_parse_from(["server"]).unwrap().config;
        assert_eq!(
            default.upload_limits().max_total_bytes,
            store::attachments::MAX_TOTAL_BYTES
        );
        let set = Cli::try_parse_from(["server", "--upload-max-total-mb", "5"])
            .unwrap()
            .config;
        assert_eq!(set.upload_limits().max_total_bytes, 5 * 1024 * 1024);
        assert_eq!(
            set.upload_limits().max_file_bytes,
            store::attachments::MAX_FILE_BYTES
        );
        assert!(Cli::try_parse_from(["server", "--upload-max-total-mb", "0"]).is_err());
        assert!(Cli::try_parse_from(["server", "--dossiers-per-account", "0"]).is_err());
    }
}
