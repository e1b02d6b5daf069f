//! The secret ballot (无记名投票, 40号令; POLICY §9): who attends a session (`attendance`), who
//! has voted on which applicant (`ballot_voter`, kept apart from the ballots), the ballot box of
//! each applicant while the ballot is open (`ballot_urn`: the running counts sealed under the
//! server's key, one row rewritten with a fresh nonce at each vote, so neither a tally nor the
//! order of the votes can be read from it), the ballots written at close in a shuffled order
//! (`ballot`: the session, the applicant and the choice; no account, no time), each applicant's
//! result (`ballot_result`), and on the session when its ballot opened and closed and who signed
//! its sealed result with the result's hash.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReviewSession {
    Table,
    Id,
    BallotOpenedAt,
    BallotClosedAt,
    SealedBy,
    SealedAt,
    SealedHash,
}

#[derive(DeriveIden)]
enum Expert {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    SessionId,
    ExpertId,
}

#[derive(DeriveIden)]
enum BallotVoter {
    Table,
    SessionId,
    DossierId,
    ExpertId,
}

#[derive(DeriveIden)]
enum BallotUrn {
    Table,
    SessionId,
    DossierId,
    Sealed,
}

#[derive(DeriveIden)]
enum Ballot {
    Table,
    SessionId,
    DossierId,
    Slot,
    Choice,
}

#[derive(DeriveIden)]
enum BallotResult {
    Table,
    SessionId,
    DossierId,
    Grp,
    Members,
    Recused,
    Attending,
    Agree,
    Disagree,
    Abstain,
    Base,
    QuorumNeeded,
    PassNeeded,
    Outcome,
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
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            timestamp_with_time_zone_null(ReviewSession::BallotOpenedAt),
            timestamp_with_time_zone_null(ReviewSession::BallotClosedAt),
            string_len_null(ReviewSession::SealedBy, 128),
            timestamp_with_time_zone_null(ReviewSession::SealedAt),
            string_len_null(ReviewSession::SealedHash, 64),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(ReviewSession::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .if_not_exists()
                    .col(big_integer(Attendance::SessionId))
                    .col(big_integer(Attendance::ExpertId))
                    .primary_key(
                        Index::create()
                            .col(Attendance::SessionId)
                            .col(Attendance::ExpertId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_attendance_session",
                        (Attendance::Table, Attendance::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_attendance_expert",
                        (Attendance::Table, Attendance::ExpertId),
                        (Expert::Table, Expert::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BallotVoter::Table)
                    .if_not_exists()
                    .col(big_integer(BallotVoter::SessionId))
                    .col(big_integer(BallotVoter::DossierId))
                    .col(big_integer(BallotVoter::ExpertId))
                    .primary_key(
                        Index::create()
                            .col(BallotVoter::SessionId)
                            .col(BallotVoter::DossierId)
                            .col(BallotVoter::ExpertId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_ballot_voter_session",
                        (BallotVoter::Table, BallotVoter::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BallotUrn::Table)
                    .if_not_exists()
                    .col(big_integer(BallotUrn::SessionId))
                    .col(big_integer(BallotUrn::DossierId))
                    .col(text(BallotUrn::Sealed))
                    .primary_key(
                        Index::create()
                            .col(BallotUrn::SessionId)
                            .col(BallotUrn::DossierId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_ballot_urn_session",
                        (BallotUrn::Table, BallotUrn::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Ballot::Table)
                    .if_not_exists()
                    .col(big_integer(Ballot::SessionId))
                    .col(big_integer(Ballot::DossierId))
                    .col(integer(Ballot::Slot))
                    .col(string_len(Ballot::Choice, 16))
                    .primary_key(
                        Index::create()
                            .col(Ballot::SessionId)
                            .col(Ballot::DossierId)
                            .col(Ballot::Slot),
                    )
                    .foreign_key(&mut cascade(
                        "fk_ballot_session",
                        (Ballot::Table, Ballot::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BallotResult::Table)
                    .if_not_exists()
                    .col(big_integer(BallotResult::SessionId))
                    .col(big_integer(BallotResult::DossierId))
                    .col(string_len(BallotResult::Grp, 16))
                    .col(integer(BallotResult::Members))
                    .col(integer(BallotResult::Recused))
                    .col(integer(BallotResult::Attending))
                    .col(integer(BallotResult::Agree))
                    .col(integer(BallotResult::Disagree))
                    .col(integer(BallotResult::Abstain))
                    .col(integer(BallotResult::Base))
                    .col(integer(BallotResult::QuorumNeeded))
                    .col(integer(BallotResult::PassNeeded))
                    .col(string_len(BallotResult::Outcome, 16))
                    .primary_key(
                        Index::create()
                            .col(BallotResult::SessionId)
                            .col(BallotResult::DossierId),
                    )
                    .foreign_key(&mut cascade(
                        "fk_ballot_result_session",
                        (BallotResult::Table, BallotResult::SessionId),
                        (ReviewSession::Table, ReviewSession::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BallotResult::Table.into_iden(),
            Ballot::Table.into_iden(),
            BallotUrn::Table.into_iden(),
            BallotVoter::Table.into_iden(),
            Attendance::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            ReviewSession::SealedHash,
            ReviewSession::SealedAt,
            ReviewSession::SealedBy,
            ReviewSession::BallotClosedAt,
            ReviewSession::BallotOpenedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ReviewSession::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
