//! The case files, embedded so the wasm runner needs no file system.
//! `cases.rs` checks this list matches `tests/cases/`.

pub const CASE_FILES: &[(&str, &str)] = &[
    (
        "010_skill_ladder.yaml",
        include_str!("../cases/010_skill_ladder.yaml"),
    ),
    ("020_dates.yaml", include_str!("../cases/020_dates.yaml")),
    (
        "030_reviews.yaml",
        include_str!("../cases/030_reviews.yaml"),
    ),
    (
        "040_green_channel.yaml",
        include_str!("../cases/040_green_channel.yaml"),
    ),
    (
        "050_title_to_skill.yaml",
        include_str!("../cases/050_title_to_skill.yaml"),
    ),
    (
        "060_promotion.yaml",
        include_str!("../cases/060_promotion.yaml"),
    ),
    (
        "070_provinces.yaml",
        include_str!("../cases/070_provinces.yaml"),
    ),
    ("080_inputs.yaml", include_str!("../cases/080_inputs.yaml")),
    (
        "090_qualifications.yaml",
        include_str!("../cases/090_qualifications.yaml"),
    ),
];
