//! The real `server` binary as a separate process (`CARGO_BIN_EXE_server`), for what only a
//! process shows: being killed (SIGKILL) and restarted, stopping on SIGTERM, several instances
//! on one database.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A folder for one test's processes: the site root, the uploads and the server's log.
pub struct Workdir(pub PathBuf);

impl Workdir {
    pub fn new() -> Workdir {
        let root = std::env::temp_dir().join(format!(
            "guantong-process-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(root.join("site/pkg")).expect("site dir");
        std::fs::create_dir_all(root.join("uploads")).expect("upload dir");
        Workdir(root)
    }

    pub fn uploads(&self) -> PathBuf {
        self.0.join("uploads")
    }

    /// Everything the servers of this folder logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.0.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A free loopback port (bound and released: the server binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `server serve`. Killed (SIGKILL) when dropped, if still running.
pub struct Server {
    child: Child,
    pub address: String,
    pub port: u16,
}

impl Server {
    /// Starts `server serve` on `db_url` with the folder's site and uploads, the test clock on,
    /// and `env` on top; answers once `/healthz` does (panics with the log after 60 s).
    pub async fn start(db_url: &str, dir: &Workdir, env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.0.join("server.log"))
            .expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", db_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", dir.0.join("site"))
            .env("GUANTONG_UPLOAD_DIR", dir.uploads())
            .env("GUANTONG_TEST_CLOCK", "true")
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command.spawn().expect("server binary starts");
        let mut server = Server {
            child,
            address: format!("http://127.0.0.1:{port}"),
            port,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("server exited at start ({status}):\n{}", dir.log());
            }
            let up = client
                .get(server.url("/healthz"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not answer /healthz within 60 s:\n{}",
                dir.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: the process ends at once, whatever it was doing.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM, as a service manager does to stop it.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM {}", self.pid());
    }

    /// Waits up to `within` for the process to exit.
    pub async fn exited_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if started.elapsed() >= within {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}

/// Runs `server <args>` on `db_url` to its end: its exit status and what it printed.
pub fn run_command(db_url: &str, args: &[&str]) -> (ExitStatus, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .output()
        .expect("server binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status, text)
}

/// A client that keeps redirects as answers and sends the session cookie it is given.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// Is `path` a file of exactly `size` bytes whose SHA-256 is `sha256`?
pub fn file_matches(path: &Path, size: i64, sha256: &str) -> bool {
    use sha2::Digest as _;
    std::fs::read(path).is_ok_and(|bytes| {
        bytes.len() as i64 == size && hex(&sha2::Sha256::digest(&bytes)) == sha256
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
