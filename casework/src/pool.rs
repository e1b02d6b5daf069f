//! The commands on committees and their expert pools: the provincial admin creates, edits and
//! files the committees of their region; a committee's office adds, edits and deactivates its
//! experts, imports them from a file and exports them. Each takes the `Desk`, the actor and a
//! typed command, checks who may (someone who may not is told "not found", like for a committee
//! that does not exist), checks the entry (`committee::check_record`, `check_filing`,
//! `check_entry`, under the rules in force today in the committee's region) and answers a typed
//! result or a [`PoolError`]. The rows and their audit entries are `store::committees`'.

use std::collections::{HashMap, HashSet};

use store::committees::{self as rows, CommitteeError, CommitteeRecord, ExpertRecord, Named};
use store::entities::{committee, expert};
use store::workflow::Role;

use crate::commands::Desk;
use crate::committee::{
    check_entry, check_filing, check_pool, check_record, code_well_formed, entry_of, series_codes,
    term_max_years, EntryContext, EntryProblem, ExpertEntry, Filing, FilingEntryProblem,
    RecordEntry, RecordProblem, Tier,
};
use crate::dossier::Who;
use crate::pool_file::{self, CellProblem, FileError};
use crate::CaseError;

/// Why a command on a committee or its pool was not done.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// No such committee or expert, or not the actor's to see or change.
    #[error("not found")]
    NotFound,
    #[error("the record has problems")]
    Record(Vec<RecordProblem>),
    #[error("the code is taken")]
    CodeTaken,
    #[error("the filing has problems")]
    Filing(Vec<FilingEntryProblem>),
    #[error("the entry has problems")]
    Entry(Vec<EntryProblem>),
    #[error("the account is in the pool already")]
    AlreadyInPool,
    #[error("the file is refused")]
    File(FileError),
    /// The export file could not be written (nobody's mistake).
    #[error("the export could not be written: {0}")]
    Written(String),
    #[error(transparent)]
    Case(#[from] CaseError),
}

impl From<store::StoreError> for PoolError {
    fn from(e: store::StoreError) -> PoolError {
        PoolError::Case(CaseError::Store(e))
    }
}

impl From<CommitteeError> for PoolError {
    fn from(e: CommitteeError) -> PoolError {
        match e {
            CommitteeError::Store(e) => e.into(),
            CommitteeError::CodeTaken(_) => PoolError::CodeTaken,
            CommitteeError::AlreadyInPool => PoolError::AlreadyInPool,
            CommitteeError::NotFound => PoolError::NotFound,
        }
    }
}

/// The regions `who` administers as a provincial admin.
pub fn admin_regions(who: &Who) -> Vec<String> {
    let mut regions: Vec<String> = who
        .grants
        .iter()
        .filter(|g| g.role() == Some(Role::ProvincialAdmin))
        .filter_map(|g| g.scope_region.clone())
        .collect();
    regions.sort();
    regions.dedup();
    regions
}

fn administers(who: &Who, region: &str) -> bool {
    admin_regions(who).iter().any(|r| r == region)
}

/// Whether `who` is the office of committee `code`.
pub fn is_office(who: &Who, code: &str) -> bool {
    who.grants.iter().any(|g| {
        g.role() == Some(Role::CommitteeOffice) && g.scope_committee.as_deref() == Some(code)
    })
}

/// The committees whose offices `who` works in.
pub fn offices(who: &Who) -> Vec<String> {
    who.grants
        .iter()
        .filter(|g| g.role() == Some(Role::CommitteeOffice))
        .filter_map(|g| g.scope_committee.clone())
        .collect()
}

/// How `who` reaches a committee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Its office: sees it and works its pool.
    Office,
    /// The provincial admin of its region: sees it, edits and files its record.
    Admin,
}

/// A committee opened for someone.
#[derive(Clone, Debug)]
pub struct Opened {
    pub committee: Named,
    pub reach: Reach,
}

impl Opened {
    pub fn row(&self) -> &committee::Model {
        &self.committee.row
    }
}

/// Opens committee `code` for `who`: its office or its region's admin; anyone else is told
/// "not found".
pub async fn open(desk: &Desk<'_>, who: &Who, code: &str) -> Result<Opened, PoolError> {
    let committee = rows::get(desk.db, code).await?.ok_or(PoolError::NotFound)?;
    let reach = if is_office(who, code) {
        Reach::Office
    } else if administers(who, &committee.row.region) {
        Reach::Admin
    } else {
        return Err(PoolError::NotFound);
    };
    Ok(Opened { committee, reach })
}

async fn open_as(desk: &Desk<'_>, who: &Who, code: &str, reach: Reach) -> Result<Named, PoolError> {
    let opened = open(desk, who, code).await?;
    if opened.reach == reach {
        Ok(opened.committee)
    } else {
        Err(PoolError::NotFound)
    }
}

/// The rules in force today in `region`.
fn rules_in(desk: &Desk<'_>, region: &str) -> Result<std::sync::Arc<rules::InForce>, PoolError> {
    desk.book
        .in_force(region, desk.book.today())
        .ok_or_else(|| PoolError::Case(CaseError::NoRules(region.to_owned())))
}

/// The committees of the regions `who` administers (none for anyone else).
pub async fn committees_of(desk: &Desk<'_>, who: &Who) -> Result<Vec<Named>, PoolError> {
    let mut all = Vec::new();
    for region in admin_regions(who) {
        all.extend(rows::list(desk.db, Some(&region)).await?);
    }
    Ok(all)
}

async fn org_codes(desk: &Desk<'_>) -> Result<HashSet<String>, PoolError> {
    let mut codes = HashSet::new();
    for kind in ["employer", "committee"] {
        codes.extend(
            store::organisations::of_kind(desk.db, kind)
                .await?
                .into_iter()
                .map(|o| o.code),
        );
    }
    Ok(codes)
}

fn stored(record: &RecordEntry) -> CommitteeRecord {
    CommitteeRecord {
        name: record.name.trim().to_owned(),
        organiser: record.organiser.clone(),
        series: record.series.clone(),
        tiers: Tier::codes(&record.tiers),
        specialty: Some(record.specialty.trim().to_owned()).filter(|s| !s.is_empty()),
        self_review: record.self_review,
        entrusting: record.entrusting.join(","),
    }
}

async fn checked_record(
    desk: &Desk<'_>,
    region: &str,
    record: &RecordEntry,
    mut problems: Vec<RecordProblem>,
) -> Result<CommitteeRecord, PoolError> {
    let rules = rules_in(desk, region)?;
    let orgs = org_codes(desk).await?;
    let exists = |c: &str| orgs.contains(c);
    problems.extend(check_record(record, &series_codes(&rules.rules), &exists));
    if problems.is_empty() {
        Ok(stored(record))
    } else {
        Err(PoolError::Record(problems))
    }
}

/// Creates a committee of `region` (the admin's own only) with its organisation row.
pub async fn create(
    desk: &Desk<'_>,
    who: &Who,
    region: &str,
    code: &str,
    record: &RecordEntry,
) -> Result<committee::Model, PoolError> {
    if !administers(who, region) {
        return Err(PoolError::NotFound);
    }
    let problems = if code_well_formed(code) {
        vec![]
    } else {
        vec![RecordProblem::CodeInvalid]
    };
    let stored = checked_record(desk, region, record, problems).await?;
    Ok(rows::create(
        desk.db,
        &who.label,
        code,
        region,
        &stored,
        chrono::Utc::now(),
    )
    .await?)
}

/// Changes a committee's record (its region's admin only).
pub async fn update(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    record: &RecordEntry,
) -> Result<committee::Model, PoolError> {
    let committee = open_as(desk, who, code, Reach::Admin).await?;
    let experts = rows::experts(desk.db, code).await?;
    let stored = checked_record(
        desk,
        &committee.row.region,
        record,
        check_pool(record, &experts),
    )
    .await?;
    Ok(rows::update(desk.db, &who.label, code, &stored).await?)
}

/// Records a committee's filing (its region's admin only): a number, and an expiry at most the
/// parameter's years after the filing day.
pub async fn file(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    filing: &Filing,
) -> Result<committee::Model, PoolError> {
    let committee = open_as(desk, who, code, Reach::Admin).await?;
    let rules = rules_in(desk, &committee.row.region)?;
    let max_years =
        term_max_years(&rules.rules).map_err(|m| PoolError::Case(CaseError::NoParameter(m.0)))?;
    let problems = check_filing(filing, max_years);
    if !problems.is_empty() {
        return Err(PoolError::Filing(problems));
    }
    Ok(rows::file(
        desk.db,
        &who.label,
        code,
        filing.number.trim(),
        filing.filed_on,
        filing.expires_on,
    )
    .await?)
}

/// The lookups `check_entry` needs for a set of entries, loaded at once.
struct Lookups {
    orgs: HashSet<String>,
    accounts: HashMap<String, i64>,
}

impl Lookups {
    async fn load(desk: &Desk<'_>, usernames: Vec<String>) -> Result<Lookups, PoolError> {
        Ok(Lookups {
            orgs: org_codes(desk).await?,
            accounts: rows::account_ids(desk.db, usernames).await?,
        })
    }
}

fn record_of(entry: &ExpertEntry, account_id: i64) -> ExpertRecord {
    ExpertRecord {
        account_id,
        name: entry.name.trim().to_owned(),
        unit: entry.unit.clone(),
        series: entry.series.clone(),
        specialty: entry.specialty.trim().to_owned(),
        title_level: entry.title_level.clone(),
        high_skill: entry.high_skill,
        duty: entry.duty.clone(),
        term_from: entry.term_from,
        term_to: entry.term_to,
        active: entry.active,
    }
}

/// Checks entries against the committee under today's rules: each entry's problems, in order.
fn check_all(
    committee: &Named,
    rules: &rules::ResolvedRuleSet,
    lookups: &Lookups,
    entries: &[&ExpertEntry],
) -> Vec<Vec<EntryProblem>> {
    let c = crate::committee::Committee::from(&committee.row);
    let unit_exists = |u: &str| lookups.orgs.contains(u);
    let account_exists = |a: &str| lookups.accounts.contains_key(a);
    let cx = EntryContext::new(&c, rules, &unit_exists, &account_exists);
    entries.iter().map(|e| check_entry(e, &cx)).collect()
}

/// Adds an expert to the pool (the committee's office only).
pub async fn add_expert(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    entry: &ExpertEntry,
) -> Result<expert::Model, PoolError> {
    let committee = open_as(desk, who, code, Reach::Office).await?;
    let rules = rules_in(desk, &committee.row.region)?;
    let lookups = Lookups::load(desk, vec![entry.username.clone()]).await?;
    let problems = check_all(&committee, &rules.rules, &lookups, &[entry]).remove(0);
    if !problems.is_empty() {
        return Err(PoolError::Entry(problems));
    }
    let account_id = lookups.accounts[&entry.username];
    Ok(rows::add_expert(
        desk.db,
        &who.label,
        code,
        &record_of(entry, account_id),
        chrono::Utc::now(),
    )
    .await?)
}

/// One expert of the pool as an entry (the committee's office or its region's admin).
pub async fn expert_entry(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    id: i64,
) -> Result<(expert::Model, ExpertEntry), PoolError> {
    open(desk, who, code).await?;
    let row = rows::expert_of(desk.db, code, id)
        .await?
        .ok_or(PoolError::NotFound)?;
    let username = rows::usernames(desk.db, vec![row.account_id])
        .await?
        .remove(&row.account_id)
        .unwrap_or_default();
    let entry = entry_of(&row, &username);
    Ok((row, entry))
}

/// Changes an expert of the pool (the committee's office only); the account stays the
/// expert's, whatever username the entry names.
pub async fn edit_expert(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    id: i64,
    entry: &ExpertEntry,
) -> Result<expert::Model, PoolError> {
    let committee = open_as(desk, who, code, Reach::Office).await?;
    let (row, current) = expert_entry(desk, who, code, id).await?;
    let entry = ExpertEntry {
        username: current.username,
        ..entry.clone()
    };
    let rules = rules_in(desk, &committee.row.region)?;
    let lookups = Lookups::load(desk, vec![entry.username.clone()]).await?;
    let problems = check_all(&committee, &rules.rules, &lookups, &[&entry]).remove(0);
    if !problems.is_empty() {
        return Err(PoolError::Entry(problems));
    }
    Ok(rows::update_expert(
        desk.db,
        &who.label,
        code,
        id,
        &record_of(&entry, row.account_id),
        chrono::Utc::now(),
    )
    .await?)
}

/// Takes an expert out of service (the committee's office only).
pub async fn deactivate_expert(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    id: i64,
) -> Result<expert::Model, PoolError> {
    open_as(desk, who, code, Reach::Office).await?;
    Ok(rows::deactivate_expert(desk.db, &who.label, code, id, chrono::Utc::now()).await?)
}

/// The pool with each expert's username (the committee's office or its region's admin).
pub async fn pool(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
) -> Result<Vec<(expert::Model, ExpertEntry)>, PoolError> {
    open(desk, who, code).await?;
    pool_of(desk, code).await
}

async fn pool_of(
    desk: &Desk<'_>,
    code: &str,
) -> Result<Vec<(expert::Model, ExpertEntry)>, PoolError> {
    let experts = rows::experts(desk.db, code).await?;
    let names = rows::usernames(desk.db, experts.iter().map(|e| e.account_id).collect()).await?;
    Ok(experts
        .into_iter()
        .map(|row| {
            let username = names.get(&row.account_id).cloned().unwrap_or_default();
            let entry = entry_of(&row, &username);
            (row, entry)
        })
        .collect())
}

/// What is wrong with a row of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    Cell(CellProblem),
    Entry(EntryProblem),
}

/// What an import did: the rows stored (added or updated), and every row refused with its
/// problems, by row number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub refused: Vec<(usize, Vec<RowProblem>)>,
}

/// Imports a file of experts (the committee's office only): a file that does not read is
/// refused whole; otherwise every good row is stored, in one transaction, and every bad row is
/// reported and never stops the good ones.
pub async fn import(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport, PoolError> {
    let committee = open_as(desk, who, code, Reach::Office).await?;
    let read = pool_file::read(bytes).map_err(PoolError::File)?;
    let rules = rules_in(desk, &committee.row.region)?;
    let lookups = Lookups::load(
        desk,
        read.entries
            .iter()
            .map(|(_, e)| e.username.clone())
            .collect(),
    )
    .await?;
    let entries: Vec<&ExpertEntry> = read.entries.iter().map(|(_, e)| e).collect();
    let checked = check_all(&committee, &rules.rules, &lookups, &entries);
    let mut refused: Vec<(usize, Vec<RowProblem>)> = read
        .refused
        .into_iter()
        .map(|(line, p)| (line, p.into_iter().map(RowProblem::Cell).collect()))
        .collect();
    let mut good = Vec::new();
    for ((line, entry), problems) in read.entries.iter().zip(checked) {
        if problems.is_empty() {
            good.push(record_of(entry, lookups.accounts[&entry.username]));
        } else {
            refused.push((*line, problems.into_iter().map(RowProblem::Entry).collect()));
        }
    }
    refused.sort_by_key(|(line, _)| *line);
    let lines: Vec<usize> = refused.iter().map(|(l, _)| *l).collect();
    let done = rows::import(
        desk.db,
        &who.label,
        code,
        file_name,
        &good,
        &lines,
        chrono::Utc::now(),
    )
    .await?;
    Ok(ImportReport {
        added: done.added,
        updated: done.updated,
        refused,
    })
}

/// The two kinds of export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// The pool as a file (the committee's office or its region's admin).
pub async fn export(
    desk: &Desk<'_>,
    who: &Who,
    code: &str,
    format: ExportFormat,
) -> Result<Vec<u8>, PoolError> {
    let entries: Vec<ExpertEntry> = pool(desk, who, code)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    match format {
        ExportFormat::Csv => Ok(pool_file::write_csv(&entries)),
        ExportFormat::Xlsx => {
            pool_file::write_xlsx(&entries).map_err(|e| PoolError::Written(e.to_string()))
        }
    }
}
