//! Review sessions' rows: the session, its dossiers and groups, the stored draw and who it drew,
//! recusals and the experts' assessments. Plain reads and writes; the checks and the order of
//! things are `casework::sessions`'. The writes take the caller's transaction, so a session, its
//! dossiers' moves and its audit entry are written together.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{
    assessment, expert, group_member, recusal, review_group, review_session, session_dossier,
};
use crate::StoreError;

/// A new session's row.
pub struct NewSession<'a> {
    pub committee: &'a str,
    pub series: &'a str,
    pub tiers: &'a str,
    pub sits_on: NaiveDate,
    pub name: &'a str,
    pub created_by: &'a str,
}

pub async fn insert_session<C: ConnectionTrait>(
    conn: &C,
    new: NewSession<'_>,
) -> Result<review_session::Model, StoreError> {
    Ok(review_session::ActiveModel {
        committee: Set(new.committee.to_owned()),
        series: Set(new.series.to_owned()),
        tiers: Set(new.tiers.to_owned()),
        sits_on: Set(new.sits_on),
        name: Set(new.name.to_owned()),
        created_by: Set(new.created_by.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

pub async fn insert_group<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    kind: &str,
    members: i32,
    min_high_skill: i32,
    reserves: i32,
) -> Result<review_group::Model, StoreError> {
    Ok(review_group::ActiveModel {
        session_id: Set(session_id),
        kind: Set(kind.to_owned()),
        members: Set(members),
        min_high_skill: Set(min_high_skill),
        reserves: Set(reserves),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

pub async fn insert_session_dossier<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
    grp: &str,
) -> Result<(), StoreError> {
    session_dossier::ActiveModel {
        session_id: Set(session_id),
        dossier_id: Set(dossier_id),
        grp: Set(grp.to_owned()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn session<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<review_session::Model>, StoreError> {
    Ok(review_session::Entity::find_by_id(id).one(conn).await?)
}

/// A committee's sessions, the latest first.
pub async fn sessions_of<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
) -> Result<Vec<review_session::Model>, StoreError> {
    Ok(review_session::Entity::find()
        .filter(review_session::Column::Committee.eq(committee))
        .order_by_desc(review_session::Column::SitsOn)
        .order_by_desc(review_session::Column::Id)
        .all(conn)
        .await?)
}

pub async fn groups<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<review_group::Model>, StoreError> {
    Ok(review_group::Entity::find()
        .filter(review_group::Column::SessionId.eq(session_id))
        .order_by_asc(review_group::Column::Id)
        .all(conn)
        .await?)
}

pub async fn session_dossiers<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<session_dossier::Model>, StoreError> {
    Ok(session_dossier::Entity::find()
        .filter(session_dossier::Column::SessionId.eq(session_id))
        .order_by_asc(session_dossier::Column::DossierId)
        .all(conn)
        .await?)
}

/// The session a dossier is in, if any.
pub async fn session_of_dossier<C: ConnectionTrait>(
    conn: &C,
    dossier_id: i64,
) -> Result<Option<session_dossier::Model>, StoreError> {
    Ok(session_dossier::Entity::find()
        .filter(session_dossier::Column::DossierId.eq(dossier_id))
        .one(conn)
        .await?)
}

/// A committee's pool, by id (the order of a draw's snapshot).
pub async fn pool<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
) -> Result<Vec<expert::Model>, StoreError> {
    Ok(expert::Entity::find()
        .filter(expert::Column::Committee.eq(committee))
        .order_by_asc(expert::Column::Id)
        .all(conn)
        .await?)
}

/// A draw as stored with its group.
pub struct StoredDraw<'a> {
    pub group_id: i64,
    pub constraints: String,
    pub pool: String,
    pub drawn: String,
    pub drawn_by: &'a str,
    pub witness: &'a str,
    pub at: DateTime<Utc>,
    /// (expert, position, reserve) in the order drawn.
    pub members: Vec<(i64, i32, bool)>,
}

/// Stores a group's draw, once: `false` when the group had been drawn already (a concurrent
/// draw got there first), and nothing is written.
pub async fn store_draw<C: ConnectionTrait>(
    conn: &C,
    draw: StoredDraw<'_>,
) -> Result<bool, StoreError> {
    let updated = review_group::Entity::update_many()
        .col_expr(
            review_group::Column::Constraints,
            Expr::value(draw.constraints),
        )
        .col_expr(review_group::Column::Pool, Expr::value(draw.pool))
        .col_expr(review_group::Column::Drawn, Expr::value(draw.drawn))
        .col_expr(review_group::Column::DrawnBy, Expr::value(draw.drawn_by))
        .col_expr(review_group::Column::Witness, Expr::value(draw.witness))
        .col_expr(review_group::Column::DrawnAt, Expr::value(draw.at))
        .filter(review_group::Column::Id.eq(draw.group_id))
        .filter(review_group::Column::Drawn.is_null())
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    for (expert_id, position, reserve) in draw.members {
        group_member::ActiveModel {
            group_id: Set(draw.group_id),
            expert_id: Set(expert_id),
            position: Set(position),
            reserve: Set(reserve),
        }
        .insert(conn)
        .await?;
    }
    Ok(true)
}

/// Who a group drew, members first, each in the order drawn.
pub async fn members<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
) -> Result<Vec<group_member::Model>, StoreError> {
    Ok(group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(group_id))
        .order_by_asc(group_member::Column::Reserve)
        .order_by_asc(group_member::Column::Position)
        .all(conn)
        .await?)
}

/// The groups an expert entry was drawn into as a member (not a reserve).
pub async fn memberships<C: ConnectionTrait>(
    conn: &C,
    expert_ids: &[i64],
) -> Result<Vec<group_member::Model>, StoreError> {
    Ok(group_member::Entity::find()
        .filter(group_member::Column::ExpertId.is_in(expert_ids.iter().copied()))
        .filter(group_member::Column::Reserve.eq(false))
        .all(conn)
        .await?)
}

/// A recusal as declared.
pub struct NewRecusal<'a> {
    pub session_id: i64,
    pub expert_id: i64,
    pub dossier_id: i64,
    pub ground: &'a str,
    pub source: &'a str,
    pub reason: &'a str,
    pub status: &'a str,
    pub declared_by: &'a str,
}

pub async fn insert_recusal<C: ConnectionTrait>(
    conn: &C,
    new: NewRecusal<'_>,
) -> Result<recusal::Model, StoreError> {
    Ok(recusal::ActiveModel {
        session_id: Set(new.session_id),
        expert_id: Set(new.expert_id),
        dossier_id: Set(new.dossier_id),
        ground: Set(new.ground.to_owned()),
        source: Set(new.source.to_owned()),
        reason: Set(new.reason.to_owned()),
        status: Set(new.status.to_owned()),
        declared_by: Set(new.declared_by.to_owned()),
        declared_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Decides an applicant's request for a recusal: `true` when it was still requested.
pub async fn decide_recusal<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: &str,
    decided_by: &str,
) -> Result<bool, StoreError> {
    let updated = recusal::Entity::update_many()
        .col_expr(recusal::Column::Status, Expr::value(status))
        .col_expr(recusal::Column::DecidedBy, Expr::value(decided_by))
        .col_expr(recusal::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(recusal::Column::Id.eq(id))
        .filter(recusal::Column::Status.eq("requested"))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

pub async fn recusals<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<recusal::Model>, StoreError> {
    Ok(recusal::Entity::find()
        .filter(recusal::Column::SessionId.eq(session_id))
        .order_by_asc(recusal::Column::Id)
        .all(conn)
        .await?)
}

/// One seat of an expert, as the join of [`seat_rows`] finds it: the session, the expert's pool
/// entry and group, the dossier, and whether the expert has assessed it.
#[derive(Clone, Debug, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct SeatRow {
    pub session_id: i64,
    pub session_name: String,
    pub sits_on: NaiveDate,
    pub committee: String,
    pub expert_id: i64,
    pub group_kind: String,
    pub dossier_id: i64,
    pub full_name: String,
    pub target: Option<String>,
    /// The expert of an assessment of this seat, if there is one.
    pub assessed_by: Option<i64>,
}

/// Every seat of the account's experts in service, in one query: the dossiers of the groups
/// they were drawn into as members (never as reserves), less those with a recusal in force,
/// by session day, session and dossier. `only` narrows it to one session's dossier.
pub async fn seat_rows<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    only: Option<(i64, i64)>,
) -> Result<Vec<SeatRow>, StoreError> {
    use sea_orm::sea_query::{Alias, Cond, ExprTrait, JoinType, Order, Query};
    use sea_orm::FromQueryResult;
    let (e, m, g, s, p, d, a, r) = (
        expert::Entity,
        group_member::Entity,
        review_group::Entity,
        review_session::Entity,
        session_dossier::Entity,
        crate::entities::dossier::Entity,
        assessment::Entity,
        recusal::Entity,
    );
    use crate::entities::dossier::Column as D;
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((s, review_session::Column::Id)),
            Alias::new("session_id"),
        )
        .expr_as(
            Expr::col((s, review_session::Column::Name)),
            Alias::new("session_name"),
        )
        .expr_as(
            Expr::col((s, review_session::Column::SitsOn)),
            Alias::new("sits_on"),
        )
        .expr_as(
            Expr::col((s, review_session::Column::Committee)),
            Alias::new("committee"),
        )
        .expr_as(Expr::col((e, expert::Column::Id)), Alias::new("expert_id"))
        .expr_as(
            Expr::col((g, review_group::Column::Kind)),
            Alias::new("group_kind"),
        )
        .expr_as(Expr::col((d, D::Id)), Alias::new("dossier_id"))
        .expr_as(Expr::col((d, D::FullName)), Alias::new("full_name"))
        .expr_as(Expr::col((d, D::Target)), Alias::new("target"))
        .expr_as(
            Expr::col((a, assessment::Column::ExpertId)),
            Alias::new("assessed_by"),
        )
        .from(e)
        .join(
            JoinType::InnerJoin,
            m,
            Cond::all()
                .add(Expr::col((m, group_member::Column::ExpertId)).equals((e, expert::Column::Id)))
                .add(Expr::col((m, group_member::Column::Reserve)).eq(false)),
        )
        .join(
            JoinType::InnerJoin,
            g,
            Expr::col((g, review_group::Column::Id)).equals((m, group_member::Column::GroupId)),
        )
        .join(
            JoinType::InnerJoin,
            s,
            Expr::col((s, review_session::Column::Id)).equals((g, review_group::Column::SessionId)),
        )
        .join(
            JoinType::InnerJoin,
            p,
            Cond::all()
                .add(
                    Expr::col((p, session_dossier::Column::SessionId))
                        .equals((s, review_session::Column::Id)),
                )
                .add(
                    Expr::col((p, session_dossier::Column::Grp))
                        .equals((g, review_group::Column::Kind)),
                ),
        )
        .join(
            JoinType::InnerJoin,
            d,
            Expr::col((d, D::Id)).equals((p, session_dossier::Column::DossierId)),
        )
        .join(
            JoinType::LeftJoin,
            a,
            Cond::all()
                .add(
                    Expr::col((a, assessment::Column::SessionId))
                        .equals((s, review_session::Column::Id)),
                )
                .add(Expr::col((a, assessment::Column::ExpertId)).equals((e, expert::Column::Id)))
                .add(Expr::col((a, assessment::Column::DossierId)).equals((d, D::Id))),
        )
        .join(
            JoinType::LeftJoin,
            r,
            Cond::all()
                .add(
                    Expr::col((r, recusal::Column::SessionId))
                        .equals((s, review_session::Column::Id)),
                )
                .add(Expr::col((r, recusal::Column::ExpertId)).equals((e, expert::Column::Id)))
                .add(Expr::col((r, recusal::Column::DossierId)).equals((d, D::Id)))
                .add(Expr::col((r, recusal::Column::Status)).eq("in_force")),
        )
        .and_where(Expr::col((e, expert::Column::AccountId)).eq(account_id))
        .and_where(Expr::col((e, expert::Column::Active)).eq(true))
        .and_where(Expr::col((r, recusal::Column::Id)).is_null())
        .order_by((s, review_session::Column::SitsOn), Order::Asc)
        .order_by((s, review_session::Column::Id), Order::Asc)
        .order_by((d, D::Id), Order::Asc);
    if let Some((session_id, dossier_id)) = only {
        select
            .and_where(Expr::col((s, review_session::Column::Id)).eq(session_id))
            .and_where(Expr::col((d, D::Id)).eq(dossier_id));
    }
    let statement = conn.get_database_backend().build(&select);
    Ok(SeatRow::find_by_statement(statement).all(conn).await?)
}

/// Writes an expert's assessment of a dossier (a second save replaces the first).
pub async fn save_assessment<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    expert_id: i64,
    dossier_id: i64,
    scores: String,
    opinion: String,
) -> Result<(), StoreError> {
    let existing = assessment::Entity::find_by_id((session_id, expert_id, dossier_id))
        .one(conn)
        .await?;
    match existing {
        Some(row) => {
            let mut row: assessment::ActiveModel = row.into();
            row.scores = Set(scores);
            row.opinion = Set(opinion);
            row.updated_at = Set(Utc::now());
            row.update(conn).await?;
        }
        None => {
            assessment::ActiveModel {
                session_id: Set(session_id),
                expert_id: Set(expert_id),
                dossier_id: Set(dossier_id),
                scores: Set(scores),
                opinion: Set(opinion),
                updated_at: Set(Utc::now()),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

pub async fn assessments<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<assessment::Model>, StoreError> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::SessionId.eq(session_id))
        .all(conn)
        .await?)
}

/// Takes a dossier out of its session (it goes back to wait for a later one; its result there
/// stays in `ballot_result`).
pub async fn remove_placement<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
) -> Result<(), StoreError> {
    session_dossier::Entity::delete_many()
        .filter(session_dossier::Column::SessionId.eq(session_id))
        .filter(session_dossier::Column::DossierId.eq(dossier_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A committee's dossiers accepted for review and not yet in a session, by number.
pub async fn waiting<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
) -> Result<Vec<crate::entities::dossier::Model>, StoreError> {
    use crate::entities::dossier;
    Ok(dossier::Entity::find()
        .filter(dossier::Column::Committee.eq(committee))
        .filter(dossier::Column::State.eq(crate::workflow::Stage::AcceptedForReview.code()))
        .order_by_asc(dossier::Column::Id)
        .all(conn)
        .await?)
}
