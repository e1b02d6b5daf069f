//! `server`: the Guantong binary. `server` (or `server serve`) migrates and serves;
//! other subcommands do one job and exit.

use clap::{Parser, Subcommand};
use server::{config::LogFormat, telemetry, Application, Config};

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Guantong 贯通: career bridges between skilled workers and professionals"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the site (the default).
    Serve(Config),
    /// Apply pending database migrations and exit.
    Migrate {
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
    /// Check one person's eligibility with the built-in rule sets (no database): reads the
    /// `person` JSON (or a whole API request body) on stdin, prints a bilingual summary.
    /// Exit code 2 when the input is wrong.
    Check(server::api::cli::CheckArgs),
    /// Load data into the database.
    Seed {
        /// Load the demo province: organisations, one login per role, applicants and dossiers.
        #[arg(long)]
        demo: bool,
        /// How many demo applicants.
        #[arg(long, default_value_t = 5000)]
        applicants: usize,
        /// Leave a database that already has accounts alone instead of failing.
        #[arg(long)]
        if_empty: bool,
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
    /// Audit log operations.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Copy the SQLite database, consistently, while the server serves (PostgreSQL: pg_dump).
    Backup {
        /// The file to write (it must not exist yet).
        file: std::path::PathBuf,
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
    /// Replace the SQLite database by a backup whose audit chain verifies (stop the server
    /// first; PostgreSQL: pg_restore).
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
    /// Receipts of submitted dossiers.
    Receipt {
        #[command(subcommand)]
        command: ReceiptCommand,
    },
    /// The draws of review sessions.
    Draw {
        #[command(subcommand)]
        command: DrawCommand,
    },
    /// Personal information at rest.
    Pii {
        #[command(subcommand)]
        command: PiiCommand,
    },
}

#[derive(Subcommand)]
enum DrawCommand {
    /// Re-run every group's stored draw of a session from its stored seed, pool snapshot and
    /// constraints; exits 1 unless every group gives the same members and reserves.
    Verify {
        /// The session's number.
        session: i64,
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
}

#[derive(Subcommand)]
enum PiiCommand {
    /// Seal every dossier's ID number with the current key (the first of GUANTONG_PII_KEYS),
    /// after adding a new one: then the old key can be dropped.
    Reseal {
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
}

#[derive(Subcommand)]
enum ReceiptCommand {
    /// Re-evaluate a dossier's stored input against the stored rule set version its receipt
    /// names; exits 1 when any outcome differs.
    Verify {
        /// The dossier's number.
        dossier: i64,
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exits 1 naming the first broken entry.
    Verify {
        /// Database URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/guantong.db?mode=rwc"
        )]
        database_url: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Every command that reads or writes dossiers seals and opens ID numbers with these.
    if let Err(e) = server::config::install_pii_keys() {
        eprintln!("error: {e}");
        return std::process::ExitCode::from(2);
    }
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(Cli::parse_from(["server", "serve"]).serve_config()));
    let result = match command {
        Command::Serve(config) => {
            telemetry::init(config.log_format);
            serve(config).await
        }
        Command::Migrate { database_url } => {
            telemetry::init(LogFormat::Pretty);
            migrate(&database_url).await
        }
        Command::Check(args) => return check(&args),
        Command::Seed {
            demo,
            applicants,
            if_empty,
            database_url,
        } => {
            if !demo {
                eprintln!("error: say what to load: server seed --demo");
                return std::process::ExitCode::from(2);
            }
            server::ops::seed_demo(&database_url, applicants, if_empty)
                .await
                .map(|text| print!("{text}"))
        }
        Command::Audit {
            command: AuditCommand::Verify { database_url },
        } => server::ops::audit_verify(&database_url)
            .await
            .map(|text| print!("{text}")),
        Command::Backup { file, database_url } => server::ops::backup(&database_url, &file)
            .await
            .map(|text| print!("{text}")),
        Command::Restore {
            file,
            force,
            database_url,
        } => server::ops::restore(&file, &database_url, force)
            .await
            .map(|text| print!("{text}")),
        Command::Receipt {
            command:
                ReceiptCommand::Verify {
                    dossier,
                    database_url,
                },
        } => server::ops::receipt_verify(&database_url, dossier)
            .await
            .map(|text| print!("{text}")),
        Command::Draw {
            command:
                DrawCommand::Verify {
                    session,
                    database_url,
                },
        } => server::ops::draw_verify(&database_url, session)
            .await
            .map(|text| print!("{text}")),
        Command::Pii {
            command: PiiCommand::Reseal { database_url },
        } => server::ops::pii_reseal(&database_url)
            .await
            .map(|text| print!("{text}")),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

impl Cli {
    fn serve_config(self) -> Config {
        match self.command {
            Some(Command::Serve(config)) => config,
            _ => unreachable!("parsed from a fixed `serve` argument list"),
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    tracing::info!(database = %store::redact(&config.database_url), site_root = %config.site_root.display(), "starting");
    let app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn migrate(database_url: &str) -> Result<(), String> {
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    store::migrate(&db).await.map_err(|e| e.to_string())?;
    println!("migrations applied to {}", store::redact(database_url));
    Ok(())
}

/// `server check`: stdout gets the answer, stderr the error naming the field.
fn check(args: &server::api::cli::CheckArgs) -> std::process::ExitCode {
    use std::io::Read as _;
    let book = match rules::Registry::builtin() {
        Ok(r) => casework::rulebook::RuleBook::new(r, Default::default()),
        Err(e) => {
            eprintln!("error: rule data: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut input = Vec::new();
    // One byte over the limit is enough to know the input is too large.
    let limit = server::api::json::SINGLE_LIMIT as u64 + 1;
    if let Err(e) = std::io::stdin().take(limit).read_to_end(&mut input) {
        eprintln!("error: cannot read stdin: {e}");
        return std::process::ExitCode::FAILURE;
    }
    match server::api::cli::run(&book, args, &input) {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(e.exit_code())
        }
    }
}
