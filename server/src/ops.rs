//! Operator subcommands beside `serve`: loading demo data and checking the audit chain.

use store::audit::Verification;
use store::demo::{self, DemoError, DemoOptions};

/// `server seed --demo`: loads the demo province into an empty database and returns what to
/// print (the logins). With `if_empty`, a database that already has accounts is left alone.
pub async fn seed_demo(
    database_url: &str,
    applicants: usize,
    if_empty: bool,
) -> Result<String, String> {
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    store::migrate(&db).await.map_err(|e| e.to_string())?;
    // The day in Asia/Shanghai (UTC+8), which is where the data's dates are meant.
    let today = casework::clock::real_today();
    // Every dossier past draft gets the receipt a real submission leaves, under the stored
    // version of the rules in force.
    let registry = rules::Registry::builtin().map_err(|e| e.to_string())?;
    let receipts = casework::receipts::for_demo(&db, &registry, "53", today)
        .await
        .map_err(|e| e.to_string())?;
    match demo::seed_with_receipts(&db, DemoOptions { applicants, today }, &receipts).await {
        Ok(summary) => {
            let committee = demo_committee(&db, registry, today).await?;
            let mut out = format!(
                "演示数据已载入 / demo data loaded: {} applicants, dossiers by state: {}\n",
                summary.applicants,
                summary.dossiers_by_state.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ")
            );
            out.push_str(&format!("演示账号 / demo logins (password / 密码: {}):\n", demo::DEMO_PASSWORD));
            for login in summary.logins {
                out.push_str(&format!("  {:<20} {:<10} {}\n", login.role, login.username, login.scope));
            }
            out.push_str(&format!("  generated applicants: demo00001 … demo{:05}\n", summary.applicants));
            if let Some(c) = committee {
                out.push_str(&format!(
                    "评审委员会 / committee: {} experts in the pool (logins expert, pool01 … pool63)\n",
                    c.experts
                ));
                if let Some(id) = c.session_id {
                    out.push_str(&format!(
                        "  review session {id}: {} applicants, {} members drawn{}\n",
                        c.applicants,
                        c.members,
                        if c.expert_seated { ", expert among them" } else { "" }
                    ));
                }
            }
            Ok(out)
        }
        Err(DemoError::NotEmpty) if if_empty => Ok(format!(
            "演示数据已存在，未重复载入 / demo data already present, left as it is (password / 密码: {})\n",
            demo::DEMO_PASSWORD
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// The demo's committee, pool and drawn session, through the office's own commands.
async fn demo_committee(
    db: &store::Db,
    registry: rules::Registry,
    today: chrono::NaiveDate,
) -> Result<Option<casework::demo::DemoCommittee>, String> {
    let clock = casework::clock::Clock::default();
    clock.set(today);
    let book = casework::rulebook::RuleBook::new(registry, clock);
    let upload_dir = std::env::temp_dir();
    let desk = casework::commands::Desk {
        db,
        upload_dir: &upload_dir,
        book: &book,
        // The demo committee starts no dossier.
        dossiers_per_account: 0,
    };
    casework::demo::load(&desk, today)
        .await
        .map_err(|e| e.to_string())
}

/// `server audit verify`: checks the chain; the error names the first broken entry.
pub async fn audit_verify(database_url: &str) -> Result<String, String> {
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    match store::audit::verify(&db).await.map_err(|e| e.to_string())? {
        Verification::Intact { entries } => Ok(format!(
            "audit log intact: {entries} entries / 审计日志完整：{entries} 条\n"
        )),
        Verification::Broken(broken) => Err(format!(
            "{broken} / 审计日志第 {} 条被篡改或缺失",
            broken.id
        )),
    }
}

/// `server pii reseal`: every dossier's ID number sealed with the current key, the first of
/// `GUANTONG_PII_KEYS` (put a new key first, run this, then drop the old one). Refused with the
/// development keys: sealing with them protects nothing.
pub async fn pii_reseal(database_url: &str) -> Result<String, String> {
    let keys = store::pii::keys();
    if keys.is_development() {
        return Err(
            "GUANTONG_PII_KEYS and GUANTONG_PII_INDEX_KEY are not set / 未设置个人信息加密密钥"
                .into(),
        );
    }
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    store::migrate(&db).await.map_err(|e| e.to_string())?;
    let n = store::pii::reseal_dossiers(&db, keys, true)
        .await
        .map_err(|e| e.to_string())?;
    let key = keys.current();
    Ok(format!(
        "{n} ID numbers sealed with key {key} / 已用密钥 {key} 重新加密 {n} 个身份证号\n"
    ))
}

/// `server receipt verify <dossier>`: replays the receipt against its stored rule set version.
pub async fn receipt_verify(database_url: &str, dossier: i64) -> Result<String, String> {
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let replay = casework::receipts::verify(&db, dossier)
        .await
        .map_err(|e| e.to_string())?;
    let n = replay.recorded.len();
    if replay.identical() {
        Ok(format!(
            "dossier {dossier}: all {n} outcomes identical under stored rule set version {v} / 申报材料 {dossier}：按存档规则版本 {v} 重算，{n} 项结果全部一致\n",
            v = replay.version
        ))
    } else {
        let differing = replay
            .recorded
            .iter()
            .zip(&replay.replayed)
            .filter(|(a, b)| a != b)
            .count()
            + replay.recorded.len().abs_diff(replay.replayed.len());
        Err(format!(
            "dossier {dossier}: {differing} outcomes differ under stored rule set version {v} / 申报材料 {dossier}：按存档规则版本 {v} 重算，{differing} 项结果不一致",
            v = replay.version
        ))
    }
}

/// `server draw verify <session>`: re-runs each group's stored draw; an error unless every
/// group gives the same members and reserves.
pub async fn draw_verify(database_url: &str, session: i64) -> Result<String, String> {
    use casework::sessions::Verified;
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let groups = casework::sessions::verify(&db, session)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no session {session} / 没有评审会议 {session}"))?;
    let mut out = String::new();
    let mut all_same = !groups.is_empty();
    for (group, outcome) in &groups {
        let line = match outcome {
            Verified::Same => format!(
                "session {session}, group {group}: the same members and reserves / 评审会议 {session} {group} 组：重新抽取结果一致"
            ),
            Verified::Differs => format!(
                "session {session}, group {group}: DIFFERS from the stored draw / 评审会议 {session} {group} 组：与存档抽取结果不一致"
            ),
            Verified::NotDrawn => format!(
                "session {session}, group {group}: not drawn yet / 评审会议 {session} {group} 组：尚未抽取"
            ),
            Verified::Unreadable(why) => format!(
                "session {session}, group {group}: the stored draw does not read ({why}) / 评审会议 {session} {group} 组：存档抽取记录无法读取"
            ),
        };
        all_same &= *outcome == Verified::Same;
        out.push_str(&line);
        out.push('\n');
    }
    if all_same {
        Ok(out)
    } else {
        Err(out.trim_end().to_owned())
    }
}

/// `server backup <file>`: an online copy of the SQLite database, its audit chain checked.
pub async fn backup(database_url: &str, file: &std::path::Path) -> Result<String, String> {
    let db = store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let entries = store::backup::backup(&db, file)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "backup written to {} ({entries} audit entries, chain intact) / 备份已写入，审计日志 {entries} 条完整\n",
        file.display()
    ))
}

/// `server restore <file>`: the SQLite database replaced by a backup whose chain verifies.
pub async fn restore(
    file: &std::path::Path,
    database_url: &str,
    force: bool,
) -> Result<String, String> {
    let entries = store::backup::restore(file, database_url, force)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "restored {} into {} ({entries} audit entries, chain intact) / 已恢复，审计日志 {entries} 条完整\n",
        file.display(),
        store::redact(database_url)
    ))
}
