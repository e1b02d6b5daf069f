//! The working-day calendar: any text loads or is refused, and a loaded calendar answers
//! working-day questions about each of its years without panicking.
#![no_main]

use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use rules::WorkCalendar;

fuzz_target!(|text: &str| {
    let Ok(calendar) = WorkCalendar::from_toml("fuzz.toml", text) else {
        return;
    };
    for year in calendar.years().collect::<Vec<_>>() {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            continue;
        };
        let _ = calendar.is_working_day(first);
        let _ = calendar.nth_working_day_from(first, 20);
        if let Some(later) = first.checked_add_days(Days::new(400)) {
            let _ = calendar.working_days_between(first, later);
        }
    }
});
