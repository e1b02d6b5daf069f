//! `cargo bench -p casework --bench ballot_close`: how long the office's close of a ballot
//! takes for 200 applicants × 25 experts (target ≤ 200 ms), on a SQLite file as the server runs
//! it (WAL, `synchronous=FULL`). The 5,000 ballots are cast first, each as its expert, through
//! the command the workspace calls. Prints the figures; asserts nothing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use casework::ballot::{self, Choice};
use casework::commands::Desk;
use common::{accepted_dossier, d, office_of, org, who, COMMITTEE};

const APPLICANTS: usize = 200;

#[tokio::main]
async fn main() {
    let dir = common::tempfile_dir();
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let db = store::connect(&url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let clock = casework::clock::Clock::default();
    clock.set(d("2026-12-01"));
    let book = casework::rulebook::RuleBook::new(rules::Registry::builtin().unwrap(), clock);
    let desk = Desk {
        db: &db,
        upload_dir: &dir,
        book: &book,
        dossiers_per_account: 1_000,
    };
    for u in ["org-a", "org-x"] {
        org(&db, u, "employer").await;
    }
    common::committee(&db).await;
    let office = who(&db, "office", office_of(COMMITTEE)).await;
    let pool = common::pool(&db, 30).await;
    let applicant = who(&db, "worker", None).await;
    let mut ids = Vec::new();
    for _ in 0..APPLICANTS {
        ids.push(accepted_dossier(&db, &applicant, "org-a").await);
    }
    let (sid, drawn) = common::drawn_session(&desk, &office, &ids).await;
    ballot::record_attendance(&desk, &office, sid, &drawn.members)
        .await
        .unwrap();
    ballot::open(&desk, &office, sid).await.unwrap();
    let started = Instant::now();
    for (n, member) in drawn.members.iter().enumerate() {
        let expert = &pool.iter().find(|(_, e)| e.id == *member).unwrap().0;
        for (i, dossier) in ids.iter().enumerate() {
            let choice = Choice::ALL[(n + i) % 3];
            ballot::cast(&desk, expert, sid, *dossier, choice)
                .await
                .unwrap();
        }
    }
    let casting = started.elapsed();
    let started = Instant::now();
    let results = ballot::close(&desk, &office, sid).await.unwrap();
    let closing = started.elapsed();
    println!(
        "cast {} ballots in {:.1} s ({:.2} ms each); closed the ballot of {} applicants x {} experts in {:.1} ms (target <= 200 ms)",
        APPLICANTS * drawn.members.len(),
        casting.as_secs_f64(),
        casting.as_secs_f64() * 1000.0 / (APPLICANTS * drawn.members.len()) as f64,
        results.len(),
        drawn.members.len(),
        closing.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
