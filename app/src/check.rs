//! The self-check's answers and the glue to the engine, shared by the server (no-JS round trips,
//! `/check/verify`) and the browser (live verdict): the same parsing and the same `rules::evaluate`
//! on both sides, so both show the same verdict by construction.
//!
//! Answers travel as a flat query string (`region=53&sl0_level=technician&…`): in the URL, in
//! hidden inputs of each step's form, in the "copy link" and in localStorage.

use std::collections::BTreeMap;

use chrono::Datelike;
use rules::{
    ConditionStatus, NaiveDate, Person, PersonInput, ResolvedRuleSet, SkillLevelInput, Status,
    Target, TitleInput,
};
use serde::Serialize;

use crate::i18n::{t, Lang, Msg};

/// Number of question steps (the check-your-answers page is step `STEPS + 1`).
pub const STEPS: u8 = 7;
/// The check-your-answers page.
pub const REVIEW: u8 = STEPS + 1;
/// Rows of a repeatable list beyond this are dropped (a typing robot, not a person).
const MAX_ROWS: usize = 10;

/// One skill certificate row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillRow {
    pub level: String,
    pub on: String,
    pub occ: String,
}

/// One title row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleRow {
    pub series: String,
    pub level: String,
    pub on: String,
}

/// Every answer as typed (strings, so what was typed is kept even when it is wrong).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub region: String,
    /// `yes`, `no` or empty (not answered).
    pub has_sl: String,
    pub sl: Vec<SkillRow>,
    pub has_t: String,
    pub titles: Vec<TitleRow>,
    pub work_on: String,
    pub years: String,
    /// Year → grade code; empty grade = not known.
    pub reviews: BTreeMap<String, String>,
    /// Honour codes, or `none`.
    pub honours: Vec<String>,
    /// Post codes, or `none`.
    pub posts: Vec<String>,
    /// `yes`, `no` or empty.
    pub degree: String,
}

/// Decodes `application/x-www-form-urlencoded` text into pairs (`+` is a space).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes pairs as a query string (without `?`).
pub fn to_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::components::layout::encode_component(k),
                crate::components::layout::encode_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// First value of `key`.
pub fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn row_index(key: &str, prefix: &str) -> Option<(usize, String)> {
    let rest = key.strip_prefix(prefix)?;
    let (num, field) = rest.split_once('_')?;
    let i: usize = num.parse().ok()?;
    (i < MAX_ROWS).then(|| (i, field.to_owned()))
}

impl Answers {
    /// Reads answers from form or query pairs; unknown keys are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Answers {
        let mut a = Answers::default();
        let count = |key: &str| {
            get(pairs, key)
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
                .min(MAX_ROWS)
        };
        a.sl = vec![SkillRow::default(); count("sl_n")];
        a.titles = vec![TitleRow::default(); count("t_n")];
        for (k, v) in pairs {
            let v = v.trim().to_owned();
            match k.as_str() {
                "region" => a.region = v,
                "has_sl" => a.has_sl = v,
                "has_t" => a.has_t = v,
                "work_on" => a.work_on = v,
                "years" => a.years = v,
                "degree" => a.degree = v,
                "honour" if !v.is_empty() && !a.honours.contains(&v) => a.honours.push(v),
                "post" if !v.is_empty() && !a.posts.contains(&v) => a.posts.push(v),
                _ => {
                    if let Some(year) = k.strip_prefix("rev_") {
                        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
                            a.reviews.insert(year.to_owned(), v);
                        }
                    } else if let Some((i, f)) = row_index(k, "sl") {
                        if a.sl.len() <= i {
                            a.sl.resize(i + 1, SkillRow::default());
                        }
                        match f.as_str() {
                            "level" => a.sl[i].level = v,
                            "on" => a.sl[i].on = v,
                            "occ" => a.sl[i].occ = v,
                            _ => {}
                        }
                    } else if let Some((i, f)) = row_index(k, "t") {
                        if a.titles.len() <= i {
                            a.titles.resize(i + 1, TitleRow::default());
                        }
                        match f.as_str() {
                            "series" => a.titles[i].series = v,
                            "level" => a.titles[i].level = v,
                            "on" => a.titles[i].on = v,
                            _ => {}
                        }
                    }
                }
            }
        }
        // "None of these" excludes every other choice of its list: a list that holds both keeps
        // what was ticked (a fact), so the answers never say "none" and an honour at once.
        for list in [&mut a.honours, &mut a.posts] {
            if list.len() > 1 {
                list.retain(|c| c != "none");
            }
        }
        a
    }

    /// Whether nothing but the region has been answered yet.
    pub fn is_blank(&self) -> bool {
        Answers {
            region: self.region.clone(),
            ..Answers::default()
        } == *self
    }

    /// The answers as pairs (empty values left out), in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |k: String, v: &str| {
            if !v.is_empty() {
                out.push((k, v.to_owned()));
            }
        };
        push("region".into(), &self.region);
        push("has_sl".into(), &self.has_sl);
        if !self.sl.is_empty() {
            push("sl_n".into(), &self.sl.len().to_string());
        }
        for (i, r) in self.sl.iter().enumerate() {
            push(format!("sl{i}_level"), &r.level);
            push(format!("sl{i}_on"), &r.on);
            push(format!("sl{i}_occ"), &r.occ);
        }
        push("has_t".into(), &self.has_t);
        if !self.titles.is_empty() {
            push("t_n".into(), &self.titles.len().to_string());
        }
        for (i, r) in self.titles.iter().enumerate() {
            push(format!("t{i}_series"), &r.series);
            push(format!("t{i}_level"), &r.level);
            push(format!("t{i}_on"), &r.on);
        }
        push("work_on".into(), &self.work_on);
        push("years".into(), &self.years);
        for (y, g) in &self.reviews {
            push(format!("rev_{y}"), g);
        }
        for h in &self.honours {
            push("honour".into(), h);
        }
        for p in &self.posts {
            push("post".into(), p);
        }
        push("degree".into(), &self.degree);
        out
    }

    /// The answers as a query string.
    pub fn query(&self) -> String {
        to_query(&self.to_pairs())
    }

    /// The region code the rules are resolved for.
    pub fn region_code(&self) -> &str {
        if self.region.is_empty() {
            "national"
        } else {
            &self.region
        }
    }

    /// The person the answers describe, with whatever is invalid left out (`errors` says what,
    /// every error at once); `Person::input` is the engine's input accepted, what a receipt
    /// keeps, so the decision can be replayed without these answers' form.
    pub fn person(&self, as_of: NaiveDate, rules: &ResolvedRuleSet) -> (Person, Vec<FieldError>) {
        let mut errors = Vec::new();
        let (input, sl_rows, t_rows) = self.input(&mut errors);
        // Every fact in error is named at once; the person is what the rest says.
        let (person, found) = Person::parse_lenient(input, as_of, rules);
        for e in found {
            let name = form_field(&e.field, &sl_rows, &t_rows);
            let message = if e.code == "missing_field" {
                ErrorText::Missing
            } else {
                ErrorText::Engine(e.message.zh, e.message.en)
            };
            errors.push(FieldError {
                step: step_of(&name),
                name,
                message,
            });
        }
        (person, errors)
    }

    fn input(&self, errors: &mut Vec<FieldError>) -> (PersonInput, Vec<usize>, Vec<usize>) {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut sl_rows = Vec::new();
        let skills: Vec<SkillLevelInput> = self
            .sl
            .iter()
            .enumerate()
            .filter(|(_, r)| !(r.level.is_empty() && r.on.is_empty() && r.occ.is_empty()))
            .map(|(i, r)| {
                sl_rows.push(i);
                SkillLevelInput {
                    level: opt(&r.level),
                    obtained_on: opt(&r.on),
                    occupation: opt(&r.occ),
                }
            })
            .collect();
        let skill_levels = match self.has_sl.as_str() {
            "no" => {
                sl_rows.clear();
                Some(Vec::new())
            }
            "yes" => Some(skills),
            _ if !skills.is_empty() => Some(skills),
            _ => None,
        };
        let mut t_rows = Vec::new();
        let list: Vec<TitleInput> = self
            .titles
            .iter()
            .enumerate()
            .filter(|(_, r)| !(r.series.is_empty() && r.level.is_empty() && r.on.is_empty()))
            .map(|(i, r)| {
                t_rows.push(i);
                TitleInput {
                    series: opt(&r.series),
                    level: opt(&r.level),
                    obtained_on: opt(&r.on),
                }
            })
            .collect();
        let titles = match self.has_t.as_str() {
            "no" => {
                t_rows.clear();
                Some(Vec::new())
            }
            "yes" => Some(list),
            _ if !list.is_empty() => Some(list),
            _ => None,
        };
        let skill_work_years = if self.years.is_empty() {
            None
        } else {
            match self.years.parse::<f64>() {
                Ok(y) if y.is_finite() && y >= 0.0 => Some(y),
                _ => {
                    errors.push(FieldError {
                        name: "years".into(),
                        step: 4,
                        message: ErrorText::Msg(Msg::ErrYears),
                    });
                    None
                }
            }
        };
        let known: BTreeMap<String, String> = self
            .reviews
            .iter()
            .filter(|(_, g)| !g.is_empty())
            .map(|(y, g)| (y.clone(), g.clone()))
            .collect();
        let annual_reviews = (!known.is_empty()).then_some(known);
        let list_of = |v: &[String]| -> Option<Vec<String>> {
            if v.iter().any(|h| h == "none") {
                Some(Vec::new())
            } else if v.is_empty() {
                None
            } else {
                Some(v.to_vec())
            }
        };
        let input = PersonInput {
            skill_levels,
            titles,
            work_started_on: opt(&self.work_on),
            skill_work_years,
            annual_reviews,
            honours: list_of(&self.honours),
            posts: list_of(&self.posts),
            related_degree: match self.degree.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
        };
        (input, sl_rows, t_rows)
    }
}

/// The form control an engine error path names.
fn form_field(api: &str, sl_rows: &[usize], t_rows: &[usize]) -> String {
    let path = api.strip_prefix("person.").unwrap_or(api);
    let indexed = |rest: &str, rows: &[usize], prefix: &str| -> Option<String> {
        let rest = rest.strip_prefix('[')?;
        let (num, tail) = rest.split_once(']')?;
        let i: usize = num.parse().ok()?;
        let row = rows.get(i).copied().unwrap_or(i);
        let field = match tail.trim_start_matches('.') {
            "level" => "level",
            "obtained_on" => "on",
            "occupation" => "occ",
            "series" => "series",
            _ => "level",
        };
        Some(format!("{prefix}{row}_{field}"))
    };
    if let Some(rest) = path.strip_prefix("skill_levels") {
        return indexed(rest, sl_rows, "sl").unwrap_or_else(|| "has_sl".into());
    }
    if let Some(rest) = path.strip_prefix("titles") {
        return indexed(rest, t_rows, "t").unwrap_or_else(|| "has_t".into());
    }
    if let Some(year) = path.strip_prefix("annual_reviews.") {
        return format!("rev_{year}");
    }
    match path {
        "work_started_on" => "work_on".into(),
        "skill_work_years" => "years".into(),
        "related_degree" => "degree".into(),
        p if p.starts_with("honours") => "honour".into(),
        p if p.starts_with("posts") => "post".into(),
        _ => "region".into(),
    }
}

/// Which step asks for a form control.
pub fn step_of(name: &str) -> u8 {
    match name {
        "region" => 1,
        n if n.starts_with("sl") || n == "has_sl" => 2,
        "has_t" | "t_n" => 3,
        n if n.starts_with('t') && n[1..].starts_with(|c: char| c.is_ascii_digit()) => 3,
        "work_on" | "years" => 4,
        n if n.starts_with("rev_") => 5,
        "honour" | "post" => 6,
        "degree" => 7,
        _ => 1,
    }
}

/// The text of a field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorText {
    /// A message that names its field itself.
    Msg(Msg),
    /// A required answer is missing: the message is built from the field's name.
    Missing,
    /// The engine's message (Chinese, English), said of the field it concerns.
    Engine(String, String),
}

/// What a form control asks for, as a noun phrase that can stand in a sentence ("技能等级 2 的取得日期",
/// "the date skill level 2 was obtained"), so an error says which answer it is about.
pub fn field_label(lang: Lang, name: &str) -> String {
    let row = |prefix: &str| -> Option<(String, String)> {
        let rest = name.strip_prefix(prefix)?;
        let (num, field) = rest.split_once('_')?;
        let i: usize = num.parse().ok()?;
        Some(((i + 1).to_string(), field.to_owned()))
    };
    let fill = |m: Msg, n: &str| t(lang, m).replace("{n}", n);
    if let Some(year) = name.strip_prefix("rev_") {
        return t(lang, Msg::FieldReview).replace("{y}", year);
    }
    if let Some((n, field)) = row("sl") {
        return match field.as_str() {
            "on" => fill(Msg::FieldSkillOn, &n),
            "occ" => fill(Msg::FieldSkillOcc, &n),
            _ => fill(Msg::FieldSkillLevel, &n),
        };
    }
    if let Some((n, field)) = row("t") {
        return match field.as_str() {
            "on" => fill(Msg::FieldTitleOn, &n),
            "series" => fill(Msg::FieldTitleSeries, &n),
            _ => fill(Msg::FieldTitleLevel, &n),
        };
    }
    let m = match name {
        "has_sl" => Msg::FieldHasSkills,
        "has_t" => Msg::FieldHasTitles,
        "work_on" => Msg::FieldWorkOn,
        "years" => Msg::FieldYears,
        "honour" => Msg::FieldHonours,
        "post" => Msg::FieldPosts,
        "degree" => Msg::FieldDegree,
        _ => Msg::FieldRegion,
    };
    t(lang, m).to_owned()
}

/// Whether a form control is chosen from a list (so a missing answer is "choose", not "enter").
fn is_choice(name: &str) -> bool {
    !(name.ends_with("_on") || name == "years")
}

/// The text of a field error, naming the answer it is about.
pub fn error_text(lang: Lang, e: &FieldError) -> String {
    match &e.message {
        ErrorText::Msg(m) => t(lang, *m).to_owned(),
        ErrorText::Missing => {
            let m = if is_choice(&e.name) {
                Msg::ErrChoose
            } else {
                Msg::ErrEnter
            };
            t(lang, m).replace("{field}", &field_label(lang, &e.name))
        }
        ErrorText::Engine(zh, en) => {
            let (field, message) = match lang {
                Lang::Zh => (field_label(lang, &e.name), zh.clone()),
                // The engine quotes values in backticks (for developers); people read quotes.
                Lang::En => (
                    capitalised(&field_label(lang, &e.name)),
                    en.replace('`', "\""),
                ),
            };
            t(lang, Msg::ErrAbout)
                .replace("{field}", &field)
                .replace("{message}", &message)
        }
    }
}

/// The text with its first letter in capitals (English sentences built from noun phrases).
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A problem with one answer, for the error summary and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form control's name (also its id).
    pub name: String,
    pub step: u8,
    pub message: ErrorText,
}

/// The calendar years of annual assessments asked about (POLICY §8): as many past years as the
/// rule set's `annual_reviews` conditions require (3 under 96号文), oldest first.
pub fn review_years(as_of: NaiveDate, rules: &ResolvedRuleSet) -> Vec<i32> {
    let y = as_of.year();
    let n = rules.annual_review_years().min(10) as i32;
    (1..=n).rev().map(|k| y - k).collect()
}

/// Which step answers an unknown condition.
pub fn step_for_condition(code: &str) -> Option<u8> {
    match code {
        "holds_skill_level"
        | "level_held_years"
        | "series_matches_occupation"
        | "holds_post_certificate" => Some(2),
        "skill_work_years" => Some(4),
        "holds_title" => Some(3),
        "work_years" => Some(4),
        "annual_reviews" => Some(5),
        "holds_honour" | "holds_post" => Some(6),
        _ => None,
    }
}

/// One condition, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionView {
    pub code: String,
    pub status: ConditionStatus,
    pub reason_zh: String,
    pub reason_en: String,
    pub source: String,
    pub quote: String,
    pub step: Option<u8>,
}

/// One outcome, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeView {
    pub key: String,
    pub route: String,
    pub status: Status,
    pub earliest_on: Option<NaiveDate>,
    pub target_zh: String,
    pub target_en: String,
    /// Title targets: the level code, for the career timeline.
    pub is_title: bool,
    /// Title targets: the series the title may be sought in (codes).
    pub series: Vec<String>,
    pub route_source: String,
    pub route_quote: String,
    /// The route's note in the rule data (Chinese, English), if any.
    pub note: Option<(String, String)>,
    pub conditions: Vec<ConditionView>,
    /// The target this outcome leads to (`title:intermediate`, `skill:technician`,
    /// `qualification:accounting`): outcomes of one target are shown together.
    pub group: String,
    /// An outcome no answer can settle: a qualification exam whose own conditions are not
    /// entered, or the special evaluation only a committee decides. Shown apart, not counted.
    pub apart: bool,
}

/// Conditions no answer of the self-check can meet or fail.
const NOT_ANSWERABLE: [&str; 2] = ["exam_conditions_configured", "committee_decides"];

/// Whether an outcome stays open only on what the self-check cannot ask (see [`OutcomeView::apart`]).
fn settled_elsewhere(status: Status, conditions: &[ConditionView]) -> bool {
    status == Status::Unknown
        && conditions.iter().any(|c| {
            c.status == ConditionStatus::Unknown && NOT_ANSWERABLE.contains(&c.code.as_str())
        })
}

/// The order of statuses when outcomes of one target are compared: the one that opens it first.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Eligible => 0,
        Status::NotYet => 1,
        Status::Unknown => 2,
        Status::Ineligible => 3,
    }
}

/// The outcomes one target has, best first: the first is the route that opens it (or comes
/// closest), the others are folded beneath it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGroup<'a> {
    pub outcomes: Vec<&'a OutcomeView>,
}

impl TargetGroup<'_> {
    /// The outcome shown for the target.
    pub fn head(&self) -> &OutcomeView {
        self.outcomes[0]
    }
}

/// The outcomes grouped by target (best first within a group; groups in the order of their best
/// status, then of the rule set), and the outcomes shown apart.
pub fn grouped(outcomes: &[OutcomeView]) -> (Vec<TargetGroup<'_>>, Vec<&OutcomeView>) {
    let mut groups: Vec<TargetGroup<'_>> = Vec::new();
    let mut apart = Vec::new();
    for o in outcomes {
        if o.apart {
            apart.push(o);
        } else if let Some(g) = groups.iter_mut().find(|g| g.head().group == o.group) {
            g.outcomes.push(o);
        } else {
            groups.push(TargetGroup { outcomes: vec![o] });
        }
    }
    for g in &mut groups {
        g.outcomes
            .sort_by_key(|o| (status_rank(o.status), o.earliest_on));
    }
    groups.sort_by_key(|g| status_rank(g.head().status));
    (groups, apart)
}

/// How many targets have each status, by the route that serves each best (eligible, not yet,
/// unknown, ineligible); the outcomes shown apart are not counted.
pub fn counts(outcomes: &[OutcomeView]) -> [usize; 4] {
    let mut out = [0; 4];
    for g in grouped(outcomes).0 {
        out[status_rank(g.head().status) as usize] += 1;
    }
    out
}

/// The verdict for a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub outcomes: Vec<OutcomeView>,
    pub errors: Vec<FieldError>,
}

/// Parses the answers and evaluates them: the one function both sides call.
pub fn verdict(rules: &ResolvedRuleSet, answers: &Answers, as_of: NaiveDate) -> Verdict {
    let (person, errors) = answers.person(as_of, rules);
    let eval = rules::evaluate(rules, &person, as_of);
    let report = eval.report();
    let data = rules.data();
    let cat = rules.catalogue();
    let name = |items: &[rules::CatalogueItem], code: &str| -> (String, String) {
        items
            .iter()
            .find(|i| i.code == code)
            .map(|i| (i.zh.clone(), i.en.clone()))
            .unwrap_or_else(|| (code.to_owned(), code.to_owned()))
    };
    let outcomes = eval
        .summaries()
        .zip(report.outcomes)
        .map(|(s, o)| {
            let spec = data.routes.iter().find(|r| r.key == s.key);
            let series = match &o.target {
                Target::Title { series, .. } => series.clone(),
                _ => Vec::new(),
            };
            let (target_zh, target_en, is_title) = match &o.target {
                Target::Title { level, series } => {
                    let (lz, le) = name(&cat.title_levels, level.code());
                    let titles: Vec<(String, String)> = series
                        .iter()
                        .filter_map(|code| cat.series.iter().find(|x| &x.code == code))
                        .filter_map(|x| x.titles.get(level.code()))
                        .take(3)
                        .map(|b| (b.zh.clone(), b.en.clone()))
                        .collect();
                    if titles.is_empty() {
                        (format!("{lz}职称"), format!("{le} title"), true)
                    } else {
                        let zh: Vec<&str> = titles.iter().map(|t| t.0.as_str()).collect();
                        let en: Vec<&str> = titles.iter().map(|t| t.1.as_str()).collect();
                        (
                            format!("{lz}职称（{}）", zh.join("、")),
                            format!("{le} title ({})", en.join(", ")),
                            true,
                        )
                    }
                }
                Target::Skill { level } => {
                    let (z, e) = name(&cat.skill_levels, level.code());
                    (z, e, false)
                }
                Target::Qualification { code } => {
                    let (z, e) = name(&cat.qualifications, code);
                    (format!("{z}职业资格"), format!("{e} qualification"), false)
                }
            };
            let group = match &o.target {
                Target::Title { level, .. } => format!("title:{}", level.code()),
                Target::Skill { level } => format!("skill:{}", level.code()),
                Target::Qualification { code } => format!("qualification:{code}"),
            };
            let conditions: Vec<ConditionView> = o
                .conditions
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let quote = spec
                        .and_then(|r| r.conditions.get(i))
                        .filter(|cs| cs.kind == c.code)
                        .map(|cs| cs.quote.clone())
                        .unwrap_or_default();
                    ConditionView {
                        step: step_for_condition(&c.code),
                        code: c.code,
                        status: c.status,
                        reason_zh: c.reason.zh,
                        reason_en: c.reason.en,
                        source: c.source,
                        quote,
                    }
                })
                .collect();
            OutcomeView {
                key: s.key.to_owned(),
                route: o.route,
                status: o.status,
                earliest_on: o.earliest_on,
                target_zh,
                target_en,
                is_title,
                series,
                route_source: spec.map(|r| r.source.clone()).unwrap_or_default(),
                route_quote: spec.map(|r| r.quote.clone()).unwrap_or_default(),
                note: spec
                    .and_then(|r| r.note.as_ref())
                    .map(|n| (n.zh.clone(), n.en.clone())),
                apart: settled_elsewhere(o.status, &conditions),
                conditions,
                group,
            }
        })
        .collect();
    Verdict { outcomes, errors }
}

/// What the browser receives beside the page: the rule set and the day of the check.
pub use rules::InForce as CheckData;

/// Serialises data for a `<script type="application/json">` block: `<` is escaped so the text
/// can never close the element.
pub fn json_for_script<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The built-in rules for `region` on a fixed day.
    pub(crate) fn rules_for(region: &str) -> (ResolvedRuleSet, NaiveDate) {
        let day = rules::parse_date("2026-12-01").unwrap();
        let registry = rules::Registry::builtin().unwrap();
        (registry.resolve(region, day).unwrap(), day)
    }

    fn answers(q: &str) -> Answers {
        Answers::from_pairs(&parse_query(q))
    }

    const TECHNICIAN: &str = "has_sl=yes&sl0_level=technician&sl0_on=2020-06-30&sl0_occ=6-18-01-02&has_t=no&work_on=2010-01-01&rev_2023=pass&rev_2024=pass&rev_2025=pass&honour=none&post=none&degree=no";

    #[test]
    fn none_of_these_cannot_stand_beside_a_choice() {
        let a = answers("honour=national_technical_expert&honour=none&post=none");
        assert_eq!(a.honours, ["national_technical_expert"]);
        assert_eq!(a.posts, ["none"]);
        let a =
            answers("honour=none&honour=china_skills_award&post=principal_technician&post=none");
        assert_eq!(a.honours, ["china_skills_award"]);
        assert_eq!(a.posts, ["principal_technician"]);
        // So the honour counts: the green channel opens.
        let (rules, day) = rules_for("national");
        let q = "has_sl=yes&sl0_level=senior_worker&sl0_on=2024-01-01&sl0_occ=6-18-01-01&rev_2023=pass&rev_2024=pass&rev_2025=pass&honour=national_technical_expert&honour=none";
        let v = verdict(&rules, &answers(q), day);
        let green = v
            .outcomes
            .iter()
            .find(|o| o.key == "green_channel.senior")
            .unwrap();
        assert_eq!(green.status, Status::Eligible);
    }

    #[test]
    fn errors_name_the_answer_they_concern() {
        let (rules, day) = rules_for("national");
        let v = verdict(
            &rules,
            &answers("has_sl=yes&sl_n=2&sl0_level=technician&sl0_on=2020-01-01&sl1_on=2023-13-45"),
            day,
        );
        let texts: Vec<String> = v.errors.iter().map(|e| error_text(Lang::Zh, e)).collect();
        assert!(texts.iter().all(|t| t != "缺少必填项"), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("技能等级 2")), "{texts:?}");
        let v = verdict(
            &rules,
            &answers("has_sl=yes&sl0_level=technician&sl0_on=2023-13-45&work_on=2999-01-01"),
            day,
        );
        let zh: Vec<String> = v.errors.iter().map(|e| error_text(Lang::Zh, e)).collect();
        assert!(
            zh.iter()
                .any(|t| t.starts_with("技能等级 1 的取得日期有误：") && t.contains("2023-13-45")),
            "{zh:?}"
        );
        assert!(
            zh.iter().any(|t| t.starts_with("参加工作时间有误：")),
            "{zh:?}"
        );
        let en: Vec<String> = v.errors.iter().map(|e| error_text(Lang::En, e)).collect();
        assert!(
            en.iter()
                .any(|t| t.starts_with("The date skill level 1 was obtained: ")),
            "{en:?}"
        );
        assert!(en.iter().all(|t| !t.contains('`')), "{en:?}");
    }

    #[test]
    fn every_error_is_named_at_once_beside_its_own_row() {
        let (rules, day) = rules_for("national");
        // A refused first row does not move the second row's error onto it.
        let given = answers(
            "has_sl=yes&sl_n=3&sl0_level=wizard&sl0_on=2020-01-01&sl1_level=technician\
             &sl1_on=2999-01-01&sl2_level=senior_worker&sl2_on=2021-13-01&work_on=2008-02-30",
        );
        let v = verdict(&rules, &given, day);
        let names: Vec<&str> = v.errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["sl0_level", "sl1_on", "sl2_on", "work_on"],
            "{names:?}"
        );
        // What was valid still counts: the two known levels, their dates unknown.
        let (person, _) = given.person(day, &rules);
        let levels = person.input().skill_levels.clone().unwrap();
        let kept: Vec<_> = levels
            .iter()
            .map(|l| (l.level.as_deref(), l.obtained_on.as_deref()))
            .collect();
        assert_eq!(
            kept,
            [(Some("technician"), None), (Some("senior_worker"), None)]
        );
    }

    #[test]
    fn a_missing_level_asks_for_that_level() {
        let e = FieldError {
            name: "sl1_level".into(),
            step: 2,
            message: ErrorText::Missing,
        };
        assert_eq!(error_text(Lang::Zh, &e), "请选择技能等级 2 的等级");
        assert_eq!(
            error_text(Lang::En, &e),
            "Choose the level of skill level 2"
        );
        let e = FieldError {
            name: "t0_on".into(),
            step: 3,
            message: ErrorText::Missing,
        };
        assert_eq!(error_text(Lang::Zh, &e), "请填写职称 1 的取得日期");
    }

    #[test]
    fn exams_without_conditions_and_the_committee_path_are_apart_and_not_counted() {
        let (rules, day) = rules_for("national");
        let v = verdict(&rules, &answers(TECHNICIAN), day);
        let apart: Vec<&str> = v
            .outcomes
            .iter()
            .filter(|o| o.apart)
            .map(|o| o.key.as_str())
            .collect();
        assert!(apart.contains(&"special_evaluation.senior"), "{apart:?}");
        assert_eq!(
            apart
                .iter()
                .filter(|k| k.starts_with("qualification_exam."))
                .count(),
            8,
            "{apart:?}"
        );
        // Everything is answered: no target is left needing information.
        let [_, _, unknown, _] = counts(&v.outcomes);
        assert_eq!(
            unknown,
            0,
            "{:?}",
            grouped(&v.outcomes)
                .0
                .iter()
                .filter(|g| g.head().status == Status::Unknown)
                .map(|g| &g.head().key)
                .collect::<Vec<_>>()
        );
        assert!(answers("region=53").is_blank());
        assert!(!answers("region=53&has_sl=no").is_blank());
    }

    #[test]
    fn outcomes_are_grouped_by_target_with_the_best_route_first() {
        let (rules, day) = rules_for("national");
        let q = "has_sl=yes&sl0_level=senior_worker&sl0_on=2024-01-01&sl0_occ=6-18-01-01&rev_2023=pass&rev_2024=pass&rev_2025=pass&honour=national_technical_expert&post=none&has_t=no";
        let v = verdict(&rules, &answers(q), day);
        let (groups, _) = grouped(&v.outcomes);
        let targets: Vec<&str> = groups.iter().map(|g| g.head().group.as_str()).collect();
        let mut unique = targets.clone();
        unique.dedup();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            targets.len(),
            "one entry per target: {targets:?}"
        );
        let senior = groups
            .iter()
            .find(|g| g.head().group == "title:associate_senior")
            .unwrap();
        assert_eq!(senior.head().key, "green_channel.associate_senior");
        assert_eq!(senior.head().status, Status::Eligible);
        assert!(senior.outcomes[1..]
            .iter()
            .any(|o| o.key == "skill_ladder.associate_senior"));
        // Groups that open come first.
        assert_eq!(groups[0].head().status, Status::Eligible);
    }

    #[test]
    fn answers_survive_a_round_trip_through_the_query_string() {
        let q = "region=53&has_sl=yes&sl_n=2&sl0_level=technician&sl0_on=2023-06-30&sl1_level=senior_worker&rev_2023=pass&honour=none&years=3&work_on=%E4%B8%AD";
        let a = Answers::from_pairs(&parse_query(q));
        assert_eq!(a.sl.len(), 2);
        assert_eq!(a.sl[0].level, "technician");
        assert_eq!(a.work_on, "中");
        let b = Answers::from_pairs(&parse_query(&a.query()));
        assert_eq!(a, b);
    }

    #[test]
    fn a_form_field_is_found_for_engine_errors() {
        assert_eq!(
            form_field("person.skill_levels[1].obtained_on", &[0, 2], &[]),
            "sl2_on"
        );
        assert_eq!(
            form_field("person.titles[0].series", &[], &[1]),
            "t1_series"
        );
        assert_eq!(
            form_field("person.annual_reviews.2024", &[], &[]),
            "rev_2024"
        );
        assert_eq!(step_of("t1_series"), 3);
        assert_eq!(step_of("sl0_on"), 2);
    }
}
