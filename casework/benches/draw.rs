//! `cargo bench -p casework --bench draw`: how long one draw takes from a pool of 10,000 experts
//! (target ≤ 50 ms). Prints the figures; asserts nothing.

use std::collections::BTreeSet;
use std::time::Instant;

use casework::draw::{draw, seed_of, Constraints, PoolExpert};
use chrono::NaiveDate;

fn main() {
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    let pool: Vec<PoolExpert> = (0..10_000)
        .map(|i| PoolExpert {
            id: i,
            unit: format!("unit-{}", i % 400),
            series: ["engineering", "economics", "agriculture"][(i % 3) as usize].into(),
            title_rank: 3 + (i % 2) as u8,
            high_skill: i % 2 == 0,
            term_from: day("2025-01-01"),
            term_to: day("2027-12-31"),
            active: i % 17 != 0,
        })
        .collect();
    let constraints = Constraints {
        on: day("2026-12-10"),
        series: "engineering".into(),
        min_title_rank: 3,
        members: 25,
        min_high_skill: 13,
        reserves: 5,
        recused: (0..10_000).step_by(11).collect::<BTreeSet<i64>>(),
    };
    let runs = 200;
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&(run as u64).to_le_bytes());
        let seed = seed_of(bytes);
        let started = Instant::now();
        let drawn = draw(&pool, &constraints, &seed).expect("the pool is large enough");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        assert_eq!(drawn.members.len(), 25);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "draw from 10,000 experts ({runs} runs): median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times[runs / 2],
        times[runs * 99 / 100],
        times[runs - 1]
    );
}
