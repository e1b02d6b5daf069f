//! The targets a dossier may aim at, and their names in both languages.

use chrono::NaiveDate;

use app::check::{verdict, Answers};
use app::i18n::{t, Lang};
use app::portal::{Bi, TargetChoice, P};

use super::view::{resolve, InForce};
use crate::state::AppState;

/// The targets the answers may aim at under `rules` on `day`, with their status. A title target
/// is offered once per series it opens (`{route}:{series}`), so the choice names the series,
/// the level and the route.
pub fn targets(
    rules: &rules::ResolvedRuleSet,
    answers: &Answers,
    day: NaiveDate,
) -> Vec<TargetChoice> {
    let mut out = Vec::new();
    for o in verdict(rules, answers, day).outcomes {
        let route = app::components::verdict::route_msg(&o.route);
        let status = app::components::verdict::status_code(o.status).to_owned();
        let earliest_on = o
            .earliest_on
            .filter(|_| o.status == rules::Status::NotYet)
            .map(|d| d.to_string());
        let series = o.series.as_slice();
        if o.is_title && !series.is_empty() {
            for code in series {
                let key = format!("{}:{code}", o.key);
                let Some(label) = target_label(rules, &key) else {
                    continue;
                };
                out.push(TargetChoice {
                    key,
                    label,
                    status: status.clone(),
                    earliest_on: earliest_on.clone(),
                });
            }
        } else {
            out.push(TargetChoice {
                label: Bi::new(
                    format!("{} · {}", o.target_zh, t(Lang::Zh, route)),
                    format!("{} · {}", o.target_en, t(Lang::En, route)),
                ),
                status,
                earliest_on,
                key: o.key,
            });
        }
    }
    out
}

/// The name of a dossier target (`{route key}[:{series}]`) under `rules`, in both languages:
/// `工程（工程师）· 技能等级申报职称`. None when the rule set has no such route or series.
pub(super) fn target_label(rules: &rules::ResolvedRuleSet, key: &str) -> Option<Bi> {
    let target = store::dossiers::Target::parse(key)?;
    let (route_key, series) = (target.route.as_str(), target.series.as_deref());
    let spec = rules.data().routes.iter().find(|r| r.key == route_key)?;
    let route = app::components::verdict::route_msg(&spec.route);
    let cat = rules.catalogue();
    let level = spec.target.level.as_deref().unwrap_or_default();
    let named = |items: &[rules::CatalogueItem], code: &str| {
        items
            .iter()
            .find(|i| i.code == code)
            .map(|i| (i.zh.clone(), i.en.clone()))
    };
    let (zh, en) = match (spec.target.kind.as_str(), series) {
        ("title", Some(code)) => {
            let item = cat.series.iter().find(|x| x.code == code)?;
            let title = item.titles.get(level);
            (
                format!(
                    "{}（{}）",
                    item.zh,
                    title.map(|t| t.zh.as_str()).unwrap_or(level)
                ),
                format!(
                    "{} ({})",
                    item.en,
                    title.map(|t| t.en.as_str()).unwrap_or(level)
                ),
            )
        }
        ("title", None) => filled(P::TitleOfLevel, "{level}", named(&cat.title_levels, level)?),
        ("skill", _) => named(&cat.skill_levels, level)?,
        ("qualification", _) => {
            let name = named(&cat.qualifications, spec.target.code.as_deref()?)?;
            filled(P::QualificationOf, "{name}", name)
        }
        _ => return None,
    };
    // A full-width bracket already spaces the Chinese: `工程（工程师）· 技能等级申报职称`.
    let gap = if zh.ends_with('）') { "" } else { " " };
    Some(Bi::new(
        format!("{zh}{gap}· {}", t(Lang::Zh, route)),
        format!("{en} · {}", t(Lang::En, route)),
    ))
}

/// `text` in both languages, with `{key}` replaced by the name in the same language.
fn filled(text: P, key: &str, (zh, en): (String, String)) -> (String, String) {
    (text.zh().replace(key, &zh), text.en().replace(key, &en))
}

/// Names dossier targets in lists, by the rule sets in force today (national first, then each
/// province's), resolved once per request.
pub struct TargetNames(Vec<InForce>);

impl TargetNames {
    pub fn new(state: &AppState) -> TargetNames {
        let today = state.book.today();
        let regions = state.book.regions();
        TargetNames(
            regions
                .iter()
                .filter_map(|r| resolve(state, r, today))
                .collect(),
        )
    }

    /// The target's name, or its key where no rule set in force knows it.
    pub fn label(&self, key: &str) -> Bi {
        self.0
            .iter()
            .find_map(|r| target_label(r, key))
            .unwrap_or_else(|| Bi::new(key, key))
    }
}
