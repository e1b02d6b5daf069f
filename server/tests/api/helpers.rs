//! `spawn_app`: the real application on a free port with a fresh database.

use std::path::PathBuf;

use server::{Application, Config};
use store::testing::{Backend, TestDatabase};

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub db_url: String,
    pub client: reqwest::Client,
    pub site_root: PathBuf,
    /// The running application's state (its RuleBook, its database).
    pub state: server::AppState,
    // Dropped last: the database outlives the server task's use of it.
    _db: TestDatabase,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// `GET path`, its body read as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a JSON body")
    }
}

/// Starts the application, or returns `None` when the backend is not configured (see
/// `store::testing`).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with the configuration adjusted first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init(server::config::LogFormat::Pretty);
    }
    let db = TestDatabase::create(backend).await?;
    let site_root = fake_site();
    let mut config = Config::for_tests(db.url.clone(), site_root.clone());
    adjust(&mut config);
    let app = Application::build(config)
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state.clone();
    tokio::spawn(app.run_until_stopped());
    // Tests that want compression ask for it with their own client (`batch_compressed`) or an
    // `Accept-Encoding` header, and read the encoded bytes as they came.
    let client = reqwest::Client::builder()
        .gzip(false)
        .brotli(false)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Some(TestApp {
        address,
        db_url: db.url.clone(),
        client,
        site_root,
        state,
        _db: db,
    })
}

/// A site root with a hashed, precompressed asset, as `cargo leptos build --precompress` makes.
fn fake_site() -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("guantong-site-{}", uuid::Uuid::new_v4().simple()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    std::fs::write(pkg.join("guantong.0123abcd.css"), "body{color:black}").expect("css");
    std::fs::write(
        pkg.join("guantong.0123abcd.css.br"),
        b"\x0b\x08\x80body{color:black}\x03",
    )
    .expect("css.br");
    std::fs::write(
        root.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .expect("favicon");
    root
}

/// Runs a test body once per backend, as two tests named `sqlite` and `postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$body(store::testing::Backend::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$body(store::testing::Backend::Postgres).await;
            }
        }
    };
}

/// The assessment years the self-check asks about on `day` (those Yunnan's rules require).
pub fn review_years(day: chrono::NaiveDate) -> [i32; 3] {
    let rules = rules::Registry::builtin()
        .unwrap()
        .resolve("53", day)
        .unwrap();
    app::check::review_years(day, &rules)
        .try_into()
        .expect("three assessment years")
}
