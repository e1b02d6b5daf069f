//! Creates the committees' tables (40号令; POLICY §6 and §9): `committee` (the record and its
//! filing, keyed by the committee's organisation code), `expert` (a committee's pool),
//! `review_session`, `session_dossier` (which accepted dossiers a session reviews, and in which
//! group), `review_group` (each group's size rules and its stored draw), `group_member` (who was
//! drawn), `recusal` (回避: who steps out of which applicant's review, why, declared by whom) and
//! `assessment` (an expert's scores and written opinion on one dossier).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Committee {
    Table,
    Code,
    Organiser,
    Region,
    Series,
    Tiers,
    Specialty,
    SelfReview,
    Entrusting,
    FilingNumber,
    FiledOn,
    FilingExpiresOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Expert {
    Table,
    Id,
    Committee,
    AccountId,
    Name,
    Unit,
    Series,
    Specialty,
    TitleLevel,
    HighSkill,
    Duty,
    TermFrom,
    TermTo,
    Active,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReviewSession {
    Table,
    Id,
    Committee,
    Series,
    Tiers,
    SitsOn,
    Name,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SessionDossier {
    Table,
    SessionId,
    DossierId,
    Grp,
}

#[derive(DeriveIden)]
enum ReviewGroup {
    Table,
    Id,
    SessionId,
    Kind,
    Members,
    MinHighSkill,
    Reserves,
    Constraints,
    Pool,
    Drawn,
    DrawnBy,
    Witness,
    DrawnAt,
}

#[derive(DeriveIden)]
enum GroupMember {
    Table,
    GroupId,
    ExpertId,
    Position,
    Reserve,
}

#[derive(DeriveIden)]
enum Recusal {
    Table,
    Id,
    SessionId,
    ExpertId,
    DossierId,
    Ground,
    Source,
    Reason,
    Status,
    DeclaredBy,
    DeclaredAt,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Assessment {
    Table,
    SessionId,
    ExpertId,
    DossierId,
    Scores,
    Opinion,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Dossier {
    Table,
    Id,
}

fn cascade(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Committee::Table)
                    .if_not_exists()
                    .col(string_len(Committee::Code, 64).primary_key())
                    .col(string_len(Committee::Organiser, 64))
                    .col(string_len(Committee::Region, 8))
                    .col(string_len(Committee::Series, 64))
                    .col(string_len(Committee::Tiers, 64))
                    .col(string_len_null(Committee::Specialty, 64))
                    .col(boolean(Committee::SelfReview))
                    .col(text(Committee::Entrusting))
                    .col(string_len_null(Committee::FilingNumber, 64))
                    .col(date_null(Committee::FiledOn))
                    .col(date_null(Committee::FilingExpiresOn))
                    .col(timestamp_with_time_zone(Committee::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Expert::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Expert::Id))
                    .col(string_len(Expert::Committee, 64))
                    .col(big_integer(Expert::AccountId))
                    .col(string_len(Expert::Name, 64))
                    .col(string_len(Expert::Unit, 64))
                    .col(string_len(Expert::Series, 64))
                    .col(string_len(Expert::Specialty, 64))
                    .col(string_len(Expert::TitleLevel, 32))
                    .col(boolean(Expert::HighSkill))
                    .col(string_len(Expert::Duty, 16))
                    .col(date(Expert::TermFrom))
                    .col(date(Expert::TermTo))
                    .col(boolean(Expert::Active))
                    .col(timestamp_with_time_zone(Expert::UpdatedAt))
                    .foreign_key(&mut cascade(
                        "fk_expert_committee",
                        (Expert::Table, Expert::Committee),
                        (Committee::Table, Committee::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_expert_committee_account")
                    .table(Expert::Table)
                    .col(Expert::Committee)
                    .col(Expert::AccountId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReviewSession::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReviewSession::Id))
                    .col(string_len(ReviewSession::Committee, 64))
                    .col(string_len(ReviewSession::Series, 64))
                    .col(string_len(ReviewSession::Tiers, 64))
                    .col(date(ReviewSession::SitsOn))
                    .col(string_len(ReviewSession::Name, 200))
                    .col(string_len(ReviewSession::CreatedBy, 128))
                    .col(timestamp_with_time_zone(ReviewSession::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_session_committee",
                        (ReviewSession::Table, ReviewSession::Committee),
                        (Committee::Table, Committee::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SessionDossier::Table)
                    .if_not_exists()
                    .col(big_integer(SessionDossier::SessionId))
                    .col(big_integer_uniq(SessionDossier::DossierId))
                    .col(string_len(SessionDossier::Grp, 16))
                    .primary_key(
                        Index::create()
                            .col(SessionDossier::SessionId)
                            .col(SessionDossier::DossierId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_session_dossier_session",
                        (SessionDossier::Table, SessionDossier::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_session_dossier_dossier",
                        (SessionDossier::Table, SessionDossier::DossierId),
                        (Dossier::Table, Dossier::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReviewGroup::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReviewGroup::Id))
                    .col(big_integer(ReviewGroup::SessionId))
                    .col(string_len(ReviewGroup::Kind, 16))
                    .col(integer(ReviewGroup::Members))
                    .col(integer(ReviewGroup::MinHighSkill))
                    .col(integer(ReviewGroup::Reserves))
                    .col(text_null(ReviewGroup::Constraints))
                    .col(text_null(ReviewGroup::Pool))
                    .col(text_null(ReviewGroup::Drawn))
                    .col(string_len_null(ReviewGroup::DrawnBy, 128))
                    .col(string_len_null(ReviewGroup::Witness, 128))
                    .col(timestamp_with_time_zone_null(ReviewGroup::DrawnAt))
                    .foreign_key(&mut cascade(
                        "fk_group_session",
                        (ReviewGroup::Table, ReviewGroup::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_group_session_kind")
                    .table(ReviewGroup::Table)
                    .col(ReviewGroup::SessionId)
                    .col(ReviewGroup::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupMember::Table)
                    .if_not_exists()
                    .col(big_integer(GroupMember::GroupId))
                    .col(big_integer(GroupMember::ExpertId))
                    .col(integer(GroupMember::Position))
                    .col(boolean(GroupMember::Reserve))
                    .primary_key(
                        Index::create()
                            .col(GroupMember::GroupId)
                            .col(GroupMember::ExpertId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_member_group",
                        (GroupMember::Table, GroupMember::GroupId),
                        (ReviewGroup::Table, ReviewGroup::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_member_expert",
                        (GroupMember::Table, GroupMember::ExpertId),
                        (Expert::Table, Expert::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Recusal::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Recusal::Id))
                    .col(big_integer(Recusal::SessionId))
                    .col(big_integer(Recusal::ExpertId))
                    .col(big_integer(Recusal::DossierId))
                    .col(string_len(Recusal::Ground, 32))
                    .col(string_len(Recusal::Source, 16))
                    .col(text(Recusal::Reason))
                    .col(string_len(Recusal::Status, 16))
                    .col(string_len(Recusal::DeclaredBy, 128))
                    .col(timestamp_with_time_zone(Recusal::DeclaredAt))
                    .col(string_len_null(Recusal::DecidedBy, 128))
                    .col(timestamp_with_time_zone_null(Recusal::DecidedAt))
                    .foreign_key(&mut cascade(
                        "fk_recusal_session",
                        (Recusal::Table, Recusal::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_recusal_expert",
                        (Recusal::Table, Recusal::ExpertId),
                        (Expert::Table, Expert::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recusal_session")
                    .table(Recusal::Table)
                    .col(Recusal::SessionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Assessment::Table)
                    .if_not_exists()
                    .col(big_integer(Assessment::SessionId))
                    .col(big_integer(Assessment::ExpertId))
                    .col(big_integer(Assessment::DossierId))
                    .col(text(Assessment::Scores))
                    .col(text(Assessment::Opinion))
                    .col(timestamp_with_time_zone(Assessment::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Assessment::SessionId)
                            .col(Assessment::ExpertId)
                            .col(Assessment::DossierId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_assessment_session",
                        (Assessment::Table, Assessment::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_assessment_expert",
                        (Assessment::Table, Assessment::ExpertId),
                        (Expert::Table, Expert::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Assessment::Table.into_iden(),
            Recusal::Table.into_iden(),
            GroupMember::Table.into_iden(),
            ReviewGroup::Table.into_iden(),
            SessionDossier::Table.into_iden(),
            ReviewSession::Table.into_iden(),
            Expert::Table.into_iden(),
            Committee::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
