//! Crash safety: the real server is killed (SIGKILL) during a burst of dossier saves (some with
//! a file) and submissions, then started again on the same database and upload folder. Every
//! save and submission that was answered must be there, no dossier may be half-written (its
//! fields, version and state agree; a submitted one has its receipt and audit entry; every
//! attachment row has its whole file), and the audit chain verifies. On SQLite (WAL,
//! `synchronous=FULL`) and PostgreSQL.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{multipart, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::testing::{Backend, TestDatabase};

use crate::on_both_backends;
use crate::process::{client, file_matches, run_command, Server, Workdir};

/// Dossiers saved at once, one worker each; worker `n`, when even, submits at save
/// `3 + 2n` (3, 7, 11, 15: submissions arrive all through the burst).
const WORKERS: usize = 8;
/// The burst is cut once this many saves and this many submissions were answered.
const ACKED_SAVES: u32 = 80;
const ACKED_SUBMISSIONS: usize = 2;

const ID_NUMBER: &str = "11010519491231002X";

/// The demo applicant starts two bursts of dossiers, more than an account may hold by default.
const ENV: [(&str, &str); 1] = [("GUANTONG_DOSSIERS_PER_ACCOUNT", "100")];

/// What the clients were told, per dossier. Save `k` sends version `k` and writes tag `k` into
/// the post, an achievement's title and its description.
#[derive(Clone, Debug, Default)]
struct Ledger {
    id: i64,
    /// The last save answered as done.
    acked: u32,
    /// The last save sent (answered or not).
    sent: u32,
    /// Names of the files of saves answered as stored.
    files: Vec<String>,
    /// The submission was answered as done.
    submitted: bool,
    /// Anything a worker saw that it should not have.
    error: Option<String>,
}

/// Self-check answers that open the intermediate title on 2026-11-23.
pub(crate) fn answers() -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let [a, b, c] = crate::helpers::review_years(day);
    format!(
        "region=53&has_sl=yes&sl_n=1&sl0_level=technician&sl0_on=2020-06-30&sl0_occ=6-18-01-01&has_t=no&work_on=2008-07-01&rev_{a}=pass&rev_{b}=pass&rev_{c}=pass&honour=none&post=none&degree=no"
    )
}

fn save_form(version: u32, tag: u32, nav: &str, file: Option<&str>) -> multipart::Form {
    let fields = [
        ("version", version.to_string()),
        ("full_name", "李师傅".to_owned()),
        ("id_number", ID_NUMBER.to_owned()),
        ("org", "org-yn-machinery".to_owned()),
        ("occupation", "6-18-01-01".to_owned()),
        ("current_post", format!("数控车工{tag}")),
        ("target", "skill_ladder.intermediate:engineering".to_owned()),
        ("a0_kind", "process_improvement".to_owned()),
        ("a0_title", format!("工艺改进{tag}")),
        ("a0_date", "2024-05-20".to_owned()),
        ("a0_role", "主持".to_owned()),
        ("a0_description", format!("第{tag}次保存")),
        ("declaration", "yes".to_owned()),
        ("nav", nav.to_owned()),
    ];
    let mut form = multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k, v);
    }
    if let Some(name) = file {
        let bytes = format!("%PDF-1.7\n% {name}\n1 0 obj\n").into_bytes();
        form = form.part(
            "file",
            multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    form
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Saves dossier `n` over and over (every third save with a file), submitting it at save
/// `3 + 2n` when `n` is even, until the server stops answering.
async fn worker(server: String, cookie: String, n: usize, ledger: Arc<Mutex<Vec<Ledger>>>) {
    let http = client();
    let id = ledger.lock().unwrap()[n].id;
    let note = |f: &dyn Fn(&mut Ledger)| f(&mut ledger.lock().unwrap()[n]);
    for k in 1..=500u32 {
        let submit = n.is_multiple_of(2) && k == 3 + 2 * n as u32;
        let file = (!submit && k % 3 == 1).then(|| format!("d{id}-s{k}.pdf"));
        let nav = match (submit, &file) {
            (true, _) => "submit",
            (false, Some(_)) => "save",
            (false, None) => "autosave",
        };
        note(&|l| l.sent = k);
        let sent = http
            .post(format!("{server}/dossiers/{id}"))
            .header("cookie", &cookie)
            .multipart(save_form(k, k, nav, file.as_deref()))
            .send()
            .await;
        // A cut connection: the outcome is unknown, and the server is gone.
        let Ok(r) = sent else { return };
        let status = r.status();
        let place = location(&r);
        let body = r.text().await;
        let Ok(body) = body else { return };
        let answered = match nav {
            "autosave" => {
                let version = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["version"].as_i64());
                status == StatusCode::OK && version == Some(i64::from(k) + 1)
            }
            "save" => status == StatusCode::SEE_OTHER && place.contains("notice=file_stored"),
            _ => status == StatusCode::SEE_OTHER && place.contains("notice=submitted"),
        };
        if !answered {
            let error = format!("{nav} {k} of dossier {id}: {status} {place} {body:.300}");
            note(&|l| l.error = Some(error.clone()));
            return;
        }
        note(&|l| {
            l.acked = k;
            if let Some(name) = &file {
                l.files.push(name.clone());
            }
            l.submitted = submit;
        });
        if submit {
            return;
        }
    }
}

/// The tag `k` a stored dossier carries, if its post, achievement title and description all
/// carry the same one (a half-written row would not); 0 for a dossier never saved.
fn tag_of(row: &store::entities::dossier::Model) -> Option<u32> {
    if row.version == 1 && row.current_post.is_empty() {
        return Some(0);
    }
    let tag: u32 = row.current_post.strip_prefix("数控车工")?.parse().ok()?;
    let achievements = &row.achievements;
    (achievements.contains(&format!("\"工艺改进{tag}\""))
        && achievements.contains(&format!("\"第{tag}次保存\"")))
    .then_some(tag)
}

/// Starts [`WORKERS`] dossiers on `server` and saves them until enough was answered, then kills
/// the server (SIGKILL) with saves still arriving; answers what the clients were told.
async fn burst(server: &mut Server, dir: &Workdir, cookie: &str) -> Vec<Ledger> {
    let http = client();
    let r = http
        .post(server.url("/test/clock"))
        .form(&[("date", "2026-11-23")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut ledgers = Vec::new();
    for _ in 0..WORKERS {
        let r = http
            .post(server.url("/dossiers"))
            .header("cookie", cookie)
            .form(&[("answers", answers())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "start a dossier");
        let id = location(&r)
            .trim_start_matches("/dossiers/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        ledgers.push(Ledger {
            id,
            ..Ledger::default()
        });
    }
    let ledger = Arc::new(Mutex::new(ledgers));
    let workers: Vec<_> = (0..WORKERS)
        .map(|n| {
            tokio::spawn(worker(
                server.address.clone(),
                cookie.to_owned(),
                n,
                ledger.clone(),
            ))
        })
        .collect();

    // Kill the server once enough was answered, with saves still arriving.
    let started = Instant::now();
    loop {
        let (saves, submissions, error) = {
            let l = ledger.lock().unwrap();
            (
                l.iter().map(|l| l.acked).sum::<u32>(),
                l.iter().filter(|l| l.submitted).count(),
                l.iter().find_map(|l| l.error.clone()),
            )
        };
        assert_eq!(error, None, "{}", dir.log());
        if saves >= ACKED_SAVES && submissions >= ACKED_SUBMISSIONS {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "only {saves} saves and {submissions} submissions answered in 40 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for w in workers {
        w.await.expect("worker");
    }
    let seen = ledger.lock().unwrap().clone();
    assert!(
        seen.iter().any(|l| l.sent > l.acked),
        "the kill cut no save short: {seen:?}"
    );
    seen
}

/// After a restart: every answered save and submission of `seen` is stored, no dossier is
/// half-written, every attachment is whole, no part file is left, the audit chain verifies.
async fn check(db_url: &str, dir: &Workdir, seen: &[Ledger]) {
    let conn = store::connect(db_url).await.unwrap();
    use store::entities::{attachment, audit_entry};
    for l in seen {
        let row = store::dossiers::get(&conn, l.id).await.unwrap().unwrap();
        let tag = tag_of(&row).unwrap_or_else(|| panic!("dossier {} half-written: {row:?}", l.id));
        assert!(
            (l.acked..=l.sent).contains(&tag),
            "dossier {} holds save {tag}; answered {}, sent {}",
            l.id,
            l.acked,
            l.sent
        );
        let submitted_entries = audit_entry::Entity::find()
            .filter(audit_entry::Column::SubjectKind.eq("dossier"))
            .filter(audit_entry::Column::SubjectId.eq(l.id.to_string()))
            .filter(audit_entry::Column::ToState.eq("submitted"))
            .all(&conn)
            .await
            .unwrap()
            .len();
        match row.state.as_str() {
            "submitted" => {
                assert_eq!(row.version as u32, tag + 2, "dossier {}", l.id);
                assert!(row.receipt.is_some(), "dossier {} has no receipt", l.id);
                assert_eq!(submitted_entries, 1, "dossier {}", l.id);
            }
            "draft" => {
                assert!(
                    !l.submitted,
                    "dossier {}: its submission was answered",
                    l.id
                );
                assert_eq!(row.version as u32, tag + 1, "dossier {}", l.id);
                assert!(row.receipt.is_none(), "dossier {}", l.id);
                assert_eq!(submitted_entries, 0, "dossier {}", l.id);
            }
            other => panic!("dossier {} is {other}", l.id),
        }
        let files = attachment::Entity::find()
            .filter(attachment::Column::DossierId.eq(l.id))
            .all(&conn)
            .await
            .unwrap();
        for f in &files {
            assert!(
                file_matches(&dir.uploads().join(&f.stored_name), f.size, &f.sha256),
                "attachment {} of dossier {} is not whole on disk",
                f.id,
                l.id
            );
        }
        for name in &l.files {
            assert!(
                files.iter().any(|f| &f.original_name == name),
                "dossier {}: {name} was answered as stored but is gone",
                l.id
            );
        }
    }
    let leftovers = std::fs::read_dir(dir.uploads())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .count();
    assert_eq!(leftovers, 0, "part files survive the restart");
    // The ID number went through every save and submission; it is in no log line.
    assert!(!dir.log().contains(ID_NUMBER), "an ID number in the log");
    let (status, text) = run_command(db_url, &["audit", "verify"]);
    assert!(status.success(), "audit chain: {text}");
}

async fn killed_during_a_burst(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let dir = Workdir::new();
    let mut server = Server::start(&db.url, &dir, &ENV).await;
    let conn = store::connect(&db.url).await.unwrap();
    store::demo::seed(
        &conn,
        store::demo::DemoOptions {
            applicants: 3,
            today: casework::clock::real_today(),
        },
    )
    .await
    .unwrap();
    let r = client()
        .post(server.url("/login"))
        .form(&[
            ("username", "applicant"),
            ("password", store::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();

    // Two rounds: the second runs on the restarted server (the session outlives the kill).
    let mut seen = burst(&mut server, &dir, &cookie).await;
    server = Server::start(&db.url, &dir, &ENV).await;
    check(&db.url, &dir, &seen).await;
    seen.extend(burst(&mut server, &dir, &cookie).await);
    let server = Server::start(&db.url, &dir, &ENV).await;
    check(&db.url, &dir, &seen).await;

    let r = client()
        .get(server.url(&format!("/dossiers/{}", seen[0].id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
on_both_backends!(sigkill_during_saves, killed_during_a_burst);
