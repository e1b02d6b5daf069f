//! The server's day. Dossier deadlines (publicity periods) count in Beijing days; tests move
//! the day, or pin it to a date, through `POST /test/clock`, which exists only when configured.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

/// The server's idea of today (Beijing), which tests may move or pin.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_days: Arc<AtomicI64>,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        let offset = self.offset_days.load(Ordering::Relaxed);
        app::check::today() + Duration::days(offset)
    }

    pub fn advance(&self, days: i64) -> NaiveDate {
        self.offset_days.fetch_add(days, Ordering::Relaxed);
        self.today()
    }

    /// Makes `date` the server's today (and keeps it moving with the real days from there).
    /// Tests pin a day whose year's holiday calendar is loaded, so they do not depend on the
    /// day they happen to run.
    pub fn set(&self, date: NaiveDate) -> NaiveDate {
        let offset = (date - app::check::today()).num_days();
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
        assert_eq!(clock.set(app::check::today()), app::check::today());
    }
}
