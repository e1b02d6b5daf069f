//! What several server instances on one database share besides sessions and account lockouts
//! (those are rows of `session` and `account` already): the per-address count of sign-in
//! attempts (`login_attempt`) and which instance runs a background task for now
//! (`task_lease`). Each is one statement, atomic on SQLite and PostgreSQL alike, so two
//! instances counting or taking at the same moment never both win. Times are Unix seconds of
//! the wall clock, handed in.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use crate::StoreError;

/// `sql` written with `?` placeholders, numbered (`$1`, `$2`…) for PostgreSQL.
fn statement<C: ConnectionTrait>(conn: &C, sql: &str, values: Vec<Value>) -> Statement {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push_str(&format!("${n}"));
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Counts a sign-in attempt from `address` at `now` and answers how many it made in its current
/// window, including this one. A window opens at an address's first attempt and lasts `window`
/// seconds; the first attempt after it opens the next one.
pub async fn count_attempt<C: ConnectionTrait>(
    conn: &C,
    address: &str,
    now: i64,
    window: i64,
) -> Result<u32, StoreError> {
    let expired = now - window;
    let sql = "INSERT INTO login_attempt (address, window_start, attempts) VALUES (?, ?, 1) \
               ON CONFLICT (address) DO UPDATE SET \
               attempts = CASE WHEN login_attempt.window_start <= ? THEN 1 \
                          ELSE login_attempt.attempts + 1 END, \
               window_start = CASE WHEN login_attempt.window_start <= ? \
                              THEN excluded.window_start ELSE login_attempt.window_start END \
               RETURNING attempts";
    let values = vec![address.into(), now.into(), expired.into(), expired.into()];
    let row = conn
        .query_one_raw(statement(conn, sql, values))
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("login_attempt".into()))?;
    let attempts: i32 = row.try_get("", "attempts")?;
    Ok(attempts.max(0) as u32)
}

/// Forgets the counts of windows opened at or before `before` (they no longer count).
pub async fn forget_attempts<C: ConnectionTrait>(conn: &C, before: i64) -> Result<u64, StoreError> {
    let sql = "DELETE FROM login_attempt WHERE window_start <= ?";
    let done = conn
        .execute_raw(statement(conn, sql, vec![before.into()]))
        .await?;
    Ok(done.rows_affected())
}

/// Takes the lease on task `name` for `holder` until `now + ttl`, if nobody holds it at `now`
/// (or `holder` does already): `true` when `holder` may run the task.
pub async fn take_lease<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    holder: &str,
    now: i64,
    ttl: i64,
) -> Result<bool, StoreError> {
    let create = "INSERT INTO task_lease (name, holder, held_until) VALUES (?, '', 0) \
                  ON CONFLICT (name) DO NOTHING";
    conn.execute_raw(statement(conn, create, vec![name.into()]))
        .await?;
    let take = "UPDATE task_lease SET holder = ?, held_until = ? \
                WHERE name = ? AND (held_until <= ? OR holder = ?)";
    let values = vec![
        holder.into(),
        (now + ttl).into(),
        name.into(),
        now.into(),
        holder.into(),
    ];
    let done = conn.execute_raw(statement(conn, take, values)).await?;
    Ok(done.rows_affected() == 1)
}
