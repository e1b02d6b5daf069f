//! The server's one clock: today in Beijing, for the self-check pages, the API's default
//! `as_of`, the dossiers' deadlines (publicity periods), the queues and the background tasks.
//! The server keeps one per application, inside its `RuleBook`, and gives the pages the day it
//! says; tests move the day, or pin it to a date, through `POST /test/clock`, which exists only
//! when configured. (Each application has its own, so tests running side by side in one process
//! do not move each other's day.)

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

/// Today in China by the wall clock (Asia/Shanghai has no daylight saving time: UTC+8).
pub fn real_today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

/// The server's idea of today (Beijing), which tests may move or pin.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_days: Arc<AtomicI64>,
}

impl Clock {
    /// Today (Beijing) as this clock has it.
    pub fn today(&self) -> NaiveDate {
        let offset = self.offset_days.load(Ordering::Relaxed);
        real_today() + Duration::days(offset)
    }

    /// Moves the day by `days` (so a publicity period can run out in a test).
    pub fn advance(&self, days: i64) -> NaiveDate {
        self.offset_days.fetch_add(days, Ordering::Relaxed);
        self.today()
    }

    /// Makes `date` the server's today (and keeps it moving with the real days from there).
    /// Tests pin a day whose year's holiday calendar is loaded, so they do not depend on the
    /// day they happen to run.
    pub fn set(&self, date: NaiveDate) -> NaiveDate {
        let offset = (date - real_today()).num_days();
        self.offset_days.store(offset, Ordering::Relaxed);
        self.today()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_day_is_today_and_moves_from_there() {
        let clock = Clock::default();
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(clock.set(day), day);
        assert_eq!(
            clock.advance(14),
            NaiveDate::from_ymd_opt(2026, 3, 16).unwrap()
        );
        assert_eq!(clock.set(real_today()), real_today());
    }
}
