//! Throughput of `evaluate` on the national rule set over a deterministic,
//! realistic mix of people (skill ladder, titles, honours, missing facts).

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{black_box, Criterion, Throughput};
    use rules::{evaluate, NaiveDate, Person, PersonInput, Registry};
    use serde_json::json;

    /// A tiny LCG: deterministic across runs and platforms.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    fn date(rng: &mut Lcg, from_year: u64, span: u64) -> String {
        format!(
            "{}-{:02}-{:02}",
            from_year + rng.next(span),
            1 + rng.next(12),
            1 + rng.next(28)
        )
    }

    /// Mostly skilled workers (as in Guangdong's pilot), some professionals,
    /// a few honour holders, and missing facts here and there.
    pub fn people(n: usize) -> Vec<PersonInput> {
        let levels = [
            "intermediate_worker",
            "senior_worker",
            "senior_worker",
            "technician",
            "technician",
            "senior_technician",
        ];
        let occupations = ["6-18-01-01", "6-18-02-04", "6-31-01-03", "4-99-99-99"];
        let mut rng = Lcg(20_201_230);
        (0..n)
            .map(|i| {
                let mut skills = vec![json!({
                    "level": levels[rng.next(levels.len() as u64) as usize],
                    "obtained_on": date(&mut rng, 2012, 14),
                    "occupation": occupations[rng.next(4) as usize],
                })];
                if rng.next(4) == 0 {
                    skills.push(json!({"level": "senior_worker", "obtained_on": date(&mut rng, 2008, 4)}));
                }
                let mut p = json!({
                    "skill_levels": skills,
                    "work_started_on": date(&mut rng, 1998, 16),
                    "annual_reviews": {"2023": "pass", "2024": if rng.next(20) == 0 { "fail" } else { "pass" }, "2025": "excellent"},
                    "honours": if rng.next(10) == 0 { json!(["national_technical_expert"]) } else { json!([]) },
                });
                if i % 5 == 0 {
                    p["titles"] = json!([{"series": "engineering", "level": "assistant", "obtained_on": date(&mut rng, 2010, 10)}]);
                }
                if i % 7 == 0 {
                    p.as_object_mut().map(|o| o.remove("annual_reviews"));
                }
                serde_json::from_value(p).expect("generated input")
            })
            .collect()
    }

    pub fn evaluate_mix(c: &mut Criterion) {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let rules = Registry::builtin()
            .expect("data")
            .resolve("national", as_of)
            .expect("in force");
        let people: Vec<Person> = people(1000)
            .into_iter()
            .map(|p| Person::parse(p, as_of, &rules).expect("valid"))
            .collect();
        let mut group = c.benchmark_group("evaluate");
        group.throughput(Throughput::Elements(people.len() as u64));
        group.bench_function("national_mix_1000", |b| {
            b.iter(|| {
                let mut n = 0usize;
                for p in &people {
                    n += evaluate(black_box(&rules), black_box(p), as_of).len();
                }
                n
            })
        });
        group.finish();
    }

    /// Resolving compiles a set (the server does it per request or caches it).
    pub fn resolve(c: &mut Criterion) {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let registry = Registry::builtin().expect("data");
        c.bench_function("resolve_yunnan", |b| {
            b.iter(|| registry.resolve(black_box("53"), as_of).is_ok())
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::evaluate_mix, bench::resolve);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
