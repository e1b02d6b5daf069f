//! Organisations: employers (whose HR reviews their staff's dossiers) and committees (whose
//! office runs the formal check). A dossier's province is its employer's.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::organisation::{self, Entity as Organisation};
use crate::StoreError;

/// Every organisation of a kind (`employer` or `committee`), by code.
pub async fn of_kind(
    db: &DatabaseConnection,
    kind: &str,
) -> Result<Vec<organisation::Model>, StoreError> {
    Ok(Organisation::find()
        .filter(organisation::Column::Kind.eq(kind))
        .order_by_asc(organisation::Column::Code)
        .all(db)
        .await?)
}

/// One organisation.
pub async fn get(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<organisation::Model>, StoreError> {
    Ok(Organisation::find_by_id(code.to_owned()).one(db).await?)
}

/// The committee a dossier of `employer` (in `region`) seeking a title in `series` goes to: the
/// employer's own self-review committee of that series (自主评审), else a committee the employer
/// entrusts (委托评审, 40号令 Art. 28), else the region's committee of that series (filed ones
/// first, the longest filed first); without a committee record for the series (or without a
/// series: a skill level), the region's committee organisation filed longest, else the first by
/// code.
pub async fn committee_for(
    db: &DatabaseConnection,
    region: &str,
    employer: &str,
    series: Option<&str>,
) -> Result<Option<organisation::Model>, StoreError> {
    use crate::entities::committee;
    let records = committee::Entity::find().all(db).await?;
    let longest_filed = |c: &committee::Model| {
        (
            c.filed_on.is_none(),
            c.filed_on,
            c.created_at,
            c.code.clone(),
        )
    };
    if let Some(series) = series {
        let of_series: Vec<&committee::Model> =
            records.iter().filter(|c| c.series == series).collect();
        let own = of_series
            .iter()
            .find(|c| c.self_review && c.organiser == employer);
        let entrusted = of_series
            .iter()
            .find(|c| c.entrusting.split(',').any(|unit| unit.trim() == employer));
        let regional = of_series
            .iter()
            .filter(|c| !c.self_review && c.region == region)
            .min_by_key(|c| longest_filed(c));
        if let Some(c) = own.or(entrusted).or(regional) {
            return get(db, &c.code).await;
        }
    }
    let orgs = Organisation::find()
        .filter(organisation::Column::Kind.eq("committee"))
        .filter(organisation::Column::Region.eq(region))
        .order_by_asc(organisation::Column::Code)
        .all(db)
        .await?;
    let record = |code: &str| records.iter().find(|c| c.code == code && !c.self_review);
    let filed = orgs
        .iter()
        .filter_map(|o| record(&o.code).map(|c| (o, c)))
        .min_by_key(|(_, c)| longest_filed(c))
        .map(|(o, _)| o.clone());
    let unrecorded = orgs
        .iter()
        .find(|o| !records.iter().any(|c| c.code == o.code))
        .cloned();
    Ok(filed.or(unrecorded))
}

/// Every organisation's name by code (the pages name units, not codes).
pub async fn names<C: sea_orm::ConnectionTrait>(
    conn: &C,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(organisation::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect())
}
