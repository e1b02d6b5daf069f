//! The server's day. Dossier deadlines (publicity periods) count in Beijing days; end-to-end
//! tests move the day forward through `POST /test/clock`, which exists only when configured.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

/// The server's idea of today (Beijing), which tests may move forward.
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
}
