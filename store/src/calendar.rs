//! The working-day calendar's years entered by administrators (`calendar_year`). The calendar in
//! force is the shipped file's years with these laid over them (`casework::calendar`); a save
//! writes the year and its audit entry in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rules::YearEntry;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, NewEntry};
use crate::entities::calendar_year;
use crate::StoreError;

/// A stored year: what was entered, by which account and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub entry: YearEntry,
    pub entered_by: i64,
    pub entered_at: DateTime<Utc>,
}

fn days_json(days: &[NaiveDate]) -> String {
    serde_json::Value::from(days.iter().map(|d| d.to_string()).collect::<Vec<_>>()).to_string()
}

fn days_of(year: i32, column: &str, text: &str) -> Result<Vec<NaiveDate>, StoreError> {
    let unreadable = || {
        StoreError::Db(DbErr::Custom(format!(
            "calendar_year {year}: {column} does not read"
        )))
    };
    let list: Vec<String> = serde_json::from_str(text).map_err(|_| unreadable())?;
    list.iter()
        .map(|t| rules::parse_date(t).ok_or_else(unreadable))
        .collect()
}

fn read(model: calendar_year::Model) -> Result<Stored, StoreError> {
    Ok(Stored {
        entry: YearEntry {
            year: model.year,
            holidays: days_of(model.year, "holidays", &model.holidays)?,
            makeup_workdays: days_of(model.year, "makeup_workdays", &model.makeup_workdays)?,
            source: model.source,
        },
        entered_by: model.entered_by,
        entered_at: model.entered_at,
    })
}

/// Every stored year, earliest first.
pub async fn all(db: &crate::Db) -> Result<Vec<Stored>, StoreError> {
    calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(read)
        .collect()
}

/// Stores `entry` (already checked by `rules::YearEntry::problems`), replacing the year if it
/// was entered before, with its audit entry (`calendar.save`) in the same transaction.
pub async fn save(
    db: &crate::Db,
    entry: &YearEntry,
    account_id: i64,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = db.begin().await?;
    let before = calendar_year::Entity::find()
        .filter(calendar_year::Column::Year.eq(entry.year))
        .one(&txn)
        .await?;
    let replaced = before.is_some();
    let mut row = match before {
        Some(model) => calendar_year::ActiveModel::from(model),
        None => calendar_year::ActiveModel {
            year: Set(entry.year),
            ..Default::default()
        },
    };
    row.source = Set(entry.source.trim().to_owned());
    row.holidays = Set(days_json(&entry.holidays));
    row.makeup_workdays = Set(days_json(&entry.makeup_workdays));
    row.entered_by = Set(account_id);
    row.entered_at = Set(now);
    row.save(&txn).await?;
    audit::append(
        &txn,
        NewEntry {
            actor: actor.to_owned(),
            action: "calendar.save".into(),
            subject_kind: "calendar_year".into(),
            subject_id: entry.year.to_string(),
            from_state: None,
            to_state: None,
            detail: serde_json::json!({
                "source": entry.source.trim(),
                "holidays": entry.holidays.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                "makeup_workdays": entry.makeup_workdays.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                "replaced": replaced,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
