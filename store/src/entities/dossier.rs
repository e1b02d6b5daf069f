//! An application (申报材料) moving through the workflow of `crate::workflow`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_id: i64,
    /// The employer organisation whose HR reviews it.
    pub org: String,
    /// The committee whose office does the formal check.
    pub committee: String,
    /// `crate::workflow::State::code`, for filtering and counting.
    pub state: String,
    /// The full `crate::workflow::State` as JSON (reasons, publicity end).
    #[sea_orm(column_type = "Text")]
    pub state_detail: String,
    /// Incremented on every write; a write naming an older version is refused.
    pub version: i32,
    pub full_name: String,
    /// A valid GB 11643 number (checked before it gets here), sealed at rest (`crate::pii`):
    /// the store's queries answer it opened; masked in lists.
    pub id_number: String,
    /// The keyed hash of the ID number (`crate::pii::Keys::index`) that finds it; none while
    /// it is empty.
    pub id_number_index: Option<String>,
    pub occupation: String,
    pub current_post: String,
    /// `{route key}:{series}` for a title (`skill_ladder.intermediate:engineering`), else the
    /// route key.
    pub target: Option<String>,
    /// The target's route key in the rule set (`skill_ladder.intermediate`).
    pub target_route: Option<String>,
    /// The title series the target is sought in (`engineering`), for a title.
    pub target_series: Option<String>,
    /// The level the route leads to (`intermediate`, `technician`), as the rules in force named
    /// it when the dossier was last saved.
    pub target_level: Option<String>,
    /// The self-check answers (`rules::PersonInput` as JSON).
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    /// Achievements as JSON (kinds of 96号文 二(二)2).
    #[sea_orm(column_type = "Text")]
    pub achievements: String,
    /// The receipt stored at submission: inputs, rule set id and content hash, outcomes.
    #[sea_orm(column_type = "Text", nullable)]
    pub receipt: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
