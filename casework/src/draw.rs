//! The draw (抽取) of a review group's experts from a committee's pool: a constrained random
//! draw that anyone can re-run. Given the same pool snapshot, constraints and seed it gives the
//! same members and reserves, on any machine and after any upgrade: the generator is ChaCha20
//! (its output is fixed by its specification) and the shuffle is written out here (Fisher–Yates
//! with rejection sampling), not taken from a library whose output may change between versions.
//!
//! What the draw obeys (POLICY §6 and §9): only experts who are active, whose term covers the
//! session's day, who hold a title at or above the level reviewed and who belong to the
//! session's series take part; an expert with a conflict with any of the group's applicants is
//! left out (回避, 40号令 Art. 25); at least the required share of the members are high-skill
//! experts (云人社通28号 三: at least half in a separate high-skill group). The numbers come from
//! the rules in force ([`GroupRules::from_rules`]); none is written here.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One expert of the pool as the draw sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolExpert {
    pub id: i64,
    /// The expert's organisation (a conflict with an applicant of the same unit is automatic).
    pub unit: String,
    pub series: String,
    /// The title level held, as the rank of `rules::TitleLevel` (higher is more senior).
    pub title_rank: u8,
    /// A high-skill talent serving as a reviewer (高技能人才评委).
    pub high_skill: bool,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    pub active: bool,
}

/// What one group's draw must satisfy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraints {
    /// The session's day: every member's term covers it.
    pub on: NaiveDate,
    pub series: String,
    /// The lowest title rank a member may hold (the level reviewed).
    pub min_title_rank: u8,
    pub members: u32,
    /// How many of the members at least are high-skill experts.
    pub min_high_skill: u32,
    /// Reserves drawn after the members, in the order they are called.
    pub reserves: u32,
    /// Experts left out for a conflict with one of the group's applicants.
    pub recused: BTreeSet<i64>,
}

/// A draw's outcome, with everything needed to re-run it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawn {
    /// The members, in the order drawn.
    pub members: Vec<i64>,
    /// The reserves, in the order they are called (fewer than asked when the pool ran out).
    pub reserves: Vec<i64>,
    /// The seed, 64 hex digits.
    pub seed: String,
    /// SHA-256 of the pool snapshot the draw ran on ([`pool_hash`]).
    pub pool_hash: String,
}

/// Why a draw cannot be made, with the figures to say so
/// ("13 needed, 7 of them high-skill; 5 high-skill experts eligible").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error(
        "{needed} needed, {high_skill_needed} of them high-skill; {eligible} experts eligible, \
         {high_skill_eligible} of them high-skill"
    )]
    NotEnough {
        needed: u32,
        high_skill_needed: u32,
        eligible: u32,
        high_skill_eligible: u32,
    },
    #[error("the seed must be 64 hexadecimal digits")]
    BadSeed,
    #[error("{min_high_skill} high-skill members asked of {members}")]
    Inconsistent { members: u32, min_high_skill: u32 },
}

/// Whether `e` may sit in a group under `c` (recusal aside).
pub fn eligible(e: &PoolExpert, c: &Constraints) -> bool {
    e.active
        && e.term_from <= c.on
        && c.on <= e.term_to
        && e.title_rank >= c.min_title_rank
        && e.series == c.series
}

/// The hash of a pool snapshot: SHA-256 of its experts in id order as JSON lines. Stored with a
/// draw, so a re-run can tell whether it runs on the same pool.
pub fn pool_hash(pool: &[PoolExpert]) -> String {
    let mut sorted: Vec<&PoolExpert> = pool.iter().collect();
    sorted.sort_by_key(|e| e.id);
    let mut hasher = Sha256::new();
    for e in sorted {
        hasher.update(serde_json::to_vec(e).unwrap_or_default());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn seed_bytes(seed: &str) -> Result<[u8; 32], DrawError> {
    if seed.len() != 64 || !seed.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DrawError::BadSeed);
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&seed[2 * i..2 * i + 2], 16).map_err(|_| DrawError::BadSeed)?;
    }
    Ok(out)
}

/// A seed from 32 bytes (the server takes them from the operating system's randomness).
pub fn seed_of(bytes: [u8; 32]) -> String {
    hex(&bytes)
}

/// A uniform index below `n` (rejection sampling: no modulo bias).
fn below(rng: &mut ChaCha20Rng, n: usize) -> usize {
    let n = n as u64;
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

/// Fisher–Yates, from the last place down.
pub(crate) fn shuffle<T>(rng: &mut ChaCha20Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

/// Draws the members and reserves of one group from `pool` under `c` with `seed`.
///
/// The eligible experts, in id order, are split into high-skill and others. The high-skill
/// ones are shuffled and the first `min_high_skill` become members; the rest of them and the
/// others, in id order, are shuffled together, and the members are filled from the front, then
/// the reserves.
pub fn draw(pool: &[PoolExpert], c: &Constraints, seed: &str) -> Result<Drawn, DrawError> {
    if c.min_high_skill > c.members {
        return Err(DrawError::Inconsistent {
            members: c.members,
            min_high_skill: c.min_high_skill,
        });
    }
    let mut rng = ChaCha20Rng::from_seed(seed_bytes(seed)?);
    let mut ok: Vec<&PoolExpert> = pool
        .iter()
        .filter(|e| eligible(e, c) && !c.recused.contains(&e.id))
        .collect();
    ok.sort_by_key(|e| e.id);
    ok.dedup_by_key(|e| e.id);
    let mut high: Vec<i64> = ok.iter().filter(|e| e.high_skill).map(|e| e.id).collect();
    let high_eligible = high.len() as u32;
    if high_eligible < c.min_high_skill || (ok.len() as u32) < c.members {
        return Err(DrawError::NotEnough {
            needed: c.members,
            high_skill_needed: c.min_high_skill,
            eligible: ok.len() as u32,
            high_skill_eligible: high_eligible,
        });
    }
    shuffle(&mut rng, &mut high);
    let mut members: Vec<i64> = high[..c.min_high_skill as usize].to_vec();
    let chosen: BTreeSet<i64> = members.iter().copied().collect();
    let mut rest: Vec<i64> = ok
        .iter()
        .map(|e| e.id)
        .filter(|id| !chosen.contains(id))
        .collect();
    shuffle(&mut rng, &mut rest);
    let more = (c.members - c.min_high_skill) as usize;
    members.extend_from_slice(&rest[..more]);
    let reserves = rest[more..]
        .iter()
        .take(c.reserves as usize)
        .copied()
        .collect();
    Ok(Drawn {
        members,
        reserves,
        seed: seed.to_owned(),
        pool_hash: pool_hash(pool),
    })
}

/// Whether a stored draw re-runs to the same members and reserves on `pool` (and the pool is
/// the one it was drawn from).
pub fn verify(pool: &[PoolExpert], c: &Constraints, stored: &Drawn) -> Result<bool, DrawError> {
    if pool_hash(pool) != stored.pool_hash {
        return Ok(false);
    }
    Ok(&draw(pool, c, &stored.seed)? == stored)
}

/// The size rules of a review group under the rules in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupRules {
    /// High-skill applicants from which they get a group of their own (单设评审组).
    pub separate_group_threshold: u32,
    /// The share of high-skill experts in that group, as `a/b`.
    pub high_skill_ratio: (u32, u32),
    /// Whether a group's number of members is odd.
    pub odd_members: bool,
}

/// A parameter the draw needs that the rules in force lack.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the rules in force lack the parameter {0}")]
pub struct MissingParameter(pub &'static str);

impl GroupRules {
    pub fn from_rules(rules: &rules::ResolvedRuleSet) -> Result<GroupRules, MissingParameter> {
        let int = |key: &'static str| {
            rules
                .param_int(key)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or(MissingParameter(key))
        };
        let high_skill_ratio = rules
            .param_ratio("review_high_skill_reviewer_ratio")
            .filter(|(_, b)| *b > 0)
            .ok_or(MissingParameter("review_high_skill_reviewer_ratio"))?;
        let odd_members = rules
            .param("review_committee_odd_members")
            .map(|p| matches!(p.value, rules::ParamValue::Bool(true)))
            .ok_or(MissingParameter("review_committee_odd_members"))?;
        Ok(GroupRules {
            separate_group_threshold: int("review_separate_group_threshold")?,
            high_skill_ratio,
            odd_members,
        })
    }

    /// Whether `high_skill_applicants` get a separate group.
    pub fn separate_group(&self, high_skill_applicants: u32) -> bool {
        high_skill_applicants >= self.separate_group_threshold
    }

    /// The fewest high-skill members of a separate group of `members`: the ratio met at or above
    /// the fraction (half of 13 is 6.5, so 7).
    pub fn min_high_skill(&self, members: u32) -> u32 {
        let (a, b) = self.high_skill_ratio;
        (members * a).div_ceil(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn expert(id: i64, high_skill: bool) -> PoolExpert {
        PoolExpert {
            id,
            unit: format!("u{}", id % 7),
            series: "engineering".into(),
            title_rank: 3,
            high_skill,
            term_from: day("2025-01-01"),
            term_to: day("2027-12-31"),
            active: true,
        }
    }

    fn constraints(members: u32, min_high_skill: u32) -> Constraints {
        Constraints {
            on: day("2026-12-10"),
            series: "engineering".into(),
            min_title_rank: 3,
            members,
            min_high_skill,
            reserves: 2,
            recused: BTreeSet::new(),
        }
    }

    const SEED: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn too_few_high_skill_experts_is_said_with_the_figures() {
        let pool: Vec<PoolExpert> = (0..20).map(|i| expert(i, i < 5)).collect();
        let e = draw(&pool, &constraints(13, 7), SEED).unwrap_err();
        assert_eq!(
            e,
            DrawError::NotEnough {
                needed: 13,
                high_skill_needed: 7,
                eligible: 20,
                high_skill_eligible: 5
            }
        );
        assert_eq!(
            e.to_string(),
            "13 needed, 7 of them high-skill; 20 experts eligible, 5 of them high-skill"
        );
    }

    #[test]
    fn a_bad_seed_is_refused() {
        let pool: Vec<PoolExpert> = (0..20).map(|i| expert(i, true)).collect();
        for seed in ["", "00", &"g".repeat(64)] {
            assert_eq!(
                draw(&pool, &constraints(3, 1), seed),
                Err(DrawError::BadSeed)
            );
        }
    }

    #[test]
    fn the_draw_is_fixed_by_its_seed_for_good() {
        // The generator's output is fixed by ChaCha20's specification and the shuffle is ours:
        // this draw must never change (a stored draw is verified by re-running it).
        let pool: Vec<PoolExpert> = (0..30).map(|i| expert(i, i % 2 == 0)).collect();
        let d = draw(&pool, &constraints(5, 3), SEED).unwrap();
        let again = draw(&pool, &constraints(5, 3), SEED).unwrap();
        assert_eq!(d, again);
        assert!(verify(&pool, &constraints(5, 3), &d).unwrap());
        let mut other = pool.clone();
        other[0].active = false;
        assert!(
            !verify(&other, &constraints(5, 3), &d).unwrap(),
            "another pool"
        );
        // The golden draw: three high-skill members (even ids) first, then two of the rest.
        assert_eq!(d.members, vec![28, 20, 14, 17, 3]);
        assert_eq!(d.reserves, vec![10, 9]);
    }

    #[test]
    fn the_share_is_met_at_or_above_the_fraction() {
        let half = GroupRules {
            separate_group_threshold: 5,
            high_skill_ratio: (1, 2),
            odd_members: true,
        };
        assert_eq!(half.min_high_skill(13), 7);
        assert_eq!(half.min_high_skill(12), 6);
        assert_eq!(half.min_high_skill(1), 1);
        assert!(!half.separate_group(4));
        assert!(half.separate_group(5));
    }

    #[test]
    fn yunnan_s_rules_give_the_group_rules() {
        let registry = rules::Registry::builtin().unwrap();
        let yunnan = registry.resolve("53", day("2026-12-01")).unwrap();
        let g = GroupRules::from_rules(&yunnan).unwrap();
        assert_eq!(g.separate_group_threshold, 5);
        assert_eq!(g.high_skill_ratio, (1, 2));
        assert!(g.odd_members);
    }

    fn pool_strategy() -> impl Strategy<Value = Vec<PoolExpert>> {
        proptest::collection::vec(
            (any::<bool>(), any::<bool>(), 1u8..6, 0u8..3, 0i64..4),
            0..120,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (high_skill, active, rank, series, term))| PoolExpert {
                    id: i as i64 * 3 + 1,
                    unit: format!("u{}", i % 5),
                    series: ["engineering", "economics", "agriculture"][series as usize].into(),
                    title_rank: rank,
                    high_skill,
                    term_from: day("2024-01-01") + chrono::Duration::days(term * 300),
                    term_to: day("2026-06-01") + chrono::Duration::days(term * 200),
                    active,
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_draw_keeps_every_rule(
            pool in pool_strategy(),
            members in 1u32..15,
            share in 0u32..15,
            recused in proptest::collection::btree_set(0i64..400, 0..30),
            seed in proptest::array::uniform32(any::<u8>()),
        ) {
            let mut c = constraints(members, share.min(members));
            c.recused = recused;
            let seed = seed_of(seed);
            match draw(&pool, &c, &seed) {
                Ok(d) => {
                    let all: Vec<i64> = d.members.iter().chain(&d.reserves).copied().collect();
                    let distinct: BTreeSet<i64> = all.iter().copied().collect();
                    prop_assert_eq!(distinct.len(), all.len(), "nobody twice");
                    prop_assert_eq!(d.members.len() as u32, c.members);
                    for id in &all {
                        let e = pool.iter().find(|e| e.id == *id).unwrap();
                        prop_assert!(eligible(e, &c), "never an ineligible expert");
                        prop_assert!(!c.recused.contains(id), "never a recused expert");
                    }
                    let high = d.members.iter()
                        .filter(|id| pool.iter().any(|e| e.id == **id && e.high_skill))
                        .count() as u32;
                    prop_assert!(high >= c.min_high_skill, "the high-skill share holds");
                    prop_assert_eq!(&draw(&pool, &c, &seed).unwrap(), &d, "same seed, same draw");
                }
                Err(DrawError::NotEnough { eligible: n, high_skill_eligible, .. }) => {
                    let ok: Vec<&PoolExpert> = pool.iter()
                        .filter(|e| eligible(e, &c) && !c.recused.contains(&e.id))
                        .collect();
                    prop_assert_eq!(n as usize, ok.len());
                    prop_assert_eq!(
                        high_skill_eligible as usize,
                        ok.iter().filter(|e| e.high_skill).count()
                    );
                    prop_assert!(
                        ok.len() < c.members as usize
                            || (high_skill_eligible) < c.min_high_skill,
                        "refused only when the pool is short"
                    );
                }
                Err(e) => prop_assert!(false, "unexpected {e}"),
            }
        }
    }
}
