//! The RuleBook: the one place the server asks for today and for the rules in force.
//!
//! It owns the registry of rule set versions (swapped whole while serving, so a version
//! published later is in force without a restart), the per-region-and-day cache of resolved
//! rule sets (resolving one is far dearer than evaluating it) with the JSON the self-check's
//! browser receives, the working-day calendar in force (swapped whole too, when an
//! administrator enters a year: `crate::calendar`), and the clock. Every version it is given is
//! stored in `rule_set_version` the first time it is loaded ([`RuleBook::keep_versions`]), so a
//! receipt can always name the stored version it was decided under.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use rules::{InForce, Registry, ResolveError, RuleSetSummary, VersionStatus, WorkCalendar};

use crate::clock::Clock;
use crate::receipts::{self, ReceiptError};

/// (registry generation, region asked for, day, national fallback) → the rules in force and
/// their JSON.
type Entries = HashMap<(u64, String, NaiveDate, bool), Entry>;

#[derive(Clone)]
struct Entry {
    data: Arc<InForce>,
    json: Arc<str>,
}

/// The registry in use and its generation (bumped by every swap, so the cache never answers
/// from a registry that has gone).
struct Current {
    registry: Arc<Registry>,
    generation: u64,
}

/// The registry, the cache, the calendar and the clock (see the module's documentation).
pub struct RuleBook {
    current: ArcSwap<Current>,
    cache: Mutex<Entries>,
    calendar: ArcSwap<WorkCalendar>,
    clock: Clock,
}

/// Days pass and regions are few: the cache holds this many entries before it is emptied.
const CACHE_ENTRIES: usize = 256;

impl RuleBook {
    /// A RuleBook with the shipped calendar (`rules/data/calendar.toml`, checked by the rules'
    /// tests; were it broken, the calendar would be empty and every period refused, never
    /// guessed) until [`RuleBook::set_calendar`] lays the entered years over it.
    pub fn new(registry: Registry, clock: Clock) -> RuleBook {
        RuleBook {
            current: ArcSwap::from_pointee(Current {
                registry: Arc::new(registry),
                generation: 0,
            }),
            cache: Mutex::new(HashMap::new()),
            calendar: ArcSwap::from_pointee(WorkCalendar::builtin().unwrap_or_default()),
            clock,
        }
    }

    /// The working-day calendar in force now.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar.load_full()
    }

    /// Puts `calendar` in force for every period counted from now on.
    pub fn set_calendar(&self, calendar: WorkCalendar) {
        self.calendar.store(Arc::new(calendar));
    }

    /// Today (Beijing) by the one clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The clock itself (tests move it through `POST /test/clock`).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The registry in use now.
    pub fn registry(&self) -> Arc<Registry> {
        self.current.load().registry.clone()
    }

    /// Puts `registry` in force for every request that starts from now on; requests under way
    /// finish on the registry they began with. The caller stores its versions
    /// ([`RuleBook::keep_versions`]) before or after, as it keeps them anyway on first use.
    pub fn swap(&self, registry: Registry) {
        let generation = self.current.load().generation + 1;
        self.current.store(Arc::new(Current {
            registry: Arc::new(registry),
            generation,
        }));
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|(g, ..), _| *g == generation);
        }
    }

    /// The rules in force for `region` (else the national ones) on `day`.
    pub fn in_force(&self, region: &str, day: NaiveDate) -> Option<Arc<InForce>> {
        self.entry(region, day, true).ok().map(|e| e.data)
    }

    /// The rules in force for exactly `region` on `day` (the API: an unknown region is an
    /// error there, not the national rules).
    pub fn resolve(&self, region: &str, day: NaiveDate) -> Result<Arc<InForce>, ResolveError> {
        self.entry(region, day, false).map(|e| e.data)
    }

    /// The rules in force for `region` on `day` and their JSON for a
    /// `<script type="application/json">` block (`<` escaped, so it can never close it).
    pub fn in_force_with_json(
        &self,
        region: &str,
        day: NaiveDate,
    ) -> Option<(Arc<InForce>, Arc<str>)> {
        self.entry(region, day, true).ok().map(|e| (e.data, e.json))
    }

    /// Every version the registry holds with where it stands on `day`: in force when it is the
    /// set its region's rules resolve to that day, scheduled before its first day, else
    /// superseded (by a later version, or by its own end).
    pub fn versions(&self, day: NaiveDate) -> Vec<(RuleSetSummary, VersionStatus)> {
        self.registry()
            .list()
            .into_iter()
            .map(|summary| {
                let in_force = self
                    .resolve(&summary.region, day)
                    .is_ok_and(|r| r.rules.rule_set_ref().id == summary.id);
                let status = if in_force {
                    VersionStatus::InForce
                } else if summary.effective_from > day {
                    VersionStatus::Scheduled
                } else {
                    VersionStatus::Superseded
                };
                (summary, status)
            })
            .collect()
    }

    /// The regions that have rules of their own, `national` first.
    pub fn regions(&self) -> Vec<String> {
        let mut regions = vec!["national".to_owned()];
        for summary in self.registry().list() {
            if !regions.contains(&summary.region) {
                regions.push(summary.region);
            }
        }
        regions
    }

    /// The cached entry for `region` on `day`; with `fallback`, a region without rules of its
    /// own gets the national ones (cached under the region asked for).
    fn entry(&self, region: &str, day: NaiveDate, fallback: bool) -> Result<Entry, ResolveError> {
        let current = self.current.load();
        let key = (current.generation, region.to_owned(), day, fallback);
        if let Some(entry) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(entry);
        }
        let registry = &current.registry;
        let rules = match registry.resolve(region, day) {
            Err(_) if fallback => registry.resolve("national", day),
            resolved => resolved,
        }?;
        let data = Arc::new(InForce { as_of: day, rules });
        // Serialising a resolved set cannot fail (its maps have string keys); an empty block
        // would only make the browser fall back to asking the server.
        let json: Arc<str> = serde_json::to_string(&*data)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .into();
        let entry = Entry { data, json };
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, entry.clone());
        }
        Ok(entry)
    }

    /// Stores every version the registry can put in force (each region's rules resolved on each
    /// day a version of its chain takes effect) that `rule_set_version` does not hold yet.
    /// Answers how many were new. A day on which a region's own rules are not in force yet (its
    /// resolution is another region's set) stores nothing for it: that set is stored under its
    /// own region.
    pub async fn keep_versions(&self, db: &store::Db) -> Result<usize, ReceiptError> {
        let registry = self.registry();
        let list = registry.list();
        let days: BTreeSet<NaiveDate> = list.iter().map(|s| s.effective_from).collect();
        let region_of = |id: &str| list.iter().find(|s| s.id == id).map(|s| s.region.clone());
        let mut seen = BTreeSet::new();
        let mut new = 0;
        for region in self.regions() {
            for &day in &days {
                let Ok(rules) = registry.resolve(&region, day) else {
                    continue;
                };
                if region_of(&rules.rule_set_ref().id).as_deref() != Some(rules.region()) {
                    continue;
                }
                if !seen.insert((rules.region().to_owned(), rules.content_hash().to_owned())) {
                    continue;
                }
                let stored = store::rule_sets::find(db, rules.region(), rules.content_hash())
                    .await?
                    .is_some();
                if !stored {
                    receipts::keep_version(db, &rules).await?;
                    new += 1;
                }
            }
        }
        Ok(new)
    }
}

impl std::fmt::Debug for RuleBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleBook")
            .field("generation", &self.current.load().generation)
            .field("today", &self.today())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_region_without_rules_gets_the_national_ones_and_the_cache_answers_again() {
        let book = RuleBook::new(Registry::builtin().unwrap(), Clock::default());
        assert!(book.resolve("xx", day("2026-06-01")).is_err());
        let a = book.in_force("xx", day("2026-06-01")).unwrap();
        assert_eq!(a.rules.region(), "national");
        let b = book.in_force("xx", day("2026-06-01")).unwrap();
        assert!(
            Arc::ptr_eq(&a, &b),
            "the second ask is answered from the cache"
        );
        let yunnan = book.in_force("53", day("2026-06-01")).unwrap();
        assert_eq!(yunnan.rules.region(), "53");
        let (_, json) = book.in_force_with_json("53", day("2026-06-01")).unwrap();
        assert!(
            !json.contains('<'),
            "the JSON can never close its script element"
        );
    }

    #[test]
    fn a_swapped_registry_is_in_force_for_the_next_ask() {
        let book = RuleBook::new(Registry::builtin().unwrap(), Clock::default());
        let before = book.in_force("53", day("2026-06-01")).unwrap();
        book.swap(Registry::builtin().unwrap());
        let after = book.in_force("53", day("2026-06-01")).unwrap();
        assert!(!Arc::ptr_eq(&before, &after), "the old entry is not reused");
        assert_eq!(before.rules.content_hash(), after.rules.content_hash());
        assert_eq!(book.regions()[0], "national");
    }

    #[test]
    fn a_version_is_scheduled_in_force_then_superseded_by_its_dates() {
        let later = include_str!("../../rules/data/yunnan.toml")
            .replacen("id = \"yunnan-2021\"", "id = \"yunnan-2027\"", 1)
            .replacen("version = \"1\"", "version = \"2\"", 1)
            .replacen(
                "effective_from = \"2021-04-09\"",
                "effective_from = \"2027-01-01\"",
                1,
            );
        // The first version ends the day before the second begins (versions never overlap).
        let first = include_str!("../../rules/data/yunnan.toml").replacen(
            "effective_from = \"2021-04-09\"",
            "effective_from = \"2021-04-09\"\neffective_to = \"2026-12-31\"",
            1,
        );
        let registry = Registry::from_sources(&[
            (
                "national.toml",
                include_str!("../../rules/data/national.toml"),
            ),
            ("yunnan.toml", &first),
            ("yunnan-2027.toml", &later),
        ])
        .unwrap();
        let book = RuleBook::new(registry, Clock::default());
        let status = |day_text: &str, id: &str| {
            book.versions(day(day_text))
                .into_iter()
                .find(|(s, _)| s.id == id)
                .map(|(_, status)| status)
                .unwrap()
        };
        assert_eq!(status("2026-12-31", "yunnan-2021"), VersionStatus::InForce);
        assert_eq!(
            status("2026-12-31", "yunnan-2027"),
            VersionStatus::Scheduled
        );
        assert_eq!(
            status("2027-01-01", "yunnan-2021"),
            VersionStatus::Superseded
        );
        assert_eq!(status("2027-01-01", "yunnan-2027"), VersionStatus::InForce);
        assert_eq!(
            status("2021-01-01", "yunnan-2021"),
            VersionStatus::Scheduled
        );
        assert_eq!(
            status("2027-01-01", "national-2020"),
            VersionStatus::InForce
        );
    }

    #[test]
    fn the_book_tells_today_by_its_clock() {
        let book = RuleBook::new(Registry::builtin().unwrap(), Clock::default());
        book.clock().set(day("2026-03-02"));
        assert_eq!(book.today(), day("2026-03-02"));
    }
}
